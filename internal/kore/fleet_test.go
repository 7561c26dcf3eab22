package kore

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestListSimsPagesAtAThousand: 2,500 SIMs cost three pages of PageSize 1000,
// in the simulator's order, once per run however often they are asked.
func TestListSimsPagesAtAThousand(t *testing.T) {
	e := newEnvOf(t, 2500)
	ctx := context.Background()
	sims, err := e.client.ListSims(ctx, SimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := e.sim.SIMs()
	if len(sims) != len(want) {
		t.Fatalf("%d SIMs, want %d", len(sims), len(want))
	}
	for i, s := range sims {
		if s.Sid != want[i].Sid || s.UniqueName != want[i].UniqueName || s.Status != want[i].Status || s.RatePlanSid != want[i].RatePlanSid {
			t.Fatalf("SIM %d = %+v, want %+v", i, s, want[i])
		}
	}
	if _, err := e.client.ListSims(ctx, SimFilter{}); err != nil {
		t.Fatal(err)
	}
	if n := e.requests(vendorsim.RouteKoreSimsList); n != 3 {
		t.Fatalf("list requests = %d, want 3", n)
	}
}

// TestListSimsFilters: Status and RatePlan go to KORE as they are.
func TestListSimsFilters(t *testing.T) {
	e := newEnvOf(t, 200)
	ctx := context.Background()
	all := e.sim.SIMs()
	suspended, err := e.client.ListSims(ctx, SimFilter{Status: "suspended"})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.DeleteFunc(slices.Clone(all), func(s vendorsim.SIM) bool { return s.Status != "suspended" })
	if len(suspended) == 0 || len(suspended) != len(want) {
		t.Fatalf("%d suspended SIMs, want %d (>0)", len(suspended), len(want))
	}
	plan := all[0].RatePlanSid
	onPlan, err := e.client.ListSims(ctx, SimFilter{RatePlan: plan})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range onPlan {
		if s.RatePlanSid != plan {
			t.Fatalf("SIM %s is on %s, not %s", s.Sid, s.RatePlanSid, plan)
		}
	}
	if len(onPlan) == 0 || len(onPlan) == len(all) {
		t.Fatalf("%d SIMs on %s of %d", len(onPlan), plan, len(all))
	}
}

// TestListSimsRefusesWhatCannotBeInTheList: a SIM listed twice, or one the
// Status filter excludes, fails the list instead of widening the fleet.
func TestListSimsRefusesWhatCannotBeInTheList(t *testing.T) {
	cases := map[string]struct {
		body, status, says string
	}{
		"twice": {`{"sims": [{"sid": "DE00000000000000000000000000000001", "status": "active"},
			{"sid": "DE00000000000000000000000000000001", "status": "active"}], "meta": {"next_page_url": null}}`, "", "listed twice"},
		"filter ignored": {`{"sims": [{"sid": "DE00000000000000000000000000000001", "status": "suspended"}],
			"meta": {"next_page_url": null}}`, "active", "which the Status filter excludes"},
	}
	for name, c := range cases {
		e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/Sims" {
					next.ServeHTTP(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(c.body))
			})
		}))
		_, err := e.client.ListSims(context.Background(), SimFilter{Status: c.status})
		if !errors.Is(err, errVendorData) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestCheckedTotalRefusesAnOverflow: totals that pass 64 bits together fail.
