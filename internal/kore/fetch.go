package kore

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// fetchUsage returns every record of q, following next_page_url from the
// first page, within the budget q's range allows.
func (c *Client) fetchUsage(ctx context.Context, first *url.URL, q UsageQuery) ([]UsageRecord, error) {
	budget := httpx.NewBudget(periodsIn(q), PageSize, fmt.Sprintf("a %s query from %s to %s",
		q.Granularity, q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339)))
	recs := []UsageRecord{}
	err := c.api.Walk(ctx, first, budget, func(_ *url.URL, r httpx.Response) (int, string, error) {
		before := len(recs)
		var next string
		var err error
		recs, next, err = appendPage(recs, r.Body, PageSize)
		return len(recs) - before, next, err
	})
	if err != nil {
		return nil, err
	}
	if err := checkPeriods(recs, q); err != nil {
		return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: first.EscapedPath(), Err: err}
	}
	return recs, nil
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
