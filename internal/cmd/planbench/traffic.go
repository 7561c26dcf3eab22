package main

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// trafficMeter wraps the simulator to see when requests are in flight, which
// the counters alone cannot tell: how long the plan runs before its first
// request and after its last answer, and how many requests overlap.
type trafficMeter struct {
	next http.Handler
	now  func() time.Time

	mu          sync.Mutex
	inFlight    map[string]int // by vendor
	total       int            // in flight, all vendors
	peak        map[string]int
	peakTotal   int
	requests    int
	first, last time.Time     // first request began, last answer ended
	mark        time.Time     // last change of total
	busy        time.Duration // integral of total over time, in request-time
	idle        time.Duration // time between first and last with nothing in flight
	pages       int           // usage pages answered
	waiters     []pageWaiter
}

// pageWaiter is closed once pages usage pages have been answered.
type pageWaiter struct {
	pages int
	ch    chan struct{}
}

func newTrafficMeter(next http.Handler) *trafficMeter {
	t := &trafficMeter{next: next, now: time.Now}
	t.reset()
	return t
}

// vendorOf classifies a request by path: Gigs lives under /projects.
func vendorOf(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/projects/") {
		return "gigs"
	}
	return "kore"
}

func (t *trafficMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v := vendorOf(r)
	t.change(v, +1)
	defer t.change(v, -1)
	t.next.ServeHTTP(w, r)
	if isUsagePage(r) {
		t.pageAnswered()
	}
}

// isUsagePage says whether r asks for usage records: a page of KORE's
// UsageRecords (a SIM's or the account's) or Gigs' usage list.
func isUsagePage(r *http.Request) bool {
	return strings.HasSuffix(r.URL.Path, "/UsageRecords") || strings.HasSuffix(r.URL.Path, "/usage")
}

func (t *trafficMeter) pageAnswered() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pages++
	kept := t.waiters[:0]
	for _, pw := range t.waiters {
		if t.pages >= pw.pages {
			close(pw.ch)
		} else {
			kept = append(kept, pw)
		}
	}
	t.waiters = kept
}

// afterPages is closed once n usage pages have been answered since the last
// reset (the handler has returned: the answer is written).
func (t *trafficMeter) afterPages(n int) <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	ch := make(chan struct{})
	if t.pages >= n {
		close(ch)
	} else {
		t.waiters = append(t.waiters, pageWaiter{pages: n, ch: ch})
	}
	return ch
}

// pagesAnswered is how many usage pages have been answered since the last reset.
func (t *trafficMeter) pagesAnswered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pages
}

func (t *trafficMeter) change(vendor string, delta int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if t.requests == 0 && delta > 0 {
		t.first, t.mark = now, now
	}
	elapsed := now.Sub(t.mark)
	t.busy += elapsed * time.Duration(t.total)
	if t.total == 0 && t.requests > 0 {
		t.idle += elapsed
	}
	t.mark = now
	if delta > 0 {
		t.requests++
	}
	t.total += delta
	t.inFlight[vendor] += delta
	t.peakTotal = max(t.peakTotal, t.total)
	t.peak[vendor] = max(t.peak[vendor], t.inFlight[vendor])
	if delta < 0 {
		t.last = now
	}
}

// reset forgets everything; call it between runs, with nothing in flight.
func (t *trafficMeter) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inFlight, t.peak = map[string]int{}, map[string]int{}
	t.total, t.peakTotal, t.requests = 0, 0, 0
	t.first, t.last, t.mark = time.Time{}, time.Time{}, time.Time{}
	t.busy, t.idle = 0, 0
	t.pages, t.waiters = 0, nil
}

// trafficStats summarises one run's traffic.
type trafficStats struct {
	Requests     int
	First, Last  time.Time
	Peak         int
	PeakByVendor map[string]int
	// MeanInFlight is the average number of requests in flight between the
	// first request and the last answer.
	MeanInFlight float64
	// Idle is the time between the first request and the last answer with
	// no request in flight: the provider or Terraform working, not the network.
	Idle time.Duration
}

func (t *trafficMeter) stats() trafficStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := trafficStats{Requests: t.requests, First: t.first, Last: t.last, Peak: t.peakTotal,
		PeakByVendor: map[string]int{}, Idle: t.idle}
	for v, n := range t.peak {
		s.PeakByVendor[v] = n
	}
	if span := t.last.Sub(t.first); span > 0 {
		s.MeanInFlight = float64(t.busy) / float64(span)
	}
	return s
}
