package provider

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// Threshold selection (keep): sims / subscriptions hold only the members at
// or over a threshold, checked against the simulator's own numbers; total
// and the requests are those of the same read without keep.

// memberIDs are the ids (at key) of a fleet's members, in state order.
func memberIDs(t *testing.T, state map[string]any, list, key string) []string {
	t.Helper()
	var ids []string
	for _, m := range pickList(t, state, list) {
		ids = append(ids, pickStr(t, m, key))
	}
	return ids
}

// sortedSubset is the ids of all that keep keeps, sorted.
func sortedSubset(all []string, keep func(string) bool) []string {
	var out []string
	for _, id := range all {
		if keep(id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// wantCounts checks sim_count / subscription_count and kept_count.
func wantCounts(t *testing.T, state map[string]any, countAttr string, read, kept int) {
	t.Helper()
	if got := num(t, state[countAttr]); got != int64(read) {
		t.Errorf("%s %d, want %d", countAttr, got, read)
	}
	if got := num(t, state["kept_count"]); got != int64(kept) {
		t.Errorf("kept_count %d, want %d", got, kept)
	}
}

// koreRequests are the KORE requests of one reader so far.
func koreRequests(e *testEnv) map[string]int {
	out := map[string]int{}
	for _, route := range []string{vendorsim.RouteKoreToken, vendorsim.RouteKoreSimsList, vendorsim.RouteKoreUsageSim, vendorsim.RouteKoreRatePlansList} {
		out[route] = e.sim.Requests(route)
	}
	return out
}

// gigsRequests are the Gigs requests of one reader so far.
func gigsRequests(e *testEnv) map[string]int {
	out := map[string]int{}
	for _, route := range []string{vendorsim.RouteGigsSubscriptionsList, vendorsim.RouteGigsSubscriptionsGet, vendorsim.RouteGigsUsage, vendorsim.RouteGigsPlansGet} {
		out[route] = e.sim.Requests(route)
	}
	return out
}

// TestKeepSimsByDataBytes: keep.data_bytes keeps exactly the SIMs whose
// data total (the simulator's) is at or over it, in sid order; total and
// sim_count are those of every SIM read, and the requests are exactly the
// read's without keep.
func TestKeepSimsByDataBytes(t *testing.T) {
	const n = 60
	e := newTestEnvWith(t, vendorsim.Options{SIMs: n})
	totals := map[string]int64{}
	var sids []string
	var values []int64
	for _, s := range e.sim.SIMs() {
		total, _, _, _ := simDataTotal(e, s.Sid)
		totals[s.Sid] = total
		sids = append(sids, s.Sid)
		values = append(values, total)
	}
	slices.Sort(values)
	threshold := values[n/2] // a SIM exactly at it is kept
	want := sortedSubset(sids, func(sid string) bool { return totals[sid] >= threshold })
	if len(want) == 0 || len(want) == n {
		t.Fatalf("threshold %d keeps %d of %d SIMs: the data set does not test it", threshold, len(want), n)
	}

	r := newProtoReader(t, e)
	kept := r.readPlain(t, "usage_sims", withArgs(map[string]any{"keep": map[string]any{"data_bytes": threshold}}))
	wantRequests := map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreSimsList: 1, vendorsim.RouteKoreUsageSim: n, vendorsim.RouteKoreRatePlansList: 0}
	if got := koreRequests(e); !mapsEqual(got, wantRequests) {
		t.Errorf("requests with keep %v, want %v", got, wantRequests)
	}
	if got := memberIDs(t, kept, "sims", "sid"); !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	wantCounts(t, kept, "sim_count", n, len(want))

	// The same read without keep in a fresh provider: the same requests and total.
	e2 := newTestEnvWith(t, vendorsim.Options{SIMs: n})
	every := newProtoReader(t, e2).readPlain(t, "usage_sims", withArgs(nil))
	if got := koreRequests(e2); !mapsEqual(got, wantRequests) {
		t.Errorf("requests without keep %v, want %v", got, wantRequests)
	}
	if !equalPlain(kept["total"], every["total"]) {
		t.Fatalf("total with keep %v differs from without %v", kept["total"], every["total"])
	}
	wantCounts(t, every, "sim_count", n, n)
	for i, s := range pickList(t, kept, "sims") {
		if !equalPlain(s, findMember(t, every, "sims", "sid", want[i])) {
			t.Fatalf("kept SIM %s differs from the same SIM without keep", want[i])
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// findMember is the member of list whose key is id.
func findMember(t *testing.T, state map[string]any, list, key, id string) any {
	t.Helper()
	for _, m := range pickList(t, state, list) {
		if pickStr(t, m, key) == id {
			return m
		}
	}
	t.Fatalf("no %s %s", key, id)
	return nil
}

// koreOver is whether a SIM's buckets (the simulator's) reach used_percent
// p against its rate plan, or any limit.
func koreOver(e *testEnv, s vendorsim.SIM, plans map[string]vendorsim.RatePlan, p float64) bool {
	plan, ok := plans[s.RatePlanSid]
	if !ok {
		return false
	}
	_, home, national, international := simDataTotal(e, s.Sid)
	for _, b := range []struct {
		mb   *int64
		used int64
	}{{plan.DataLimitMB, home}, {plan.NationalRoamingDataLimitMB, national}, {plan.InternationalRoamingDataLimitMB, international}} {
		if b.mb == nil {
			continue
		}
		limit := *b.mb * 1_000_000
		if limit == 0 {
			if b.used > 0 {
				return true
			}
			continue
		}
		if b.used >= limit || 100*float64(b.used)/float64(limit) >= p {
			return true
		}
	}
	return false
}

// TestKeepSimsByUsedPercent: keep.used_percent keeps the SIMs with a bucket
// at or over it, or over a limit (a threshold past every percentage keeps
// exactly those with over_limit true), computed from the simulator's rate
// plans and usage.
func TestKeepSimsByUsedPercent(t *testing.T) {
	const n = 40
	e := newTestEnvWith(t, vendorsim.Options{SIMs: n})
	plans := map[string]vendorsim.RatePlan{}
	for _, p := range e.sim.RatePlans() {
		plans[p.Sid] = p
	}
	sims := map[string]vendorsim.SIM{}
	var sids []string
	for _, s := range e.sim.SIMs() {
		sims[s.Sid] = s
		sids = append(sids, s.Sid)
	}
	r := newProtoReader(t, e)
	every := r.readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true}))
	// The same read with keep in a fresh provider (a run's reads share the
	// usage they read): exactly the requests of the read without keep.
	wantRequests := koreRequests(e)
	e2 := newTestEnvWith(t, vendorsim.Options{SIMs: n})
	newProtoReader(t, e2).readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true, "keep": map[string]any{"used_percent": 50.0}}))
	if got := koreRequests(e2); !mapsEqual(got, wantRequests) {
		t.Errorf("requests with keep %v, want those without %v", got, wantRequests)
	}
	sawOverOnly := false
	for _, p := range []float64{50, 1e9} {
		want := sortedSubset(sids, func(sid string) bool { return koreOver(e, sims[sid], plans, p) })
		if len(want) == 0 || len(want) == n {
			t.Fatalf("used_percent %v keeps %d of %d SIMs: the data set does not test it", p, len(want), n)
		}
		state := r.readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true, "keep": map[string]any{"used_percent": p}}))
		if got := memberIDs(t, state, "sims", "sid"); !slices.Equal(got, want) {
			t.Fatalf("used_percent %v: kept %v, want %v", p, got, want)
		}
		wantCounts(t, state, "sim_count", n, len(want))
		if !equalPlain(state["total"], every["total"]) {
			t.Fatalf("used_percent %v: total differs from the read without keep", p)
		}
		if p == 1e9 {
			for _, s := range pickList(t, state, "sims") {
				if pick(t, s, "over_limit") != true {
					t.Fatalf("used_percent 1e9 kept %s, which is not over a limit", pickStr(t, s, "sid"))
				}
			}
			sawOverOnly = true
		}
	}
	if !sawOverOnly {
		t.Fatal("over_limit alone was not tested")
	}

	// A SIM exactly at the threshold is kept: take the highest used_percent
	// under 100 the read saw and keep at exactly it.
	at, atSid := -1.0, ""
	for _, s := range pickList(t, every, "sims") {
		limits, ok := pick(t, s, "limits").(map[string]any)
		if !ok || pick(t, s, "over_limit") == true {
			continue
		}
		for _, b := range limits {
			if b == nil {
				continue
			}
			v, ok := b.(map[string]any)["used_percent"].(string)
			if !ok {
				continue
			}
			if p, err := strconv.ParseFloat(strings.TrimPrefix(v, "n:"), 64); err == nil && p < 100 && p > at {
				at, atSid = p, pickStr(t, s, "sid")
			}
		}
	}
	if atSid == "" {
		t.Fatal("no SIM under its limits with a used_percent: the data set does not test the boundary")
	}
	state := r.readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true, "keep": map[string]any{"used_percent": at}}))
	if !slices.Contains(memberIDs(t, state, "sims", "sid"), atSid) {
		t.Fatalf("used_percent %v left out %s, which is at exactly it", at, atSid)
	}
}

