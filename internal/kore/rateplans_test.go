package kore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// wantRatePlans are the simulator's plans as the client must return them.
func (e *testEnv) wantRatePlans() []RatePlan {
	var out []RatePlan
	for _, p := range e.sim.RatePlans() {
		out = append(out, RatePlan(p))
	}
	return out
}

func (e *testEnv) wantRatePlan(t *testing.T, uniqueName string) RatePlan {
	t.Helper()
	for _, p := range e.wantRatePlans() {
		if p.UniqueName == uniqueName {
			return p
		}
	}
	t.Fatalf("no simulated rate plan %q", uniqueName)
	return RatePlan{}
}

func fmtRatePlan(p RatePlan) string {
	mb := func(v *int64) string {
		if v == nil {
			return "none"
		}
		return fmt.Sprint(*v)
	}
	return fmt.Sprintf("{%s %q %q home=%s national=%s international=%s}", p.Sid, p.UniqueName, p.FriendlyName,
		mb(p.DataLimitMB), mb(p.NationalRoamingDataLimitMB), mb(p.InternationalRoamingDataLimitMB))
}

func sameRatePlans(t *testing.T, got, want []RatePlan) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rate plans, want %d", len(got), len(want))
	}
	for i := range want {
		if fmtRatePlan(got[i]) != fmtRatePlan(want[i]) {
			t.Fatalf("rate plan %d:\n got %s\nwant %s", i, fmtRatePlan(got[i]), fmtRatePlan(want[i]))
		}
	}
}

// pagedRatePlans makes the simulator page the rate plan list n at a time,
// as if the client had asked for that PageSize: next_page_url then carries
// it, and the client follows it as given.
func pagedRatePlans(n int) envOption {
	return withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/RatePlans" && r.URL.RawQuery == "PageSize=1000" {
				r = r.Clone(r.Context())
				r.URL.RawQuery = fmt.Sprintf("PageSize=%d", n)
			}
			next.ServeHTTP(w, r)
		})
	})
}

// recordQueries notes the path and query of every API request.
func recordQueries(seen *[]string, mu *sync.Mutex) envOption {
	return withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				mu.Lock()
				*seen = append(*seen, r.URL.RequestURI())
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	})
}

func TestRatePlansListsEveryPlanWithItsLimits(t *testing.T) {
	var (
		seen []string
		mu   sync.Mutex
	)
	e := newEnv(t, recordQueries(&seen, &mu))
	got, err := e.client.RatePlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameRatePlans(t, got, e.wantRatePlans())
	if want := []string{"/v1/RatePlans?PageSize=1000"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("requests %q, want %q", seen, want)
	}
	if n := e.requests(vendorsim.RouteKoreRatePlansList); n != 1 {
		t.Errorf("%d list requests, want 1", n)
	}
	// The data set's shapes: limits set, a roaming limit left null, a plan
	// with no limits at all, and 0-MB limits (a plan without data).
	standard := e.wantRatePlan(t, "iot-standard")
	if standard.DataLimitMB == nil || *standard.DataLimitMB != 10000 || standard.InternationalRoamingDataLimitMB != nil {
		t.Errorf("iot-standard: %s", fmtRatePlan(standard))
	}
	unmetered := e.wantRatePlan(t, "iot-unmetered")
	if unmetered.DataLimitMB != nil || unmetered.NationalRoamingDataLimitMB != nil || unmetered.InternationalRoamingDataLimitMB != nil {
		t.Errorf("iot-unmetered: %s, want no limits", fmtRatePlan(unmetered))
	}
	smsOnly := e.wantRatePlan(t, "iot-sms-only")
	if smsOnly.DataLimitMB == nil || *smsOnly.DataLimitMB != 0 {
		t.Errorf("iot-sms-only: %s, want a 0-MB limit, not none", fmtRatePlan(smsOnly))
	}
	for _, p := range got {
		if p.UniqueName == "iot-unmetered" && (p.DataLimitMB != nil || p.NationalRoamingDataLimitMB != nil || p.InternationalRoamingDataLimitMB != nil) {
			t.Errorf("null limits came back set: %s", fmtRatePlan(p))
		}
	}
}

func TestRatePlansFollowNextPageURL(t *testing.T) {
	e := newEnv(t, pagedRatePlans(2))
	got, err := e.client.RatePlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameRatePlans(t, got, e.wantRatePlans())
	if n, want := e.requests(vendorsim.RouteKoreRatePlansList), (len(got)+1)/2; n != want {
		t.Errorf("%d list requests for %d plans two a page, want %d", n, len(got), want)
	}
}

