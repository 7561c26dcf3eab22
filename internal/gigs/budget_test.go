package gigs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

func TestReadBudgetFollowsTheQuery(t *testing.T) {
	cases := []struct {
		q              UsageQuery
		records, pages int
		basis          string
	}{
		{UsageQuery{Start: "2024-01-01", End: "2024-01-01"}, 2 * 256, 52 + 1, "the 1 day from 2024-01-01 to 2024-01-01"},
		{UsageQuery{Start: "2024-01-01", End: "2024-01-02", Aggregation: "period"}, 3 * 256, 77 + 1, "the 2 days"},
		{UsageQuery{Start: "2024-01-01", End: "2025-06-30"}, 548 * 256, 14029 + 1, "the 547 days"},
		{UsageQuery{Period: 7}, 32 * 256, 820 + 1, "a subscription period of at most 31 days"},
		{UsageQuery{}, 32 * 256, 820 + 1, "a subscription period of at most 31 days at 256 label combinations per day, 10 a page"},
	}
	for _, c := range cases {
		b := newReadBudget(c.q)
		if b.MaxRecords != int64(c.records) || b.MaxPages != int64(c.pages) || !strings.Contains(b.Query, c.basis) {
			t.Errorf("%+v: budget %+v, want %d records, %d pages, basis %q", c.q, b, c.records, c.pages, c.basis)
		}
	}
}

// TestHostilePageStopsWithoutDecodingIt: one 32 MiB page of 204,598 records
// for a one-day query. The read fails on the budget, and allocates little
// beyond the body itself: the records past the budget are never decoded.
func TestHostilePageStopsWithoutDecodingIt(t *testing.T) {
	body := hostilePage(hostileRecords)
	if len(body) > httpx.MaxBodyBytes || len(body) < httpx.MaxBodyBytes-hostileRecords {
		t.Fatalf("page of %d bytes, want just under %d", len(body), httpx.MaxBodyBytes)
	}
	c := pageServer(t, body)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.SubscriptionUsage(ctx, "p", "s", UsageQuery{Start: "2024-01-01", End: "2024-01-01"})
	runtime.ReadMemStats(&after)

	wantBudgetError(t, err, "more than 512 records by page 1", "budget of 512 records and 53 pages",
		"the 1 day from 2024-01-01 to 2024-01-01 at 256 label combinations per day")
	// Reading the body costs about twice its size (the buffer grows); the
	// old decoder allocated some ten times it.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*httpx.MaxBodyBytes {
		t.Errorf("the read allocated %d MiB, want at most %d", alloc>>20, 4*httpx.MaxBodyBytes>>20)
	}
}

func wantBudgetError(t *testing.T, err error, want ...string) {
	t.Helper()
	var re *ResponseError
	if !errors.As(err, &re) || !errors.Is(err, errVendorData) {
		t.Fatalf("error %v, want a vendor-data ResponseError", err)
	}
	for _, w := range append(want, "looks like a broken or hostile server") {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

// pagesOf serves page after page of n records each (one day, so the budget
// and not the vetting stops them), with a fresh cursor every time, and
// counts the requests.
func pagesOf(t *testing.T, n int) (*Client, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	items := strings.Repeat(rec("2024-01-01", "2024-01-02", counts)+",", n)
	items = strings.TrimSuffix(items, ",")
	c := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		k := hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","items":[%s],"moreItemsAfter":"c%d"}`, items, k)
	})
	return c, &hits
}

// TestManyPagesStopAtTheRecordBudget: 100 pages of 1,000 records for a
// two-day query is refused on the first page; pages of 200 on the fourth,
// where the 768 records the budget allows run out.
func TestManyPagesStopAtTheRecordBudget(t *testing.T) {
	for _, c := range []struct{ perPage, pages int }{{1000, 1}, {200, 4}} {
		client, hits := pagesOf(t, c.perPage)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := client.SubscriptionUsage(ctx, "p", "s", UsageQuery{Start: "2024-01-01", End: "2024-01-02"})
		cancel()
		wantBudgetError(t, err, "more than 768 records by page "+strconv.Itoa(c.pages))
		if n := hits.Load(); n != int64(c.pages) {
			t.Errorf("pages of %d: %d requests, want %d", c.perPage, n, c.pages)
		}
	}
}

// TestEndlessEmptyPagesStopAtThePageBudget: a server that answers every
// cursor with an empty page and a new cursor is stopped at the page budget
// the query's range gives (a tenth of its records, plus one): 53 requests
// for one day, 821 for a period, never 8,192 and never the test timeout.
func TestEndlessEmptyPagesStopAtThePageBudget(t *testing.T) {
	for _, c := range []struct {
		q     UsageQuery
		pages int64
	}{
		{UsageQuery{Start: "2024-01-01", End: "2024-01-01"}, (2*256+9)/10 + 1},
		{UsageQuery{}, (32*256+9)/10 + 1},
	} {
		client, hits := pagesOf(t, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := client.SubscriptionUsage(ctx, "p", "s", c.q)
		cancel()
		wantBudgetError(t, err, fmt.Sprintf("more than %d pages", c.pages))
		if n := hits.Load(); n != c.pages {
			t.Errorf("%+v: %d requests, want %d", c.q, n, c.pages)
		}
	}
}

// TestRecordBudgetIsExact: a period query may hold 32 × 256 records, and
// not one more.
func TestRecordBudgetIsExact(t *testing.T) {
	limit := int(newReadBudget(UsageQuery{Period: 1}).MaxRecords)
	if limit != 32*256 {
		t.Fatalf("a period query allows %d records, want %d", limit, 32*256)
	}
	for _, n := range []int{limit, limit + 1} {
		c := pageServer(t, hostilePage(n))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		got, err := c.SubscriptionUsage(ctx, "p", "s", UsageQuery{Period: 1})
		cancel()
		if n == limit && (err != nil || len(got) != limit) {
			t.Errorf("%d records: got %d, %v", n, len(got), err)
		}
		if n > limit {
			wantBudgetError(t, err, "more than 8192 records by page 1")
		}
	}
}
