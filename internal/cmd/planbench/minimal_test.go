package main

import (
	"math"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestKorePages(t *testing.T) {
	for records, want := range map[int]int{0: 1, 1: 1, 999: 1, 1000: 1, 1001: 2, 2000: 2, 2001: 3} {
		if got := korePages(records); got != want {
			t.Errorf("korePages(%d) = %d, want %d", records, got, want)
		}
	}
}

// The minimum counts one token, each distinct lookup once, pages from the
// simulator's own records and one Gigs request per subscription query.
func TestMinimalRequests(t *testing.T) {
	sim := testSimulator()
	fleet := sim.SIMs()
	n := 3 * len(fleet)
	w, err := newWorkload(fleet, sim.Subscriptions(), n, 9, "month_to_date", "daily", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	m := minimalRequests(w, simulatorRecords(sim))

	uniqueNames, iccids := map[string]bool{}, map[string]bool{}
	for _, s := range w.Sims {
		switch s.By {
		case byUniqueName:
			uniqueNames[s.SIM.UniqueName] = true
		case byICCID:
			iccids[s.SIM.ICCID] = true
		}
	}
	want := map[string]int{
		vendorsim.RouteKoreToken:        1,
		vendorsim.RouteKoreSimsGet:      len(uniqueNames),
		vendorsim.RouteKoreSimsList:     len(iccids),
		vendorsim.RouteKoreUsageSim:     n, // 17 daily records each: one page
		vendorsim.RouteKoreUsageAccount: 1,
		vendorsim.RouteGigsUsage:        9,
	}
	total := 0
	for route, n := range want {
		if m.ByRoute[route] != n {
			t.Errorf("minimal %s = %d, want %d", route, m.ByRoute[route], n)
		}
		total += n
	}
	if m.Total != total || len(m.RoundTrips) != w.dataSources() {
		t.Errorf("total %d over %d data sources, want %d over %d", m.Total, len(m.RoundTrips), total, w.dataSources())
	}
	// A repeated lookup is answered from the provider's cache: more data
	// sources than distinct lookups, yet only the distinct ones count.
	lookups := 0
	for _, s := range w.Sims {
		if s.By != bySid {
			lookups++
		}
	}
	if lookups <= len(uniqueNames)+len(iccids) {
		t.Fatalf("the workload repeats no lookup (%d lookups), so the test proves nothing", lookups)
	}
}

// Hourly records over two months exceed one page, and the minimum follows the
// simulator's count of them.
func TestMinimalRequestsPages(t *testing.T) {
	sim := testSimulator()
	fleet := sim.SIMs()
	start, end := fixedNow.AddDate(0, -2, 0), fixedNow
	w := workload{
		Granularity: "hourly",
		Account:     accountSource{Label: "account", Start: start, End: end},
		Sims:        []simSource{{Label: "a", SIM: fleet[0], By: byUniqueName, Start: start, End: end}},
	}
	records := len(sim.KoreRecords(fleet[0].Sid, start, end, "hourly"))
	if records <= 1000 {
		t.Fatalf("%d records fit one page; the test needs more", records)
	}
	pages := (records + 999) / 1000
	m := minimalRequests(w, simulatorRecords(sim))
	if m.ByRoute[vendorsim.RouteKoreUsageSim] != pages || m.ByRoute[vendorsim.RouteKoreUsageAccount] != pages {
		t.Errorf("pages: sim %d, account %d, want %d each", m.ByRoute[vendorsim.RouteKoreUsageSim], m.ByRoute[vendorsim.RouteKoreUsageAccount], pages)
	}
	// account: its pages; usage_sim: a lookup, then its pages.
	if want := []int{pages, 1 + pages}; len(m.RoundTrips) != 2 || m.RoundTrips[0] != want[0] || m.RoundTrips[1] != want[1] {
		t.Errorf("round trips %v, want %v", m.RoundTrips, want)
	}
}

func TestCriticalRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name        string
		trips       []int
		parallelism int
		want        int
	}{
		{"one wave", []int{1, 2, 1}, 10, 1 + 2},
		{"sorted before cutting waves", []int{3, 1, 1, 3}, 2, 1 + 3 + 1},
		{"serial", []int{1, 2, 3}, 1, 1 + 6},
		{"the benchmark's shape", append(repeat(2, 20), repeat(1, 91)...), 10, 1 + 2 + 2 + 10*1},
		{"parallelism below one is one", []int{1, 1}, 0, 1 + 2},
	} {
		if got := criticalRoundTrips(minimum{RoundTrips: tc.trips}, tc.parallelism); got != tc.want {
			t.Errorf("%s: criticalRoundTrips(%v, %d) = %d, want %d", tc.name, tc.trips, tc.parallelism, got, tc.want)
		}
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestIdealSeconds(t *testing.T) {
	got := idealSeconds(2*time.Second, 50*time.Millisecond, 15)
	if math.Abs(got-2.75) > 1e-9 {
		t.Errorf("idealSeconds = %v, want 2.75", got)
	}
	if got := idealSeconds(1500*time.Millisecond, 0, 15); got != 1.5 {
		t.Errorf("at zero latency ideal = %v, want the baseline 1.5", got)
	}
}
