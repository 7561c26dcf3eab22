package vendorsim

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Faults are injected into requests while serving.
type Faults struct {
	Latency     time.Duration // added before answering each request (token and API)
	Rate429     float64       // fraction of API requests answered 429
	RetryAfter  string        // Retry-After header on injected 429/503 ("" = none); seconds or an HTTP-date
	Rate503     float64       // fraction of API requests answered 503
	RateHTML502 float64       // fraction of API requests answered 502 with a text/html gateway page
	// Cycle, when 4 or more, replaces the rates with a fixed pattern, so that
	// tests can rely on every kind of fault happening: of every Cycle API
	// requests the first is answered 429, the second 503, the third an HTML
	// 502, and the rest normally.
	Cycle int
}

// Hostile makes the APIs misbehave in ways a careful client must survive.
// They change only what is served, never KoreRecords or GigsRecords.
type Hostile struct {
	KoreNextPageLoop    bool // next_page_url points back at the same page
	KoreNextPageForeign bool // next_page_url points at another host
	KoreOversizePage    bool // a page carries more records than PageSize
	GigsCursorLoop      bool // moreItemsAfter repeats the same cursor forever
	GigsPageSize        int  // >0: Gigs lists are paged this many items at a time
	NegativeCounter     bool // the first record of each response carries a negative counter
	// FleetLists extends KoreNextPageLoop, KoreNextPageForeign and
	// GigsCursorLoop to the lists a fleet read walks (GET /v1/Sims,
	// GET /v1/RatePlans, GET /projects/{project}/subscriptions); without
	// it those lists are always served straight.
	FleetLists bool
}

// foreignHost is where KoreNextPageForeign points next_page_url.
const foreignHost = "http://attacker.invalid"

// faultState holds the knobs; every access is under mu.
type faultState struct {
	mu      sync.Mutex
	faults  Faults
	hostile Hostile
	rng     *rand.Rand
	changed chan struct{} // closed and replaced by SetFaults, to release waiting requests
	held    atomic.Int64  // requests waiting out latency now

	cycled         int // API requests drawn since SetFaults, for Cycle
	failLeft       int
	failStatus     int
	failRetryAfter string
}

func newFaultState(seed int64) *faultState {
	return &faultState{rng: rand.New(rand.NewPCG(uint64(seed), purposeFaults)), changed: make(chan struct{})}
}

// SetFaults replaces the fault knobs; random choices come from a seeded RNG.
// Requests still waiting out the old latency are answered at once.
func (s *Server) SetFaults(f Faults) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = f
	s.faults.cycled = 0
	close(s.faults.changed)
	s.faults.changed = make(chan struct{})
}

// FailNext makes the next n API (non-token) requests answer status, with the
// vendor's error body and, unless empty, a Retry-After header.
func (s *Server) FailNext(n int, status int, retryAfter string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if status < 100 || status > 999 {
		n = 0
	}
	s.faults.failLeft, s.faults.failStatus, s.faults.failRetryAfter = max(n, 0), status, retryAfter
}

// SetHostile replaces the hostile knobs.
func (s *Server) SetHostile(h Hostile) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.hostile = h
}

// fleetHostile is the hostile knobs that apply to the fleet lists.
func (s *Server) fleetHostile() Hostile {
	if h := s.faults.currentHostile(); h.FleetLists {
		return h
	}
	return Hostile{}
}

func (f *faultState) currentHostile() Hostile {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hostile
}

// wait sleeps for the configured latency; false if the client went away first.
// A request with an unread body cannot see its client leave, so a change of
// the faults also ends the wait.
func (f *faultState) wait(ctx context.Context) bool {
	f.mu.Lock()
	d, changed := f.faults.Latency, f.changed
	f.mu.Unlock()
	if d <= 0 {
		return true
	}
	f.held.Add(1)
	defer f.held.Add(-1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-changed:
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// waiting counts the requests being held by latency.
func (f *faultState) waiting() int64 { return f.held.Load() }

// injection is a failure to answer instead of the real response.
type injection struct {
	status     int
	retryAfter string
	html       bool
}

// draw decides whether this API request fails: FailNext first, then the rates.
func (f *faultState) draw() (injection, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failLeft > 0 {
		f.failLeft--
		return injection{status: f.failStatus, retryAfter: f.failRetryAfter}, true
	}
	fl := f.faults
	if fl.Cycle >= 4 {
		f.cycled++
		switch (f.cycled - 1) % fl.Cycle {
		case 0:
			return injection{status: http.StatusTooManyRequests, retryAfter: fl.RetryAfter}, true
		case 1:
			return injection{status: http.StatusServiceUnavailable, retryAfter: fl.RetryAfter}, true
		case 2:
			return injection{status: http.StatusBadGateway, html: true}, true
		}
		return injection{}, false
	}
	if fl.RateHTML502 <= 0 && fl.Rate503 <= 0 && fl.Rate429 <= 0 {
		return injection{}, false
	}
	u := f.rng.Float64()
	switch {
	case u < fl.RateHTML502:
		return injection{status: http.StatusBadGateway, html: true}, true
	case u < fl.RateHTML502+fl.Rate503:
		return injection{status: http.StatusServiceUnavailable, retryAfter: fl.RetryAfter}, true
	case u < fl.RateHTML502+fl.Rate503+fl.Rate429:
		return injection{status: http.StatusTooManyRequests, retryAfter: fl.RetryAfter}, true
	}
	return injection{}, false
}

// writeInjection answers an injected failure in the style of the vendor.
func writeInjection(w http.ResponseWriter, v vendor, in injection) {
	if in.retryAfter != "" {
		w.Header().Set("Retry-After", in.retryAfter)
	}
	if in.html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(in.status)
		_, _ = w.Write([]byte(gatewayPage))
		return
	}
	text := http.StatusText(in.status)
	if text == "" {
		text = "Injected failure"
	}
	if v == vendorGigs {
		writeGigsError(w, gigsError(in.status, gigsTypeFor(in.status), text))
		return
	}
	writeKoreError(w, in.status, koreCodeFor(in.status), "%s", text)
}
