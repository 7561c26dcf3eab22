package httpx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestFanOutNamesTheItemsTheReadCutShort: when the read ends, its one
// failure names the items whose read was running, not one that finished
// before nor one the limit held back; each is called for every item read,
// never for the others.
func TestFanOutNamesTheItemsTheReadCutShort(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan int, 10)
	go func() {
		for range 3 { // items 1, 2 and 3: item 0 is done and its slot free
			<-started
		}
		cancel()
	}()
	var mu sync.Mutex
	var handed []int
	failures := FanOutEach(ctx, 3, 10,
		func(ctx context.Context, i int) (int, error) {
			if i == 0 {
				return 0, nil // done before the read ends
			}
			started <- i
			<-ctx.Done()
			return 0, ctx.Err()
		},
		func(_ context.Context, i, _ int, err error) error {
			mu.Lock()
			handed = append(handed, i)
			mu.Unlock()
			return err
		})
	if len(failures) != 1 || failures[0].Index != -1 || !errors.Is(failures[0].Err, context.Canceled) {
		t.Fatalf("failures = %+v", failures)
	}
	if got := failures[0].InFlight; !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("in flight = %v, want [1 2 3]", got)
	}
	slices.Sort(handed)
	if !slices.Equal(handed, []int{0, 1, 2, 3}) {
		t.Errorf("each was called for %v, want the items read, [0 1 2 3]", handed)
	}
}

// TestFanOutEachHandsEveryAnswerToEach: each gets item i's answer or read
// error, and decides the outcome: a read error each accepts is no failure.
func TestFanOutEachHandsEveryAnswerToEach(t *testing.T) {
	gone := errors.New("gone")
	answers := make([]string, 5)
	failures := FanOutEach(context.Background(), 2, 5,
		func(_ context.Context, i int) (string, error) {
			if i == 2 {
				return "", gone
			}
			return fmt.Sprint("answer ", i), nil
		},
		func(_ context.Context, i int, answer string, err error) error {
			if errors.Is(err, gone) {
				answer = "left out"
			}
			answers[i] = answer
			return nil
		})
	want := []string{"answer 0", "answer 1", "left out", "answer 3", "answer 4"}
	if len(failures) != 0 || !slices.Equal(answers, want) {
		t.Fatalf("failures %+v, answers %q, want %q", failures, answers, want)
	}
}

// TestFanOutEachReportsFailuresInItemOrder: the failures are each's errors
// in item order, whichever failed first, and carry no InFlight.
func TestFanOutEachReportsFailuresInItemOrder(t *testing.T) {
	first, second := errors.New("item 4"), errors.New("item 1")
	oneRead := make(chan struct{})
	failures := FanOutEach(context.Background(), 5, 5,
		func(context.Context, int) (int, error) { return 0, nil },
		func(ctx context.Context, i, _ int, _ error) error {
			switch i {
			case 4:
				<-oneRead
				return first
			case 1:
				close(oneRead)
				<-ctx.Done() // ended by item 4's failure
				return second
			}
			return nil
		})
	if len(failures) != 2 || failures[0].Index != 1 || !errors.Is(failures[0].Err, second) ||
		failures[1].Index != 4 || !errors.Is(failures[1].Err, first) || failures[0].InFlight != nil {
		t.Fatalf("failures = %+v", failures)
	}
}
