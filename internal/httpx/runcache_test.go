package httpx

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

func TestRunCacheFetchesOnceAndKeepsOnlySuccesses(t *testing.T) {
	var s RunCache[int]
	var fetches atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (int, error) { //nolint:unparam // the signature Do takes
		fetches.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := s.Do(context.Background(), "k", fetch); v != 42 || err != nil {
				t.Errorf("got %d, %v", v, err)
			}
		})
	}
	for fetches.Load() == 0 {
		runtime.Gosched() // wait for the first caller to start the fetch
	}
	close(release)
	wg.Wait()
	if _, err := s.Do(context.Background(), "k", fetch); err != nil || fetches.Load() != 1 {
		t.Fatalf("fetches = %d (err %v), want 1 for 21 callers", fetches.Load(), err)
	}

	boom := errors.New("boom")
	if _, err := s.Do(context.Background(), "bad", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if v, err := s.Do(context.Background(), "bad", func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Fatalf("a failure was kept: %d, %v", v, err)
	}
}

func TestFlightsCancelTheFetchWhenTheLastCallerLeaves(t *testing.T) {
	var f Flights[int]
	started, stopped := make(chan struct{}), make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Do(ctx, "k", func(fctx context.Context) (int, error) {
			close(started)
			<-fctx.Done()
			close(stopped)
			return 0, fctx.Err()
		})
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("caller error %v, want context.Canceled", err)
	}
	<-stopped // the abandoned fetch really was cancelled
}

// TestRunCacheShareUsesKeptAnswersAndKeepsNone: Share answers from what Do
// kept (and shares flights as Do does, through the same Flights), but what it
// fetches itself is gone once answered, so a fleet's answers do not stay in
// memory for the run.
func TestRunCacheShareUsesKeptAnswersAndKeepsNone(t *testing.T) {
	var s RunCache[int]
	answer := func(v int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return v, nil }
	}
	if v, _ := s.Do(context.Background(), "kept", answer(1)); v != 1 {
		t.Fatalf("Do answered %d", v)
	}
	if v, _ := s.Share(context.Background(), "kept", answer(2)); v != 1 {
		t.Errorf("Share answered %d for a kept key, want the kept 1", v)
	}
	if v, _ := s.Share(context.Background(), "shared", answer(3)); v != 3 {
		t.Errorf("Share answered %d, want its fetch's 3", v)
	}
	if _, ok := s.kept("shared"); ok {
		t.Error("Share kept its answer")
	}

}

// TestFlightsNeverFetchWithAnEndedCallsContext: callers racing the end of a
// call (one that counted itself on it just as it ended) never fetch with
// that call's cancelled context: every caller whose own context is alive
// gets an answer. Before, a few in a hundred thousand got context.Canceled,
// which a fleet read took for a fetch stopped by another's failure.
func TestFlightsNeverFetchWithAnEndedCallsContext(t *testing.T) {
	var s RunCache[int]
	fetch := func(ctx context.Context) (int, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return 1, nil
	}
	var failed atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range 25000 {
				if _, err := s.Share(context.Background(), strconv.Itoa(i%4), fetch); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of 200,000 shared fetches failed with a live context", n)
	}
}
