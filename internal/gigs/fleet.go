package gigs

import (
	"context"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// SubscriptionsUsage reads the usage of every subscription of subs in
// project for q (each as SubscriptionUsage does), at most the client's cap
// on requests in flight at once, and hands each answer to each: the index
// of the subscription in subs, its records or the error of its read. A q
// with neither dates nor a period asks each subscription for its current
// period by the number it was listed with, so that every subscription is
// read for its own period, and one with no current period (not active) for
// the latest. each runs in the subscription's slot, so a request it makes
// (reading the subscription again, to tell one gone from a failed read)
// keeps within the cap too, and what it returns is the subscription's
// outcome. Once the read's context ends or an each returns an error, no
// more subscriptions are read, each is not called for them, and the reads
// in flight are cancelled.
//
// The records each gets may be another read's answer too: each reads them
// and must not change them. They are not kept for the run (a
// SubscriptionUsage of the same query later asks again): thousands of
// answers nobody asks for twice would stay in memory until the command ends.
//
// The failures are each's errors in the order of subs, a read cancelled by
// another's failure left out; or, when ctx ended, one failure of Index -1
// whose InFlight names the subscriptions still being read (see
// httpx.FanOut).
func (c *Client) SubscriptionsUsage(ctx context.Context, project string, subs []Subscription, q UsageQuery,
	each func(ctx context.Context, i int, records []UsageRecord, err error) error) []httpx.Failure {
	return httpx.FanOutEach(ctx, c.api.InFlight, len(subs), func(ctx context.Context, i int) ([]UsageRecord, error) {
		sq := q
		if sq.Start == "" && sq.Period == 0 && subs[i].CurrentPeriod != nil {
			sq.Period = subs[i].CurrentPeriod.Number
		}
		return c.usage(ctx, project, subs[i].ID, sq, c.answers.Share)
	}, each)
}
