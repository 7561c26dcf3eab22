package gigs

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// redirectKey is the API key the redirect tests must never deliver elsewhere.
const redirectKey = "gk_redirect_test_key"

// countingServer is the listener a redirect points at; it counts every
// request that reaches it.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","items":[],"moreItemsAfter":null}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// redirecting answers every request with status and a Location on target,
// whose query must never reach an error.
func redirecting(status int, target string, hits *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Location", target+"/projects/p/subscriptions/s/usage?sig=q-secret-789")
		w.WriteHeader(status)
	}
}

// checkRedirectRefused checks the error a refused redirect to target gives.
func checkRedirectRefused(t *testing.T, err error, status int, target, origin string) {
	t.Helper()
	u, _ := url.Parse(target)
	var re *httpx.RedirectError
	if !errors.As(err, &re) || re.Status != status || re.Scheme != u.Scheme || re.Host != u.Host {
		t.Errorf("error %v (%T), want a RedirectError for HTTP %d to %s", err, err, status, target)
		return
	}
	msg := err.Error()
	for _, want := range []string{"Gigs GET /projects/p/subscriptions/s/usage", "HTTP " + strconv.Itoa(status), target, "configure the final endpoint"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
	// Neither the target's query nor the transport's URL (with our own
	// query) belongs in the text.
	for _, leak := range []string{"q-secret-789", "sig=", origin, "period=", `Get "`, redirectKey} {
		if strings.Contains(msg, leak) {
			t.Errorf("error %q shows %q", msg, leak)
		}
	}
}

// TestRedirectToAnotherPortIsNotFollowed: Go would forward the
// Authorization header to the same host on another port. No request may
// reach that port, and a refused redirect is not retried.
func TestRedirectToAnotherPortIsNotFollowed(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		other, otherHits := countingServer(t)
		var hits atomic.Int64
		front := httptest.NewServer(redirecting(status, other.URL, &hits))
		c, err := New(Config{Endpoint: front.URL, APIKey: redirectKey,
			HTTP: httpx.Config{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Period: 1})
		front.Close()
		checkRedirectRefused(t, err, status, other.URL, front.URL)
		if n := otherHits.Load(); n != 0 {
			t.Errorf("HTTP %d: %d requests reached the redirect target, want 0", status, n)
		}
		if n := hits.Load(); n != 1 {
			t.Errorf("HTTP %d: %d requests at the redirecting server, want 1 (no retry)", status, n)
		}
	}
}

// Environment of the child process in TestRedirectFromHTTPSToHTTPIsNotFollowed.
const (
	tlsFrontEnv  = "GIGS_TEST_REDIRECT_TLS_FRONT"
	tlsTargetEnv = "GIGS_TEST_REDIRECT_TLS_TARGET"
)

// TestRedirectFromHTTPSToHTTPIsNotFollowed: a TLS endpoint that redirects to
// plain HTTP would put the key on the wire in clear text. httpx.Config has
// no way to trust a test certificate, so the client runs in a child process
// of this test binary that trusts it through SSL_CERT_FILE, read once per
// process by crypto/x509; the servers and their counters stay here.
func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	if front := os.Getenv(tlsFrontEnv); front != "" {
		redirectChild(t, front, os.Getenv(tlsTargetEnv))
		return
	}
	other, otherHits := countingServer(t)
	var hits atomic.Int64
	front := httptest.NewTLSServer(redirecting(http.StatusFound, other.URL, &hits))
	t.Cleanup(front.Close)

	certFile := filepath.Join(t.TempDir(), "cert.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: front.Certificate().Raw})
	if err := os.WriteFile(certFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRedirectFromHTTPSToHTTPIsNotFollowed$", "-test.count=1", "-test.v") //nolint:gosec // this test binary, re-run to trust the test certificate
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+certFile, tlsFrontEnv+"="+front.URL, tlsTargetEnv+"="+other.URL)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestRedirectFromHTTPSToHTTPIsNotFollowed") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("child:\n%s", out)
	if n := otherHits.Load(); n != 0 {
		t.Errorf("%d requests reached the plain-HTTP target, want 0", n)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests at the TLS server, want 1 (no retry)", n)
	}
}

func redirectChild(t *testing.T, front, target string) {
	if !strings.HasPrefix(front, "https://") || !strings.HasPrefix(target, "http://") {
		t.Fatalf("child needs an https front and an http target, got %q and %q", front, target)
	}
	c, err := New(Config{Endpoint: front, APIKey: redirectKey,
		HTTP: httpx.Config{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Period: 1})
	checkRedirectRefused(t, err, http.StatusFound, target, front)
	t.Logf("refused: %v", err)
}
