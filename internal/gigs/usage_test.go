package gigs

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestPeriodQueryMatchesSimulator(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	for _, p := range []int{1, len(sub.Periods)} {
		q := UsageQuery{Period: p}
		got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
		if err != nil {
			t.Fatalf("period %d: %v", p, err)
		}
		if len(got) == 0 {
			t.Fatalf("period %d: no records", p)
		}
		sameRecords(t, got, e.want(sub.ID, q))
	}
	reqs := e.requests()
	if len(reqs) != 2 || reqs[0].URL.RawQuery != "period=1" {
		t.Fatalf("requests %d, first query %q", len(reqs), reqs[0].URL.RawQuery)
	}
}

func TestDateRangeHonoursInclusiveEnd(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	first := sub.Periods[1].Start.AddDate(0, 0, 2)
	last := first.AddDate(0, 0, 4)
	q := UsageQuery{Start: first.Format(time.DateOnly), End: last.Format(time.DateOnly)}

	got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.want(sub.ID, q))
	if len(got) != 5 {
		t.Fatalf("%d daily records for 5 days", len(got))
	}
	if !got[len(got)-1].Start.Equal(last) {
		t.Errorf("last record starts %s, want the end date %s", got[len(got)-1].Start, last)
	}
	if raw := e.requests()[0].URL.RawQuery; raw != "end="+q.End+"&start="+q.Start {
		t.Errorf("query sent %q", raw)
	}

	oneDay := UsageQuery{Start: q.End, End: q.End}
	got, err = e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, oneDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Start.Equal(last) {
		t.Errorf("start = end = %s gave %d records", q.End, len(got))
	}
}

func TestNoParametersIsLatestPeriod(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.want(sub.ID, UsageQuery{}))
	sameRecords(t, got, e.want(sub.ID, UsageQuery{Period: len(sub.Periods)}))
	if raw := e.requests()[0].URL.RawQuery; raw != "" {
		t.Errorf("query sent %q, want none", raw)
	}
}

func TestAggregationIsSentOnlyWhenSet(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(legacy) // travels, so country aggregation splits days
	for _, agg := range []string{"period", "daily,country", "period,roaming"} {
		q := UsageQuery{Period: 1, Aggregation: agg}
		got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
		if err != nil {
			t.Fatalf("%s: %v", agg, err)
		}
		sameRecords(t, got, e.want(sub.ID, q))
	}
	reqs := e.requests()
	if raw := reqs[0].URL.RawQuery; raw != "aggregation=period&period=1" {
		t.Errorf("query sent %q", raw)
	}
	if n := len(e.want(sub.ID, UsageQuery{Period: 1, Aggregation: "period"})); n != 1 {
		t.Errorf("period aggregation gave %d records, want 1", n)
	}
}

func TestPreviewCounters(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name  string
		match func(vendorsim.Subscription) bool
		set   bool
	}{
		{"preview", preview, true},
		{"legacy names", legacy, true},
		{"no preview", plain, false},
	}
	for _, c := range cases {
		sub := e.subscription(c.match)
		q := UsageQuery{Period: 1}
		got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sameRecords(t, got, e.want(sub.ID, q))
		for i, r := range got {
			for j, p := range previewCounters(r) {
				if (p != nil) != c.set {
					t.Fatalf("%s: record %d preview counter %d set=%v, want %v", c.name, i, j, p != nil, c.set)
				}
			}
		}
	}
}

func TestEndpointWithBasePath(t *testing.T) {
	e := newEnv(t)
	e.front = func(w http.ResponseWriter, r *http.Request) bool {
		http.StripPrefix("/gigs", e.sim).ServeHTTP(w, r)
		return true
	}
	sub := e.subscription(plain)
	c, err := New(Config{Endpoint: e.srv.URL + "/gigs/", APIKey: e.creds.GigsAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.want(sub.ID, UsageQuery{Period: 1}))
	if p := e.requests()[0].URL.Path; p != "/gigs/projects/"+e.creds.GigsProject+"/subscriptions/"+sub.ID+"/usage" {
		t.Errorf("path %q", p)
	}
}
