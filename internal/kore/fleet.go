package kore

import (
	"context"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// SimsUsage reads the usage of every SIM of sims for q (each as SimUsage
// does), at most the client's cap on requests in flight at once, and hands
// each answer to each: the index of the SIM in sims, its records or the
// error of its read. each runs in the SIM's slot, so a request it makes
// (reading the SIM again, to tell a SIM gone from a failed read) keeps
// within the cap too, and what it returns is the SIM's outcome. Once the
// read's context ends or an each returns an error, no more SIMs are read,
// each is not called for them, and the reads in flight are cancelled.
//
// The records each gets may be another read's answer too: each reads them
// and must not change them. They are not kept for the run (a SimUsage of the
// same query later asks again): tens of thousands of answers nobody asks for
// twice would stay in memory until the command ends.
//
// The failures are each's errors in the order of sims, a read cancelled by
// another's failure left out; or, when ctx ended, one failure of Index -1
// whose InFlight names the SIMs still being read (see httpx.FanOut).
func (c *Client) SimsUsage(ctx context.Context, sims []Sim, q UsageQuery,
	each func(ctx context.Context, i int, records []UsageRecord, err error) error) []httpx.Failure {
	return httpx.FanOutEach(ctx, c.api.InFlight, len(sims), func(ctx context.Context, i int) ([]UsageRecord, error) {
		return c.simUsage(ctx, sims[i].Sid, q, c.usageAnswers.Share)
	}, each)
}
