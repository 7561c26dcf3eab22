package kore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// listener is a server that only counts: no request may ever reach it.
func listener(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func hostileClient(t *testing.T, endpoint, tokenURL, secret string) *Client {
	t.Helper()
	c, err := New(Config{Endpoint: endpoint, TokenURL: tokenURL, ClientID: "client-id", ClientSecret: secret,
		HTTP: httpx.Config{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTokenRedirectCarriesNoSecret: a token endpoint answering 307 or 308 to
// another origin would make Go re-POST the form, client secret included.
func TestTokenRedirectCarriesNoSecret(t *testing.T) {
	other, reached := listener(t)
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		token := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", other.URL+"/api-services/v1/auth/token?x=query-text")
			w.WriteHeader(status)
		}))
		c := hostileClient(t, other.URL, token.URL+"/api-services/v1/auth/token", "the-secret")
		_, err := c.AccountUsage(context.Background(), window(1, "all"))
		token.Close()
		var re *httpx.RedirectError
		if !errors.As(err, &re) {
			t.Fatalf("%d: err = %v, want a refused redirect", status, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, fmt.Sprint(status)) || !strings.Contains(msg, other.URL) || strings.Contains(msg, "query-text") {
			t.Errorf("%d: %q must name the status and the target's origin, not its query", status, msg)
		}
	}
	if n := reached.Load(); n != 0 {
		t.Fatalf("%d requests reached the redirect target", n)
	}
}

// TestAPIRedirectCarriesNoToken: an API answer redirecting to the same host
// on another port would get the bearer token forwarded by Go.
func TestAPIRedirectCarriesNoToken(t *testing.T) {
	other, reached := listener(t)
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/UsageRecords" {
				w.Header().Set("Location", other.URL+r.URL.RequestURI())
				w.WriteHeader(http.StatusFound)
				return
			}
			next.ServeHTTP(w, r)
		})
	}))
	_, err := e.client.AccountUsage(context.Background(), window(1, "all"))
	var re *httpx.RedirectError
	if !errors.As(err, &re) || re.Status != http.StatusFound {
		t.Fatalf("err = %v, want a refused 302", err)
	}
	if strings.Contains(err.Error(), "Start=") {
		t.Errorf("the error repeats the redirect's query: %v", err)
	}
	if n := reached.Load(); n != 0 {
		t.Fatalf("%d requests reached the redirect target", n)
	}
	if n := e.requests("kore usage account"); n > 1 {
		t.Errorf("the redirect was retried: %d requests", n)
	}
}

// TestSecretEchoesAreRedacted: a token endpoint that echoes what it got, in
// every form, must not put the client secret into the error.
func TestSecretEchoesAreRedacted(t *testing.T) {
	const secret = `Sec+ret/Val=ue&Q9x7Z2%"\`
	token := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		raw := r.PostForm.Encode()
		quoted, _ := json.Marshal(r.PostForm.Get("client_secret"))
		basic := base64.StdEncoding.EncodeToString([]byte("client-id:" + r.PostForm.Get("client_secret")))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		body, _ := json.Marshal(map[string]string{
			"error":             "invalid_client",
			"error_description": "got " + raw + " and " + string(quoted) + " and " + basic + " and " + url.PathEscape(r.PostForm.Get("client_secret")),
		})
		_, _ = w.Write(body)
	}))
	t.Cleanup(token.Close)
	c := hostileClient(t, token.URL, token.URL+"/token", secret)
	_, err := c.AccountUsage(context.Background(), window(1, "all"))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	quoted, _ := json.Marshal(secret)
	for name, form := range map[string]string{
		"raw": secret, "query": url.QueryEscape(secret), "path": url.PathEscape(secret),
		"json": strings.Trim(string(quoted), `"`), "basic": base64.StdEncoding.EncodeToString([]byte("client-id:" + secret)),
	} {
		if strings.Contains(msg, form) {
			t.Errorf("the %s form of the secret is in the error: %s", name, msg)
		}
	}
	if !strings.Contains(msg, httpx.Redacted) {
		t.Errorf("nothing was redacted: %s", msg)
	}
}

// TestHangingTokenEndpointIsNamed: when the read's deadline passes while
// the token request hangs, the error says it was the token endpoint.
func TestHangingTokenEndpointIsNamed(t *testing.T) {
	release := make(chan struct{})
	token := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); token.Close() })
	c := hostileClient(t, token.URL, token.URL+"/api-services/v1/auth/token", "s")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.AccountUsage(ctx, window(1, "all"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "token endpoint "+token.URL+"/api-services/v1/auth/token") {
		t.Fatalf("err = %v, want one naming the token endpoint", err)
	}
}

// TestRecordFloodIsStopped: a 2-day daily query can truly have 3 records;
// a server sending pages of 1,000 is stopped after the first page.
func TestRecordFloodIsStopped(t *testing.T) {
	var served atomic.Int32
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/UsageRecords" {
				next.ServeHTTP(w, r)
				return
			}
			n := served.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(buildPage(1000, fmt.Sprintf("/v1/UsageRecords?PageToken=P%d", n)))
		})
	}))
	// Its own deadline: a regressed guard fails in seconds, not at the go test timeout.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := e.client.AccountUsage(ctx, window(2, "daily"))
	if !errors.Is(err, errVendorData) || !strings.Contains(err.Error(), "more than 3 records") {
		t.Fatalf("err = %v", err)
	}
	if n := served.Load(); n != 1 {
		t.Fatalf("pages served = %d, want 1", n)
	}
}

// TestRecordsOutsideTheRangeFail: the server's records must belong to the
// query asked.
func TestRecordsOutsideTheRangeFail(t *testing.T) {
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/UsageRecords" {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(buildPage(1, "")) // one record in January 2025
		})
	}))
	_, err := e.client.AccountUsage(context.Background(), window(2, "daily"))
	if !errors.Is(err, errVendorData) || !strings.Contains(err.Error(), "outside the requested range") || !strings.Contains(err.Error(), "2025-01-01T00:00:00Z") {
		t.Fatalf("err = %v", err)
	}
}
