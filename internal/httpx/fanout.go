package httpx

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// FanOut runs fetch for items 0..n-1, at most limit at once (the vendor's
// in-flight cap, so that a fleet read never queues more than the transport
// lets through), and stops starting new ones once the read's context ends or
// a fetch fails. It returns the failures, in item order; a fetch cancelled
// because another failed first is not among them. When the read's context
// ends, the one failure (Index -1) names the items whose fetch it cut short.
func FanOut(ctx context.Context, limit, n int, fetch func(ctx context.Context, i int) error) []Failure {
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	// cutShort[i]: item i's fetch was running when the read ended. Each
	// worker writes only the slots of the items it took, and wg.Wait orders
	// the writes before the read of them.
	cutShort := make([]bool, n)
	// limit workers take the items in order, rather than a goroutine per
	// item: a fetch grows its goroutine's stack through the HTTP client, and
	// a fresh goroutine per SIM of a fleet would grow (copy) it every time.
	var next atomic.Int64
	// first is the item whose failure stopped the fan-out: its error is
	// reported whatever it wraps, even context.Canceled, so that a fetch
	// failing that way can never pass for one cancelled by another's failure
	// (and the items never read for a read that succeeded).
	var first atomic.Int64
	first.Store(-1)
	var wg sync.WaitGroup
	for range min(max(1, limit), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// Stop taking items once the read ended or a fetch failed.
				if gctx.Err() != nil {
					return
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				cutShort[i] = true
				errs[i] = fetch(gctx, i)
				cutShort[i] = ctx.Err() != nil // it was still waited for when the read ended
				if errs[i] != nil {
					first.CompareAndSwap(-1, int64(i))
					cancel()
				}
			}
		}()
	}
	wg.Wait() // every error is in errs
	if err := ctx.Err(); err != nil {
		var pending []int
		for i, cut := range cutShort {
			if cut {
				pending = append(pending, i)
			}
		}
		return []Failure{{Index: -1, Err: err, InFlight: pending}} // the read itself ended
	}
	var failures []Failure
	for i, err := range errs {
		// Canceled, after the first failure: stopped because of it.
		if err != nil && (int64(i) == first.Load() || !errors.Is(err, context.Canceled)) {
			failures = append(failures, Failure{Index: i, Err: err})
		}
	}
	return failures
}

// Failure is one failed fetch of a FanOut; Index -1 is the read's own end.
type Failure struct {
	Index int
	Err   error
	// InFlight, for Index -1, lists the items whose fetch was still running
	// when the read ended, in order: what the read was waiting for.
	InFlight []int
}

// FanOutEach is FanOut over items whose fetch is a read and what is done
// with its answer: for item i, read's answer or error goes to each, in
// item i's slot (so that a further request each makes, such as reading the
// item again to see whether it is gone, keeps within limit too), and each
// decides the item's outcome: its error is the item's failure. each is not
// called for an item that was never read, the fan-out having stopped.
func FanOutEach[T any](ctx context.Context, limit, n int, read func(ctx context.Context, i int) (T, error),
	each func(ctx context.Context, i int, answer T, err error) error) []Failure {
	return FanOut(ctx, limit, n, func(ctx context.Context, i int) error {
		answer, err := read(ctx, i)
		return each(ctx, i, answer, err)
	})
}
