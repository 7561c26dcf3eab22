package provider

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/kore"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// The fleet reads and limits, read the way Terraform does (protocol 6,
// msgpack) from one configured provider, so that request counts are exact,
// and checked against the simulator's own arithmetic.

// The range the fleet tests read: March 2026 up to its last day.
const fleetStart, fleetEnd = "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"

var fleetRange = map[string]any{"start": fleetStart, "end": fleetEnd}

func withArgs(extra map[string]any) map[string]any {
	args := map[string]any{}
	for k, v := range fleetRange {
		args[k] = v
	}
	for k, v := range extra {
		args[k] = v
	}
	return args
}

// pickStr is pick of a string.
func pickStr(t *testing.T, v any, steps ...any) string {
	t.Helper()
	s, ok := pick(t, v, steps...).(string)
	if !ok {
		t.Fatalf("not a string at %v", steps)
	}
	return s
}

// pickList is pick of a list.
func pickList(t *testing.T, v any, steps ...any) []any {
	t.Helper()
	l, ok := pick(t, v, steps...).([]any)
	if !ok {
		t.Fatalf("not a list at %v", steps)
	}
	return l
}

// num reads a plain number (see plain) as an int64.
func num(t *testing.T, v any) int64 {
	t.Helper()
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "n:") {
		t.Fatalf("%v is not a number", v)
	}
	f, _, err := big.ParseFloat(strings.TrimPrefix(s, "n:"), 10, 200, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := f.Int64()
	return i
}

// pick walks a plain value by keys and list indexes.
func pick(t *testing.T, v any, steps ...any) any {
	t.Helper()
	for _, s := range steps {
		switch k := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("not an object at %v", s)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("not a list of %d at %v", k+1, s)
			}
			v = l[k]
		}
	}
	return v
}

// simDataTotal is the simulator's data bytes of one SIM over fleetRange.
func simDataTotal(e *testEnv, sid string) (total, home, national, international int64) {
	start, _ := time.Parse(time.RFC3339, fleetStart)
	end, _ := time.Parse(time.RFC3339, fleetEnd)
	for _, r := range e.sim.KoreRecords(sid, start, end, "all") {
		total += r.Data.Total
		if r.Data.Home != nil {
			home += r.Data.Home.Total
		}
		if r.Data.NationalRoaming != nil {
			national += r.Data.NationalRoaming.Total
		}
		for _, c := range r.Data.InternationalRoaming {
			international += c.Total
		}
	}
	return total, home, national, international
}

// TestFleetSimsMatchTheSimulator: usage_sims over 100 SIMs lists every SIM
// in sid order, each with the simulator's usage, the fleet total is their
// sum, each SIM's total is what usage_sim reads for it, and the requests are
// exactly 1 token + 1 list page + 1 usage request per SIM.
func TestFleetSimsMatchTheSimulator(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{SIMs: 100})
	r := newProtoReader(t, e)
	state := r.readPlain(t, "usage_sims", withArgs(nil))
	sims := pickList(t, state, "sims")
	if len(sims) != 100 {
		t.Fatalf("%d SIMs", len(sims))
	}
	var sum int64
	prev := ""
	for i := range sims {
		sid := pickStr(t, sims, i, "sid")
		if sid <= prev {
			t.Fatalf("SIM %d (%s) is not after %s", i, sid, prev)
		}
		prev = sid
		want, _, _, _ := simDataTotal(e, sid)
		if got := num(t, pick(t, sims, i, "total", "data", "total")); got != want {
			t.Fatalf("SIM %s: data %d, want %d", sid, got, want)
		}
		sum += want
	}
	if got := num(t, pick(t, state, "total", "data", "total")); got != sum {
		t.Fatalf("fleet total %d, want the sum %d", got, sum)
	}
	counts := map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreSimsList: 1, vendorsim.RouteKoreUsageSim: 100, vendorsim.RouteKoreRatePlansList: 0}
	for route, want := range counts {
		if got := e.sim.Requests(route); got != want {
			t.Errorf("%s: %d requests, want %d", route, got, want)
		}
	}
	if state["rate_plan"] != nil || pick(t, sims, 0, "limits") != nil || pick(t, sims, 0, "over_limit") != nil {
		t.Error("limits are not null without include_limits")
	}

	// The same SIM through usage_sim: the same total.
	sid := pickStr(t, sims, 7, "sid")
	one := r.readPlain(t, "usage_sim", withArgs(map[string]any{"sid": sid}))
	if a, b := pick(t, one, "total"), pick(t, sims, 7, "total"); !equalPlain(a, b) {
		t.Fatalf("usage_sim total %v differs from usage_sims' %v", a, b)
	}
}

