package httpx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// quick is a Config whose backoff is too short to notice, with one request in
// flight so that a response body left open would stall the next attempt.
func quick() Config {
	return Config{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, MaxConcurrent: 1}
}

// countingServer counts the requests it gets and answers with a handler
// that is told which attempt, from 1, it answers.
type countingServer struct {
	*httptest.Server
	requests atomic.Int32
}

func newCountingServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, attempt int32)) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(w, r, s.requests.Add(1))
	}))
	t.Cleanup(s.Close)
	return s
}

// statusServer answers every request with status and a small JSON body.
func statusServer(t *testing.T, status int) *countingServer {
	t.Helper()
	return newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"message":"from the server"}`))
	})
}

// get sends a GET through c and returns the status and the whole body.
func get(ctx context.Context, t *testing.T, c *http.Client, url string) (int, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	body, err := ReadBody(resp, MaxBodyBytes)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	return resp.StatusCode, body, nil
}
