package kore

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// windowsInFlight is how many windows of one long query are fetched at once:
// enough to cut a long query's round trips by four, few enough to leave the
// client's connections to the other queries of a plan.
const windowsInFlight = 4

// fetchUsage returns every record of q: a query longer than a page is split
// into windows (see planWindows) fetched concurrently and joined in order,
// which gives the same records for the same number of requests in fewer
// round trips. Each window still follows next_page_url, so a wrong estimate
// costs a request, never a record.
func (c *Client) fetchUsage(ctx context.Context, path string, q UsageQuery) ([]UsageRecord, error) {
	budget := &pageBudget{max: int64(c.maxPages)}
	windows := []UsageQuery{q}
	if c.inFlight > 1 {
		windows = planWindows(q, c.now(), c.perPage)
	}
	if len(windows) == 1 {
		return c.walk(ctx, c.endpointURL(path, q.params(c.perPage)), budget)
	}
	c.log.Debug("KORE usage query split into windows", "path", path, "windows", len(windows))
	parts := make([][]UsageRecord, len(windows))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.inFlight)
	for i, w := range windows {
		g.Go(func() error {
			recs, err := c.walk(gctx, c.endpointURL(path, w.params(c.perPage)), budget)
			parts[i] = recs
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// pageBudget caps the pages one query may cost across all its windows.
type pageBudget struct {
	max  int64
	used atomic.Int64
}

func (b *pageBudget) take() bool { return b.used.Add(1) <= b.max }

// walk follows meta.next_page_url from first until the last page and returns
// every record in page order.
func (c *Client) walk(ctx context.Context, first *url.URL, budget *pageBudget) ([]UsageRecord, error) {
	seen := map[string]bool{first.String(): true}
	all := []UsageRecord{}
	u := first
	for page := 1; ; page++ {
		if !budget.take() {
			return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: u.EscapedPath(),
				Err: fmt.Errorf("more than %d pages; giving up", budget.max)}
		}
		resp, err := c.getJSON(ctx, u)
		if err != nil {
			return nil, err
		}
		before := len(all)
		var next string
		all, next, err = appendPage(all, resp.body, c.perPage)
		if err != nil {
			return nil, c.responseError(u, resp, err)
		}
		c.log.Debug("KORE usage page read", "path", u.EscapedPath(), "page", page, "records", len(all)-before, "total", len(all))
		if next == "" {
			return all, nil
		}
		nextURL, err := nextPageURL(c.endpoint, u, next, seen)
		if err != nil {
			return nil, &ResponseError{Vendor: vendor, Status: resp.status, Method: http.MethodGet, Path: u.EscapedPath(), Err: err}
		}
		u = nextURL
	}
}