func equalPlain(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// TestFleetSimsFilters: status, rate_plan and unique_name_regex each narrow
// the fleet as they say, and status goes to KORE (one list page of only those).
func TestFleetSimsFilters(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{SIMs: 100})
	r := newProtoReader(t, e)
	all := e.sim.SIMs()
	count := func(keep func(vendorsim.SIM) bool) int {
		n := 0
		for _, s := range all {
			if keep(s) {
				n++
			}
		}
		return n
	}
	cases := []struct {
		args map[string]any
		want int
	}{
		{map[string]any{"status": "suspended"}, count(func(s vendorsim.SIM) bool { return s.Status == "suspended" })},
		{map[string]any{"rate_plan": all[0].RatePlanSid}, count(func(s vendorsim.SIM) bool { return s.RatePlanSid == all[0].RatePlanSid })},
		{map[string]any{"unique_name_regex": "^tracker-0[1-3]$"}, 3},
	}
	for _, c := range cases {
		state := r.readPlain(t, "usage_sims", withArgs(c.args))
		if got := len(pickList(t, state, "sims")); got != c.want || c.want == 0 {
			t.Errorf("%v: %d SIMs, want %d (> 0)", c.args, got, c.want)
		}
	}
}

// TestFleetSimVanishingMidReadIsAWarning: a SIM deleted between the list
// and its usage read is left out, with a warning that names it.
func TestFleetSimVanishingMidReadIsAWarning(t *testing.T) {
	e := newTestEnv(t)
	gone := e.sim.SIMs()[4]
	if !e.sim.VanishAfterListing(gone.Sid) {
		t.Fatal("the simulator cannot make the SIM vanish")
	}
	r := newProtoReader(t, e)
	resp := r.readResponse(t, "usage_sims", withArgs(nil))
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity.String() != "WARNING" ||
		!strings.Contains(resp.Diagnostics[0].Detail, gone.Sid) || resp.State == nil {
		t.Fatalf("diagnostics %v", diagnosticsText(resp.Diagnostics))
	}
	v, err := resp.State.Unmarshal(r.schemas["usage_sims"])
	if err != nil {
		t.Fatal(err)
	}
	state := plain(t, v)
	for _, s := range pickList(t, state, "sims") {
		if pick(t, s, "sid") == gone.Sid {
			t.Fatal("the vanished SIM is listed")
		}
	}
	if n := len(pickList(t, state, "sims")); n != len(e.sim.SIMs())-1 {
		t.Fatalf("%d SIMs, want all but the vanished one", n)
	}
}

// TestFleetSimFailureNamesTheSims: any other failure fails the read, naming
// the SIMs that failed and how many.
func TestFleetSimFailureNamesTheSims(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	r.read(t, "usage_sims", map[string]any{"window": "last_30_days"}) // the SIM list is now kept for the run
	e.sim.FailNext(1000, 500, "")
	resp := r.readResponse(t, "usage_sims", map[string]any{"window": "last_7_days"})
	if len(resp.Diagnostics) != 1 || resp.State != nil {
		t.Fatalf("the read did not fail once: %v", diagnosticsText(resp.Diagnostics))
	}
	d := resp.Diagnostics[0]
	if !regexp.MustCompile(`Reading the usage of [1-9][0-9]* SIM\(s\) \(first: DE[0-9a-f]{32}`).MatchString(d.Detail) ||
		!strings.Contains(d.Detail, "HTTP 500") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
}

