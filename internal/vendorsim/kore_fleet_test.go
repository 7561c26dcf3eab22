package vendorsim

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newSizedHarness is a harness over a data set of the given size.
func newSizedHarness(t *testing.T, sims, subs int) *harness {
	t.Helper()
	c := &clock{t: testNow}
	sim := New(Options{Seed: 7, Now: c.Now, SIMs: sims, Subscriptions: subs})
	return &harness{t: t, sim: sim, srv: newServer(t, sim), clock: c}
}

// relative strips the harness's own address from a body, so that bodies of
// two simulators compare.
func (h *harness) relative(r response) string {
	return strings.ReplaceAll(string(r.body), h.srv.URL, "")
}

// TestScalingKeepsTheClassicDataSet: at 10,000 SIMs and subscriptions, the
// first 25 SIMs and 6 subscriptions answer byte for byte what they answer in
// the default data set, so that tests and the demo do not move.
func TestScalingKeepsTheClassicDataSet(t *testing.T) {
	small, big := newHarness(t), newSizedHarness(t, 10_000, 10_000)
	if got := len(big.sim.SIMs()); got != 10_000 {
		t.Fatalf("%d SIMs", got)
	}
	if got := len(big.sim.Subscriptions()); got != 10_000 {
		t.Fatalf("%d subscriptions", got)
	}
	if !reflect.DeepEqual(small.sim.SIMs(), big.sim.SIMs()[:DefaultSIMs]) {
		t.Fatal("the first 25 SIMs differ")
	}
	if !reflect.DeepEqual(small.sim.Subscriptions(), big.sim.Subscriptions()[:DefaultSubscriptions]) {
		t.Fatal("the first 6 subscriptions differ")
	}
	if small.sim.Credentials() != big.sim.Credentials() || small.sim.AccountSid() != big.sim.AccountSid() {
		t.Fatal("the credentials differ")
	}
	start := testNow.AddDate(0, -2, 0).Truncate(24 * time.Hour)
	same := func(path string, get func(*harness, string) response) {
		t.Helper()
		a, b := get(small, path), get(big, path)
		if a.status != 200 || small.relative(a) != big.relative(b) {
			t.Fatalf("%s differs:\n%s\n%s", path, a.body, b.body)
		}
	}
	kore := func(h *harness, p string) response { return h.kore(p) }
	gigs := func(h *harness, p string) response { return h.gigs(p) }
	for _, s := range small.sim.SIMs() {
		same("/v1/Sims/"+s.Sid, kore)
		same("/v1/Sims/"+s.Sid+"/UsageRecords", kore)
		same("/v1/Sims/"+s.Sid+"/UsageRecords"+usageQuery(start, testNow, "daily", "PageSize", "1000"), kore)
		same("/v1/Sims/"+s.Sid+"/UsageRecords"+usageQuery(testNow.AddDate(0, 0, -2), testNow, "hourly"), kore)
		same("/v1/Sims?Iccid="+s.ICCID, kore)
	}
	for _, s := range small.sim.Subscriptions() {
		same(small.gigsUsagePath(s.ID, nil), gigs)
		same(small.gigsUsagePath(s.ID, url.Values{"period": {"1"}, "aggregation": {"daily,country"}}), gigs)
		same(small.gigsUsagePath(s.ID, url.Values{"start": {"2025-01-01"}, "end": {"2026-03-15"}, "aggregation": {"period,roaming"}}), gigs)
		same("/projects/"+s.Project+"/subscriptions/"+s.ID, gigs)
	}
	// The list's first 25 are the classic SIMs, in the same order.
	var a, b KoreSimList
	small.kore("/v1/Sims?PageSize=25").json(t, &a)
	big.kore("/v1/Sims?PageSize=25").json(t, &b)
	for i := range a.Sims {
		a.Sims[i].URL, b.Sims[i].URL, a.Sims[i].Links, b.Sims[i].Links = "", "", KoreSimLinks{}, KoreSimLinks{}
	}
	if len(a.Sims) != 25 || !reflect.DeepEqual(a.Sims, b.Sims) {
		t.Fatal("the first page of 25 differs")
	}
	// A data set is a prefix of every larger one.
	mid := New(Options{Seed: 7, Now: small.clock.Now, SIMs: 100, Subscriptions: 50})
	if !reflect.DeepEqual(mid.SIMs(), big.sim.SIMs()[:100]) || !reflect.DeepEqual(mid.Subscriptions(), big.sim.Subscriptions()[:50]) {
		t.Fatal("100 SIMs and 50 subscriptions are not a prefix of 10,000")
	}
	// Smaller than the classic set is its prefix too.
	tiny := New(Options{Seed: 7, Now: small.clock.Now, SIMs: 3, Subscriptions: 2})
	if !reflect.DeepEqual(tiny.SIMs(), small.sim.SIMs()[:3]) || !reflect.DeepEqual(tiny.Subscriptions(), small.sim.Subscriptions()[:2]) {
		t.Fatal("3 SIMs and 2 subscriptions are not a prefix of the classic set")
	}
}

