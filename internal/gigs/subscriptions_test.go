package gigs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// newFleetEnv is newEnv over a simulator of n subscriptions (the same seed,
// so the same credentials and the same first six).
func newFleetEnv(t *testing.T, n int) *env {
	t.Helper()
	e := newEnv(t)
	e.sim = vendorsim.New(vendorsim.Options{Seed: 11, Now: func() time.Time { return simNow }, Subscriptions: n})
	e.creds = e.sim.Credentials()
	e.client = e.newClient(e.creds.GigsAPIKey, httpx.Config{})
	return e
}

// listRequests are the subscription list requests the server received, as
// their raw queries.
func (e *env) listQueries() []string {
	var out []string
	for _, r := range e.requests() {
		if r.URL.Path == "/projects/"+e.creds.GigsProject+"/subscriptions" {
			out = append(out, r.URL.RawQuery)
		}
	}
	return out
}

// rawList walks the list as the wire serves it, for the vendor's order.
func (e *env) rawList(query string) []vendorsim.GigsSubscription {
	e.t.Helper()
	var out []vendorsim.GigsSubscription
	after := ""
	for {
		u := e.srv.URL + "/projects/" + e.creds.GigsProject + "/subscriptions?" + query
		if after != "" {
			u += "&after=" + after
		}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.creds.GigsAPIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			e.t.Fatal(err)
		}
		var page vendorsim.GigsSubscriptionList
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			e.t.Fatalf("raw list: HTTP %d, %v", resp.StatusCode, err)
		}
		out = append(out, page.Items...)
		if page.MoreItemsAfter == nil {
			return out
		}
		after = *page.MoreItemsAfter
	}
}

// wantSubscription is what the client must make of the simulator's
// subscription.
func (e *env) wantSubscription(s vendorsim.Subscription) Subscription {
	e.t.Helper()
	want := Subscription{ID: s.ID, Status: s.Status}
	for _, p := range e.sim.Plans() {
		if p.ID == s.PlanID {
			want.Plan = Plan{ID: p.ID, Name: p.Name,
				Allowances: Allowances{DataBytes: p.DataBytes, VoiceSeconds: p.VoiceSeconds, SMSMessages: p.SmsMessages}}
		}
	}
	if want.Plan.ID == "" {
		e.t.Fatalf("subscription %s: plan %s is not among the simulator's plans", s.ID, s.PlanID)
	}
	if s.Status == "active" {
		last := s.Periods[len(s.Periods)-1]
		want.CurrentPeriod = &Period{Number: last.Number, Start: last.Start, End: last.End}
	}
	return want
}

func sameSubscription(t *testing.T, got, want Subscription) {
	t.Helper()
	p := func(s Subscription) string {
		a := s.Plan.Allowances
		cp := "none"
		if s.CurrentPeriod != nil {
			cp = fmt.Sprintf("%d %s..%s", s.CurrentPeriod.Number, s.CurrentPeriod.Start.UTC().Format(time.RFC3339), s.CurrentPeriod.End.UTC().Format(time.RFC3339))
		}
		return fmt.Sprintf("{%s %s plan=%s %q data=%s voice=%s sms=%s period=%s}", s.ID, s.Status, s.Plan.ID, s.Plan.Name,
			ptr(a.DataBytes), ptr(a.VoiceSeconds), ptr(a.SMSMessages), cp)
	}
	if p(got) != p(want) {
		t.Fatalf("subscription differs:\n got %s\nwant %s", p(got), p(want))
	}
}

func ptr(v *int64) string {
	if v == nil {
		return "unlimited"
	}
	return fmt.Sprint(*v)
}

// byStatus is the simulator's subscriptions with one of statuses.
func (e *env) byStatus(statuses ...string) map[string]vendorsim.Subscription {
	out := map[string]vendorsim.Subscription{}
	for _, s := range e.sim.Subscriptions() {
		if slices.Contains(statuses, s.Status) {
			out[s.ID] = s
		}
	}
	return out
}

