package httpx

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// TestFanOutNeverExceedsItsLimit: however many items, no more than limit
// fetches run at once, and every item is fetched.
func TestFanOutNeverExceedsItsLimit(t *testing.T) {
	var inFlight, peak, done atomic.Int32
	failures := FanOut(context.Background(), 3, 50, func(context.Context, int) error {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		inFlight.Add(-1)
		done.Add(1)
		return nil
	})
	if len(failures) != 0 || done.Load() != 50 || peak.Load() > 3 || peak.Load() < 2 {
		t.Fatalf("failures %v, done %d, peak %d", failures, done.Load(), peak.Load())
	}
}

// TestFanOutStopsAtTheFirstFailure: after a failure no new fetch starts, the
// running ones are cancelled, and only real failures are reported.
func TestFanOutStopsAtTheFirstFailure(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	failures := FanOut(context.Background(), 2, 100, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 3 {
			return boom
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
			return nil
		}
	})
	if len(failures) != 1 || failures[0].Index != 3 || !errors.Is(failures[0].Err, boom) {
		t.Fatalf("failures = %+v", failures)
	}
	if n := started.Load(); n > 10 {
		t.Fatalf("%d fetches started after the failure stopped the fan-out", n)
	}
}

// TestFanOutEndsWithTheRead: a cancelled read is one failure, the read's.
func TestFanOutEndsWithTheRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int32
	failures := FanOut(ctx, 4, 1000, func(ctx context.Context, _ int) error {
		if started.Add(1) == 4 {
			cancel() // the read ends once the first four are in flight
		}
		<-ctx.Done()
		return ctx.Err()
	})
	if n := started.Load(); n != 4 {
		t.Errorf("%d fetches started, want the 4 the limit allows", n)
	}
	if len(failures) != 1 || failures[0].Index != -1 || !errors.Is(failures[0].Err, context.Canceled) {
		t.Fatalf("failures = %+v", failures)
	}
}
