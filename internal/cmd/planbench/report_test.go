package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestReport(t *testing.T) {
	r := result{
		Options:  options{Sims: 2, Subscriptions: 1, Latency: 50 * time.Millisecond, Window: "month_to_date", Granularity: "daily", Parallelism: 10},
		Workload: workload{Sims: make([]simSource, 2), Subscriptions: make([]subscriptionSource, 1)},
		Minimum: minimum{Total: 5, ByRoute: map[string]int{
			vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreUsageSim: 2, vendorsim.RouteKoreUsageAccount: 1, vendorsim.RouteGigsUsage: 1,
		}},
		Critical: 3,
		Baseline: planRun{Wall: 2 * time.Second, Requests: 6},
		Measured: planRun{Wall: 2500 * time.Millisecond, Requests: 6, Counts: []vendorsim.Count{
			{Route: vendorsim.RouteKoreToken, Status: 200, N: 1},
			{Route: vendorsim.RouteKoreUsageSim, Status: 200, N: 2},
			{Route: vendorsim.RouteKoreUsageSim, Status: 503, N: 1},
			{Route: vendorsim.RouteKoreUsageAccount, Status: 200, N: 1},
			{Route: vendorsim.RouteGigsUsage, Status: 200, N: 1},
		}},
	}
	r.Ideal = idealSeconds(r.Baseline.Wall, r.Options.Latency, r.Critical)

	var out bytes.Buffer
	if err := writeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	for _, want := range []string{"kore.usage.sim 3 2 1", "kore.sims.get 0 0 0", "total 6 5 1"} {
		found := false
		for _, l := range lines {
			found = found || strings.Join(strings.Fields(l), " ") == want
		}
		if !found {
			t.Errorf("no table row %q in\n%s", want, out.String())
		}
	}

	var last map[string]float64
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("the last line is not one JSON object: %v", err)
	}
	keys := make([]string, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"baseline_seconds", "data_sources", "efficiency", "ideal_seconds", "minimal_requests", "requests", "wall_seconds"}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("JSON keys %v, want %v", keys, wantKeys)
	}
	want := map[string]float64{"data_sources": 4, "requests": 6, "minimal_requests": 5, "wall_seconds": 2.5,
		"baseline_seconds": 2, "ideal_seconds": 2.15, "efficiency": 1.163}
	for k, v := range want {
		if last[k] != v {
			t.Errorf("%s = %v, want %v", k, last[k], v)
		}
	}
}

func TestEfficiencyWithoutIdeal(t *testing.T) {
	if e := (result{Measured: planRun{Wall: time.Second}}).efficiency(); e != 0 {
		t.Errorf("efficiency with no ideal = %v, want 0", e)
	}
}
