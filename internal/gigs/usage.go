package gigs

import (
	"context"
	"errors"
	"fmt"
)

// SubscriptionUsage lists a subscription's usage records in the vendor's
// (ascending) order, following cursors until the list ends. Identical calls
// on one Client share a single request while in flight, and successful
// results are reused for the Client's lifetime.
func (c *Client) SubscriptionUsage(ctx context.Context, project, subscription string, q UsageQuery) ([]UsageRecord, error) {
	if err := validID("project", project); err != nil {
		return nil, err
	}
	if err := validID("subscription", subscription); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	key := q.key(project, subscription)
	if recs, ok := c.cached(key); ok {
		c.log.Debug("usage records served from cache", "project", project, "subscription", subscription)
		return cloneRecords(recs), nil
	}

	for {
		ch := c.flight.DoChan(key, func() (any, error) {
			if recs, ok := c.cached(key); ok {
				return recs, nil
			}
			recs, err := c.listAll(ctx, project, subscription, q)
			if err != nil {
				if ctx.Err() != nil {
					return nil, &leaderCanceled{err: err}
				}
				return nil, err
			}
			c.store(key, recs)
			return recs, nil
		})
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("gigs usage for %s/%s: %w", project, subscription, ctx.Err())
		case res := <-ch:
			var lc *leaderCanceled
			if errors.As(res.Err, &lc) {
				if ctx.Err() == nil {
					// The caller that started the shared request gave up;
					// this one has not, so it asks again.
					continue
				}
				return nil, lc.err
			}
			if res.Err != nil {
				return nil, res.Err
			}
			if res.Shared {
				c.log.Debug("usage records shared with an identical request", "project", project, "subscription", subscription)
			}
			recs, ok := res.Val.([]UsageRecord)
			if !ok {
				// Only the function above fills the flight, so this cannot happen.
				return nil, fmt.Errorf("gigs usage for %s/%s: shared result is %T, not records", project, subscription, res.Val)
			}
			return cloneRecords(recs), nil
		}
	}
}

// leaderCanceled marks a shared request that stopped because the context of
// the caller that started it ended, not because of the vendor.
type leaderCanceled struct{ err error }

func (e *leaderCanceled) Error() string { return e.err.Error() }
func (e *leaderCanceled) Unwrap() error { return e.err }

func (c *Client) cached(key string) ([]UsageRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	recs, ok := c.cache[key]
	return recs, ok
}

func (c *Client) store(key string, recs []UsageRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache[key] = recs
}

// validID rejects path segments that would change the request's path: empty
// ones, and dot segments that servers and proxies collapse.
func validID(name, v string) error {
	switch v {
	case "":
		return fmt.Errorf("gigs %s is empty", name)
	case ".", "..":
		return fmt.Errorf("gigs %s %q is not a valid identifier", name, v)
	}
	return nil
}
