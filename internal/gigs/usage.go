package gigs

import (
	"context"
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
	recs, err := c.answers.Do(ctx, q.key(project, subscription), func(ctx context.Context) ([]UsageRecord, error) {
		return c.listAll(ctx, project, subscription, q)
	})
	if err != nil {
		return nil, fmt.Errorf("gigs usage for %s/%s: %w", project, subscription, err)
	}
	return cloneRecords(recs), nil
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