func TestSizesAreBounded(t *testing.T) {
	for _, c := range []struct{ sims, subs, wantSims, wantSubs int }{
		{0, 0, DefaultSIMs, DefaultSubscriptions}, {-3, -1, DefaultSIMs, DefaultSubscriptions},
		{1, 1, 1, 1}, {MaxSIMs + 1, MaxSubscriptions + 5, MaxSIMs, MaxSubscriptions},
	} {
		if c.sims > MaxSIMs && testing.Short() {
			continue
		}
		s := New(Options{Seed: 3, SIMs: c.sims, Subscriptions: c.subs})
		if len(s.SIMs()) != c.wantSims || len(s.Subscriptions()) != c.wantSubs {
			t.Errorf("SIMs %d, Subscriptions %d: served %d and %d", c.sims, c.subs, len(s.SIMs()), len(s.Subscriptions()))
		}
	}
}

func TestExtraSIMsHaveEveryStatusAndOneHasNoPlan(t *testing.T) {
	h := newSizedHarness(t, 45, 6)
	plans := map[string]RatePlan{}
	for _, p := range h.sim.RatePlans() {
		plans[p.Sid] = p
	}
	statuses, onPlan, noPlan := map[string]int{}, map[string]int{}, 0
	for i, s := range h.sim.SIMs() {
		statuses[s.Status]++
		if s.RatePlanSid == "" {
			noPlan++
			if i != DefaultSIMs || s.Status != "new" {
				t.Fatalf("SIM %d (%s, %s) has no plan", i, s.UniqueName, s.Status)
			}
			continue
		}
		if _, ok := plans[s.RatePlanSid]; !ok {
			t.Fatalf("%s is on an unknown plan %s", s.UniqueName, s.RatePlanSid)
		}
		onPlan[plans[s.RatePlanSid].UniqueName]++
		if i >= DefaultSIMs && s.UniqueName != "fleet-000"+strconv.Itoa(i+1) {
			t.Fatalf("SIM %d is named %s", i, s.UniqueName)
		}
	}
	for _, st := range simFilterStatuses {
		if statuses[st] == 0 {
			t.Errorf("no SIM is %s: %v", st, statuses)
		}
	}
	if noPlan != 1 {
		t.Fatalf("%d SIMs without a plan, want 1", noPlan)
	}
	for _, p := range h.sim.RatePlans() {
		if (onPlan[p.UniqueName] == 0) != (p.UniqueName == "iot-legacy-2023") {
			t.Errorf("%d SIMs on %s", onPlan[p.UniqueName], p.UniqueName)
		}
	}

	// The Sim resource of the SIM without a plan says so with nulls.
	lone := h.sim.SIMs()[DefaultSIMs]
	raw := h.kore("/v1/Sims/" + lone.Sid).object(t)
	links := field[map[string]any](t, raw, "links")
	if v, ok := raw["rate_plan_sid"]; !ok || v != nil {
		t.Fatalf("rate_plan_sid %v (present %v), want null", v, ok)
	}
	if v, ok := links["rate_plan"]; !ok || v != nil {
		t.Fatalf("links.rate_plan %v (present %v), want null", v, ok)
	}
	if raw["status"] != "new" {
		t.Fatalf("status %v", raw["status"])
	}

	// Only active SIMs use the network; some active extras do.
	start := testNow.AddDate(0, -1, 0)
	used := 0
	for _, s := range h.sim.SIMs()[DefaultSIMs:] {
		d := h.sim.KoreRecords(s.Sid, start, testNow, "all")[0].Data
		if s.Status != "active" && d.Total != 0 {
			t.Fatalf("%s is %s yet used %d bytes", s.UniqueName, s.Status, d.Total)
		}
		if d.Total > 0 {
			used++
		}
	}
	if used == 0 {
		t.Fatal("no extra SIM used data")
	}
}

