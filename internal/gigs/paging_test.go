package gigs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestCursorPagingFollowsMoreItemsAfter(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(preview)
	q := UsageQuery{Period: 1}
	want := e.want(sub.ID, q)
	const size = 4
	e.sim.SetHostile(vendorsim.Hostile{GigsPageSize: size})

	got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	pages := (len(want) + size - 1) / size
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != pages {
		t.Errorf("%d requests for %d records in pages of %d, want %d", n, len(want), size, pages)
	}
	reqs := e.requests()
	if reqs[0].URL.Query().Has("after") {
		t.Error("first page sent a cursor")
	}
	for _, r := range reqs[1:] {
		if v := r.URL.Query(); v.Get("after") == "" || v.Get("period") != "1" {
			t.Errorf("follow-up query %q lacks the cursor or the original parameters", r.URL.RawQuery)
		}
	}
}

func TestCursorLoopEndsInResponseError(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	e.sim.SetHostile(vendorsim.Hostile{GigsCursorLoop: true, GigsPageSize: 2})

	// Its own deadline: a regressed guard fails in seconds, not at the go test timeout.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want *ResponseError", err, err)
	}
	if !strings.Contains(err.Error(), "cursor loop") || re.Status != 200 {
		t.Errorf("error %v", err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 2 {
		t.Errorf("%d requests, want 2 (stop at the first repeated cursor)", n)
	}
}

func TestNegativeCounterIsAResponseError(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	e.sim.SetHostile(vendorsim.Hostile{NegativeCounter: true})

	_, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "data is negative") {
		t.Fatalf("error %v, want a ResponseError about the negative data counter", err)
	}
	// Failures are not cached: the same query succeeds once the data is sane.
	e.sim.SetHostile(vendorsim.Hostile{})
	if _, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