// gigsTotals are the simulator's data, voice and SMS of a subscription over
// its current period (number).
func gigsTotals(t *testing.T, e *testEnv, id string, number int64) (data, voice, sms int64) {
	t.Helper()
	recs, err := e.sim.GigsRecords(e.sim.Credentials().GigsProject, id, vendorsim.GigsQuery{Period: int(number)})
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		data += rec.Data
		voice += rec.Voice
		sms += rec.Sms
	}
	return data, voice, sms
}

// TestKeepSubscriptions: keep.voice_seconds, keep.sms, keep.data_bytes and
// keep.used_percent each keep exactly the subscriptions (the simulator's
// usage over each one's current period, and its plan's allowances) at or
// over them, two thresholds keep either's, in id order; total,
// subscription_count and the requests are those of the read without keep.
func TestKeepSubscriptions(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{Subscriptions: 16})
	r := newProtoReader(t, e)
	every := r.readPlain(t, "usage_subscriptions", map[string]any{"include_limits": true})
	// The same read with keep in a fresh provider (a run's reads share the
	// usage they read): exactly the requests of the read without keep.
	wantRequests := gigsRequests(e)
	e2 := newTestEnvWith(t, vendorsim.Options{Subscriptions: 16})
	newProtoReader(t, e2).readPlain(t, "usage_subscriptions", map[string]any{"include_limits": true, "keep": map[string]any{"sms": int64(10)}})
	if got := gigsRequests(e2); !mapsEqual(got, wantRequests) {
		t.Errorf("requests with keep %v, want those without %v", got, wantRequests)
	}
	plans := map[string]vendorsim.Plan{}
	for _, p := range e.sim.Plans() {
		plans[p.ID] = p
	}
	type usage struct {
		data, voice, sms int64
		plan             vendorsim.Plan
	}
	subs := map[string]usage{}
	var ids []string
	var voices, smss, datas []int64
	for _, s := range pickList(t, every, "subscriptions") {
		id := pickStr(t, s, "id")
		d, v, m := gigsTotals(t, e, id, num(t, pick(t, s, "current_period", "number")))
		subs[id] = usage{d, v, m, plans[pickStr(t, s, "plan_id")]}
		ids = append(ids, id)
		voices, smss, datas = append(voices, v), append(smss, m), append(datas, d)
	}
	n := len(ids)
	if n < 4 {
		t.Fatalf("%d active subscriptions: too few to test keep", n)
	}
	median := func(v []int64) int64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
	voiceT, smsT, dataT := median(voices), median(smss), median(datas)
	overPercent := func(u usage, p float64) bool {
		for _, b := range []struct {
			limit *int64
			used  int64
		}{{u.plan.DataBytes, u.data}, {u.plan.VoiceSeconds, u.voice}, {u.plan.SmsMessages, u.sms}} {
			if b.limit == nil {
				continue
			}
			if *b.limit == 0 {
				if b.used > 0 {
					return true
				}
				continue
			}
			if b.used >= *b.limit || 100*float64(b.used)/float64(*b.limit) >= p {
				return true
			}
		}
		return false
	}
	cases := []struct {
		name string
		keep map[string]any
		want func(usage) bool
	}{
		{"voice", map[string]any{"voice_seconds": voiceT}, func(u usage) bool { return u.voice >= voiceT }},
		{"sms", map[string]any{"sms": smsT}, func(u usage) bool { return u.sms >= smsT }},
		{"data", map[string]any{"data_bytes": dataT}, func(u usage) bool { return u.data >= dataT }},
		{"voice or sms", map[string]any{"voice_seconds": voiceT, "sms": smsT}, func(u usage) bool { return u.voice >= voiceT || u.sms >= smsT }},
		{"used_percent", map[string]any{"used_percent": 20.0}, func(u usage) bool { return overPercent(u, 20) }},
	}
	// For each bucket, a threshold some subscription reaches by that bucket
	// alone, so that every bucket is shown to count.
	percents := func(u usage) []float64 {
		var out []float64
		for _, b := range []struct {
			limit *int64
			used  int64
		}{{u.plan.DataBytes, u.data}, {u.plan.VoiceSeconds, u.voice}, {u.plan.SmsMessages, u.sms}} {
			p := -1.0 // no limit, or a limit of 0: not a percentage
			if b.limit != nil && *b.limit > 0 {
				p = 100 * float64(b.used) / float64(*b.limit)
			}
			out = append(out, p)
		}
		return out
	}
	for k, bucket := range []string{"data", "voice", "sms"} {
		found := false
		for _, id := range ids {
			u := subs[id]
			ps := percents(u)
			others := slices.Delete(slices.Clone(ps), k, k+1)
			if top := slices.Max(others); ps[k] > top && ps[k] < 100 && !overPercent(u, 100) {
				p := (ps[k] + max(top, 0)) / 2
				cases = append(cases, struct {
					name string
					keep map[string]any
					want func(usage) bool
				}{"used_percent by " + bucket + " alone", map[string]any{"used_percent": p}, func(u usage) bool { return overPercent(u, p) }})
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("no subscription reaches a used_percent by its %s bucket alone: the data set does not test it", bucket)
		}
	}
	for _, c := range cases {
		want := sortedSubset(ids, func(id string) bool { return c.want(subs[id]) })
		if len(want) == 0 || len(want) == n {
			t.Fatalf("%s keeps %d of %d subscriptions: the data set does not test it", c.name, len(want), n)
		}
		state := r.readPlain(t, "usage_subscriptions", map[string]any{"include_limits": true, "keep": c.keep})
		if got := memberIDs(t, state, "subscriptions", "id"); !slices.Equal(got, want) {
			t.Fatalf("%s: kept %v, want %v", c.name, got, want)
		}
		wantCounts(t, state, "subscription_count", n, len(want))
		if !equalPlain(state["total"], every["total"]) {
			t.Fatalf("%s: total %v differs from the read without keep %v", c.name, state["total"], every["total"])
		}
	}
	wantCounts(t, every, "subscription_count", n, n)
}

