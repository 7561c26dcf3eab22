package gigs

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// allSubscriptions lists every subscription of e's project, of every
// status, so that some have a current period and some none.
func (e *env) allSubscriptions() []Subscription {
	e.t.Helper()
	subs, err := e.client.ListSubscriptions(context.Background(), e.creds.GigsProject,
		SubscriptionFilter{Status: []string{"pending", "initiated", "active", "ended"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return subs
}

// usageQueries are the queries of the usage requests the server received,
// by subscription.
func (e *env) usageQueries() map[string][]url.Values {
	out := map[string][]url.Values{}
	prefix := "/projects/" + e.creds.GigsProject + "/subscriptions/"
	for _, r := range e.requests() {
		if id, ok := strings.CutPrefix(r.URL.Path, prefix); ok && strings.HasSuffix(id, "/usage") {
			id = strings.TrimSuffix(id, "/usage")
			out[id] = append(out[id], r.URL.Query())
		}
	}
	return out
}

// TestSubscriptionsUsageReadsEachItsOwnPeriod: with neither dates nor a
// period, each subscription is asked for its current period by number, one
// without a current period as the query is; each gets its own records.
func TestSubscriptionsUsageReadsEachItsOwnPeriod(t *testing.T) {
	e := newFleetEnv(t, 12)
	subs := e.allSubscriptions()
	got := make([][]UsageRecord, len(subs))
	failures := e.client.SubscriptionsUsage(context.Background(), e.creds.GigsProject, subs, UsageQuery{},
		func(_ context.Context, i int, records []UsageRecord, err error) error {
			got[i] = records
			return err
		})
	if len(failures) != 0 {
		t.Fatalf("failures = %+v", failures)
	}
	queries := e.usageQueries()
	withPeriod, without := 0, 0
	for i, s := range subs {
		want := UsageQuery{}
		if s.CurrentPeriod != nil {
			want.Period = s.CurrentPeriod.Number
			withPeriod++
		} else {
			without++
		}
		if q := queries[s.ID]; len(q) != 1 || q[0].Get("period") != periodParam(want.Period) {
			t.Errorf("subscription %s (current period %+v) was asked %v", s.ID, s.CurrentPeriod, q)
		}
		sameRecords(t, got[i], e.want(s.ID, want))
	}
	if withPeriod == 0 || without == 0 {
		t.Fatalf("%d subscriptions with a current period and %d without: the test proves nothing for one kind", withPeriod, without)
	}
}

func periodParam(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// TestSubscriptionsUsageKeepsDatesAndPeriods: a query with dates, or with a
// period, goes to every subscription as it is.
func TestSubscriptionsUsageKeepsDatesAndPeriods(t *testing.T) {
	for name, q := range map[string]UsageQuery{
		"dates":  {Start: "2026-03-01", End: "2026-03-10"},
		"period": {Period: 1},
	} {
		t.Run(name, func(t *testing.T) {
			e := newFleetEnv(t, 12)
			subs := e.allSubscriptions()
			failures := e.client.SubscriptionsUsage(context.Background(), e.creds.GigsProject, subs, q,
				func(context.Context, int, []UsageRecord, error) error { return nil })
			if len(failures) != 0 {
				t.Fatalf("failures = %+v", failures)
			}
			for id, asked := range e.usageQueries() {
				if len(asked) != 1 || asked[0].Get("period") != periodParam(q.Period) || asked[0].Get("start") != q.Start || asked[0].Get("end") != q.End {
					t.Errorf("subscription %s was asked %v", id, asked)
				}
			}
		})
	}
}

// TestSubscriptionsUsageUsesKeptAnswersAndKeepsNone: a fleet read takes an
// answer a SubscriptionUsage of the same query already kept, and keeps none
// of its own: a SubscriptionUsage after it asks again.
func TestSubscriptionsUsageUsesKeptAnswersAndKeepsNone(t *testing.T) {
	e := newFleetEnv(t, 3)
	ctx := context.Background()
	subs := e.allSubscriptions()[:3]
	q := UsageQuery{Start: "2026-03-01", End: "2026-03-10"}
	if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, subs[0].ID, q); err != nil {
		t.Fatal(err)
	}
	failures := e.client.SubscriptionsUsage(ctx, e.creds.GigsProject, subs, q,
		func(_ context.Context, i int, records []UsageRecord, err error) error {
			if err == nil {
				sameRecords(t, records, e.want(subs[i].ID, q))
			}
			return err
		})
	if len(failures) != 0 {
		t.Fatalf("failures = %+v", failures)
	}
	asked := func() (n int) {
		for _, qs := range e.usageQueries() {
			n += len(qs)
		}
		return n
	}
	if n := asked(); n != 3 {
		t.Fatalf("%d usage requests, want 3: one by SubscriptionUsage, two by the fleet read, which used the kept answer", n)
	}
	if _, err := e.client.SubscriptionUsage(ctx, e.creds.GigsProject, subs[1].ID, q); err != nil {
		t.Fatal(err)
	}
	if n := asked(); n != 4 {
		t.Fatalf("%d usage requests, want 4: the fleet read kept no answer", n)
	}
}

// TestSubscriptionsUsageKeepsToTheCapAndEndsWithTheRead: with a cap of 2,
// two subscriptions are in hand while their each runs, no third is read,
// and when the read ends its failure names those two.
func TestSubscriptionsUsageKeepsToTheCapAndEndsWithTheRead(t *testing.T) {
	e := newEnv(t)
	subs := e.allSubscriptions()
	client := e.newClient(e.creds.GigsAPIKey, httpx.Config{MaxConcurrent: 2})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	entered := make(chan int, len(subs))
	go func() {
		<-entered
		<-entered
		cancel()
	}()
	failures := client.SubscriptionsUsage(ctx, e.creds.GigsProject, subs, UsageQuery{},
		func(ctx context.Context, i int, _ []UsageRecord, _ error) error {
			entered <- i
			<-ctx.Done() // holds the slot until the read ends
			return ctx.Err()
		})
	if len(failures) != 1 || failures[0].Index != -1 || !errors.Is(failures[0].Err, context.Canceled) {
		t.Fatalf("failures = %+v", failures)
	}
	if !slices.Equal(failures[0].InFlight, []int{0, 1}) {
		t.Errorf("in flight = %v, want [0 1]", failures[0].InFlight)
	}
	if n := len(entered); n != 0 {
		t.Errorf("each was called for %d more members than the cap allows", n)
	}
	if n := len(e.usageQueries()); n != 2 {
		t.Errorf("%d subscriptions' usage was asked, want the 2 the cap allows", n)
	}
}

// TestSubscriptionsUsageReportsFailuresInOrder: unknown subscriptions fail
// in the order of the list, whichever failed first, as Gigs' own 404; a
// member whose each accepts the error is no failure.
func TestSubscriptionsUsageReportsFailuresInOrder(t *testing.T) {
	e := newEnv(t)
	subs := e.allSubscriptions()[:3]
	subs = slices.Insert(subs, 1, Subscription{ID: "sub_gone_1"})
	subs = append(subs, Subscription{ID: "sub_gone_4"}, Subscription{ID: "sub_accepted_5"})
	oneSeen := make(chan struct{})
	failures := e.client.SubscriptionsUsage(context.Background(), e.creds.GigsProject, subs, UsageQuery{},
		func(ctx context.Context, i int, _ []UsageRecord, err error) error {
			switch i {
			case 1:
				close(oneSeen)
				<-ctx.Done() // member 4 fails first
			case 4:
				<-oneSeen
			case 5:
				return nil
			}
			return err
		})
	if len(failures) != 2 || failures[0].Index != 1 || failures[1].Index != 4 {
		t.Fatalf("failures = %+v, want members 1 and 4", failures)
	}
	for _, f := range failures {
		if !IsNotFound(f.Err) {
			t.Errorf("member %d: %v, want Gigs' own 404", f.Index, f.Err)
		}
	}
}
