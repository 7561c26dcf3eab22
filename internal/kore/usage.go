package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// AccountUsage returns the account's usage records for q, in KORE's order,
// following every page.
func (c *Client) AccountUsage(ctx context.Context, q UsageQuery) ([]UsageRecord, error) {
	recs, err := c.usage(ctx, "", q, c.usageAnswers.Do)
	return copyRecords(recs), err
}

// SimUsage returns one SIM's usage records for q. sid is the SIM's SID.
func (c *Client) SimUsage(ctx context.Context, sid string, q UsageQuery) ([]UsageRecord, error) {
	recs, err := c.simUsage(ctx, sid, q, c.usageAnswers.Do)
	return copyRecords(recs), err
}

func (c *Client) simUsage(ctx context.Context, sid string, q UsageQuery, share answers) ([]UsageRecord, error) {
	if !httpx.UsableSegment(sid) {
		// "." and ".." would be path steps to anything that cleans URLs:
		// /v1/Sims/../UsageRecords is the whole account's usage.
		return nil, fmt.Errorf("KORE SIM usage query: %q is not a usable SIM SID", sid)
	}
	return c.usage(ctx, sid, q, share)
}

// answers is how a usage read shares its answer: RunCache.Do keeps it for
// the run, RunCache.Share only shares it with reads in flight.
type answers func(ctx context.Context, key string, fetch func(context.Context) ([]UsageRecord, error)) ([]UsageRecord, error)

// usage reads the records of sid (the account's for "") for q, shared by
// share: the answer may be another caller's too, so it must not be changed.
func (c *Client) usage(ctx context.Context, sid string, q UsageQuery, share answers) ([]UsageRecord, error) {
	q, err := q.normalized()
	if err != nil {
		return nil, err
	}
	path := []string{"v1", "UsageRecords"}
	if sid != "" {
		path = []string{"v1", "Sims", sid, "UsageRecords"}
	}
	whole := c.api.URL(q.params(), path...)
	// The key is the request itself, so identical questions share one answer.
	recs, err := share(ctx, whole.String(), func(ctx context.Context) ([]UsageRecord, error) {
		recs, err := c.fetchUsage(ctx, whole, q)
		if err != nil {
			return nil, err
		}
		if err := forSim(recs, sid); err != nil {
			return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: whole.EscapedPath(), Err: err}
		}
		if err := checkSums(ctx, recs); err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, &ResponseError{Vendor: vendor, Method: http.MethodGet, Path: whole.EscapedPath(), Err: err}
		}
		return recs, nil
	})
	if err != nil {
		return nil, c.tokens.stalled(ctx, err)
	}
	return recs, nil
}

// forSim refuses a SIM's records that name another SIM: the answer is not
// for what was asked. Records without a sim_sid are taken as the SIM's.
func forSim(recs []UsageRecord, sid string) error {
	if sid == "" {
		return nil
	}
	for i := range recs {
		if r := &recs[i]; r.SimSid != "" && !strings.EqualFold(r.SimSid, sid) {
			return fmt.Errorf("%w: asked for the usage of SIM %q, the record for the period %s is SIM %s's",
				errVendorData, httpx.Clip(sid), r.Period, httpx.Clip(r.SimSid))
		}
	}
	return nil
}

// normalized validates q and returns it as it goes on the wire: in UTC,
// whole seconds, with a granularity.
func (q UsageQuery) normalized() (UsageQuery, error) {
	if q.Start.IsZero() || q.End.IsZero() {
		return q, errors.New("KORE usage query: start and end are both required")
	}
	if q.End.Before(q.Start) {
		return q, errors.New("KORE usage query: end is before start")
	}
	if q.Granularity == "" {
		q.Granularity = GranularityAll
	}
	switch q.Granularity {
	case GranularityAll, GranularityDaily, GranularityHourly:
	default:
		return q, fmt.Errorf("KORE usage query: granularity %q is not one of all, daily, hourly", q.Granularity)
	}
	q.Start, q.End = q.Start.UTC().Truncate(time.Second), q.End.UTC().Truncate(time.Second)
	return q, nil
}

// params renders a normalized query as KORE's query parameters.
func (q UsageQuery) params() url.Values {
	return url.Values{
		"Start":       {q.Start.Format(time.RFC3339)},
		"End":         {q.End.Format(time.RFC3339)},
		"Granularity": {q.Granularity},
		"PageSize":    {strconv.Itoa(PageSize)},
	}
}
