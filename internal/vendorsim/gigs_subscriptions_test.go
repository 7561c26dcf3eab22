package vendorsim

import (
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func (h *harness) subscriptionsPath(q url.Values) string {
	p := "/projects/" + h.sim.Credentials().GigsProject + "/subscriptions"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// walkSubscriptions follows moreItemsAfter from a first query and returns
// every item and the number of pages; endless paging fails at maxPages.
func (h *harness) walkSubscriptions(q url.Values, maxPages int) ([]GigsSubscription, int) {
	h.t.Helper()
	var items []GigsSubscription
	pages := 0
	for {
		if pages == maxPages {
			h.t.Fatalf("still paging after %d pages", maxPages)
		}
		r := h.gigs(h.subscriptionsPath(q))
		if r.status != http.StatusOK {
			h.t.Fatalf("GET %s: %d %s", h.subscriptionsPath(q), r.status, r.body)
		}
		pages++
		var l GigsSubscriptionList
		r.json(h.t, &l)
		if l.Object != "list" || l.Items == nil {
			h.t.Fatalf("envelope %s", r.body)
		}
		if (pages > 1) != (l.MoreItemsBefore != nil) {
			h.t.Fatalf("page %d: moreItemsBefore %v", pages, l.MoreItemsBefore)
		}
		items = append(items, l.Items...)
		if l.MoreItemsAfter == nil {
			return items, pages
		}
		if *l.MoreItemsAfter != l.Items[len(l.Items)-1].ID {
			h.t.Fatalf("moreItemsAfter %s is not the last item's id", *l.MoreItemsAfter)
		}
		q = cloneValues(q)
		q.Set("after", *l.MoreItemsAfter)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

func ids(items []GigsSubscription) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func TestGigsSubscriptionWireFormat(t *testing.T) {
	h := newSizedHarness(t, 25, 12)
	for _, sub := range h.sim.Subscriptions() {
		r := h.gigs(h.subscriptionsPath(nil) + "/" + sub.ID)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", sub.ID, r.status, r.body)
		}
		raw := r.object(t)
		for _, k := range []string{"object", "id", "metadata", "activatedAt", "billing", "canceledAt", "cancellationDetails",
			"createdAt", "currentPeriod", "earliestEndAt", "endedAt", "firstUsageAt", "lastPorting", "porting",
			"phoneNumber", "plan", "sim", "status", "user"} {
			if _, ok := raw[k]; !ok {
				t.Fatalf("%s lacks %q: %s", sub.ID, k, r.body)
			}
		}
		if raw["object"] != "subscription" || raw["id"] != sub.ID || raw["status"] != sub.Status {
			t.Fatalf("%s: %s", sub.ID, r.body)
		}
		plan := field[map[string]any](t, raw, "plan")
		allowances := field[map[string]any](t, plan, "allowances")
		for _, k := range []string{"dataBytes", "voiceSeconds", "smsMessages"} {
			if _, ok := allowances[k]; !ok {
				t.Fatalf("allowances lack %q (null means unlimited, so the key is always sent)", k)
			}
		}
		if plan["object"] != "plan" || plan["id"] != sub.PlanID || !strings.HasPrefix(sub.PlanID, "pln_") {
			t.Fatalf("plan %v", plan)
		}
		user := field[map[string]any](t, raw, "user")
		simObj := field[map[string]any](t, raw, "sim")
		if user["object"] != "user" || !strings.HasPrefix(field[string](t, user, "id"), "usr_") ||
			simObj["object"] != "sim" || !strings.HasPrefix(field[string](t, simObj, "id"), "sim_") {
			t.Fatalf("user %v, sim %v", user, simObj)
		}
		var s GigsSubscription
		r.json(t, &s)
		created, err := time.Parse(time.RFC3339, s.CreatedAt)
		if err != nil || created.After(testNow) {
			t.Fatalf("createdAt %q", s.CreatedAt)
		}
		switch sub.Status {
		case subActive:
			last := sub.Periods[len(sub.Periods)-1]
			cp := s.CurrentPeriod
			if cp == nil || cp.Number != last.Number || !sameInstant(cp.Start, last.Start) || !sameInstant(cp.End, last.End) ||
				last.Start.After(testNow) || !last.End.After(testNow) || s.ActivatedAt == nil || !sameInstant(*s.ActivatedAt, sub.Periods[0].Start) {
				t.Fatalf("%s: currentPeriod %+v, periods %v", sub.ID, cp, sub.Periods)
			}
			if (s.EndedAt != nil) != (s.CanceledAt != nil) || (s.EndedAt != nil && !sameInstant(*s.EndedAt, last.End)) {
				t.Fatalf("%s: a canceled subscription ends with its period: %s", sub.ID, r.body)
			}
			if s.Sim.Status != "active" {
				t.Fatalf("%s: SIM %s", sub.ID, s.Sim.Status)
			}
		case subEnded:
			last := sub.Periods[len(sub.Periods)-1]
			if s.CurrentPeriod != nil || s.EndedAt == nil || !sameInstant(*s.EndedAt, last.End) || last.End.After(testNow) ||
				s.CanceledAt == nil || s.CancellationDetails == nil || s.Sim.Status != "retired" {
				t.Fatalf("%s ended: %s", sub.ID, r.body)
			}
		default: // pending, initiated
			if s.CurrentPeriod != nil || s.ActivatedAt != nil || s.EndedAt != nil || len(sub.Periods) != 0 || s.Sim.Status != "inactive" {
				t.Fatalf("%s %s: %s", sub.ID, sub.Status, r.body)
			}
		}
	}
}

func sameInstant(s string, t time.Time) bool {
	x, err := time.Parse(time.RFC3339, s)
	return err == nil && x.Equal(t)
}

func TestGigsSubscriptionStatusesAndPlans(t *testing.T) {
	h := newSizedHarness(t, 25, 60)
	statuses, onPlan := map[string]int{}, map[string]int{}
	canceled := 0
	for _, sub := range h.sim.Subscriptions() {
		statuses[sub.Status]++
		onPlan[sub.PlanID]++
		if sub.Status == subActive {
			var s GigsSubscription
			h.gigs(h.subscriptionsPath(nil)+"/"+sub.ID).json(t, &s)
			if s.CanceledAt != nil {
				canceled++
			}
		}
	}
	for _, st := range gigsSubscriptionStatuses {
		if statuses[st] == 0 {
			t.Errorf("no subscription is %s: %v", st, statuses)
		}
	}
	if canceled == 0 {
		t.Error("no active subscription is canceled")
	}
	unlimited := 0
	for _, p := range h.sim.Plans() {
		if onPlan[p.ID] == 0 {
			t.Errorf("no subscription on %s", p.Name)
		}
		if p.DataBytes == nil && p.VoiceSeconds == nil && p.SmsMessages == nil {
			unlimited++
		}
	}
	if unlimited != 1 {
		t.Errorf("%d unlimited plans, want 1", unlimited)
	}
	// The classic six are active, each on its plan.
	for i, sub := range h.sim.Subscriptions()[:DefaultSubscriptions] {
		if sub.Status != subActive || sub.PlanID != h.sim.Plans()[classicPlans[i]].ID {
			t.Fatalf("classic subscription %d: %+v", i, sub)
		}
	}
}

func TestGigsUsageOfSubscriptionsThatAreNotActive(t *testing.T) {
	h := newSizedHarness(t, 25, 10)
	subs := h.sim.Subscriptions()
	pending, ended := subs[6], subs[7]
	if pending.Status != subPending || ended.Status != subEnded {
		t.Fatalf("statuses %s %s", pending.Status, ended.Status)
	}
	var l gigsList
	h.gigs(h.gigsUsagePath(pending.ID, nil)).json(t, &l)
	if len(l.Items) != 0 || l.Object != "list" {
		t.Fatalf("pending: %+v", l)
	}
	expectGigsError(t, h.gigs(h.gigsUsagePath(pending.ID, url.Values{"period": {"1"}})), 422, "invalid", "periodNotFound")

	// An ended subscription's usage stops at its end; its latest period is the default.
	end := ended.Periods[len(ended.Periods)-1].End
	recs, err := h.sim.GigsRecords(ended.Project, ended.ID, GigsQuery{Start: end.AddDate(0, 0, -3).Format(time.DateOnly), End: testNow.Format(time.DateOnly)})
	if err != nil || len(recs) != 3 {
		t.Fatalf("ended at %s: %d records (%v)", end, len(recs), err)
	}
	if last := recs[len(recs)-1]; !sameInstant(last.End, end) {
		t.Fatalf("the last record ends %s, want %s", last.End, end)
	}
	h.gigs(h.gigsUsagePath(ended.ID, nil)).json(t, &l)
	if len(l.Items) == 0 || !sameInstant(l.Items[len(l.Items)-1].End, end) {
		t.Fatalf("default usage of an ended subscription: %d records", len(l.Items))
	}
}

func TestGigsSubscriptionListFiltersAndOrder(t *testing.T) {
	h := newSizedHarness(t, 25, 500)
	all := h.sim.Subscriptions()
	want := func(keep func(Subscription) bool) []string {
		var out []string
		for _, s := range all {
			if keep(s) {
				out = append(out, s.ID)
			}
		}
		return out
	}
	list := func(q url.Values) []GigsSubscription {
		t.Helper()
		q.Set("limit", "200")
		items, _ := h.walkSubscriptions(q, 10)
		return items
	}
	sorted := func(x []string) []string {
		y := append([]string(nil), x...)
		sort.Strings(y)
		return y
	}
	// The default is pending and active, newest first.
	items := list(url.Values{})
	if got, exp := sorted(ids(items)), sorted(want(func(s Subscription) bool { return s.Status == subPending || s.Status == subActive })); !reflect.DeepEqual(got, exp) {
		t.Fatalf("default statuses: %d items, want %d", len(got), len(exp))
	}
	for i := 1; i < len(items); i++ {
		a, _ := time.Parse(time.RFC3339, items[i-1].CreatedAt)
		b, _ := time.Parse(time.RFC3339, items[i].CreatedAt)
		if a.Before(b) {
			t.Fatalf("item %d (%s) is older than item %d (%s)", i-1, items[i-1].CreatedAt, i, items[i].CreatedAt)
		}
	}
	for _, st := range []string{"active", "ended", "pending", "initiated", "ended,initiated", "pending,initiated,active,ended"} {
		items := list(url.Values{"status": {st}})
		exp := want(func(s Subscription) bool { return contains(strings.Split(st, ","), s.Status) })
		if got := sorted(ids(items)); !reflect.DeepEqual(got, sorted(exp)) || len(exp) == 0 {
			t.Fatalf("status=%s: %d items, want %d", st, len(got), len(exp))
		}
		for _, it := range items {
			if (it.CurrentPeriod != nil) != (it.Status == subActive) {
				t.Fatalf("%s %s: currentPeriod %v", it.ID, it.Status, it.CurrentPeriod)
			}
		}
	}
	// The list embeds the same plan object as the subscription itself.
	items = list(url.Values{"status": {"active,ended"}})
	for _, it := range items[:20] {
		var one GigsSubscription
		h.gigs(h.subscriptionsPath(nil)+"/"+it.ID).json(t, &one)
		if !reflect.DeepEqual(one, it) {
			t.Fatalf("%s listed differs from retrieved", it.ID)
		}
	}
	for _, p := range h.sim.Plans() {
		items := list(url.Values{"plan": {p.ID}, "status": {"active"}})
		exp := want(func(s Subscription) bool { return s.PlanID == p.ID && s.Status == subActive })
		if got := sorted(ids(items)); !reflect.DeepEqual(got, sorted(exp)) || len(exp) == 0 {
			t.Fatalf("plan=%s: %d items, want %d", p.Name, len(got), len(exp))
		}
		for _, it := range items {
			if it.Plan.ID != p.ID || it.Plan.Name != p.Name || !reflect.DeepEqual(it.Plan.Allowances,
				GigsAllowances{DataBytes: p.DataBytes, VoiceSeconds: p.VoiceSeconds, SmsMessages: p.SmsMessages}) {
				t.Fatalf("%s embeds %+v, want %+v", it.ID, it.Plan, p)
			}
		}
	}
	if items := list(url.Values{"plan": {"pln_0000000000000000000000000000"}}); len(items) != 0 {
		t.Fatalf("an unknown plan lists %d", len(items))
	}
	one := items[7]
	if got := list(url.Values{"user": {one.User.ID}, "status": {"active,ended"}}); len(got) != 1 || got[0].ID != one.ID {
		t.Fatalf("user filter: %v", ids(got))
	}
	if got := list(url.Values{"sim": {one.Sim.ID}, "status": {"active,ended"}}); len(got) != 1 || got[0].ID != one.ID {
		t.Fatalf("sim filter: %v", ids(got))
	}
}

func TestGigsSubscriptionPaging(t *testing.T) {
	h := newSizedHarness(t, 25, 1000)
	everything := url.Values{"status": {"pending,initiated,active,ended"}}
	for _, c := range []struct {
		limit string
		pages int
	}{{"200", 5}, {"199", 6}, {"10", 100}, {"", 100}} {
		q := cloneValues(everything)
		if c.limit != "" {
			q.Set("limit", c.limit)
		}
		before := h.sim.Requests(RouteGigsSubscriptionsList)
		items, pages := h.walkSubscriptions(q, 200)
		if pages != c.pages || len(items) != 1000 || h.sim.Requests(RouteGigsSubscriptionsList)-before != pages {
			t.Fatalf("limit %q: %d items in %d pages, want 1000 in %d", c.limit, len(items), pages, c.pages)
		}
		seen := map[string]bool{}
		for _, it := range items {
			if seen[it.ID] {
				t.Fatalf("limit %q: %s listed twice", c.limit, it.ID)
			}
			seen[it.ID] = true
		}
	}
	// before walks back: the page before the third is the second.
	q := cloneValues(everything)
	q.Set("limit", "200")
	all, _ := h.walkSubscriptions(q, 10)
	q.Set("before", all[400].ID)
	var l GigsSubscriptionList
	h.gigs(h.subscriptionsPath(q)).json(t, &l)
	if !reflect.DeepEqual(ids(l.Items), ids(all[200:400])) || l.MoreItemsBefore == nil || *l.MoreItemsBefore != all[200].ID ||
		l.MoreItemsAfter == nil || *l.MoreItemsAfter != all[399].ID {
		t.Fatalf("before=%s: %d items, before %v after %v", all[400].ID, len(l.Items), l.MoreItemsBefore, l.MoreItemsAfter)
	}
	q.Set("before", all[150].ID)
	h.gigs(h.subscriptionsPath(q)).json(t, &l)
	if !reflect.DeepEqual(ids(l.Items), ids(all[:150])) || l.MoreItemsBefore != nil {
		t.Fatalf("before the 150th: %d items, before %v", len(l.Items), l.MoreItemsBefore)
	}
	// The last page and limit 0.
	q = cloneValues(everything)
	q.Set("after", all[989].ID)
	h.gigs(h.subscriptionsPath(q)).json(t, &l)
	if !reflect.DeepEqual(ids(l.Items), ids(all[990:])) || l.MoreItemsAfter != nil || *l.MoreItemsBefore != all[990].ID {
		t.Fatalf("the last page: %d items", len(l.Items))
	}
	q.Set("limit", "0")
	raw := h.gigs(h.subscriptionsPath(q)).object(t)
	if items := field[[]any](t, raw, "items"); len(items) != 0 || raw["moreItemsAfter"] != nil {
		t.Fatalf("limit 0: %v", raw)
	}
	// A cursor outside the filter still places the page.
	q = url.Values{"status": {"ended"}, "limit": {"5"}}
	anchor := -1
	for i, it := range all {
		if it.Status == subActive && i > 100 {
			anchor = i
			break
		}
	}
	q.Set("after", all[anchor].ID)
	h.gigs(h.subscriptionsPath(q)).json(t, &l)
	var exp []string
	for _, it := range all[anchor+1:] {
		if it.Status == subEnded && len(exp) < 5 {
			exp = append(exp, it.ID)
		}
	}
	if !reflect.DeepEqual(ids(l.Items), exp) {
		t.Fatalf("after an active subscription in the ended list: %v, want %v", ids(l.Items), exp)
	}
}

func TestGigsSubscriptionListIsStrict(t *testing.T) {
	h := newSizedHarness(t, 25, 20)
	sub := h.sim.Subscriptions()[0]
	for _, c := range []struct{ name, query, code string }{
		{"unknown parameter", "phoneNumber=%2B15550000000", "unknownParameter"},
		{"names are case-sensitive", "Status=active", "unknownParameter"},
		{"empty value", "status=", "emptyParameter"},
		{"empty plan", "plan=", "emptyParameter"},
		{"repeated parameter", "status=active&status=ended", "duplicateParameter"},
		{"unknown status", "status=canceled", "invalidStatus"},
		{"empty status in a list", "status=active,", "invalidStatus"},
		{"limit too large", "limit=201", "invalidLimit"},
		{"negative limit", "limit=-1", "invalidLimit"},
		{"limit not a number", "limit=ten", "invalidLimit"},
		{"after and before", "after=" + sub.ID + "&before=" + sub.ID, "incompatibleParameters"},
		{"unknown cursor", "after=sub_0000000000000000000000000000", "invalidCursor"},
	} {
		t.Run(c.name, func(t *testing.T) {
			expectGigsError(t, h.gigs(h.subscriptionsPath(nil)+"?"+c.query), 422, "invalid", c.code)
		})
	}
	expectGigsError(t, h.gigs(h.subscriptionsPath(nil)+"/"+sub.ID+"?plan=x"), 422, "invalid", "unknownParameter")
	expectGigsError(t, h.gigs(h.subscriptionsPath(nil)+"?status=%zz"), 400, "malformed", "")
	e := expectGigsError(t, h.gigs("/projects/other-project/subscriptions"), 404, "notFound", "")
	if !strings.Contains(e.Message, "other-project") {
		t.Fatalf("message %q", e.Message)
	}
	expectGigsError(t, h.gigs("/projects/other-project/subscriptions/"+sub.ID), 404, "notFound", "")
	e = expectGigsError(t, h.gigs(h.subscriptionsPath(nil)+"/sub_0000000000000000000000000000"), 404, "notFound", "")
	if !strings.Contains(e.Message, "sub_0000000000000000000000000000") {
		t.Fatalf("message %q", e.Message)
	}
	if r := h.gigs(h.subscriptionsPath(url.Values{"limit": {"0"}})); r.status != 200 {
		t.Fatalf("limit 0: %d", r.status)
	}
	if r := h.gigs(h.subscriptionsPath(url.Values{"limit": {"200"}})); r.status != 200 {
		t.Fatalf("limit 200: %d", r.status)
	}
	if h.sim.Requests(RouteGigsSubscriptionsGet) != 3 {
		t.Fatalf("retrievals counted %d", h.sim.Requests(RouteGigsSubscriptionsGet))
	}
}

func TestGigsSubscriptionRoutesNeedTheAPIKey(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0]
	for _, path := range []string{h.subscriptionsPath(nil), h.subscriptionsPath(nil) + "/" + sub.ID,
		"/projects/nope/subscriptions?limit=x", "/projects/nope/subscriptions/sub_x"} {
		for _, auth := range []string{"", "Bearer wrong", "Basic " + h.sim.Credentials().GigsAPIKey, "Bearer " + h.newToken()} {
			e := expectGigsError(t, h.get(path, auth), 401, "unauthenticated", "")
			if e.Message != "Invalid authorization token" {
				t.Fatalf("message %q", e.Message)
			}
		}
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+h.subscriptionsPath(nil), nil)
	req.Header.Set("Authorization", "Bearer "+h.sim.Credentials().GigsAPIKey)
	if r := h.do(req); r.status != 405 || r.header.Get("Allow") != http.MethodGet {
		t.Fatalf("POST: %d", r.status)
	}
	if n := h.sim.Requests(RouteGigsSubscriptionsList) + h.sim.Requests(RouteGigsSubscriptionsGet); n != 17 {
		t.Fatalf("%d requests counted, want 17", n)
	}
}

func TestGigsCursorLoopOnTheSubscriptionList(t *testing.T) {
	h := newSizedHarness(t, 25, 30)
	h.sim.SetHostile(Hostile{GigsCursorLoop: true})
	if _, pages := h.walkSubscriptions(url.Values{"limit": {"10"}, "status": {"active,ended,pending,initiated"}}, 10); pages != 3 {
		t.Fatalf("without FleetLists: %d pages", pages)
	}
	h.sim.SetHostile(Hostile{GigsCursorLoop: true, FleetLists: true})
	var first, again GigsSubscriptionList
	h.gigs(h.subscriptionsPath(url.Values{"limit": {"10"}})).json(t, &first)
	h.gigs(h.subscriptionsPath(url.Values{"limit": {"10"}, "after": {*first.MoreItemsAfter}})).json(t, &again)
	if first.MoreItemsAfter == nil || again.MoreItemsAfter == nil || *again.MoreItemsAfter != *first.MoreItemsAfter ||
		!reflect.DeepEqual(ids(first.Items), ids(again.Items)) {
		t.Fatalf("the cursor moved on: %v then %v", first.MoreItemsAfter, again.MoreItemsAfter)
	}
}

func TestGigsPlanWireFormat(t *testing.T) {
	h := newHarness(t)
	r := h.gigs(h.subscriptionsPath(nil) + "/" + h.sim.Subscriptions()[2].ID)
	plan := field[map[string]any](t, r.object(t), "plan")
	for _, k := range []string{"object", "id", "metadata", "activationTrigger", "allowances", "coverage", "createdAt",
		"description", "image", "limits", "name", "price", "provider", "simTypes", "status"} {
		if _, ok := plan[k]; !ok {
			t.Fatalf("plan lacks %q", k)
		}
	}
	allowances := field[map[string]any](t, plan, "allowances")
	if allowances["dataBytes"] != nil || allowances["voiceSeconds"] != nil || allowances["smsMessages"] != nil {
		t.Fatalf("the third classic subscription is unlimited: %v", allowances)
	}
	cov := field[map[string]any](t, plan, "coverage")
	if cov["object"] != "coverage" || len(field[[]any](t, cov, "countries")) == 0 {
		t.Fatalf("coverage %v", cov)
	}
	price := field[map[string]any](t, plan, "price")
	if amount := field[float64](t, price, "amount"); amount <= 0 || amount != float64(int64(amount)) || price["currency"] == "" {
		t.Fatalf("price %v", price)
	}
	r = h.gigs(h.subscriptionsPath(nil) + "/" + h.sim.Subscriptions()[0].ID)
	allowances = field[map[string]any](t, field[map[string]any](t, r.object(t), "plan"), "allowances")
	if allowances["dataBytes"] != float64(10_000_000_000) || allowances["voiceSeconds"] != float64(30_000) || allowances["smsMessages"] != float64(100) {
		t.Fatalf("allowances %v", allowances)
	}
}