func TestRatePlansAreSharedPerRun(t *testing.T) {
	e := newEnv(t, pagedRatePlans(2))
	ctx := context.Background()
	first, err := e.client.RatePlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		first[i].Sid = "changed"
		if first[i].DataLimitMB != nil {
			*first[i].DataLimitMB = -1
		}
	}
	e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond})
	var wg sync.WaitGroup
	const callers = 20
	got := make([][]RatePlan, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = e.client.RatePlans(ctx) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		sameRatePlans(t, got[i], e.wantRatePlans())
	}
	if n, want := e.requests(vendorsim.RouteKoreRatePlansList), (len(first)+1)/2; n != want {
		t.Errorf("%d list requests for %d lists, want one walk of %d", n, callers+1, want)
	}
	if n := e.requests(vendorsim.RouteKoreRatePlansGet); n != 0 {
		t.Errorf("listing fetched %d plans one by one", n)
	}
}

func TestRatePlansRefuseLoopsAndForeignPages(t *testing.T) {
	cases := map[string]struct {
		hostile  vendorsim.Hostile
		want     string
		requests int
	}{
		"loop":    {vendorsim.Hostile{FleetLists: true, KoreNextPageLoop: true}, "repeats an earlier page", 2},
		"foreign": {vendorsim.Hostile{FleetLists: true, KoreNextPageForeign: true}, "points away from the configured KORE endpoint", 1},
	}
	for name, c := range cases {
		e := newEnv(t)
		e.sim.SetHostile(c.hostile)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a regression fails fast
		_, err := e.client.RatePlans(ctx)
		cancel()
		var re *ResponseError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want a ResponseError containing %q", name, err, c.want)
		}
		if n := e.requests(vendorsim.RouteKoreRatePlansList); n != c.requests {
			t.Errorf("%s: %d list requests, want %d", name, n, c.requests)
		}
		// Failures are not kept.
		e.sim.SetHostile(vendorsim.Hostile{})
		got, err := e.client.RatePlans(context.Background())
		if err != nil {
			t.Fatalf("%s: after the server mends: %v", name, err)
		}
		sameRatePlans(t, got, e.wantRatePlans())
	}
}

func TestRatePlanBySidOrUniqueName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, want := range e.wantRatePlans() {
		for _, key := range []string{want.Sid, want.UniqueName} {
			got, err := e.client.RatePlan(ctx, key)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			if fmtRatePlan(got) != fmtRatePlan(want) {
				t.Fatalf("%s:\n got %s\nwant %s", key, fmtRatePlan(got), fmtRatePlan(want))
			}
		}
	}
	if n, want := e.requests(vendorsim.RouteKoreRatePlansGet), 2*len(e.wantRatePlans()); n != want {
		t.Errorf("%d requests, want %d: one per SID and one per unique name", n, want)
	}
}

