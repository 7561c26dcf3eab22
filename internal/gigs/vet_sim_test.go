package gigs

import (
	"context"
	"fmt"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// aggregations are every value the simulator serves, as Gigs documents them.
var aggregations = []string{"", "daily", "period", "country", "roaming", "daily,country", "country,daily",
	"daily,roaming", "roaming,daily", "period,country", "country,period", "period,roaming", "roaming,period"}

// TestVettingPassesEveryLegitimateRead reads every subscription in every
// aggregation and query form, paged and not: records that share a period
// but differ by labels, periods that start on any day of the month and
// ranges that run past now must all pass the new checks unchanged.
func TestVettingPassesEveryLegitimateRead(t *testing.T) {
	e := newEnv(t)
	for _, paged := range []int{0, 40} {
		e.sim.SetHostile(vendorsim.Hostile{GigsPageSize: paged})
		for _, sub := range e.sim.Subscriptions() {
			first, latest := sub.Periods[0], sub.Periods[len(sub.Periods)-1]
			queries := []UsageQuery{
				{}, {Period: 1}, {Period: len(sub.Periods)},
				{Start: first.Start.Format("2006-01-02"), End: latest.End.Format("2006-01-02")},
				{Start: simNow.AddDate(0, 0, -2).Format("2006-01-02"), End: simNow.AddDate(0, 0, 3).Format("2006-01-02")},
				{Start: "2025-01-01", End: "2025-01-01"},
			}
			for _, base := range queries {
				for _, agg := range aggregations {
					q := base
					q.Aggregation = agg
					name := fmt.Sprintf("%s %+v pages of %d", sub.ID, q, paged)
					// A fresh client each time: the cache must not answer.
					got, err := e.newClient(e.creds.GigsAPIKey, httpx.Config{}).SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					sameRecords(t, got, e.want(sub.ID, q))
				}
			}
		}
	}
}

// TestBudgetFitsARecordAPage: the read budget is pages as well as records,
// and a server that pages one record at a time still fits it (budget.go),
// for the longest query of every aggregation.
func TestBudgetFitsARecordAPage(t *testing.T) {
	e := newEnv(t)
	e.sim.SetHostile(vendorsim.Hostile{GigsPageSize: 1})
	sub := e.sim.Subscriptions()[0]
	first, latest := sub.Periods[0], sub.Periods[len(sub.Periods)-1]
	q := UsageQuery{Start: first.Start.Format("2006-01-02"), End: latest.End.Format("2006-01-02")}
	for _, agg := range aggregations {
		q.Aggregation = agg
		got, err := e.newClient(e.creds.GigsAPIKey, httpx.Config{}).SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
		if err != nil || len(got) == 0 {
			t.Fatalf("%+v, a record a page: %d records, %v", q, len(got), err)
		}
	}
}
