package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/go-retryablehttp"
)

// trust makes c accept srv's test certificate, reaching the base transport
// through the layers NewClient builds.
func trust(t *testing.T, c *http.Client, srv *httptest.Server) {
	t.Helper()
	outer, ok1 := c.Transport.(*timeoutTransport)
	retrying, ok2 := outer.next.(*retryablehttp.RoundTripper)
	logging, ok3 := retrying.Client.HTTPClient.Transport.(*logTransport)
	limiting, ok4 := logging.next.(*limitTransport)
	headers, ok5 := limiting.next.(*headerTransport)
	base, ok6 := headers.next.(*http.Transport)
	test, ok7 := srv.Client().Transport.(*http.Transport)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || !ok7 {
		t.Fatal("the transport layers changed; update trust")
	}
	base.TLSClientConfig = test.TLSClientConfig.Clone()
}

// TestRedirectsAreNeverFollowed: a 3xx to the same host on another port, to
// plain HTTP from HTTPS, or to a path of the same server is an error that
// names the status and the target's scheme and host, and not one request
// reaches the target. Go would otherwise forward the Authorization header
// whenever the host name matches, whatever the port or scheme.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	other := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.WriteHeader(http.StatusOK)
	})
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, tls := range []bool{false, true} {
			handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", other.URL+"/v1/UsageRecords?PageToken=secret-cursor")
				w.WriteHeader(status)
			})
			var src *httptest.Server
			if tls {
				src = httptest.NewTLSServer(handler)
			} else {
				src = httptest.NewServer(handler)
			}
			c := NewClient(quick())
			if tls {
				trust(t, c, src)
			}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, src.URL+"/v1/UsageRecords", nil)
			req.Header.Set("Authorization", "Bearer the-token")
			resp, err := c.Do(req)
			if resp != nil {
				_ = resp.Body.Close()
			}
			var re *RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("%d (TLS %v): err = %v, want a RedirectError", status, tls, err)
			}
			host := strings.TrimPrefix(other.URL, "http://")
			if re.Status != status || re.Scheme != "http" || re.Host != host {
				t.Errorf("%d: redirect error = %+v", status, re)
			}
			msg := err.Error()
			if !strings.Contains(msg, "http://"+host) || strings.Contains(msg, "secret-cursor") {
				t.Errorf("%d: message %q must name the target's scheme and host, never its query", status, msg)
			}
			src.Close()
		}
	}
	if n := other.requests.Load(); n != 0 {
		t.Fatalf("%d requests reached the redirect target", n)
	}
}

// TestRedirectIsNotRetried: no retry can make a redirect go away.
func TestRedirectIsNotRetried(t *testing.T) {
	src := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	_, _, err := get(context.Background(), t, NewClient(quick()), src.URL)
	if err == nil {
		t.Fatal("a redirect was followed")
	}
	if n := src.requests.Load(); n != 1 {
		t.Fatalf("requests = %d, want 1", n)
	}
}