func TestRatePlanIsAskedOncePerRun(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	plans := e.wantRatePlans()
	e.sim.SetFaults(vendorsim.Faults{Latency: 30 * time.Millisecond})
	const callers = 20
	var wg sync.WaitGroup
	got := make([]RatePlan, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = e.client.RatePlan(ctx, plans[0].Sid) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if fmtRatePlan(got[i]) != fmtRatePlan(plans[0]) {
			t.Fatalf("caller %d: %s, want %s", i, fmtRatePlan(got[i]), fmtRatePlan(plans[0]))
		}
	}
	if n := e.requests(vendorsim.RouteKoreRatePlansGet); n != 1 {
		t.Errorf("%d requests for one plan asked by %d concurrent callers, want 1", n, callers)
	}
	e.sim.SetFaults(vendorsim.Faults{})

	// Every plan, each asked three times (as by SIMs sharing it), one
	// request each; a caller's change never reaches the next.
	for range 3 {
		for _, want := range plans {
			p, err := e.client.RatePlan(ctx, want.Sid)
			if err != nil {
				t.Fatal(err)
			}
			if fmtRatePlan(p) != fmtRatePlan(want) {
				t.Fatalf("%s, want %s", fmtRatePlan(p), fmtRatePlan(want))
			}
			if p.NationalRoamingDataLimitMB != nil {
				*p.NationalRoamingDataLimitMB = -7
			}
		}
	}
	if n := e.requests(vendorsim.RouteKoreRatePlansGet); n != len(plans) {
		t.Errorf("%d requests for %d distinct plans, want %d", n, len(plans), len(plans))
	}
	if n := e.requests(vendorsim.RouteKoreToken); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestUnknownRatePlanIsAnAPIError(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.RatePlan(context.Background(), "WP00000000000000000000000000000000")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || ae.Path != "/v1/RatePlans/WP00000000000000000000000000000000" {
		t.Fatalf("error %v, want a 404 APIError naming the path", err)
	}
	// A 404 is not kept either: the next caller asks again.
	_, _ = e.client.RatePlan(context.Background(), "WP00000000000000000000000000000000")
	if n := e.requests(vendorsim.RouteKoreRatePlansGet); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	for _, bad := range []string{"", ".", ".."} {
		if _, err := e.client.RatePlan(context.Background(), bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if n := e.requests(vendorsim.RouteKoreRatePlansGet); n != 2 {
		t.Errorf("unusable names were sent: %d requests", n)
	}
}

// cannedRatePlans answers the rate plan endpoints with body; everything
// else (the token) goes to the simulator.
func cannedRatePlans(body string) envOption {
	return withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/v1/RatePlans") {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		})
	})
}

const okRatePlan = `{"sid":"WP0123456789abcdef0123456789abcdef","unique_name":"plan-a","friendly_name":"Plan A",` +
	`"data_limit":100,"national_roaming_data_limit":null,"international_roaming_data_limit":0,"data_enabled":true,"future":{"x":1}}`

func ratePlanList(plans ...string) string {
	return `{"rate_plans":[` + strings.Join(plans, ",") + `],"meta":{"key":"rate_plans","next_page_url":null}}`
}

func TestRatePlansFailClosedOnWhatCannotBeTrue(t *testing.T) {
	with := func(from, to string) string { return strings.Replace(okRatePlan, from, to, 1) }
	tooMany := make([]string, PageSize+1)
	for i := range tooMany {
		tooMany[i] = with("0123456789abcdef0123456789abcdef", fmt.Sprintf("%032x", i))
	}
	cases := map[string]struct{ plan, list, want string }{
		"no sid":             {with(`"sid":"WP0123456789abcdef0123456789abcdef",`, ""), "", "has no sid"},
		"negative home":      {with(`"data_limit":100`, `"data_limit":-1`), "", "data_limit of -1 MB"},
		"negative national":  {with(`"national_roaming_data_limit":null`, `"national_roaming_data_limit":-5`), "", "national_roaming_data_limit of -5 MB"},
		"negative intl":      {with(`"international_roaming_data_limit":0`, `"international_roaming_data_limit":-2`), "", "international_roaming_data_limit of -2 MB"},
		"past 2 TB":          {with(`"data_limit":100`, `"data_limit":9223372036854`), "", "outside 0 to 2097152"},
		"fractional limit":   {with(`"data_limit":100`, `"data_limit":1.5`), "", "decoding the rate plan"},
		"not an object":      {`[]`, `{"rate_plans":{}}`, "decoding the rate plan"},
		"no list":            {"", `{"meta":{}}`, "no rate_plans list"},
		"more than PageSize": {"", ratePlanList(tooMany...), "more than the PageSize of 1000"},
		"conflicting twice":  {"", ratePlanList(okRatePlan, with(`"data_limit":100`, `"data_limit":200`)), "listed twice, with different contents"},
	}
	for name, c := range cases {
		if c.plan != "" {
			list := c.list
			if list == "" {
				list = ratePlanList(okRatePlan, c.plan)
			}
			e := newEnv(t, cannedRatePlans(list))
			_, err := e.client.RatePlans(context.Background())
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: list error %v, want a ResponseError containing %q", name, err, c.want)
			}
			e = newEnv(t, cannedRatePlans(c.plan))
			_, err = e.client.RatePlan(context.Background(), "plan-a")
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: fetch error %v, want a ResponseError containing %q", name, err, c.want)
			}
			continue
		}
		e := newEnv(t, cannedRatePlans(c.list))
		_, err := e.client.RatePlans(context.Background())
		var re *ResponseError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: list error %v, want a ResponseError containing %q", name, err, c.want)
		}
	}
}

func TestRatePlansDecodeLeniently(t *testing.T) {
	// Unknown members are ignored, a plan listed twice the same way is
	// listed once, and null stays apart from 0.
	e := newEnv(t, cannedRatePlans(ratePlanList(okRatePlan, okRatePlan)))
	got, err := e.client.RatePlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hundred, zero := int64(100), int64(0)
	want := RatePlan{Sid: "WP0123456789abcdef0123456789abcdef", UniqueName: "plan-a", FriendlyName: "Plan A",
		DataLimitMB: &hundred, InternationalRoamingDataLimitMB: &zero}
	sameRatePlans(t, got, []RatePlan{want})
}

func TestRatePlanAnswerMustBeThePlanAsked(t *testing.T) {
	e := newEnv(t, cannedRatePlans(okRatePlan))
	ctx := context.Background()
	for _, key := range []string{"WP0123456789abcdef0123456789abcdef", "WP0123456789ABCDEF0123456789ABCDEF", "plan-a"} {
		if _, err := e.client.RatePlan(ctx, key); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
	// Unique names are compared exactly; only sids (hex) in any case.
	for _, key := range []string{"plan-b", "PLAN-A"} {
		_, err := e.client.RatePlan(ctx, key)
		if !errors.Is(err, httpx.ErrVendorData) || !strings.Contains(err.Error(), fmt.Sprintf("asked for rate plan %q", key)) {
			t.Fatalf("%s: error %v, want a vendor data error naming the plan asked", key, err)
		}
	}
}
