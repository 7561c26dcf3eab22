package httpx

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMaxConcurrentCapsAttemptsInFlight(t *testing.T) {
	const limit, requests = 3, 10
	var inFlight, peak atomic.Int32
	entered := make(chan struct{}, requests)
	release := make(chan struct{})
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		entered <- struct{}{}
		<-release
		inFlight.Add(-1)
		w.WriteHeader(http.StatusOK)
	})
	c := NewClient(Config{MaxConcurrent: limit})
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			if _, _, err := get(t.Context(), t, c, srv.URL); err != nil {
				t.Error(err)
			}
		})
	}
	// Hold the first `limit` requests, then let one out per newcomer: the
	// server only ever sees as many as the cap lets through.
	for i := range requests {
		<-entered
		if i >= limit-1 {
			release <- struct{}{}
		}
	}
	for range limit - 1 {
		release <- struct{}{}
	}
	wg.Wait()
	if p := peak.Load(); p != limit {
		t.Fatalf("peak in flight %d, want %d", p, limit)
	}
}

func TestAnOpenBodyHoldsItsSlotUntilClosed(t *testing.T) {
	srv := statusServer(t, http.StatusOK)
	c := NewClient(Config{MaxConcurrent: 1, MaxRetries: -1})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// While the first body is open the only slot is taken, so a second
	// request waits for it until its caller gives up, never reaching the server.
	impatient, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := get(impatient, t, c, srv.URL); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second request: %v", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d requests reached the server, want 1", n)
	}
	if _, err := ReadBody(first, MaxBodyBytes); err != nil {
		t.Fatal(err)
	}
	if _, _, err := get(t.Context(), t, c, srv.URL); err != nil {
		t.Fatalf("after the body was closed: %v", err)
	}
}

func TestRateLimitSpacesRequests(t *testing.T) {
	srv := statusServer(t, http.StatusOK)
	// One request per 100 s with a burst of one: the first goes at once, and
	// the next would have to wait far past its deadline, which the limiter
	// knows without waiting.
	c := NewClient(Config{RateLimit: 0.01, MaxRetries: -1})
	if _, _, err := get(t.Context(), t, c, srv.URL); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	_, _, err := get(ctx, t, c, srv.URL)
	if err == nil || !strings.Contains(err.Error(), "rate") {
		t.Fatalf("second request within the rate: %v", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d requests reached the server, want 1", n)
	}
}

func TestNoRateLimitByDefault(t *testing.T) {
	srv := statusServer(t, http.StatusOK)
	c := NewClient(Config{MaxRetries: -1})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for range 20 {
		if _, _, err := get(ctx, t, c, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
}