// TestKeepBoundAppliesToKept: with keep, max_fleet_members bounds the
// members kept, after every usage read: a fleet past the bound whose keep
// keeps few is read, and a keep that keeps too many fails, naming counts,
// bound and the fix.
func TestKeepBoundAppliesToKept(t *testing.T) {
	t.Setenv(envMaxFleetMembers, "4")
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	allStatuses := []string{"active", "ended", "pending", "initiated"}

	few := r.readPlain(t, "usage_sims", withArgs(map[string]any{"keep": map[string]any{"data_bytes": int64(1) << 60}}))
	wantCounts(t, few, "sim_count", 25, 0)
	if n := e.sim.Requests(vendorsim.RouteKoreUsageSim); n != 25 {
		t.Fatalf("%d usage requests, want 25", n)
	}
	resp := r.readResponse(t, "usage_sims", withArgs(map[string]any{"keep": map[string]any{"data_bytes": int64(0)}}))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	for _, want := range []string{"keep selects 25 of the 25 SIMs", "max_fleet_members (4", envMaxFleetMembers, "thresholds"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("the diagnostic does not say %q: %s", want, d.Detail)
		}
	}

	// Exactly the bound is allowed, one more is not.
	var totals []int64
	for _, s := range e.sim.SIMs() {
		total, _, _, _ := simDataTotal(e, s.Sid)
		totals = append(totals, total)
	}
	slices.Sort(totals)
	slices.Reverse(totals)
	if totals[3] == totals[4] {
		t.Fatal("the 4th and 5th largest data totals are equal: the data set does not test the bound")
	}
	wantCounts(t, r.readPlain(t, "usage_sims", withArgs(map[string]any{"keep": map[string]any{"data_bytes": totals[3]}})), "sim_count", 25, 4)
	resp = r.readResponse(t, "usage_sims", withArgs(map[string]any{"keep": map[string]any{"data_bytes": totals[4]}}))
	if d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError); !strings.Contains(d.Detail, "keep selects 5 of the 25 SIMs") {
		t.Errorf("one past the bound: %s", d.Detail)
	}

	fewSubs := r.readPlain(t, "usage_subscriptions", map[string]any{"status": allStatuses, "keep": map[string]any{"sms": int64(1) << 60}})
	wantCounts(t, fewSubs, "subscription_count", 6, 0)
	resp = r.readResponse(t, "usage_subscriptions", map[string]any{"status": allStatuses, "keep": map[string]any{"data_bytes": int64(0)}})
	d = onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, "keep selects 6 of the 6 subscriptions") {
		t.Errorf("subscriptions: %s", d.Detail)
	}
}

