package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// Promises of the documentation and the fleet/limits contract that no other
// test pins, one test each, read the way Terraform reads (protocol 6,
// msgpack) from the provider's own server.

// simAt is a simulator like the one newTestEnv serves, for working out what
// a test bends before its environment exists.
func simAt(now time.Time, opts vendorsim.Options) *vendorsim.Server {
	opts.Seed, opts.Now = 1, func() time.Time { return now }
	return vendorsim.New(opts)
}

// rewritingJSON is a wrap for newTestEnvBehind: the JSON answers of the
// requests that match pass through edit before they reach the provider.
func rewritingJSON(match func(*http.Request) bool, edit func(v any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK {
				dec := json.NewDecoder(bytes.NewReader(body))
				dec.UseNumber()
				var v any
				if err := dec.Decode(&v); err != nil {
					panic(fmt.Sprintf("%s answered no JSON: %v", r.URL.Path, err))
				}
				edit(v)
				var err error
				if body, err = json.Marshal(v); err != nil {
					panic(err)
				}
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

// jsonObjects calls f on every JSON object in v, depth first.
func jsonObjects(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, e := range x {
			jsonObjects(e, f)
		}
	case []any:
		for _, e := range x {
			jsonObjects(e, f)
		}
	}
}

var gigsSubscriptionsList = regexp.MustCompile(`^/projects/[^/]+/subscriptions$`)

// isGigsSubscriptionObject matches the requests that answer subscription
// objects: the list and GET of one subscription (not its usage).
func isGigsSubscriptionObject(r *http.Request) bool {
	return gigsSubscriptionsList.MatchString(r.URL.Path) || gigsSubscriptionRequest(r, "", false) && !strings.HasSuffix(r.URL.Path, "/usage")
}

// withDataAllowance answers subscription id with a plan that allows data
// bytes and unlimited voice and SMS, so that only the data bucket can reach
// its limit.
func withDataAllowance(id string, data int64) func(http.Handler) http.Handler {
	return rewritingJSON(isGigsSubscriptionObject, func(v any) {
		jsonObjects(v, func(o map[string]any) {
			if o["object"] != "subscription" || o["id"] != id {
				return
			}
			plan, ok := o["plan"].(map[string]any)
			if !ok {
				panic("a subscription without a plan object")
			}
			plan["allowances"] = map[string]any{"dataBytes": data, "voiceSeconds": nil, "smsMessages": nil}
		})
	})
}

// activeWithData is an active subscription of sim with data used in its
// current period, that period's number, and the bytes used.
func activeWithData(t *testing.T, sim *vendorsim.Server) (id string, period int, used int64) {
	t.Helper()
	for _, s := range sim.Subscriptions() {
		if s.Status != "active" || len(s.Periods) == 0 {
			continue
		}
		n := s.Periods[len(s.Periods)-1].Number
		recs, err := sim.GigsRecords(s.Project, s.ID, vendorsim.GigsQuery{Period: n})
		if err != nil {
			t.Fatal(err)
		}
		var data int64
		for _, r := range recs {
			data += r.Data
		}
		if data > 0 {
			return s.ID, n, data
		}
	}
	t.Fatal("no active subscription used data in its current period")
	return "", 0, 0
}

// subscriptionLimits reads subscription id with include_limits through
// usage_subscription (its period) and usage_subscriptions (every active
// subscription, each over its current period), and returns both views of
// it: its state attributes limits and over_limit.
func subscriptionLimits(t *testing.T, e *testEnv, id string, period int) map[string]map[string]any {
	t.Helper()
	r := newProtoReader(t, e)
	views := map[string]map[string]any{
		"usage_subscription": r.readPlain(t, "usage_subscription", map[string]any{"subscription": id, "period": int64(period), "include_limits": true}),
	}
	for _, s := range pickList(t, r.readPlain(t, "usage_subscriptions", map[string]any{"include_limits": true}), "subscriptions") {
		if pickStr(t, s, "id") == id {
			m, ok := s.(map[string]any)
			if !ok {
				t.Fatal("a subscription is not an object")
			}
			views["usage_subscriptions"] = m
		}
	}
	if views["usage_subscriptions"] == nil {
		t.Fatalf("usage_subscriptions does not list %s", id)
	}
	return views
}

// TestOverLimitAtExactlyTheLimit: usage equal to the limit is 100% of it,
// exactly, and over the limit ("at or above 100"), through both Gigs data
// sources.
func TestOverLimitAtExactlyTheLimit(t *testing.T) {
	id, period, used := activeWithData(t, simAt(testNow, vendorsim.Options{}))
	e := newTestEnvBehind(t, vendorsim.Options{}, withDataAllowance(id, used))
	for via, s := range subscriptionLimits(t, e, id, period) {
		data := pick(t, s, "limits", "data")
		if num(t, pick(t, data, "limit")) != used || num(t, pick(t, data, "used")) != used {
			t.Fatalf("%s: data %v, want limit and used %d", via, data, used)
		}
		if p := pick(t, data, "used_percent"); p != "n:100" {
			t.Errorf("%s: used_percent %v at the limit, want exactly 100", via, p)
		}
		if o := pick(t, s, "over_limit"); o != true {
			t.Errorf("%s: over_limit %v at 100%% of the only limit, want true", via, o)
		}
	}
}

// TestZeroLimitWithAnyUseIsOverIt: a limit of 0 (a plan that allows none)
// with any use is over the limit, and its used_percent is null, not a
// division by zero: for a Gigs allowance of 0 bytes and a KORE rate plan of
// 0 MB. The simulator's own 0 MB plan has data switched off, so its SIMs
// never use any; the plans here are bent.
func TestZeroLimitWithAnyUseIsOverIt(t *testing.T) {
	t.Run("gigs", func(t *testing.T) {
		id, period, used := activeWithData(t, simAt(testNow, vendorsim.Options{}))
		e := newTestEnvBehind(t, vendorsim.Options{}, withDataAllowance(id, 0))
		for via, s := range subscriptionLimits(t, e, id, period) {
			data := pick(t, s, "limits", "data")
			if num(t, pick(t, data, "limit")) != 0 || num(t, pick(t, data, "used")) != used {
				t.Fatalf("%s: data %v, want limit 0 and used %d", via, data, used)
			}
			if p := pick(t, data, "used_percent"); p != nil {
				t.Errorf("%s: used_percent %v of a limit of 0, want null", via, p)
			}
			if o := pick(t, s, "over_limit"); o != true {
				t.Errorf("%s: over_limit %v with %d bytes used of 0, want true", via, o, used)
			}
		}
	})
	t.Run("kore", func(t *testing.T) {
		// Every rate plan allows 0 MB at home and sets no roaming limit.
		e := newTestEnvBehind(t, vendorsim.Options{}, rewritingJSON(func(r *http.Request) bool {
			return strings.HasPrefix(r.URL.Path, "/v1/RatePlans")
		}, func(v any) {
			jsonObjects(v, func(o map[string]any) {
				if _, ok := o["data_limit"]; ok {
					o["data_limit"], o["national_roaming_data_limit"], o["international_roaming_data_limit"] = 0, nil, nil
				}
			})
		}))
		var sid string
		var home int64
		for _, s := range e.sim.SIMs() {
			if _, h, _, _ := simDataTotal(e, s.Sid); s.RatePlanSid != "" && h > 0 {
				sid, home = s.Sid, h
				break
			}
		}
		if sid == "" {
			t.Fatal("no SIM on a rate plan used data at home")
		}
		r := newProtoReader(t, e)
		views := map[string]any{"usage_sim": r.readPlain(t, "usage_sim", withArgs(map[string]any{"sid": sid, "include_limits": true}))}
		for _, s := range pickList(t, r.readPlain(t, "usage_sims", withArgs(map[string]any{"include_limits": true})), "sims") {
			if pickStr(t, s, "sid") == sid {
				views["usage_sims"] = s
			}
		}
		for via, s := range views {
			b := pick(t, s, "limits", "data_home")
			if num(t, pick(t, b, "limit")) != 0 || num(t, pick(t, b, "used")) != home {
				t.Fatalf("%s: data_home %v, want limit 0 and used %d", via, b, home)
			}
			if p := pick(t, b, "used_percent"); p != nil {
				t.Errorf("%s: used_percent %v of a limit of 0, want null", via, p)
			}
			if o := pick(t, s, "over_limit"); o != true {
				t.Errorf("%s: over_limit %v with %d bytes used of 0, want true", via, o, home)
			}
		}
	})
}

// TestRatePlanSidFilterRefusesASimOnAnotherPlan: a server that ignores the
// RatePlan filter given as a SID answers SIMs on other plans; the read fails
// naming one rather than count them in the fleet.
func TestRatePlanSidFilterRefusesASimOnAnotherPlan(t *testing.T) {
	e := newTestEnvBehind(t, vendorsim.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/Sims" {
				q := r.URL.Query()
				q.Del("RatePlan")
				r = r.Clone(r.Context())
				r.URL.RawQuery = q.Encode()
			}
			next.ServeHTTP(w, r)
		})
	})
	plan := e.sim.SIMs()[0].RatePlanSid
	others := 0
	for _, s := range e.sim.SIMs() {
		if s.RatePlanSid != plan {
			others++
		}
	}
	if plan == "" || others == 0 {
		t.Fatalf("the data set has no SIM on a plan other than %q", plan)
	}
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(map[string]any{"rate_plan": plan}))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, "which the RatePlan filter excludes") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreUsageSim); n != 0 {
		t.Fatalf("%d usage requests after a list the filter does not hold", n)
	}
}