// TestFleetSimsLimits: with include_limits, each SIM's limits are its rate
// plan's megabytes × 1,000,000 against its own buckets, null where the plan
// sets none, and the rate plans cost one list page, whatever the fleet.
func TestFleetSimsLimits(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{SIMs: 40})
	r := newProtoReader(t, e)
	state := r.readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true}))
	plans := map[string]vendorsim.RatePlan{}
	for _, p := range e.sim.RatePlans() {
		plans[p.Sid] = p
	}
	sawNull, sawOver, sawUnder, sawNoPlan := false, false, false, false
	for _, s := range pickList(t, state, "sims") {
		sid := pickStr(t, s, "sid")
		var plan vendorsim.RatePlan
		rp := pick(t, s, "rate_plan_sid") // null for the SIM without a plan
		planSid, _ := rp.(string)
		if planSid == "" {
			sawNoPlan = true
			if pick(t, s, "limits") != nil || pick(t, s, "rate_plan") != nil || pick(t, s, "over_limit") != nil {
				t.Fatalf("SIM %s has no plan but limits", sid)
			}
			continue
		}
		plan = plans[planSid]
		if pick(t, s, "rate_plan", "sid") != plan.Sid || pick(t, s, "rate_plan", "unique_name") != plan.UniqueName {
			t.Fatalf("SIM %s: rate_plan %v, want %+v", sid, pick(t, s, "rate_plan"), plan)
		}
		_, home, national, international := simDataTotal(e, sid)
		for _, b := range []struct {
			name  string
			mb    *int64
			bytes int64
		}{
			{"data_home", plan.DataLimitMB, home},
			{"data_national_roaming", plan.NationalRoamingDataLimitMB, national},
			{"data_international_roaming", plan.InternationalRoamingDataLimitMB, international},
		} {
			got := pick(t, s, "limits", b.name)
			if num(t, pick(t, got, "used")) != b.bytes {
				t.Fatalf("SIM %s %s: used %v, want %d", sid, b.name, pick(t, got, "used"), b.bytes)
			}
			if b.mb == nil {
				sawNull = true
				if pick(t, got, "limit") != nil || pick(t, got, "used_percent") != nil {
					t.Fatalf("SIM %s %s: a plan without a limit shows %v", sid, b.name, got)
				}
				continue
			}
			if num(t, pick(t, got, "limit")) != *b.mb*1_000_000 {
				t.Fatalf("SIM %s %s: limit %v, want %d MB", sid, b.name, pick(t, got, "limit"), *b.mb)
			}
		}
		switch pick(t, s, "over_limit") {
		case true:
			sawOver = true
		case false:
			sawUnder = true
		}
	}
	if !sawNull || !sawOver || !sawUnder || !sawNoPlan {
		t.Fatalf("the data set did not cover every case: null %v, over %v, under %v, no plan %v", sawNull, sawOver, sawUnder, sawNoPlan)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreRatePlansList); n != 1 {
		t.Fatalf("%d rate plan list pages, want 1", n)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreRatePlansGet); n != 0 {
		t.Fatalf("%d rate plan reads, want 0 (the list has them)", n)
	}
}

