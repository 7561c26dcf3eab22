package gigs

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestConcurrentIdenticalQueriesShareOneRequest: callers asking the same
// query while its request is in flight all wait on that one request. The
// request is held at the server until every caller waits on the flight, so
// none is answered from the cache instead.
func TestConcurrentIdenticalQueriesShareOneRequest(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(preview)
	q := UsageQuery{Period: 2}

	const callers = 20
	contexts := make([]*waitingContext, callers)
	for i := range contexts {
		contexts[i] = newWaitingContext(context.Background())
	}
	allWaiting := make(chan struct{})
	go func() {
		for _, c := range contexts {
			<-c.waiting
		}
		close(allWaiting)
	}()
	e.front = func(_ http.ResponseWriter, r *http.Request) bool {
		select {
		case <-allWaiting:
		case <-r.Context().Done():
		}
		return false
	}
	results := make([][]UsageRecord, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			results[i], errs[i] = e.client.SubscriptionUsage(contexts[i], e.creds.GigsProject, sub.ID, q)
		})
	}
	wg.Wait()
	want := e.want(sub.ID, q)
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		sameRecords(t, results[i], want)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 1 {
		t.Errorf("%d requests for %d identical concurrent queries, want 1", n, callers)
	}
}

func TestResultsAreCachedPerQuery(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(preview)
	ctx := context.Background()
	first, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A caller changing its copy must not change what others get.
	first[0].Data = -1
	*first[0].DataDeviceBytes = -1
	first[0].Labels.Country = "ZZ"

	again, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, again, e.want(sub.ID, UsageQuery{Period: 1}))
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 1 {
		t.Errorf("%d requests for a repeated query, want 1", n)
	}

	for _, q := range []UsageQuery{{Period: 2}, {Period: 1, Aggregation: "period"}} {
		if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, q); err != nil {
			t.Fatal(err)
		}
	}
	other := e.subscription(plain)
	if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, other.ID, UsageQuery{Period: 1}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 4 {
		t.Errorf("%d requests for 4 distinct queries, want 4", n)
	}

	// A new Client starts with an empty cache.
	fresh := e.newClient(e.creds.GigsAPIKey, httpx.Config{})
	if _, err := fresh.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{Period: 1}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	e.sim.FailNext(1, 404, "")
	ctx := context.Background()
	if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{}); err == nil {
		t.Fatal("want the injected 404")
	}
	if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, sub.ID, UsageQuery{}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// A caller that gives up must not fail the callers sharing its request.
func TestSharedRequestSurvivesTheFirstCallerGivingUp(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	arrived, released := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.front = func(w http.ResponseWriter, r *http.Request) bool {
		held := false
		once.Do(func() { held = true })
		if !held {
			return false
		}
		close(arrived)
		// Hold the first request until the leader has given up; the shared
		// fetch is detached from it, so the request then gets its answer.
		select {
		case <-r.Context().Done():
			return true
		case <-released:
			return false
		}
	}
	q := UsageQuery{Period: 1}
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := e.client.SubscriptionUsage(leaderCtx, e.creds.GigsProject, sub.ID, q)
		leaderErr <- err
	}()
	<-arrived

	followerDone := make(chan struct{})
	follower := newWaitingContext(context.Background())
	var got []UsageRecord
	var err error
	go func() {
		defer close(followerDone)
		got, err = e.client.SubscriptionUsage(follower, e.creds.GigsProject, sub.ID, q)
	}()
	<-follower.waiting // the follower has joined the flight and waits on it
	cancel()

	if lerr := <-leaderErr; !errors.Is(lerr, context.Canceled) {
		t.Errorf("leader error %v, want context.Canceled", lerr)
	}
	close(released)
	<-followerDone
	if err != nil {
		t.Fatalf("follower: %v", err)
	}
	sameRecords(t, got, e.want(sub.ID, q))
}

// waitingContext tells when its caller first waits on it: the shared
// flight asks for Done only once a caller has joined it and waits for the
// answer (nothing before that selects on the caller's context), so the
// follower above has joined the leader's flight when waiting is closed.
type waitingContext struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func newWaitingContext(parent context.Context) *waitingContext {
	return &waitingContext{Context: parent, waiting: make(chan struct{})}
}

func (c *waitingContext) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}