func TestListSubscriptionsOnePage(t *testing.T) {
	e := newEnv(t)
	got, err := e.client.ListSubscriptions(context.Background(), e.creds.GigsProject, SubscriptionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if q := e.listQueries(); !slices.Equal(q, []string{"limit=200"}) {
		t.Errorf("queries %q, want only limit=200: no empty status or plan", q)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 1 {
		t.Errorf("%d list requests, want 1", n)
	}
	raw := e.rawList("limit=200")
	if len(got) != len(raw) || len(got) != vendorsim.DefaultSubscriptions {
		t.Fatalf("%d subscriptions, want %d", len(got), vendorsim.DefaultSubscriptions)
	}
	sims := e.byStatus("active")
	for i, s := range got {
		if s.ID != raw[i].ID {
			t.Fatalf("subscription %d is %s, the vendor lists %s there", i, s.ID, raw[i].ID)
		}
		sameSubscription(t, s, e.wantSubscription(sims[s.ID]))
	}
}

func TestListSubscriptionsFollowsCursorsAcrossPages(t *testing.T) {
	e := newFleetEnv(t, 450)
	all := []string{"active", "ended", "initiated", "pending"}
	got, err := e.client.ListSubscriptions(context.Background(), e.creds.GigsProject, SubscriptionFilter{Status: all})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 3 {
		t.Errorf("%d list requests for 450 subscriptions, want ceil(450/200) = 3", n)
	}
	raw := e.rawList("limit=200&status=active,ended,initiated,pending")
	if len(got) != 450 || len(raw) != 450 {
		t.Fatalf("%d subscriptions (raw walk %d), want 450", len(got), len(raw))
	}
	for i := range got {
		if got[i].ID != raw[i].ID {
			t.Fatalf("subscription %d is %s, the vendor lists %s there", i, got[i].ID, raw[i].ID)
		}
	}
	sims := e.byStatus(all...)
	for _, s := range got {
		sameSubscription(t, s, e.wantSubscription(sims[s.ID]))
	}
	queries := e.listQueries()
	want := []string{
		"limit=200&status=active%2Cended%2Cinitiated%2Cpending",
		"after=" + raw[199].ID + "&limit=200&status=active%2Cended%2Cinitiated%2Cpending",
		"after=" + raw[399].ID + "&limit=200&status=active%2Cended%2Cinitiated%2Cpending",
	}
	if !slices.Equal(queries[:3], want) {
		t.Errorf("queries\n %q\nwant\n %q", queries[:3], want)
	}
}

func TestListSubscriptionsFilters(t *testing.T) {
	e := newFleetEnv(t, 120)
	ctx := context.Background()
	plan := e.sim.Plans()[2].ID
	cases := []struct {
		name   string
		f      SubscriptionFilter
		query  string
		admits func(vendorsim.Subscription) bool
	}{
		{"default", SubscriptionFilter{}, "limit=200",
			func(s vendorsim.Subscription) bool { return s.Status == "active" || s.Status == "pending" }},
		{"ended", SubscriptionFilter{Status: []string{"ended"}}, "limit=200&status=ended",
			func(s vendorsim.Subscription) bool { return s.Status == "ended" }},
		{"sorted and once", SubscriptionFilter{Status: []string{"pending", "initiated", "pending"}}, "limit=200&status=initiated%2Cpending",
			func(s vendorsim.Subscription) bool { return s.Status == "initiated" || s.Status == "pending" }},
		{"plan", SubscriptionFilter{Plan: plan}, "limit=200&plan=" + plan,
			func(s vendorsim.Subscription) bool {
				return s.PlanID == plan && (s.Status == "active" || s.Status == "pending")
			}},
		{"both", SubscriptionFilter{Status: []string{"active"}, Plan: plan}, "limit=200&plan=" + plan + "&status=active",
			func(s vendorsim.Subscription) bool { return s.PlanID == plan && s.Status == "active" }},
	}
	for _, c := range cases {
		before := len(e.listQueries())
		got, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if q := e.listQueries()[before:]; !slices.Equal(q, []string{c.query}) {
			t.Errorf("%s: queries %q, want %q", c.name, q, c.query)
		}
		var want []string
		for _, s := range e.sim.Subscriptions() {
			if c.admits(s) {
				want = append(want, s.ID)
			}
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		slices.Sort(ids)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(ids, want) {
			t.Errorf("%s: got %d subscriptions %v, want %d %v", c.name, len(ids), ids, len(want), want)
		}
	}
}

func TestCurrentPeriodOnlyOnActiveSubscriptions(t *testing.T) {
	e := newFleetEnv(t, 60)
	got, err := e.client.ListSubscriptions(context.Background(), e.creds.GigsProject,
		SubscriptionFilter{Status: []string{"pending", "initiated", "active", "ended"}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, s := range got {
		seen[s.Status]++
		if (s.CurrentPeriod != nil) != (s.Status == "active") {
			t.Errorf("subscription %s (%s): currentPeriod %+v", s.ID, s.Status, s.CurrentPeriod)
		}
		if p := s.CurrentPeriod; p != nil && (p.Number < 1 || !p.End.After(p.Start) || p.Start.After(simNow) || !p.End.After(simNow)) {
			t.Errorf("subscription %s: current period %+v does not hold now (%s)", s.ID, p, simNow)
		}
	}
	for _, st := range []string{"pending", "initiated", "active", "ended"} {
		if seen[st] == 0 {
			t.Errorf("no %s subscription in the data set; the test proves nothing for it", st)
		}
	}
}

func TestPlanAllowancesIncludingUnlimited(t *testing.T) {
	e := newEnv(t)
	got, err := e.client.ListSubscriptions(context.Background(), e.creds.GigsProject, SubscriptionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	plans := map[string]Plan{}
	for _, s := range got {
		plans[s.Plan.Name] = s.Plan
	}
	unlimited, ok := plans["Unlimited"]
	if !ok {
		t.Fatalf("no subscription on the Unlimited plan among %v", plans)
	}
	if a := unlimited.Allowances; a.DataBytes != nil || a.VoiceSeconds != nil || a.SMSMessages != nil {
		t.Errorf("Unlimited plan: allowances %s/%s/%s, want all unlimited (nil)", ptr(a.DataBytes), ptr(a.VoiceSeconds), ptr(a.SMSMessages))
	}
	data20 := plans["Data 20 GB"].Allowances
	if ptr(data20.DataBytes) != "20000000000" || data20.VoiceSeconds != nil || data20.SMSMessages != nil {
		t.Errorf("Data 20 GB plan: allowances %s/%s/%s, want 20000000000/unlimited/unlimited",
			ptr(data20.DataBytes), ptr(data20.VoiceSeconds), ptr(data20.SMSMessages))
	}
	connect := plans["Connect 10 GB"].Allowances
	if ptr(connect.DataBytes) != "10000000000" || ptr(connect.VoiceSeconds) != "30000" || ptr(connect.SMSMessages) != "100" {
		t.Errorf("Connect 10 GB plan: allowances %s/%s/%s, want 10000000000/30000/100",
			ptr(connect.DataBytes), ptr(connect.VoiceSeconds), ptr(connect.SMSMessages))
	}
}

func TestListSubscriptionsRefusesARepeatedCursor(t *testing.T) {
	e := newEnv(t)
	e.sim.SetHostile(vendorsim.Hostile{FleetLists: true, GigsCursorLoop: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a regression fails fast
	defer cancel()
	_, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, SubscriptionFilter{})
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "cursor loop") {
		t.Fatalf("error %v, want a ResponseError naming the cursor loop", err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 2 {
		t.Errorf("%d list requests, want 2: the second page repeats the first's cursor", n)
	}
	// Failures are not kept: once the server behaves, the list is read.
	e.sim.SetHostile(vendorsim.Hostile{})
	got, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, SubscriptionFilter{})
	if err != nil || len(got) != vendorsim.DefaultSubscriptions {
		t.Fatalf("after the loop: %d subscriptions, %v", len(got), err)
	}
}

func TestListSubscriptionsIsSharedPerRun(t *testing.T) {
	e := newFleetEnv(t, 450)
	ctx := context.Background()
	f := SubscriptionFilter{Status: []string{"active", "pending", "ended", "initiated"}}
	first, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, f)
	if err != nil {
		t.Fatal(err)
	}
	// A caller changing its copy must not change what others get.
	wantID, wantName := first[0].ID, first[0].Plan.Name
	var changed bool
	for i := range first {
		if first[i].Plan.Allowances.DataBytes != nil {
			*first[i].Plan.Allowances.DataBytes = -1
			changed = true
		}
		if first[i].CurrentPeriod != nil {
			first[i].CurrentPeriod.Number = -1
		}
	}
	first[0].ID, first[0].Plan.Name = "changed", "changed"
	if !changed {
		t.Fatal("no subscription with a data allowance to change")
	}
	again, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, f)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID != wantID || again[0].Plan.Name != wantName {
		t.Errorf("the second answer shows the first caller's change: %s %q", again[0].ID, again[0].Plan.Name)
	}
	for _, s := range again {
		if (s.Plan.Allowances.DataBytes != nil && *s.Plan.Allowances.DataBytes < 0) || (s.CurrentPeriod != nil && s.CurrentPeriod.Number < 1) {
			t.Fatalf("the second answer shows the first caller's change: %+v", s)
		}
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 3 {
		t.Errorf("%d list requests for two identical lists of 450, want one sequence of 3", n)
	}

	// Concurrent callers of another list share one sequence too.
	e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond})
	const callers = 20
	var wg sync.WaitGroup
	errs := make([]error, callers)
	lens := make([]int, callers)
	for i := range callers {
		wg.Go(func() {
			subs, err := e.client.ListSubscriptions(ctx, e.creds.GigsProject, SubscriptionFilter{})
			errs[i], lens[i] = err, len(subs)
		})
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || lens[i] != lens[0] {
			t.Fatalf("caller %d: %d subscriptions, %v", i, lens[i], errs[i])
		}
	}
	pages := (lens[0] + 199) / 200
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 3+pages {
		t.Errorf("%d list requests, want 3 + %d for %d concurrent identical lists", n, pages, callers)
	}
}

func TestSubscriptionIsSharedPerRun(t *testing.T) {
	e := newFleetEnv(t, 20)
	ctx := context.Background()
	sims := e.sim.Subscriptions()
	e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond})
	const callers = 20
	var wg sync.WaitGroup
	got := make([]Subscription, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = e.client.Subscription(ctx, e.creds.GigsProject, sims[0].ID) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		sameSubscription(t, got[i], e.wantSubscription(sims[0]))
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsGet); n != 1 {
		t.Errorf("%d requests for one subscription asked by %d callers, want 1", n, callers)
	}
	e.sim.SetFaults(vendorsim.Faults{})

	// Every status, each asked twice: one request each.
	for _, s := range sims {
		for range 2 {
			sub, err := e.client.Subscription(ctx, e.creds.GigsProject, s.ID)
			if err != nil {
				t.Fatalf("%s: %v", s.ID, err)
			}
			sameSubscription(t, sub, e.wantSubscription(s))
			if sub.Plan.Allowances.DataBytes != nil {
				*sub.Plan.Allowances.DataBytes = -1 // must not reach the next caller
			}
			if sub.CurrentPeriod != nil {
				sub.CurrentPeriod.End = time.Time{}
			}
		}
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsGet); n != len(sims) {
		t.Errorf("%d requests for %d subscriptions each asked twice, want %d", n, len(sims), len(sims))
	}
	if q := e.listQueries(); len(q) != 0 {
		t.Errorf("retrieving subscriptions listed them: %q", q)
	}
}

func TestUnknownSubscriptionIsAnAPIError(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.Subscription(context.Background(), e.creds.GigsProject, "sub_doesnotexist")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || ae.Type != "notFound" {
		t.Fatalf("error %v, want a 404 APIError", err)
	}
	if !strings.Contains(err.Error(), "sub_doesnotexist") {
		t.Errorf("%q does not name the subscription", err)
	}
	_, err = e.client.ListSubscriptions(context.Background(), "no-such-project", SubscriptionFilter{})
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Fatalf("list of an unknown project: error %v, want a 404 APIError", err)
	}
}

func TestSubscriptionArgumentsAreCheckedBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["empty project"] = e.client.ListSubscriptions(ctx, "", SubscriptionFilter{})
	_, checks["dot project"] = e.client.ListSubscriptions(ctx, "..", SubscriptionFilter{})
	_, checks["empty status"] = e.client.ListSubscriptions(ctx, e.creds.GigsProject, SubscriptionFilter{Status: []string{"active", ""}})
	_, checks["status with a comma"] = e.client.ListSubscriptions(ctx, e.creds.GigsProject, SubscriptionFilter{Status: []string{"active,ended"}})
	_, checks["empty id"] = e.client.Subscription(ctx, e.creds.GigsProject, "")
	_, checks["dot id"] = e.client.Subscription(ctx, e.creds.GigsProject, ".")
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(e.requests()); n != 0 {
		t.Errorf("%d requests for arguments that cannot be asked", n)
	}
}

