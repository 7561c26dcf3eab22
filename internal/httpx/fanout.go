package httpx

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// FanOut runs fetch for items 0..n-1, at most limit at once (the vendor's
// in-flight cap, so that a fleet read never queues more than the transport
// lets through), and stops starting new ones once the read's context ends or
// a fetch fails. It returns the failures, in item order; a fetch cancelled
// because another failed first is not among them.
func FanOut(ctx context.Context, limit, n int, fetch func(ctx context.Context, i int) error) []Failure {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, limit))
	errs := make([]error, n)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				errs[i] = err // the slot came free after the read or another fetch ended
				return err
			}
			errs[i] = fetch(gctx, i)
			return errs[i]
		})
	}
	_ = g.Wait() // every error is in errs
	if err := ctx.Err(); err != nil {
		return []Failure{{Index: -1, Err: err}} // the read itself ended
	}
	var failures []Failure
	for i, err := range errs {
		// Canceled: stopped because another fetch failed first.
		if err != nil && !errors.Is(err, context.Canceled) {
			failures = append(failures, Failure{Index: i, Err: err})
		}
	}
	return failures
}

// Failure is one failed fetch of a FanOut; Index -1 is the read's own end.
type Failure struct {
	Index int
	Err   error
}