// TestKeepValidation: keep needs a threshold, used_percent needs
// include_limits, and thresholds are not negative; each is one error on its
// attribute at validate time.
func TestKeepValidation(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	validate := func(typeName string, args map[string]any) []*tfprotov6.Diagnostic {
		t.Helper()
		return r.validate(t, typeName, args)
	}
	keepPath := tftypes.NewAttributePath().WithAttributeName("keep")
	for _, typeName := range []string{"usage_sims", "usage_subscriptions"} {
		cases := []struct {
			args   map[string]any
			attr   *tftypes.AttributePath
			detail []string
		}{
			{map[string]any{"keep": map[string]any{"used_percent": 80.0}}, keepPath.WithAttributeName("used_percent"), []string{"include_limits = true"}},
			{map[string]any{"include_limits": false, "keep": map[string]any{"used_percent": 80.0}}, keepPath.WithAttributeName("used_percent"), []string{"include_limits = true"}},
			{map[string]any{"keep": map[string]any{}}, keepPath, []string{"data_bytes"}},
			{map[string]any{"include_limits": true, "keep": map[string]any{"used_percent": -1.0}}, keepPath.WithAttributeName("used_percent"), nil},
			{map[string]any{"keep": map[string]any{"data_bytes": int64(-1)}}, keepPath.WithAttributeName("data_bytes"), nil},
		}
		if typeName == "usage_subscriptions" {
			cases = append(cases,
				struct {
					args   map[string]any
					attr   *tftypes.AttributePath
					detail []string
				}{map[string]any{"keep": map[string]any{"voice_seconds": int64(-1)}}, keepPath.WithAttributeName("voice_seconds"), nil},
				struct {
					args   map[string]any
					attr   *tftypes.AttributePath
					detail []string
				}{map[string]any{"keep": map[string]any{"sms": int64(-5)}}, keepPath.WithAttributeName("sms"), nil})
		}
		for _, c := range cases {
			diags := validate(typeName, c.args)
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || !diags[0].Attribute.Equal(c.attr) {
				t.Errorf("%s %v: want one error on %s, got %s", typeName, c.args, c.attr, diagnosticsText(diags))
				continue
			}
			for _, want := range c.detail {
				if !strings.Contains(diags[0].Detail, want) {
					t.Errorf("%s %v: the error does not say %q: %s", typeName, c.args, want, diags[0].Detail)
				}
			}
		}
		for _, ok := range []map[string]any{
			{"include_limits": true, "keep": map[string]any{"used_percent": 0.0}},
			{"keep": map[string]any{"data_bytes": int64(0)}},
			{},
		} {
			if diags := validate(typeName, ok); len(diags) != 0 {
				t.Errorf("%s %v: %s", typeName, ok, diagnosticsText(diags))
			}
		}
	}
}