// Bodies for the fail-closed cases.
const (
	okPlan = `{"object":"plan","id":"pln_1","name":"P","allowances":{"dataBytes":1000,"voiceSeconds":null,"smsMessages":5},"extra":{"x":1}}`
	okSub  = `{"object":"subscription","id":"sub_1","status":"active","plan":` + okPlan +
		`,"currentPeriod":{"number":2,"start":"2026-03-01T00:00:00Z","end":"2026-04-01T00:00:00Z"},"unknownField":[1,2]}`
)

// subWith is okSub with one member replaced (or, with value "", removed).
func subWith(t *testing.T, path, value string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(okSub), &m); err != nil {
		t.Fatal(err)
	}
	obj := m
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		inner, ok := obj[k].(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object in the test body", k)
		}
		obj = inner
	}
	last := keys[len(keys)-1]
	if value == "" {
		delete(obj, last)
	} else {
		obj[last] = json.RawMessage(value)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func listOf(items ...string) string {
	return `{"object":"list","items":[` + strings.Join(items, ",") + `],"moreItemsAfter":null,"moreItemsBefore":null}`
}

func TestSubscriptionsFailClosedOnWhatCannotBeTrue(t *testing.T) {
	cases := map[string]struct{ sub, want string }{
		"no id":                  {subWith(t, "id", ""), "a subscription's id is empty"},
		"empty id":               {subWith(t, "id", `""`), "a subscription's id is empty"},
		"dot id":                 {subWith(t, "id", `"."`), `a subscription's id is ".", a dot segment`},
		"dot-dot id":             {subWith(t, "id", `".."`), `a subscription's id is "..", a dot segment`},
		"id past 64 characters":  {subWith(t, "id", `"sub_`+strings.Repeat("x", 61)+`"`), "id is 65 characters long, past the bound of 64"},
		"status past its bound":  {subWith(t, "status", `"`+strings.Repeat("a", 65)+`"`), "its status is 65 characters long, past the bound of 64"},
		"no plan":                {subWith(t, "plan", ""), "has no plan"},
		"plan without id":        {subWith(t, "plan.id", ""), "its plan's id is empty"},
		"dot-dot plan id":        {subWith(t, "plan.id", `".."`), `its plan's id is "..", a dot segment`},
		"plan name past bound":   {subWith(t, "plan.name", `"`+strings.Repeat("n", 257)+`"`), "its plan's name is 257 characters long, past the bound of 256"},
		"no allowances":          {subWith(t, "plan.allowances", ""), "has no allowances"},
		"missing allowance key":  {subWith(t, "plan.allowances.smsMessages", ""), "does not say its smsMessages allowance"},
		"negative data":          {subWith(t, "plan.allowances.dataBytes", "-1"), "negative dataBytes allowance"},
		"negative voice":         {subWith(t, "plan.allowances.voiceSeconds", "-30"), "negative voiceSeconds allowance"},
		"fractional allowance":   {subWith(t, "plan.allowances.dataBytes", "1.5"), "not a whole number"},
		"string allowance":       {subWith(t, "plan.allowances.dataBytes", `"1000"`), "not a whole number"},
		"period number 0":        {subWith(t, "currentPeriod.number", "0"), "number 0 is not 1 or more"},
		"period without number":  {subWith(t, "currentPeriod.number", ""), "number 0 is not 1 or more"},
		"period ends at start":   {subWith(t, "currentPeriod.end", `"2026-03-01T00:00:00Z"`), "not after its start"},
		"period ends before":     {subWith(t, "currentPeriod.end", `"2026-02-01T00:00:00Z"`), "not after its start"},
		"period without end":     {subWith(t, "currentPeriod.end", ""), "currentPeriod end is missing"},
		"period with a bad date": {subWith(t, "currentPeriod.start", `"2026-03-01"`), "RFC 3339"},
		"another object":         {subWith(t, "object", `"plan"`), "not a subscription"},
	}
	for name, c := range cases {
		client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if strings.HasSuffix(r.URL.Path, "/subscriptions") {
				_, _ = io.WriteString(w, listOf(okSub, c.sub))
				return
			}
			_, _ = io.WriteString(w, c.sub)
		})
		_, err := client.ListSubscriptions(context.Background(), "p", SubscriptionFilter{})
		var re *ResponseError
		if !errors.As(err, &re) || re.Status != http.StatusOK || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: list error %v, want a ResponseError containing %q", name, err, c.want)
		}
		_, err = client.Subscription(context.Background(), "p", "sub_1")
		if !errors.As(err, &re) || re.Status != http.StatusOK || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: retrieve error %v, want a ResponseError containing %q", name, err, c.want)
		}
	}
}