// listSims walks GET /v1/Sims from a query and returns the SIDs and the
// number of pages.
func (h *harness) listSims(query string, maxPages int) ([]string, int) {
	h.t.Helper()
	var sids []string
	pages := h.walkKoreList("/v1/Sims"+query, maxPages)
	for i, r := range pages {
		var l KoreSimList
		r.json(h.t, &l)
		if l.Meta.Key != "sims" || l.Meta.Page != i || l.Sims == nil {
			h.t.Fatalf("page %d meta %+v", i, l.Meta)
		}
		for _, s := range l.Sims {
			sids = append(sids, s.Sid)
		}
	}
	return sids, len(pages)
}

func TestKoreSimListAtScale(t *testing.T) {
	h := newSizedHarness(t, 10_000, 6)
	all := h.sim.SIMs()
	pick := func(keep func(SIM) bool) []string {
		var out []string
		for _, s := range all {
			if keep(s) {
				out = append(out, s.Sid)
			}
		}
		return out
	}
	pages := func(n, size int) int { return max(1, (n+size-1)/size) }
	check := func(query string, want []string, size int) {
		t.Helper()
		before := h.sim.Requests(RouteKoreSimsList)
		got, n := h.listSims(query, 20)
		if !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("%s listed %d SIMs, want %d", query, len(got), len(want))
		}
		if n != pages(len(want), size) || h.sim.Requests(RouteKoreSimsList)-before != n {
			t.Fatalf("%s took %d pages (%d requests), want %d", query, n, h.sim.Requests(RouteKoreSimsList)-before, pages(len(want), size))
		}
	}
	check("?PageSize=1000", pick(func(SIM) bool { return true }), 1000)
	active := pick(func(s SIM) bool { return s.Status == "active" })
	if len(active) < 8000 || len(active) == len(all) {
		t.Fatalf("%d of %d SIMs are active", len(active), len(all))
	}
	check("?Status=active&PageSize=1000", active, 1000)
	check("?Status=deactivated&PageSize=1000", pick(func(s SIM) bool { return s.Status == "deactivated" }), 1000)
	for _, p := range h.sim.RatePlans() {
		onPlan := pick(func(s SIM) bool { return s.RatePlanSid == p.Sid })
		check("?RatePlan="+p.Sid+"&PageSize=1000", onPlan, 1000)
		check("?RatePlan="+p.UniqueName+"&PageSize=1000", onPlan, 1000)
		check("?RatePlan="+p.UniqueName+"&Status=suspended&PageSize=1000",
			pick(func(s SIM) bool { return s.RatePlanSid == p.Sid && s.Status == "suspended" }), 1000)
	}
	check("?RatePlan=no-such-plan&PageSize=1000", nil, 1000)
	check("?Iccid="+all[9876].ICCID, []string{all[9876].Sid}, 50)
	// Page is honoured without a token: page 3 of 1000 is SIMs 3000 to 3999.
	var l KoreSimList
	h.kore("/v1/Sims?PageSize=1000&Page=3").json(t, &l)
	if len(l.Sims) != 1000 || l.Sims[0].Sid != all[3000].Sid || l.Sims[999].Sid != all[3999].Sid || l.Meta.Page != 3 {
		t.Fatalf("Page=3: %d SIMs from %s", len(l.Sims), l.Sims[0].Sid)
	}
	// The default page size is 50; deleted is a status, not a filter value.
	h.kore("/v1/Sims").json(t, &l)
	if len(l.Sims) != 50 || l.Meta.PageSize != 50 || l.Meta.NextPageURL == nil {
		t.Fatalf("default page: %d SIMs, meta %+v", len(l.Sims), l.Meta)
	}
	expectKoreError(t, h.kore("/v1/Sims?Status=deleted"), 400, 33101)
	expectKoreError(t, h.kore("/v1/Sims?Status=active&Status=ready"), 400, 33101)
	expectKoreError(t, h.kore("/v1/Sims?PageSize=1001"), 400, 33101)
	expectKoreError(t, h.kore("/v1/Sims?RatePlan="), 400, 33101)
}

