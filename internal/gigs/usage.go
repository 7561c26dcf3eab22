package gigs

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// SubscriptionUsage lists a subscription's usage records in the vendor's
// (ascending) order, following cursors until the list ends. Identical calls
// on one Client share a single request while in flight, and successful
// results are reused for the Client's lifetime.
func (c *Client) SubscriptionUsage(ctx context.Context, project, subscription string, q UsageQuery) ([]UsageRecord, error) {
	recs, err := c.usage(ctx, project, subscription, q, c.answers.Do)
	return cloneRecords(recs), err
}

// answers is how a usage read shares its answer: RunCache.Do keeps it for
// the run, RunCache.Share only shares it with reads in flight.
type answers func(ctx context.Context, key string, fetch func(context.Context) ([]UsageRecord, error)) ([]UsageRecord, error)

// usage reads a subscription's records for q, shared by share: the answer
// may be another caller's too, so it must not be changed.
func (c *Client) usage(ctx context.Context, project, subscription string, q UsageQuery, share answers) ([]UsageRecord, error) {
	if err := validID("project", project); err != nil {
		return nil, failed(err)
	}
	if err := validID("subscription", subscription); err != nil {
		return nil, failed(err)
	}
	if err := q.Validate(); err != nil {
		return nil, failed(err)
	}
	recs, err := share(ctx, q.key(project, subscription), func(ctx context.Context) ([]UsageRecord, error) {
		return c.listAll(ctx, project, subscription, q)
	})
	if err != nil {
		return nil, failed(fmt.Errorf("gigs usage for %s/%s: %w", project, subscription, err))
	}
	return recs, nil
}

// validID rejects path segments that would change the request's path: empty
// ones, and dot segments that servers and proxies collapse.
func validID(name, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("gigs %s is empty", name)
	case !httpx.UsableSegment(v):
		return fmt.Errorf("gigs %s %q is not a valid identifier", name, v)
	}
	return nil
}

// listAll fetches every page of one query and vets the records together.
// Gigs does not document cursor parameters for this endpoint, so
// after=<moreItemsAfter> is sent only when the vendor reports more items.
// The query's budget bounds the pages and records taken, so a broken or
// hostile server stops the read early instead of filling memory.
func (c *Client) listAll(ctx context.Context, project, subscription string, q UsageQuery) ([]UsageRecord, error) {
	first := c.api.URL(q.values(), "projects", project, "subscriptions", subscription, "usage")
	budget := newReadBudget(q)
	// Cursors are vendor text, so only the caller's own parameters are logged.
	httpx.Logger(ctx, c.log).Debug("listing usage records", "path", first.EscapedPath(), "query", first.RawQuery, "max_records", budget.MaxRecords)
	all := make([]UsageRecord, 0)
	seen := cursors{}
	err := c.api.Walk(ctx, first, budget, func(u *url.URL, r httpx.Response) (int, string, error) {
		before := len(all)
		var cursor *string
		var err error
		all, cursor, err = appendPage(all, r.Body, int(budget.Left()))
		if errors.Is(err, httpx.ErrTooManyItems) {
			return 0, "", budget.Overflow()
		}
		if err != nil {
			return 0, "", err
		}
		next, err := seen.next(u, cursor)
		return len(all) - before, next, err
	})
	if err != nil {
		return nil, err
	}
	if err := forSubscription(all, subscription); err != nil {
		return nil, &ResponseError{Vendor: vendor, Method: "GET", Path: first.EscapedPath(), Err: err}
	}
	if err := vetRecords(all, q); err != nil {
		return nil, &ResponseError{Vendor: vendor, Method: "GET", Path: first.EscapedPath(), Err: c.secrets.RedactError(err)}
	}
	return all, nil
}

// forSubscription refuses records labelled with another subscription than
// the one asked: the answer is not for what was asked, and a fleet would
// count one subscription's usage under another's. Records without the
// label are taken as the subscription's (see kore's forSim).
func forSubscription(recs []UsageRecord, subscription string) error {
	for i := range recs {
		if r := &recs[i]; r.Labels.Subscription != "" && r.Labels.Subscription != subscription {
			return fmt.Errorf("%w: asked for the usage of subscription %q, the record for %s is subscription %q's",
				httpx.ErrVendorData, httpx.Clip(subscription), r.name(), httpx.Clip(r.Labels.Subscription))
		}
	}
	return nil
}

// appendPage decodes one page of usage records onto dst, at most limit.
func appendPage(dst []UsageRecord, body []byte, limit int) ([]UsageRecord, *string, error) {
	return readList(dst, body, limit, func(dec *httpx.ListDecoder, i int) (UsageRecord, error) {
		var w wireRecord
		if err := httpx.Decode(dec, &w); err != nil {
			return UsageRecord{}, fmt.Errorf("decoding usage record %d: %w", i, err)
		}
		return w.record(i)
	})
}
