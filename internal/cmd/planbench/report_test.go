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
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := result{
		Options:  options{Sims: 2, Subscriptions: 1, Latency: 50 * time.Millisecond, Window: "month_to_date", Granularity: "daily", Parallelism: 10},
		Workload: workload{Sims: make([]simSource, 2), Subscriptions: make([]subscriptionSource, 1)},
		Minimum: minimum{Total: 5, ByRoute: map[string]int{
			vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreUsageSim: 2, vendorsim.RouteKoreUsageAccount: 1, vendorsim.RouteGigsUsage: 1,
		}},
		Critical: 3,
		Baseline: planRun{Wall: 2 * time.Second, Requests: 6, Provider: providerUsage{NA: "needs Linux's /proc"}},
		Measured: planRun{Start: t0, Wall: 2500 * time.Millisecond, Requests: 6, TreeCPU: 3 * time.Second,
			Provider: providerUsage{Processes: 2, User: 1500 * time.Millisecond, Sys: 250 * time.Millisecond, PeakRSS: 96 * mib,
				MostlyDone: t0.Add(1200 * time.Millisecond)},
			Counts: []vendorsim.Count{
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
	for _, want := range []string{"kore.usage.sim 3 2 1", "kore.sims.get 0 0 0", "total 6 5 1",
		"provider 1.750 s CPU (user 1.500 s, sys 0.250 s), peak RSS 96.0 MiB, 2 processes in the plan at latency; it had used 95% of that by 1.200 s, terraform ended at 2.500 s",
		"n/a (needs Linux's /proc) in the baseline",
		"terraform 3.000 s CPU of terraform with its providers in the plan at latency (the kernel's accounting at exit)"} {
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
	wantKeys := []string{"baseline_seconds", "data_sources", "efficiency", "ideal_seconds", "minimal_requests",
		"provider_cpu_seconds", "provider_peak_rss_bytes", "provider_processes", "requests", "wall_seconds"}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("JSON keys %v, want %v", keys, wantKeys)
	}
	want := map[string]float64{"data_sources": 4, "requests": 6, "minimal_requests": 5, "wall_seconds": 2.5,
		"baseline_seconds": 2, "ideal_seconds": 2.15, "efficiency": 1.163,
		"provider_cpu_seconds": 1.75, "provider_peak_rss_bytes": 96 * mib, "provider_processes": 2}
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

// Where the provider cannot be watched, its figures are null, not zero.
func TestReportWithoutProviderFigures(t *testing.T) {
	r := result{Options: options{Parallelism: 10}, Measured: planRun{Provider: providerUsage{NA: "needs Linux's /proc"}}}
	var out bytes.Buffer
	if err := writeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	var last map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"provider_cpu_seconds", "provider_peak_rss_bytes", "provider_processes"} {
		if v, ok := last[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	if !strings.Contains(out.String(), "provider    n/a (needs Linux's /proc) in the plan at latency\n") || strings.Contains(out.String(), "terraform   ") {
		t.Errorf("report:\n%s", out.String())
	}
}
