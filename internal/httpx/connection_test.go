package httpx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// refusedURL is an http URL on which nothing listens.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestConnectionFailureSaysAttemptsAndEndpoint: a request that never gets an
// answer is a *ConnectionError naming the vendor, the request, the host and
// how many attempts were made, retries included.
func TestConnectionFailureSaysAttemptsAndEndpoint(t *testing.T) {
	raw := refusedURL(t)
	base, _ := url.Parse(raw)
	cfg := quick()
	cfg.MaxRetries = 2
	a := &API{Vendor: "Gigs", Base: base, HTTP: NewClient(cfg), Log: cfg.withDefaults().Logger, Secrets: &Redactor{}, Auth: StaticToken("k")}
	_, err := a.Get(t.Context(), a.URL(url.Values{"after": {"cursor"}}, "projects", "p", "subscriptions"))
	var conn *ConnectionError
	if !errors.As(err, &conn) {
		t.Fatalf("err = %v (%T), want a *ConnectionError", err, err)
	}
	if conn.Vendor != "Gigs" || conn.Method != "GET" || conn.Host != base.Host || conn.Path != "/projects/p/subscriptions" || conn.Attempts != 3 {
		t.Fatalf("%+v", conn)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "Gigs GET /projects/p/subscriptions: no answer from "+base.Host+" after 3 attempts: ") ||
		!strings.Contains(msg, "refused") || strings.Contains(msg, "cursor") {
		t.Fatalf("message %q", msg)
	}
}

// TestConnectionErrorOfAPlainRequest: a request sent through the client
// itself (KORE's token request) names the Config's vendor and its method;
// a TLS failure is not retried, so it took one attempt.
func TestConnectionErrorOfAPlainRequest(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	cfg := quick()
	cfg.Vendor = "KORE"
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/api-services/v1/auth/token", nil)
	resp, err := NewClient(cfg).Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("an untrusted certificate was accepted")
	}
	var conn *ConnectionError
	if !errors.As(err, &conn) || conn.Vendor != "KORE" || conn.Method != "POST" || conn.Path != "/api-services/v1/auth/token" || conn.Attempts != 1 {
		t.Fatalf("err = %v, %+v", err, conn)
	}
	if !strings.Contains(err.Error(), "after 1 attempt: ") {
		t.Fatalf("message %q", err)
	}
}

// TestAnswersAndCancellationAreNotConnectionFailures: a 503 that outlasts
// the retries is an answer for the vendor's error, and a read the caller
// gave up is the caller's.
func TestAnswersAndCancellationAreNotConnectionFailures(t *testing.T) {
	srv := statusServer(t, http.StatusServiceUnavailable)
	code, _, err := get(t.Context(), t, NewClient(quick()), srv.URL)
	if err != nil || code != http.StatusServiceUnavailable {
		t.Fatalf("503: %d, %v", code, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = get(ctx, t, NewClient(quick()), refusedURL(t))
	var conn *ConnectionError
	if errors.As(err, &conn) || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
}
