package kore

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"
)

// fetchUsage returns every record of q, following next_page_url from the
// first page, within the budget q's range allows.
func (c *Client) fetchUsage(ctx context.Context, path string, q UsageQuery) ([]UsageRecord, error) {
	recs, err := c.walk(ctx, c.endpointURL(path, q.params()), newReadBudget(q))
	if err != nil {
		return nil, err
	}
	if err := checkPeriods(recs, q); err != nil {
		return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: c.endpointURL(path, nil).EscapedPath(), Err: err}
	}
	return recs, nil
}

// readBudget bounds what one query may cost. A range
// and a granularity bound how many records can be true (one per period), and
// so how many pages: a server that sends more is broken or hostile, and the
// read stops there instead of filling memory.
type readBudget struct {
	q                    UsageQuery
	maxPages, maxRecords int64
	pages, records       atomic.Int64
}

func newReadBudget(q UsageQuery) *readBudget {
	records := periodsIn(q)
	// The last page may be partial, and an empty last page is legal.
	pages := (records+pageSize-1)/pageSize + 1
	return &readBudget{q: q, maxPages: pages, maxRecords: records}
}

// periodsIn is the most records q can truly have: one per hour or UTC day
// the range touches, or one in all.
func periodsIn(q UsageQuery) int64 {
	var unit time.Duration
	switch q.Granularity {
	case GranularityHourly:
		unit = time.Hour
	case GranularityDaily:
		unit = 24 * time.Hour
	default:
		return 1
	}
	first := q.Start.Truncate(unit)
	return int64(q.End.Sub(first)/unit) + 1
}

func (b *readBudget) takePage() error {
	if b.pages.Add(1) > b.maxPages {
		return b.exceeded(fmt.Sprintf("more than %d pages", b.maxPages))
	}
	return nil
}

func (b *readBudget) addRecords(n int) error {
	if b.records.Add(int64(n)) > b.maxRecords {
		return b.exceeded(fmt.Sprintf("more than %d records", b.maxRecords))
	}
	return nil
}

func (b *readBudget) exceeded(what string) error {
	return fmt.Errorf("%w: KORE sent %s for a %s query from %s to %s, which has at most %d periods; "+
		"this is a broken or hostile server, so the read stops here",
		errVendorData, what, b.q.Granularity, b.q.Start.Format(time.RFC3339), b.q.End.Format(time.RFC3339), b.maxRecords)
}

// checkPeriods refuses records that cannot belong to q: a period outside the
// range, or one seen twice or overlapping another (which would count the
// same usage twice). Daily periods may be clipped to the range or aligned to
// whole days, so "outside" means not touching the range at all.
func checkPeriods(recs []UsageRecord, q UsageQuery) error {
	periods := make([]Period, len(recs))
	for i := range recs {
		p := recs[i].Period
		if p.End.Before(q.Start) || p.Start.After(q.End) {
			return fmt.Errorf("%w: the record for the period %s lies outside the requested range %s",
				errVendorData, p, Period{Start: q.Start, End: q.End})
		}
		periods[i] = p
	}
	slices.SortFunc(periods, func(a, b Period) int { return a.Start.Compare(b.Start) })
	for i := 1; i < len(periods); i++ {
		prev, cur := periods[i-1], periods[i]
		switch {
		case cur.Start.Equal(prev.Start):
			return fmt.Errorf("%w: two records have the period %s", errVendorData, cur)
		case cur.Start.Before(prev.End):
			return fmt.Errorf("%w: the record for the period %s overlaps the one for %s", errVendorData, cur, prev)
		}
	}
	return nil
}

// walk follows meta.next_page_url from first until the last page and returns
// every record in page order.
func (c *Client) walk(ctx context.Context, first *url.URL, budget *readBudget) ([]UsageRecord, error) {
	seen := map[string]bool{first.String(): true}
	all := []UsageRecord{}
	u := first
	for page := 1; ; page++ {
		if err := budget.takePage(); err != nil {
			return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: u.EscapedPath(), Err: err}
		}
		resp, err := c.getJSON(ctx, u)
		if err != nil {
			return nil, err
		}
		before := len(all)
		var next string
		all, next, err = appendPage(all, resp.body, pageSize)
		if err != nil {
			return nil, c.responseError(u, resp, err)
		}
		var nextURL *url.URL
		if next != "" {
			// A loop is named as such before the records it repeats overflow the budget.
			if nextURL, err = nextPageURL(c.endpoint, u, next, seen); err != nil {
				return nil, &ResponseError{Vendor: vendor, Status: resp.status, Method: http.MethodGet, Path: u.EscapedPath(), Err: err}
			}
		}
		if err := budget.addRecords(len(all) - before); err != nil {
			return nil, &ResponseError{Vendor: vendor, Status: resp.status, Method: http.MethodGet, Path: u.EscapedPath(), Err: err}
		}
		c.log.Debug("KORE usage page read", "path", u.EscapedPath(), "page", page, "records", len(all)-before, "total", len(all))
		if nextURL == nil {
			return all, nil
		}
		u = nextURL
	}
}
