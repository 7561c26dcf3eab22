package main

import (
	"reflect"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// fixedNow is a clock late enough in a month that every window has usage.
var fixedNow = time.Date(2026, 3, 17, 9, 41, 27, 0, time.UTC)

func testSimulator() *vendorsim.Server {
	return vendorsim.New(vendorsim.Options{Seed: 1, Now: func() time.Time { return fixedNow }})
}

func TestSelectorMix(t *testing.T) {
	got := map[selector]int{}
	for i := range 10 {
		got[selectorFor(i)]++
	}
	want := map[selector]int{bySid: 6, byUniqueName: 3, byICCID: 1}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("selectors of ten data sources = %v, want %v", got, want)
	}
}

// Every data source must ask a distinct question: the provider shares
// identical ones, so a repeat would be free and flatter the benchmark.
func TestWorkloadQueriesAreDistinct(t *testing.T) {
	sim := testSimulator()
	fleet, subs := sim.SIMs(), sim.Subscriptions()
	n, m := 3*len(fleet)+4, 2*len(subs)+1
	w, err := newWorkload(fleet, subs, n, m, "month_to_date", "daily", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Sims) != n || len(w.Subscriptions) != m || w.dataSources() != n+m+1 {
		t.Fatalf("got %d sims and %d subscriptions, want %d and %d", len(w.Sims), len(w.Subscriptions), n, m)
	}
	type simQuery struct {
		sid, window string
		start, end  time.Time
	}
	seen := map[simQuery]string{}
	for i, s := range w.Sims {
		if s.SIM != fleet[i%len(fleet)] {
			t.Errorf("%s: SIM %v, want the fleet in order", s.Label, s.SIM)
		}
		if (i < len(fleet)) != (s.Window != "") {
			t.Errorf("%s: window %q; only the first pass over the fleet names the window", s.Label, s.Window)
		}
		q := simQuery{s.SIM.Sid, s.Window, s.Start, s.End}
		if other, dup := seen[q]; dup {
			t.Errorf("%s asks the same question as %s", s.Label, other)
		}
		seen[q] = s.Label
	}
	type subQuery struct{ id, window, start, end string }
	seenSubs := map[subQuery]string{}
	for i, s := range w.Subscriptions {
		if s.Subscription != subs[i%len(subs)].ID {
			t.Errorf("%s: subscription %s, want the subscriptions in order", s.Label, s.Subscription)
		}
		q := subQuery{s.Subscription, s.Window, s.StartDate, s.EndDate}
		if other, dup := seenSubs[q]; dup {
			t.Errorf("%s asks the same question as %s", s.Label, other)
		}
		seenSubs[q] = s.Label
	}
}

func TestWorkloadRangesFollowTheWindow(t *testing.T) {
	sim := testSimulator()
	fleet := sim.SIMs()
	w, err := newWorkload(fleet, sim.Subscriptions(), len(fleet)+1, 7, "month_to_date", "hourly", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	monthStart := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if a := w.Account; a.Window != "month_to_date" || !a.Start.Equal(monthStart) || !a.End.Equal(fixedNow) {
		t.Errorf("account = %+v, want the window month_to_date resolved to %s..%s", a, monthStart, fixedNow)
	}
	if s := w.Sims[0]; !s.Start.Equal(monthStart) || !s.End.Equal(fixedNow) {
		t.Errorf("first usage_sim asks %s..%s, want the window", s.Start, s.End)
	}
	// The second pass starts one hour earlier and names the range explicitly.
	if s := w.Sims[len(fleet)]; s.Window != "" || !s.Start.Equal(monthStart.Add(-time.Hour)) || !s.End.Equal(fixedNow) {
		t.Errorf("second pass asks %+v, want %s..%s without a window", s, monthStart.Add(-time.Hour), fixedNow)
	}
	if s := w.Subscriptions[6]; s.Window != "" || s.StartDate != "2026-02-28" || s.EndDate != "2026-03-17" {
		t.Errorf("second-pass subscription asks %+v, want 2026-02-28..2026-03-17", s)
	}
}

func TestWorkloadIsDeterministic(t *testing.T) {
	sim := testSimulator()
	a, err := newWorkload(sim.SIMs(), sim.Subscriptions(), 60, 12, "last_7_days", "daily", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newWorkload(testSimulator().SIMs(), testSimulator().Subscriptions(), 60, 12, "last_7_days", "daily", fixedNow)
	if !reflect.DeepEqual(a, b) || string(renderConfig(a)) != string(renderConfig(b)) {
		t.Fatal("the same inputs gave different workloads")
	}
}

func TestWorkloadRejects(t *testing.T) {
	sim := testSimulator()
	if _, err := newWorkload(sim.SIMs(), sim.Subscriptions(), 1, 1, "fortnight", "daily", fixedNow); err == nil {
		t.Error("an unknown window was accepted")
	}
	if _, err := newWorkload(nil, sim.Subscriptions(), 1, 0, "month_to_date", "daily", fixedNow); err == nil {
		t.Error("usage_sim data sources without SIMs were accepted")
	}
	if _, err := newWorkload(sim.SIMs(), nil, 0, 1, "month_to_date", "daily", fixedNow); err == nil {
		t.Error("usage_subscription data sources without subscriptions were accepted")
	}
	if w, err := newWorkload(nil, nil, 0, 0, "month_to_date", "daily", fixedNow); err != nil || w.dataSources() != 1 {
		t.Errorf("an account-only workload: %v, %d data sources", err, w.dataSources())
	}
}
