package kore

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// dayRecord is a usage record of the UTC day starting at day that adds up.
func dayRecord(day time.Time) vendorsim.KoreUsageRecord {
	return usageRecordOn(day, day.AddDate(0, 0, 1), 500)
}

// TestRecordBudgetSpansThePages: a query's record budget bounds its pages
// together. A 3-day daily query may have 4 records (a record per UTC day
// the range touches); an answer of two pages of 3 records each, every
// page within the budget, sums to 6 and fails on the second page, naming
// the budget, while the first page alone is read.
func TestRecordBudgetSpansThePages(t *testing.T) {
	q := window(3, GranularityDaily)
	if n := periodsIn(q); n != 4 {
		t.Fatalf("a 3-day daily query allows %d records, want 4", n)
	}
	days := []vendorsim.KoreUsageRecord{dayRecord(q.Start), dayRecord(q.Start.AddDate(0, 0, 1)), dayRecord(q.Start.AddDate(0, 0, 2))}
	for _, c := range []struct {
		name  string
		pages int
	}{{"one page", 1}, {"two pages", 2}} {
		t.Run(c.name, func(t *testing.T) {
			var served atomic.Int32
			e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path != "/v1/UsageRecords" {
						next.ServeHTTP(w, r)
						return
					}
					more := ""
					if int(served.Add(1)) < c.pages {
						more = "/v1/UsageRecords?Page=2"
					}
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write(pageOf(days, more))
				})
			}))
			recs, err := e.client.AccountUsage(context.Background(), q)
			if n := int(served.Load()); n != c.pages {
				t.Fatalf("%d pages served, want %d", n, c.pages)
			}
			if c.pages == 1 {
				if err != nil || len(recs) != len(days) {
					t.Fatalf("one page of %d records: %d records, %v", len(days), len(recs), err)
				}
				return
			}
			var respErr *ResponseError
			if !errors.As(err, &respErr) || !strings.Contains(err.Error(), "more than 4 records by page 2") {
				t.Fatalf("err = %v, want the budget of 4 records passed by page 2", err)
			}
		})
	}
}