// counting is answering that also counts the answers it gave.
func counting(n *atomic.Int32, match func(*http.Request) bool, status int, body string) func(http.Handler) http.Handler {
	return answering(func(r *http.Request) bool {
		if match(r) {
			n.Add(1)
			return true
		}
		return false
	}, status, body)
}

// TestFleetMemberRefusedOrThrottledFailsTheRead: one fleet member whose
// usage answers 403, or 429 on every attempt, fails the whole read, naming
// it: one error, no warning and no state, for a SIM and for a
// subscription.
func TestFleetMemberRefusedOrThrottledFailsTheRead(t *testing.T) {
	base := simAt(testNow, vendorsim.Options{})
	sid := base.SIMs()[2].Sid
	sub, _, _ := activeWithData(t, base)
	const attempts = 13 // the first and newProtoReader's max_retries of 12
	for _, c := range []struct {
		name, typeName, member string
		status, attempts       int
		body                   string
	}{
		{"sim 403", "usage_sims", sid, http.StatusForbidden, 1,
			`{"code":20403,"status":403,"message":"Forbidden","more_info":"https://docs.korewireless.com/errors/20403"}`},
		{"sim 429", "usage_sims", sid, http.StatusTooManyRequests, attempts,
			`{"code":20429,"status":429,"message":"Too Many Requests","more_info":"https://docs.korewireless.com/errors/20429"}`},
		{"subscription 403", "usage_subscriptions", sub, http.StatusForbidden, 1,
			`{"object":"error","type":"forbidden","message":"Access to this resource is forbidden."}`},
		{"subscription 429", "usage_subscriptions", sub, http.StatusTooManyRequests, attempts,
			`{"object":"error","type":"tooManyRequests","message":"Too many requests."}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var answered atomic.Int32
			e := newTestEnvBehind(t, vendorsim.Options{}, counting(&answered, func(r *http.Request) bool {
				return r.URL.Path == "/v1/Sims/"+c.member+"/UsageRecords" || gigsSubscriptionRequest(r, c.member, true)
			}, c.status, c.body))
			args := withArgs(nil)
			if c.typeName == "usage_subscriptions" {
				args = map[string]any{}
			}
			resp := newProtoReader(t, e).readResponse(t, c.typeName, args)
			d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
			if !strings.Contains(d.Detail, "(first: "+c.member+")") || !strings.Contains(d.Detail, fmt.Sprint(c.status)) {
				t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
			}
			if n := int(answered.Load()); n != c.attempts {
				t.Fatalf("the member was answered %d times, want %d", n, c.attempts)
			}
		})
	}
}

// TestFleetSubscriptionsOrderedByID: usage_subscriptions lists its
// subscriptions ordered by id, whatever order Gigs lists them in (newest
// first).
func TestFleetSubscriptionsOrderedByID(t *testing.T) {
	var mu sync.Mutex
	var listed []string
	e := newTestEnvBehind(t, vendorsim.Options{Subscriptions: 40}, rewritingJSON(func(r *http.Request) bool {
		return gigsSubscriptionsList.MatchString(r.URL.Path)
	}, func(v any) {
		jsonObjects(v, func(o map[string]any) {
			if o["object"] == "subscription" {
				mu.Lock()
				listed = append(listed, fmt.Sprint(o["id"]))
				mu.Unlock()
			}
		})
	}))
	state := newProtoReader(t, e).readPlain(t, "usage_subscriptions", map[string]any{"status": []string{"pending", "initiated", "active", "ended"}})
	var ids []string
	for _, s := range pickList(t, state, "subscriptions") {
		ids = append(ids, pickStr(t, s, "id"))
	}
	mu.Lock()
	defer mu.Unlock()
	if slices.IsSorted(listed) {
		t.Fatal("Gigs listed the subscriptions in id order already; the test would prove nothing")
	}
	want := slices.Sorted(slices.Values(listed))
	if len(ids) != len(want) || len(ids) != 40 {
		t.Fatalf("%d subscriptions, want the %d listed", len(ids), len(want))
	}
	for i := range ids {
		if ids[i] != want[i] {
			t.Fatalf("subscription %d is %s, want %s: not ordered by id", i, ids[i], want[i])
		}
	}
}

// TestMeteringPeriodWithAClockNotInUTC: the metering period starts at
// 00:00 UTC of the metering day whatever the clock's zone: at
// 2026-03-31T23:30-01:00, which is 1 April in UTC, day 1's period starts on
// 1 April, not 1 March.
func TestMeteringPeriodWithAClockNotInUTC(t *testing.T) {
	now := time.Date(2026, time.March, 31, 23, 30, 0, 0, time.FixedZone("-01", -3600))
	e := newTestEnvAt(t, now)
	r := newProtoReader(t, e)
	args := map[string]any{"window": "metering_period", "metering_day": int64(1)}
	for _, typeName := range []string{"usage_sim", "usage_sims"} {
		a := args
		if typeName == "usage_sim" {
			a = map[string]any{"sid": e.sim.SIMs()[0].Sid, "window": "metering_period", "metering_day": int64(1)}
		}
		state := r.readPlain(t, typeName, a)
		if state["start"] != "2026-04-01T00:00:00Z" || state["end"] != "2026-04-01T00:30:00Z" {
			t.Errorf("%s: metering period %v to %v, want 2026-04-01T00:00:00Z to 2026-04-01T00:30:00Z", typeName, state["start"], state["end"])
		}
	}
}

// TestSubscriptionCurrentPeriodValues: current_period is the simulator's
// own current period, number, start and end, for every subscription of
// usage_subscriptions (null for one that is not active) and for
// usage_subscription with include_limits.
func TestSubscriptionCurrentPeriodValues(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{Subscriptions: 12})
	r := newProtoReader(t, e)
	want := map[string]map[string]any{}
	active := ""
	for _, s := range e.sim.Subscriptions() {
		if s.Status != "active" {
			want[s.ID] = nil
			continue
		}
		p := s.Periods[len(s.Periods)-1]
		want[s.ID] = map[string]any{"number": fmt.Sprintf("n:%d", p.Number),
			"start": p.Start.UTC().Format(time.RFC3339), "end": p.End.UTC().Format(time.RFC3339)}
		active = s.ID
	}
	if active == "" {
		t.Fatal("no active subscription")
	}
	state := r.readPlain(t, "usage_subscriptions", map[string]any{"status": []string{"pending", "initiated", "active", "ended"}})
	subs := pickList(t, state, "subscriptions")
	if len(subs) != len(want) {
		t.Fatalf("%d subscriptions, want %d", len(subs), len(want))
	}
	for _, s := range subs {
		id := pickStr(t, s, "id")
		if got := pick(t, s, "current_period"); !equalPlain(got, anyOf(want[id])) {
			t.Errorf("%s: current_period %v, want %v", id, got, want[id])
		}
	}
	one := r.readPlain(t, "usage_subscription", map[string]any{"subscription": active, "include_limits": true})
	if got := one["current_period"]; !equalPlain(got, anyOf(want[active])) {
		t.Errorf("usage_subscription %s: current_period %v, want %v", active, got, want[active])
	}
}

// anyOf is m as plain returns objects: nil for a nil map.
func anyOf(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

// TestSubscriptionsProjectFromTheProviderBlock: usage_subscriptions
// without project reads and writes the provider block's gigs.project.
func TestSubscriptionsProjectFromTheProviderBlock(t *testing.T) {
	e := newTestEnv(t)
	project := e.sim.Credentials().GigsProject
	state := newProtoReader(t, e).readPlain(t, "usage_subscriptions", map[string]any{})
	if state["project"] != project || !strings.HasPrefix(pickStr(t, state, "id"), project+"/") {
		t.Fatalf("project %v, id %v; the provider block says %s", state["project"], state["id"], project)
	}
	if len(pickList(t, state, "subscriptions")) == 0 {
		t.Fatal("no subscription read")
	}
}

// waves holds the requests it matches at the server until as many are in
// flight as the cap allows (or as are left), then lets that wave through,
// so a fan-out that keeps to the cap fills every wave and never waits on a
// clock. A request counts as in flight from its arrival until its answer is
// ready, inside the time the client holds its slot, so a fan-out that keeps
// to the cap is never seen past it. One that runs more at once is seen past
// it when a request beyond the cap arrives while a wave is being answered:
// every time tried for a cap ignored (the default of 10 against 3), most
// times for a cap exceeded by one (no event tells a fan-out waiting on its
// cap from one about to send more, so no test can wait for the difference).
type waves struct {
	match     func(*http.Request) bool
	cap, left int

	mu       sync.Mutex
	inFlight int
	peak     int
	held     []chan struct{}
}

func (g *waves) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		release := make(chan struct{})
		g.mu.Lock()
		g.inFlight++
		g.peak = max(g.peak, g.inFlight)
		g.held = append(g.held, release)
		if len(g.held) >= min(g.cap, g.left) {
			for _, c := range g.held {
				close(c)
			}
			g.left -= len(g.held)
			g.held = nil
		}
		g.mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done(): // the read gave up: its diagnostic says why
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = io.Copy(w, rec.Body)
	})
}

// TestFanOutKeepsToMaxConcurrentRequests: a fleet read never has more SIM
// (or subscription) usage reads in flight than max_concurrent_requests, and
// reaches it.
func TestFanOutKeepsToMaxConcurrentRequests(t *testing.T) {
	const limit = 3
	for _, c := range []struct {
		typeName string
		args     map[string]any
		match    func(*http.Request) bool
		members  func(*vendorsim.Server) int
	}{
		{"usage_sims", map[string]any{"window": "last_7_days"}, isSimUsage,
			func(s *vendorsim.Server) int { return len(s.SIMs()) }},
		{"usage_subscriptions", map[string]any{"status": []string{"pending", "initiated", "active", "ended"}},
			func(r *http.Request) bool { return gigsSubscriptionRequest(r, "", true) },
			func(s *vendorsim.Server) int { return len(s.Subscriptions()) }},
	} {
		t.Run(c.typeName, func(t *testing.T) {
			opts := vendorsim.Options{SIMs: 200, Subscriptions: 100}
			g := &waves{match: c.match, cap: limit, left: c.members(simAt(testNow, opts))}
			e := newTestEnvBehind(t, opts, g.wrap)
			server, err := serverOf(&usageProvider{version: "test", now: func() time.Time { return e.now }})()
			if err != nil {
				t.Fatal(err)
			}
			creds := e.sim.Credentials()
			r := configuredReader(t, server, map[string]any{
				"kore": map[string]any{
					"client_id": creds.KoreClientID, "client_secret": creds.KoreClientSecret,
					"endpoint": e.url, "token_url": e.url + "/api-services/v1/auth/token",
				},
				"gigs":                    map[string]any{"api_key": creds.GigsAPIKey, "project": creds.GigsProject, "endpoint": e.url},
				"max_concurrent_requests": int64(limit),
			})
			args := c.args
			args["timeouts"] = map[string]any{"read": "2m"} // only for a fan-out that never fills a wave
			r.read(t, c.typeName, args)
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.peak != limit || g.left != 0 {
				t.Fatalf("%d usage reads in flight at most, want %d; %d never read", g.peak, limit, g.left)
			}
		})
	}
}
