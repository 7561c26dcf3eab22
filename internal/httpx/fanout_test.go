package httpx

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// wave holds each fetch until as many are running as the limit allows (or
// as items are left), then lets them all finish: a fan-out that keeps to its
// limit fills every wave, so the fetches overlap without any clock, and one
// that runs more at once is seen past the limit whenever a fetch beyond it
// starts while a wave is still running.
type wave struct {
	limit, left int

	mu       sync.Mutex
	running  int
	peak     int
	held     []chan struct{}
	finished int
}

func (w *wave) fetch(ctx context.Context, _ int) error {
	release := make(chan struct{})
	w.mu.Lock()
	w.running++
	w.peak = max(w.peak, w.running)
	w.held = append(w.held, release)
	if len(w.held) >= min(w.limit, w.left) {
		for _, c := range w.held {
			close(c)
		}
		w.left -= len(w.held)
		w.held = nil
	}
	w.mu.Unlock()
	select {
	case <-release:
	case <-ctx.Done(): // a fan-out that never fills a wave: the test's watchdog
		return ctx.Err()
	}
	w.mu.Lock()
	w.running--
	w.finished++
	w.mu.Unlock()
	return nil
}

// TestFanOutNeverExceedsItsLimit: however many items, no more than limit
// fetches run at once, as many as limit do, and every item is fetched.
func TestFanOutNeverExceedsItsLimit(t *testing.T) {
	for _, c := range []struct{ limit, n int }{{3, 50}, {1, 5}, {4, 4}, {8, 3}} {
		w := &wave{limit: c.limit, left: c.n}
		// Only a fan-out that runs fewer at once than its limit waits this long.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		failures := FanOut(ctx, c.limit, c.n, w.fetch)
		cancel()
		w.mu.Lock()
		if len(failures) != 0 || w.finished != c.n || w.peak != min(c.limit, c.n) {
			t.Errorf("limit %d, %d items: failures %v, %d fetched, at most %d at once", c.limit, c.n, failures, w.finished, w.peak)
		}
		w.mu.Unlock()
	}
}

// TestFanOutStopsAtTheFirstFailure: after a failure no new fetch starts, the
// running ones are cancelled, and only real failures are reported. With a
// limit of 2, items 0 to 2 succeed and item 3 fails: item 3 starts once two
// of items 0 to 2 are done, so the third and item 4 may start beside it
// (item 4 then waits until it is cancelled), but a slot for item 5 comes
// free only once item 3 has failed, and then nothing more starts.
func TestFanOutStopsAtTheFirstFailure(t *testing.T) {
	boom := errors.New("boom")
	var mu sync.Mutex
	started := map[int]bool{}
	failures := FanOut(context.Background(), 2, 100, func(ctx context.Context, i int) error {
		mu.Lock()
		started[i] = true
		mu.Unlock()
		switch {
		case i < 3:
			return nil
		case i == 3:
			return boom
		}
		<-ctx.Done()
		return ctx.Err()
	})
	if len(failures) != 1 || failures[0].Index != 3 || !errors.Is(failures[0].Err, boom) {
		t.Fatalf("failures = %+v", failures)
	}
	mu.Lock()
	defer mu.Unlock()
	if !started[3] || len(started) < 3 {
		t.Fatalf("started %v: item 3 and two before it must have", started)
	}
	for i := range started {
		if i > 4 {
			t.Fatalf("started %v: item %d after item 3 failed", started, i)
		}
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

// TestFanOutReportsAFirstFailureThatWrapsCanceled: a fetch that fails with
// an error wrapping context.Canceled while the read is alive (a shared
// request cancelled under it, say) is a failure, not an item stopped by
// another's: otherwise the read would succeed with the items never read.
func TestFanOutReportsAFirstFailureThatWrapsCanceled(t *testing.T) {
	var ran atomic.Int32
	failures := FanOut(context.Background(), 1, 100, func(_ context.Context, i int) error {
		ran.Add(1)
		if i == 3 {
			return fmt.Errorf("waiting for a shared request: %w", context.Canceled)
		}
		return nil
	})
	if len(failures) != 1 || failures[0].Index != 3 {
		t.Fatalf("failures = %+v after %d fetches, want item 3's", failures, ran.Load())
	}
}