func TestVanishAfterListing(t *testing.T) {
	h := newHarness(t)
	target := h.sim.SIMs()[3]
	if h.sim.VanishAfterListing("DE00000000000000000000000000000000") {
		t.Fatal("an unknown SIM was marked")
	}
	if !h.sim.VanishAfterListing(target.Sid) {
		t.Fatal("the SIM was not marked")
	}
	// Until a list shows it, it is there.
	if r := h.kore("/v1/Sims/" + target.Sid + "/UsageRecords"); r.status != 200 {
		t.Fatalf("before the list: %d", r.status)
	}
	var l KoreSimList
	h.kore("/v1/Sims?PageSize=3").json(t, &l) // SIMs 0..2
	if r := h.kore("/v1/Sims/" + target.Sid); r.status != 200 {
		t.Fatalf("after a page without it: %d", r.status)
	}
	h.kore(*l.Meta.NextPageURL).json(t, &l) // SIMs 3..5
	if l.Sims[0].Sid != target.Sid {
		t.Fatalf("the second page starts with %s", l.Sims[0].Sid)
	}
	expectKoreError(t, h.kore("/v1/Sims/"+target.Sid), 404, 20404)
	expectKoreError(t, h.kore("/v1/Sims/"+target.UniqueName), 404, 20404)
	expectKoreError(t, h.kore("/v1/Sims/"+target.Sid+"/UsageRecords"), 404, 20404)
	sids, _ := h.listSims("?PageSize=1000", 2)
	if len(sids) != DefaultSIMs-1 || contains(sids, target.Sid) {
		t.Fatalf("the list still holds %d SIMs", len(sids))
	}
	if l := h.kore("/v1/Sims?Iccid=" + target.ICCID); !strings.Contains(string(l.body), `"sims":[]`) {
		t.Fatalf("by ICCID: %s", l.body)
	}
	if len(h.sim.KoreRecords(target.Sid, testNow.AddDate(0, 0, -1), testNow, "all")) != 1 {
		t.Fatal("KoreRecords forgot the SIM")
	}
}

func TestFleetListsAreStraightUnlessAsked(t *testing.T) {
	h := newHarness(t)
	h.sim.SetHostile(Hostile{KoreNextPageLoop: true, GigsCursorLoop: true})
	if sids, n := h.listSims("?PageSize=10", 5); n != 3 || len(sids) != DefaultSIMs {
		t.Fatalf("without FleetLists: %d pages", n)
	}
	h.sim.SetHostile(Hostile{KoreNextPageLoop: true, FleetLists: true})
	var l KoreSimList
	h.kore("/v1/Sims?PageSize=10").json(t, &l)
	if l.Meta.NextPageURL == nil || *l.Meta.NextPageURL != l.Meta.URL {
		t.Fatalf("KoreNextPageLoop: next %v, url %s", l.Meta.NextPageURL, l.Meta.URL)
	}
	var p KoreRatePlanList
	h.kore("/v1/RatePlans?PageSize=1").json(t, &p)
	if p.Meta.NextPageURL == nil || *p.Meta.NextPageURL != p.Meta.URL {
		t.Fatalf("rate plans: next %v", p.Meta.NextPageURL)
	}
	h.sim.SetHostile(Hostile{KoreNextPageForeign: true, FleetLists: true})
	h.kore("/v1/Sims?PageSize=10").json(t, &l)
	if l.Meta.NextPageURL == nil || !strings.HasPrefix(*l.Meta.NextPageURL, foreignHost+"/v1/Sims?") {
		t.Fatalf("KoreNextPageForeign: next %v", l.Meta.NextPageURL)
	}
	h.sim.SetHostile(Hostile{})
	if _, n := h.listSims("?PageSize=10", 5); n != 3 {
		t.Fatalf("hostility cleared: %d pages", n)
	}
}

