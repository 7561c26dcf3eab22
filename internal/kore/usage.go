package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// defaultMaxPages bounds one query's walk: 1,000 full pages is a million
// records, far past 18 months of hourly records, so only a misbehaving server
// gets there.
const defaultMaxPages = 1000

// AccountUsage returns the account's usage records for q, in KORE's order,
// following every page.
func (c *Client) AccountUsage(ctx context.Context, q UsageQuery) ([]UsageRecord, error) {
	return c.usage(ctx, "", q)
}

// SimUsage returns one SIM's usage records for q. sid is the SIM's SID.
func (c *Client) SimUsage(ctx context.Context, sid string, q UsageQuery) ([]UsageRecord, error) {
	if sid == "" {
		return nil, errors.New("KORE SIM usage query: the SIM SID is empty")
	}
	return c.usage(ctx, sid, q)
}

func (c *Client) usage(ctx context.Context, sid string, q UsageQuery) ([]UsageRecord, error) {
	params, err := q.params()
	if err != nil {
		return nil, err
	}
	path := "/v1/UsageRecords"
	if sid != "" {
		path = "/v1/Sims/" + url.PathEscape(sid) + "/UsageRecords"
	}
	first := c.endpointURL(path, params)
	// The key is the request itself, so identical questions share one answer.
	v, err := c.shared(ctx, "usage\x00"+first.String(), func(ctx context.Context) (any, error) {
		return c.walk(ctx, first)
	})
	if err != nil {
		return nil, err
	}
	return copyRecords(v.([]UsageRecord)), nil
}

// params validates q and renders it as KORE's query parameters.
func (q UsageQuery) params() (url.Values, error) {
	if q.Start.IsZero() || q.End.IsZero() {
		return nil, errors.New("KORE usage query: start and end are both required")
	}
	if q.End.Before(q.Start) {
		return nil, errors.New("KORE usage query: end is before start")
	}
	g := q.Granularity
	if g == "" {
		g = GranularityAll
	}
	if g != GranularityAll && g != GranularityDaily && g != GranularityHourly {
		return nil, fmt.Errorf("KORE usage query: granularity %q is not one of all, daily, hourly", g)
	}
	return url.Values{
		"Start":       {q.Start.UTC().Format(time.RFC3339)},
		"End":         {q.End.UTC().Format(time.RFC3339)},
		"Granularity": {g},
		"PageSize":    {strconv.Itoa(pageSize)},
	}, nil
}

// endpointURL joins an already escaped API path to the endpoint.
func (c *Client) endpointURL(escapedPath string, params url.Values) *url.URL {
	u := *c.endpoint
	raw := c.endpoint.EscapedPath() + escapedPath
	u.Path, _ = url.PathUnescape(raw) // raw came from PathEscape, so it always unescapes
	u.RawPath = raw
	if params != nil {
		u.RawQuery = params.Encode()
	}
	return &u
}

// walk follows meta.next_page_url from first until the last page and returns
// every record in page order.
func (c *Client) walk(ctx context.Context, first *url.URL) ([]UsageRecord, error) {
	seen := map[string]bool{first.String(): true}
	all := []UsageRecord{}
	u := first
	for page := 1; ; page++ {
		resp, err := c.getJSON(ctx, u)
		if err != nil {
			return nil, err
		}
		recs, next, err := decodePage(resp.body)
		if err != nil {
			return nil, c.responseError(u, resp, err)
		}
		all = append(all, recs...)
		c.log.Debug("KORE usage page read", "path", u.EscapedPath(), "page", page, "records", len(recs), "total", len(all))
		if next == "" {
			return all, nil
		}
		if page >= c.maxPages {
			return nil, &ResponseError{Status: resp.status, Method: http.MethodGet, Path: u.EscapedPath(),
				Err: fmt.Errorf("more than %d pages; giving up", c.maxPages)}
		}
		nextURL, err := nextPageURL(c.endpoint, u, next, seen)
		if err != nil {
			return nil, &ResponseError{Status: resp.status, Method: http.MethodGet, Path: u.EscapedPath(), Err: err}
		}
		u = nextURL
	}
}