// TestSimLimitsOneRequestPerDistinctPlan: usage_sim with include_limits
// costs one rate plan read per distinct plan per run, however many SIMs
// share it, and a SIM named by sid one SIM read; without include_limits,
// nothing more.
func TestSimLimitsOneRequestPerDistinctPlan(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	sims := e.sim.SIMs()
	distinct := map[string]bool{}
	for _, s := range sims[:10] {
		r.readPlain(t, "usage_sim", withArgs(map[string]any{"sid": s.Sid}))
	}
	if n := e.sim.Requests(vendorsim.RouteKoreSimsGet) + e.sim.Requests(vendorsim.RouteKoreRatePlansGet); n != 0 {
		t.Fatalf("%d extra requests without include_limits", n)
	}
	for _, s := range sims[:10] {
		state := r.readPlain(t, "usage_sim", withArgs(map[string]any{"sid": s.Sid, "include_limits": true}))
		if s.RatePlanSid != "" {
			distinct[s.RatePlanSid] = true
			if pick(t, state, "rate_plan", "sid") != s.RatePlanSid {
				t.Fatalf("SIM %s: rate_plan %v", s.Sid, pick(t, state, "rate_plan"))
			}
		}
	}
	if n := e.sim.Requests(vendorsim.RouteKoreRatePlansGet); n != len(distinct) {
		t.Fatalf("%d rate plan reads for %d distinct plans", n, len(distinct))
	}
	if n := e.sim.Requests(vendorsim.RouteKoreSimsGet); n != 10 {
		t.Fatalf("%d SIM reads for 10 SIMs named by sid", n)
	}
}

// TestFleetSubscriptionsAndAllowances: usage_subscriptions reads the
// active subscriptions by default, each over its own current period, with
// the simulator's usage; the fleet total is their sum; with include_limits
// the allowances (null = unlimited) stand against the usage at no request.
func TestFleetSubscriptionsAndAllowances(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{Subscriptions: 12})
	r := newProtoReader(t, e)
	state := r.readPlain(t, "usage_subscriptions", map[string]any{"include_limits": true})
	subs := pickList(t, state, "subscriptions")
	plans := map[string]vendorsim.Plan{}
	for _, p := range e.sim.Plans() {
		plans[p.ID] = p
	}
	active := 0
	for _, s := range e.sim.Subscriptions() {
		if s.Status == "active" {
			active++
		}
	}
	if len(subs) != active || active == 0 {
		t.Fatalf("%d subscriptions, want the %d active ones", len(subs), active)
	}
	var sum int64
	sawUnlimited := false
	for _, s := range subs {
		id := pickStr(t, s, "id")
		number := num(t, pick(t, s, "current_period", "number"))
		recs, err := e.sim.GigsRecords(e.sim.Credentials().GigsProject, id, vendorsim.GigsQuery{Period: int(number)})
		if err != nil {
			t.Fatal(err)
		}
		var data int64
		for _, rec := range recs {
			data += rec.Data
		}
		if got := num(t, pick(t, s, "total", "data")); got != data {
			t.Fatalf("%s: data %d, want %d", id, got, data)
		}
		sum += data
		plan := plans[pickStr(t, s, "plan_id")]
		limit := pick(t, s, "limits", "data", "limit")
		if plan.DataBytes == nil {
			sawUnlimited = true
			if limit != nil {
				t.Fatalf("%s: an unlimited plan shows a data limit %v", id, limit)
			}
		} else if num(t, limit) != *plan.DataBytes {
			t.Fatalf("%s: data limit %v, want %d", id, limit, *plan.DataBytes)
		}
		if num(t, pick(t, s, "limits", "data", "used")) != data {
			t.Fatalf("%s: used %v, want %d", id, pick(t, s, "limits", "data", "used"), data)
		}
	}
	if !sawUnlimited {
		t.Fatal("no unlimited plan in the data set")
	}
	if got := num(t, pick(t, state, "total", "data")); got != sum {
		t.Fatalf("total %d, want the sum %d", got, sum)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsList); n != 1 {
		t.Fatalf("%d list pages, want 1", n)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != active {
		t.Fatalf("%d usage requests, want %d", n, active)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsGet); n != 0 {
		t.Fatalf("%d subscription reads, want 0: the list embeds the plans", n)
	}
}