// TestFaultsReachTheFleetRoutes: injected failures answer on the new routes
// as on the old ones, in each vendor's error format, and are counted.
func TestFaultsReachTheFleetRoutes(t *testing.T) {
	h := newSizedHarness(t, 30, 10)
	sub := h.sim.Subscriptions()[0]
	project := "/projects/" + sub.Project + "/subscriptions"
	koreRoutes := map[string]string{"/v1/RatePlans": RouteKoreRatePlansList,
		"/v1/RatePlans/" + h.sim.RatePlans()[0].Sid: RouteKoreRatePlansGet, "/v1/Sims": RouteKoreSimsList}
	gigsRoutes := map[string]string{project: RouteGigsSubscriptionsList, project + "/" + sub.ID: RouteGigsSubscriptionsGet}
	h.token = h.newToken() // the token route is never faulted anyway
	for _, f := range []struct {
		faults   Faults
		status   int
		koreCode int
		gigsType string
	}{
		{Faults{Rate429: 1, RetryAfter: "3"}, 429, 20429, "tooManyRequests"},
		{Faults{Rate503: 1, RetryAfter: "3"}, 503, 33004, "serviceUnavailable"},
	} {
		h.sim.SetFaults(f.faults)
		h.sim.ResetCounts()
		for path, route := range koreRoutes {
			r := h.kore(path)
			expectKoreError(t, r, f.status, f.koreCode)
			if r.header.Get("Retry-After") != "3" || h.sim.Requests(route) != 1 {
				t.Fatalf("%s: Retry-After %q, %d requests", path, r.header.Get("Retry-After"), h.sim.Requests(route))
			}
		}
		for path, route := range gigsRoutes {
			r := h.gigs(path)
			expectGigsError(t, r, f.status, f.gigsType, "")
			if r.header.Get("Retry-After") != "3" || h.sim.Requests(route) != 1 {
				t.Fatalf("%s: Retry-After %q, %d requests", path, r.header.Get("Retry-After"), h.sim.Requests(route))
			}
		}
	}
	h.sim.SetFaults(Faults{})
	h.sim.FailNext(1, 404, "")
	expectKoreError(t, h.kore("/v1/RatePlans"), 404, 20404)
	h.sim.FailNext(1, 502, "")
	expectGigsError(t, h.gigs(project), 502, "unknown", "")
	for path := range koreRoutes {
		if r := h.kore(path); r.status != 200 {
			t.Fatalf("%s after the faults: %d", path, r.status)
		}
	}
	for path := range gigsRoutes {
		if r := h.gigs(path); r.status != 200 {
			t.Fatalf("%s after the faults: %d", path, r.status)
		}
	}
	if got := h.sim.Counts(); !hasCount(got, RouteGigsSubscriptionsList, 503, 1) || !hasCount(got, RouteKoreRatePlansList, 404, 1) {
		t.Fatalf("counts %v", got)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, h.srv.URL+project, nil)
	h.sim.SetFaults(Faults{RateHTML502: 1})
	if r := h.do(req); r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("HTML 502: %d %s", r.status, r.body)
	}
}

func hasCount(counts []Count, route string, status, n int) bool {
	for _, c := range counts {
		if c.Route == route && c.Status == status {
			return c.N >= n
		}
	}
	return false
}

// TestEveryPeriodHasASimPastItsLimit: whatever day a period starts on (a
// month, or a metering period from any metering_day), from its first
// finished hour on some active classic SIM has used its plan's home data
// limit, read in binary megabytes (the stricter reading). The demo's check
// of SIMs at their limit relies on it.
func TestEveryPeriodHasASimPastItsLimit(t *testing.T) {
	for _, seed := range []int64{1, 7} {
		// A day's first hour is finished at 01:00; the simulator serves no
		// unfinished hour, so at 00:05 no SIM has used anything yet.
		firstDay := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		now := firstDay.AddDate(0, retentionMonths, 0)
		sim := New(Options{Seed: seed, Now: func() time.Time { return now }})
		limits := map[string]int64{}
		for _, p := range sim.RatePlans() {
			if p.DataLimitMB != nil {
				limits[p.Sid] = *p.DataLimitMB << 20
			}
		}
		for day := firstDay; day.Before(now); day = day.AddDate(0, 0, 1) {
			var past []string
			for _, s := range sim.SIMs() {
				limit, limited := limits[s.RatePlanSid]
				if s.Status != "active" || !limited {
					continue
				}
				r := sim.KoreRecords(s.Sid, day, day.Add(time.Hour), "all")
				if len(r) == 1 && r[0].Data.Home != nil && r[0].Data.Home.Total >= limit {
					past = append(past, s.UniqueName)
				}
			}
			if len(past) == 0 {
				t.Fatalf("seed %d: no SIM past its limit in the first hour of %s", seed, day.Format(time.DateOnly))
			}
		}
	}
	// And at 01:05 on the first day of a period, through the API's own rule
	// of finished hours.
	day := time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)
	sim := New(Options{Seed: 1, Now: func() time.Time { return day.Add(65 * time.Minute) }})
	meter := sim.SIMs()[overLimitMeter]
	r := sim.KoreRecords(meter.Sid, day, day.Add(65*time.Minute), "all")
	if meter.UniqueName != "meter-05" || len(r) != 1 || r[0].Data.Home == nil || r[0].Data.Home.Total < 1<<20 {
		t.Fatalf("%s at 01:05: %+v", meter.UniqueName, r)
	}
}