func TestSubscriptionListsFailClosedOnImpossiblePages(t *testing.T) {
	other := strings.Replace(okSub, `"sub_1"`, `"sub_2"`, 1)
	var tooMany []string
	for i := range 201 {
		tooMany = append(tooMany, strings.Replace(okSub, `"sub_1"`, fmt.Sprintf(`"sub_%d"`, i), 1))
	}
	cases := map[string]struct {
		f          SubscriptionFilter
		body, want string
	}{
		"listed twice":       {SubscriptionFilter{}, listOf(okSub, other, okSub), "sub_1\" is listed twice"},
		"status filter":      {SubscriptionFilter{Status: []string{"ended"}}, listOf(okSub), "status filter excludes"},
		"plan filter":        {SubscriptionFilter{Plan: "pln_2"}, listOf(okSub), "plan filter excludes"},
		"more than limit":    {SubscriptionFilter{}, listOf(tooMany...), "more than the limit of 200"},
		"empty cursor":       {SubscriptionFilter{}, `{"object":"list","items":[` + okSub + `],"moreItemsAfter":""}`, "empty cursor"},
		"not a list":         {SubscriptionFilter{}, okSub, "not a Gigs list"},
		"an array":           {SubscriptionFilter{}, `[` + okSub + `]`, "not a Gigs list"},
		"items not a list":   {SubscriptionFilter{}, `{"object":"list","items":{}}`, "not a list"},
		"item not an object": {SubscriptionFilter{}, listOf(`"sub_1"`), "decoding subscription 0"},
		"items twice":        {SubscriptionFilter{}, `{"object":"list","items":[],"items":[` + okSub + `]}`, "appears twice"},
		"a plan id twice":    {SubscriptionFilter{}, listOf(strings.Replace(okSub, `"id":"pln_1"`, `"id":"pln_1","id":"pln_2"`, 1)), "/items/0/plan/id appears twice"},
	}
	for name, c := range cases {
		client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, c.body)
		})
		_, err := client.ListSubscriptions(context.Background(), "p", c.f)
		var re *ResponseError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want a ResponseError containing %q", name, err, c.want)
		}
	}
}