// TestSubscriptionLimits: usage_subscription with include_limits costs one
// subscription read, shared per run, and shows the plan and current period.
func TestSubscriptionLimits(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	sub := e.sim.Subscriptions()[0]
	state := r.readPlain(t, "usage_subscription", map[string]any{"subscription": sub.ID})
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsGet); n != 0 || state["plan"] != nil || state["limits"] != nil {
		t.Fatalf("without include_limits: %d subscription reads, plan %v", n, state["plan"])
	}
	for range 2 {
		state := r.readPlain(t, "usage_subscription", map[string]any{"subscription": sub.ID, "include_limits": true})
		if pick(t, state, "plan", "id") != sub.PlanID || pick(t, state, "current_period", "number") == nil {
			t.Fatalf("plan %v, current_period %v", pick(t, state, "plan"), pick(t, state, "current_period"))
		}
	}
	if n := e.sim.Requests(vendorsim.RouteGigsSubscriptionsGet); n != 1 {
		t.Fatalf("%d subscription reads, want 1 per run", n)
	}
}

// TestFleetFaultRunIsIdentical: with 429s (Retry-After), 503s and gateway
// 502s among the answers, both fleet reads with limits read exactly what a
// calm run reads.
func TestFleetFaultRunIsIdentical(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{SIMs: 60, Subscriptions: 12})
	reads := []struct {
		typeName string
		args     map[string]any
	}{
		{"usage_sims", withArgs(map[string]any{"include_limits": true})},
		{"usage_subscriptions", map[string]any{"include_limits": true, "status": []string{"active", "ended"}}},
	}
	var calm []map[string]any
	r := newProtoReader(t, e)
	for _, rd := range reads {
		calm = append(calm, r.readPlain(t, rd.typeName, rd.args))
	}
	e.sim.ResetCounts()
	e.sim.SetFaults(vendorsim.Faults{RetryAfter: "0", Cycle: 10})
	faulty := newProtoReader(t, e)
	for i, rd := range reads {
		if got := faulty.readPlain(t, rd.typeName, rd.args); !equalPlain(got, calm[i]) {
			t.Fatalf("%s differs on a faulty day", rd.typeName)
		}
	}
	faults := 0
	for _, c := range e.sim.Counts() {
		if c.Status == 429 || c.Status >= 500 {
			faults += c.N
		}
	}
	if faults == 0 {
		t.Fatal("no fault happened")
	}
}

// TestFleetSimsPlanMissingFromTheListFails: a SIM on a rate plan that the
// plan list leaves out fails the read rather than pass with null limits.
func TestFleetSimsPlanMissingFromTheListFails(t *testing.T) {
	e := newTestEnvBehind(t, vendorsim.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/RatePlans" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"rate_plans": [], "meta": {"key": "rate_plans", "next_page_url": null}}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(map[string]any{"include_limits": true}))
	if resp.State != nil || len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail, "which GET /v1/RatePlans does not list") {
		t.Fatalf("diagnostics %v", diagnosticsText(resp.Diagnostics))
	}
}

// TestFleetTotalPastABoundNamesTheSim: the fleet's sums are checked, and the
// error names the SIM at which they went past the bound, with the range.
func TestFleetTotalPastABoundNamesTheSim(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	q := kore.UsageQuery{Start: start, End: start.AddDate(0, 1, 0)}
	member := func(sid string, billed float64) fleetSim {
		return fleetSim{sim: &kore.Sim{Sid: sid}, data: kore.Data{Counts: kore.DataCounts{Billed: billed}}}
	}
	_, _, err := fleetTotal(context.Background(), []fleetSim{member("DE1", kore.MaxBilledSum/2), member("DE2", kore.MaxBilledSum/2), member("DE3", kore.MaxBilledSum/2)}, q)
	if err == nil || !strings.Contains(err.Error(), "(SIM DE3)") || !strings.Contains(err.Error(), "2026-03-01") {
		t.Fatalf("err = %v, want one naming SIM DE3 and the range", err)
	}
}
