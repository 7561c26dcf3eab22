package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// usageWire records the usage requests that cross the wire.
type usageWire struct {
	mu   sync.Mutex
	seen []url.Values
}

func (w *usageWire) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/UsageRecords") {
			w.mu.Lock()
			w.seen = append(w.seen, r.URL.Query())
			w.mu.Unlock()
		}
		next.ServeHTTP(rw, r)
	})
}

// firstPages counts requests that start a walk (no PageToken): one per window.
func (w *usageWire) firstPages() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, v := range w.seen {
		if v.Get("PageToken") == "" {
			n++
		}
	}
	return n
}

// TestSplitQueriesMatchTheWholeQuery: whatever the range, the windows give
// exactly the records the whole query has, for exactly the requests paging
// would cost, ceil(records/PageSize), and every request is a window of its
// own (so the windows did run, each in one page).
func TestSplitQueriesMatchTheWholeQuery(t *testing.T) {
	end := window(0, "").End // midnight two days before simNow
	odd := 17*time.Minute + 23*time.Second
	cases := []struct {
		name    string
		sim     bool
		q       UsageQuery
		perPage int
	}{
		{"hourly 45 days", false, window(45, "hourly"), pageSize},
		{"hourly 100 days", false, window(100, "hourly"), pageSize},
		{"hourly 100 days, one SIM", true, window(100, "hourly"), pageSize},
		{"hourly, unaligned start and end", false,
			UsageQuery{Start: end.AddDate(0, 0, -50).Add(odd), End: end.Add(-5*time.Hour + 42*time.Minute + 5*time.Second), Granularity: "hourly"}, pageSize},
		{"hourly, unaligned, one SIM", true,
			UsageQuery{Start: end.AddDate(0, 0, -70).Add(-odd), End: end.Add(odd), Granularity: "hourly"}, pageSize},
		{"hourly, starting before retention", false,
			UsageQuery{Start: simNow.AddDate(-2, 0, 0), End: simNow.AddDate(0, -10, 0), Granularity: "hourly"}, pageSize},
		{"hourly, ending in the future", false,
			UsageQuery{Start: simNow.AddDate(0, 0, -60).Add(odd), End: simNow.AddDate(0, 1, 0), Granularity: "hourly"}, pageSize},
		{"hourly, ending inside the current hour", true,
			UsageQuery{Start: simNow.AddDate(0, 0, -45), End: simNow.Add(30 * time.Minute), Granularity: "hourly"}, pageSize},
		{"daily over 1100 days fits one page", false,
			UsageQuery{Start: end.AddDate(0, 0, -1100), End: end, Granularity: "daily"}, pageSize},
		// KORE keeps 18 months, so a daily query never needs a second page
		// of 1000; smaller pages put the daily windows to the test.
		{"daily, 100 a page", false, window(450, "daily"), 100},
		{"daily, 100 a page, unaligned", false,
			UsageQuery{Start: end.AddDate(0, 0, -450).Add(7*time.Hour + odd), End: end.Add(-3*time.Hour + odd), Granularity: "daily"}, 100},
		{"daily, 100 a page, one SIM, unaligned", true,
			UsageQuery{Start: end.AddDate(0, 0, -333).Add(-odd), End: end.Add(13*time.Hour + odd), Granularity: "daily"}, 100},
		{"daily, 100 a page, from before retention to the future", false,
			UsageQuery{Start: simNow.AddDate(-3, 0, 0).Add(odd), End: simNow.AddDate(0, 0, 10), Granularity: "daily"}, 100},
		{"all is never split", false, window(400, "all"), 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wire := &usageWire{}
			e := newEnv(t, withMiddleware(wire.middleware))
			e.client.perPage = tc.perPage
			sid, route := "", vendorsim.RouteKoreUsageAccount
			if tc.sim {
				sid, route = e.sim.SIMs()[1].Sid, vendorsim.RouteKoreUsageSim
			}
			var got []UsageRecord
			var err error
			if tc.sim {
				got, err = e.client.SimUsage(context.Background(), sid, tc.q)
			} else {
				got, err = e.client.AccountUsage(context.Background(), tc.q)
			}
			if err != nil {
				t.Fatal(err)
			}
			want := e.expected(t, sid, tc.q)
			sameRecords(t, got, want)
			pages := max(1, (len(want)+tc.perPage-1)/tc.perPage)
			if n := e.requests(route); n != pages {
				t.Errorf("%d records cost %d requests, want %d", len(want), n, pages)
			}
			if n := wire.firstPages(); n != pages {
				t.Errorf("%d windows for %d pages", n, pages)
			}
		})
	}
}