func TestSubscriptionAnswerMustBeTheOneAsked(t *testing.T) {
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, okSub)
	})
	_, err := client.Subscription(context.Background(), "p", "sub_9")
	if !errors.Is(err, httpx.ErrVendorData) || !strings.Contains(err.Error(), `the answer is subscription "sub_1"`) {
		t.Fatalf("error %v, want a vendor data error naming both subscriptions", err)
	}
}

func TestSubscriptionDecodingIsLenient(t *testing.T) {
	// Unknown members anywhere are ignored; null allowances are unlimited;
	// no currentPeriod (or null) is none.
	minimal := `{"id":"sub_3","plan":{"id":"pln_9","allowances":{"dataBytes":null,"voiceSeconds":null,"smsMessages":null}},"currentPeriod":null}`
	body := `{"object":"list","future":{"a":[1]},"items":[` + okSub + `,` + minimal + `],"moreItemsAfter":null}`
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	})
	got, err := client.ListSubscriptions(context.Background(), "p", SubscriptionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	start, end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	five, thousand := int64(5), int64(1000)
	want := []Subscription{
		{ID: "sub_1", Status: "active", Plan: Plan{ID: "pln_1", Name: "P", Allowances: Allowances{DataBytes: &thousand, SMSMessages: &five}},
			CurrentPeriod: &Period{Number: 2, Start: start, End: end}},
		{ID: "sub_3", Plan: Plan{ID: "pln_9"}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d subscriptions, want %d", len(got), len(want))
	}
	for i := range want {
		sameSubscription(t, got[i], want[i])
	}
}

// TestSubscriptionAnswerIsOneObject: data after the subscription's object
// (a second object, say) fails the read rather than being ignored.
func TestSubscriptionAnswerIsOneObject(t *testing.T) {
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, okSub+`{"id":"sub_2"}`)
	})
	var re *ResponseError
	if _, err := client.Subscription(context.Background(), "p", "sub_1"); !errors.As(err, &re) {
		t.Fatalf("error %v, want a ResponseError", err)
	}
}
