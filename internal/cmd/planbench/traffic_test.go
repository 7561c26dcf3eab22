package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// steppedClock is a clock the test moves by hand.
type steppedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *steppedClock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func (c *steppedClock) read() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// The meter sees overlap, idle time and peaks per vendor: requests A (KORE)
// 0s..3s and B (Gigs) 1s..4s overlap, nothing runs 4s..6s, C (KORE) runs 6s..7s.
func TestTrafficMeter(t *testing.T) {
	entered := make(chan string)
	release := map[string]chan struct{}{"/v1/a": make(chan struct{}), "/projects/p/subscriptions/b/usage": make(chan struct{}), "/v1/c": make(chan struct{})}
	meter := newTrafficMeter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		<-release[r.URL.Path]
	}))
	clock := &steppedClock{}
	meter.now = clock.read
	srv := httptest.NewServer(meter)
	defer srv.Close()

	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(sec int) { clock.set(t0.Add(time.Duration(sec) * time.Second)) }
	done := map[string]chan struct{}{}
	start := func(path string) {
		done[path] = make(chan struct{})
		go func() {
			defer close(done[path])
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
			if err != nil {
				t.Error(err)
				return
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_ = resp.Body.Close()
		}()
		<-entered
	}
	finish := func(path string) { close(release[path]); <-done[path] }

	at(0)
	start("/v1/a")
	at(1)
	start("/projects/p/subscriptions/b/usage")
	at(3)
	finish("/v1/a")
	at(4)
	finish("/projects/p/subscriptions/b/usage")
	at(6)
	start("/v1/c")
	at(7)
	finish("/v1/c")

	s := meter.stats()
	if s.Requests != 3 || s.Peak != 2 || s.PeakByVendor["kore"] != 1 || s.PeakByVendor["gigs"] != 1 {
		t.Errorf("requests %d, peak %d, by vendor %v; want 3, 2, kore 1 and gigs 1", s.Requests, s.Peak, s.PeakByVendor)
	}
	if !s.First.Equal(t0) || s.Last.Sub(t0) != 7*time.Second {
		t.Errorf("first %s, last %s; want 0s and 7s", s.First.Sub(t0), s.Last.Sub(t0))
	}
	// busy: 1 + 2×2 + 1 + 0 + 1 = 7 request-seconds over 7 s.
	if s.Idle != 2*time.Second || s.MeanInFlight != 1 {
		t.Errorf("idle %s, mean in flight %v; want 2s and 1", s.Idle, s.MeanInFlight)
	}

	meter.reset()
	if s := meter.stats(); s.Requests != 0 || s.Peak != 0 || s.Idle != 0 || !s.First.IsZero() {
		t.Errorf("after reset: %+v", s)
	}
}

// The meter tells when the first, or the nth, usage page has been answered:
// the interrupt benchmark's cue.
func TestTrafficMeterAfterPages(t *testing.T) {
	meter := newTrafficMeter(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv := httptest.NewServer(meter)
	defer srv.Close()
	get := func(path string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	closed := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}

	first, third := meter.afterPages(1), meter.afterPages(3)
	get("/oauth/token")
	get("/v1/Sims/HS1")
	if closed(first) || meter.pagesAnswered() != 0 {
		t.Fatal("a token or a lookup counted as a usage page")
	}
	get("/v1/Sims/HS1/UsageRecords")
	if !closed(first) || closed(third) {
		t.Fatalf("after one page: first %v, third %v", closed(first), closed(third))
	}
	get("/v1/UsageRecords")
	get("/projects/p/subscriptions/s/usage")
	if !closed(third) || meter.pagesAnswered() != 3 {
		t.Fatalf("after three pages: third %v, %d answered", closed(third), meter.pagesAnswered())
	}
	if !closed(meter.afterPages(2)) {
		t.Error("a cue already passed is closed at once")
	}

	meter.reset()
	if meter.pagesAnswered() != 0 || closed(meter.afterPages(1)) {
		t.Error("reset keeps the pages answered")
	}
}