func TestCheckedTotalRefusesAnOverflow(t *testing.T) {
	big := UsageRecord{Data: Data{Counts: DataCounts{Total: 1 << 62}}}
	if _, _, err := CheckedTotal([]UsageRecord{big}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := CheckedTotal([]UsageRecord{big, big}); !errors.Is(err, errVendorData) {
		t.Fatalf("err = %v", err)
	}
}

// TestSimsUsageHandsEachSIMItsRecords: each gets the records of the SIM at
// its index, as SimUsage answers them, and a read error each accepts (a
// SIM gone) is no failure.
func TestSimsUsageHandsEachSIMItsRecords(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sims, err := e.client.ListSims(ctx, SimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sims = slices.Insert(sims[:4], 2, Sim{Sid: "DE0000000000000000000000000000dead"})
	q := window(3, "daily")
	got := make([][]UsageRecord, len(sims))
	failures := e.client.SimsUsage(ctx, sims, q, func(_ context.Context, i int, records []UsageRecord, err error) error {
		var apiErr *APIError
		if i == 2 && errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
			return nil // gone: left out
		}
		got[i] = records
		return err
	})
	if len(failures) != 0 {
		t.Fatalf("failures = %+v", failures)
	}
	for i, s := range sims {
		if i != 2 {
			sameRecords(t, got[i], e.expected(t, s.Sid, q))
		}
	}
}

// TestSimsUsageUsesKeptAnswersAndKeepsNone: a fleet read takes an answer a
// SimUsage of the same query already kept (no request), and keeps none of
// its own: a SimUsage after it asks again. 50,000 kept answers held 24 MB
// until the command ended.
func TestSimsUsageUsesKeptAnswersAndKeepsNone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sims, err := e.client.ListSims(ctx, SimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sims = sims[:3]
	q := window(3, "daily")
	if _, err := e.client.SimUsage(ctx, sims[0].Sid, q); err != nil {
		t.Fatal(err)
	}
	failures := e.client.SimsUsage(ctx, sims, q, func(_ context.Context, i int, records []UsageRecord, err error) error {
		if err == nil {
			sameRecords(t, records, e.expected(t, sims[i].Sid, q))
		}
		return err
	})
	if len(failures) != 0 {
		t.Fatalf("failures = %+v", failures)
	}
	if n := e.requests(vendorsim.RouteKoreUsageSim); n != 3 {
		t.Fatalf("%d usage requests, want 3: one by SimUsage, two by the fleet read, which used the kept answer", n)
	}
	if _, err := e.client.SimUsage(ctx, sims[1].Sid, q); err != nil {
		t.Fatal(err)
	}
	if n := e.requests(vendorsim.RouteKoreUsageSim); n != 4 {
		t.Fatalf("%d usage requests, want 4: the fleet read kept no answer", n)
	}
}

// TestSimsUsageKeepsToTheCapAndEndsWithTheRead: with a cap of 3, three SIMs
// are in hand while their each runs, no fourth is read, and when the read
// ends its failure names those three.
func TestSimsUsageKeepsToTheCapAndEndsWithTheRead(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.HTTP.MaxConcurrent = 3 }))
	sims, err := e.client.ListSims(context.Background(), SimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	entered := make(chan int, len(sims))
	go func() {
		for range 3 {
			<-entered
		}
		cancel()
	}()
	failures := e.client.SimsUsage(ctx, sims, window(1, "all"), func(ctx context.Context, i int, _ []UsageRecord, _ error) error {
		entered <- i
		<-ctx.Done() // holds the slot until the read ends
		return ctx.Err()
	})
	if len(failures) != 1 || failures[0].Index != -1 || !errors.Is(failures[0].Err, context.Canceled) {
		t.Fatalf("failures = %+v", failures)
	}
	if !slices.Equal(failures[0].InFlight, []int{0, 1, 2}) {
		t.Errorf("in flight = %v, want [0 1 2]", failures[0].InFlight)
	}
	if n := len(entered); n != 0 {
		t.Errorf("each was called for %d more members than the cap allows", n)
	}
	if n := e.requests(vendorsim.RouteKoreUsageSim); n != 3 {
		t.Errorf("%d SIMs' usage was asked, want the 3 the cap allows", n)
	}
}

// TestSimsUsageReportsFailuresInOrder: the failures are each's errors in the
// order of the SIMs, whichever failed first.
func TestSimsUsageReportsFailuresInOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sims, err := e.client.ListSims(ctx, SimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sims = sims[:5]
	sims[1].Sid, sims[4].Sid = "DE0000000000000000000000000000000a", "DE0000000000000000000000000000000b"
	oneSeen := make(chan struct{})
	failures := e.client.SimsUsage(ctx, sims, window(1, "all"), func(ctx context.Context, i int, _ []UsageRecord, err error) error {
		switch i {
		case 1:
			close(oneSeen)
			<-ctx.Done() // SIM 4 fails first
		case 4:
			<-oneSeen
		}
		return err
	})
	if len(failures) != 2 || failures[0].Index != 1 || failures[1].Index != 4 {
		t.Fatalf("failures = %+v, want SIMs 1 and 4", failures)
	}
	for _, f := range failures {
		var apiErr *APIError
		if !errors.As(f.Err, &apiErr) || apiErr.Status != http.StatusNotFound {
			t.Errorf("SIM %d: %v, want KORE's 404", f.Index, f.Err)
		}
	}
}