// TestSplitTakesTheSameAnswerAsAWalk compares the two ways directly, on a
// client that does not split and one that does.
func TestSplitTakesTheSameAnswerAsAWalk(t *testing.T) {
	q := UsageQuery{Start: simNow.AddDate(0, -5, 0).Add(90 * time.Second), End: simNow.Add(-time.Minute), Granularity: "hourly"}
	walk, split := newEnv(t), newEnv(t)
	walk.client.inFlight = 1
	a, err := walk.client.AccountUsage(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	b, err := split.client.AccountUsage(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, b, a)
	na, nb := walk.requests(vendorsim.RouteKoreUsageAccount), split.requests(vendorsim.RouteKoreUsageAccount)
	if na != nb || na < 3 {
		t.Fatalf("the walk cost %d requests, the windows %d", na, nb)
	}
}

// TestWindowsAreFetchedConcurrently holds every usage request until as many
// as the limit are in flight: a client that fetched windows one at a time
// would show a peak of 1 (after the hold times out), one without a bound
// more than the limit.
func TestWindowsAreFetchedConcurrently(t *testing.T) {
	var inFlight, peak atomic.Int32
	full := make(chan struct{})
	var fullOnce sync.Once
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/UsageRecords") {
				next.ServeHTTP(w, r)
				return
			}
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if n >= windowsInFlight {
				fullOnce.Do(func() { close(full) })
			}
			select {
			case <-full:
			case <-time.After(5 * time.Second): // only a failing client waits this out
			}
			next.ServeHTTP(w, r)
		})
	}))
	q := window(300, "hourly") // 7200 records: 8 windows
	got, err := e.client.AccountUsage(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.expected(t, "", q))
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != 8 {
		t.Errorf("usage requests = %d, want 8", n)
	}
	if p := peak.Load(); p != windowsInFlight {
		t.Fatalf("peak usage requests in flight = %d, want %d", p, windowsInFlight)
	}
}

// TestSplitQueryFailsAsAWhole: a window that fails fails the query, its
// partial answer is not kept, and each window still stops at its bad page.
func TestSplitQueryFailsAsAWhole(t *testing.T) {
	e := newEnv(t)
	q := window(45, "hourly") // two windows
	e.sim.SetHostile(vendorsim.Hostile{KoreNextPageLoop: true})
	_, err := e.client.AccountUsage(context.Background(), q)
	var respErr *ResponseError
	if !errors.As(err, &respErr) || !contains(err.Error(), "repeats an earlier page") {
		t.Fatalf("err = %v", err)
	}
	// A loop is seen on a window's second page: at most two requests each.
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n > 4 {
		t.Errorf("usage requests = %d, want at most 4", n)
	}
	e.sim.SetHostile(vendorsim.Hostile{})
	e.sim.FailNext(1, http.StatusBadRequest, "")
	if _, err := e.client.AccountUsage(context.Background(), q); err == nil {
		t.Fatal("a failed window did not fail the query")
	}
	got, err := e.client.AccountUsage(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.expected(t, "", q))
}

// TestWindowsShareOnePageBudget: however many windows a query has, it costs
// at most the pages its range can fill, plus a last page per window.
func TestWindowsShareOnePageBudget(t *testing.T) {
	var served atomic.Int32
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/UsageRecords" {
				next.ServeHTTP(w, r)
				return
			}
			n := served.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"usage_records":[],"meta":{"next_page_url":"/v1/UsageRecords?PageToken=P%d"}}`, n)
		})
	}))
	// 2,401 hourly periods at most: three full pages, plus a last page for
	// each of the three windows.
	_, err := e.client.AccountUsage(context.Background(), window(100, "hourly"))
	if err == nil || !contains(err.Error(), "more than 6 pages") {
		t.Fatalf("err = %v", err)
	}
	// Windows still running when the budget runs out are cancelled, so
	// fewer than six may reach the server; three budgets would allow 18.
	if n := served.Load(); n > 6 {
		t.Fatalf("pages served = %d, want at most 6", n)
	}
}
