package kore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// These tests cover ids and answers from KORE that cannot be used: an id
// that would be a path step in a URL, an answer about another SIM or plan
// than asked, a string past its bound.

const (
	sidA = "DE0123456789abcdef0123456789abcdef"
	sidB = "DEfedcba9876543210fedcba9876543210"
)

// simObject is a SIM as KORE answers it, with fields changed by set.
func simObject(t *testing.T, sid, name, iccid string, set map[string]any) map[string]any {
	t.Helper()
	s := map[string]any{
		"sid": sid, "unique_name": name, "friendly_name": "F", "iccid": iccid,
		"account_sid": "AC0123456789abcdef0123456789abcdef", "status": "active",
		"rate_plan_sid": "WP0123456789abcdef0123456789abcdef",
	}
	for k, v := range set {
		s[k] = v
	}
	return s
}

func simList(t *testing.T, sims ...map[string]any) string {
	t.Helper()
	if sims == nil {
		sims = []map[string]any{}
	}
	b, err := json.Marshal(map[string]any{"sims": sims, "meta": map[string]any{"key": "sims", "next_page_url": nil}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// answering serves body for requests to path (the query aside) and records
// every API path asked; the token goes to the simulator.
func answering(path, body string, seen *[]string, mu *sync.Mutex) envOption {
	return withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				mu.Lock()
				*seen = append(*seen, r.URL.EscapedPath())
				mu.Unlock()
			}
			if r.URL.Path != path {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		})
	})
}

// TestUnusableIdsNeverReachAURL: a listed SIM whose sid (or rate plan sid)
// is "", "." or ".." fails the list; the same ids from a caller cost no
// request. "/" in an id is escaped, so such a SIM is kept.
func TestUnusableIdsNeverReachAURL(t *testing.T) {
	for _, id := range []string{"", ".", ".."} {
		var seen []string
		var mu sync.Mutex
		body := simList(t, simObject(t, sidA, "a", "8901", nil), simObject(t, id, "b", "8902", nil))
		e := newEnv(t, answering("/v1/Sims", body, &seen, &mu))
		_, err := e.client.ListSims(context.Background(), SimFilter{})
		wantVendorData(t, "sid "+id, err, "sid")
		if err != nil && id != "" && !strings.Contains(err.Error(), fmt.Sprintf("%q", id)) {
			t.Errorf("sid %q: %q does not quote it", id, err)
		}
		if id == "" {
			continue
		}
		body = simList(t, simObject(t, sidA, "a", "8901", map[string]any{"rate_plan_sid": id}))
		e = newEnv(t, answering("/v1/Sims", body, &seen, &mu))
		_, err = e.client.ListSims(context.Background(), SimFilter{})
		wantVendorData(t, "rate_plan_sid "+id, err, "rate_plan_sid", sidA)
	}

	var seen []string
	var mu sync.Mutex
	e := newEnv(t, answering("/v1/none", "", &seen, &mu))
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		if _, err := e.client.SimUsage(ctx, id, window(1, "all")); err == nil {
			t.Errorf("SimUsage(%q) was accepted", id)
		}
		if _, err := e.client.RatePlan(ctx, id); err == nil {
			t.Errorf("RatePlan(%q) was accepted", id)
		}
		if _, err := e.client.SimByUniqueName(ctx, id); err == nil {
			t.Errorf("SimByUniqueName(%q) was accepted", id)
		}
	}
	if len(seen) != 0 {
		t.Fatalf("unusable ids were sent: %q", seen)
	}

	// "/" is escaped within its segment: no path step, a SIM like any other.
	_, _ = e.client.SimUsage(ctx, "DE/1", window(1, "all"))
	if len(seen) != 1 || seen[0] != "/v1/Sims/DE%2F1/UsageRecords" {
		t.Fatalf("asked %q", seen)
	}
	body := simList(t, simObject(t, "DE/1", "a", "8901", nil))
	e = newEnv(t, answering("/v1/Sims", body, &seen, &mu))
	if sims, err := e.client.ListSims(ctx, SimFilter{}); err != nil || len(sims) != 1 {
		t.Fatalf("a sid with a slash: %v %v", sims, err)
	}
}

// TestLookupAnswersWithUnusableIds: a SIM or rate plan found by name or
// ICCID whose sid cannot go into a URL is refused.
func TestLookupAnswersWithUnusableIds(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	ctx := context.Background()
	for _, id := range []string{".", ".."} {
		e := newEnv(t, answering("/v1/Sims/a", jsonOf(t, simObject(t, id, "a", "8901", nil)), &seen, &mu))
		_, err := e.client.SimByUniqueName(ctx, "a")
		wantVendorData(t, "by name, sid "+id, err, "sid")

		e = newEnv(t, answering("/v1/Sims", simList(t, simObject(t, id, "a", "8901", nil)), &seen, &mu))
		_, err = e.client.SimByICCID(ctx, "8901")
		wantVendorData(t, "by ICCID, sid "+id, err, "sid")

		plan := strings.Replace(okRatePlan, `"sid":"WP0123456789abcdef0123456789abcdef"`, fmt.Sprintf("%q:%q", "sid", id), 1)
		e = newEnv(t, cannedRatePlans(plan))
		_, err = e.client.RatePlan(ctx, "plan-a")
		wantVendorData(t, "rate plan, sid "+id, err, "sid")
		e = newEnv(t, cannedRatePlans(ratePlanList(plan)))
		_, err = e.client.RatePlans(ctx)
		wantVendorData(t, "rate plan list, sid "+id, err, "sid")
	}
}

// TestSimLookupAnswersTheSimAsked: GET /v1/Sims/{x} must answer a SIM whose
// sid (any case) or unique name (exactly) is x.
func TestSimLookupAnswersTheSimAsked(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	ctx := context.Background()
	for asked, ok := range map[string]bool{
		"tracker-1": true, sidA: true, "DE" + strings.ToUpper(sidA[2:]): true,
		"Tracker-1": false, "tracker-2": false,
	} {
		e := newEnv(t, answering("/v1/Sims/"+asked, jsonOf(t, simObject(t, sidA, "tracker-1", "8901", nil)), &seen, &mu))
		s, err := e.client.SimByUniqueName(ctx, asked)
		if ok {
			if err != nil || s.Sid != sidA {
				t.Errorf("%s: %+v %v", asked, s, err)
			}
			continue
		}
		wantVendorData(t, asked, err, fmt.Sprintf("asked for SIM %q", asked), sidA, `"tracker-1"`)
	}
}

// TestSimByICCIDAnswersThatICCID: of the SIMs answered, the one carrying the
// ICCID is the answer; none, or two, fail naming what was asked.
func TestSimByICCIDAnswersThatICCID(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	ctx := context.Background()
	const iccid = "8901260000000000001"
	other := simObject(t, sidB, "b", "8901260000000000002", nil)
	mine := simObject(t, sidA, "a", iccid, nil)

	e := newEnv(t, answering("/v1/Sims", simList(t, other), &seen, &mu))
	_, err := e.client.SimByICCID(ctx, iccid)
	wantVendorData(t, "another SIM", err, iccid, sidB, "8901260000000000002")

	e = newEnv(t, answering("/v1/Sims", simList(t, other, mine), &seen, &mu))
	if s, err := e.client.SimByICCID(ctx, iccid); err != nil || s.Sid != sidA {
		t.Fatalf("picking the SIM with the ICCID: %+v %v", s, err)
	}

	twin := simObject(t, sidB, "b", iccid, nil)
	e = newEnv(t, answering("/v1/Sims", simList(t, mine, twin), &seen, &mu))
	_, err = e.client.SimByICCID(ctx, iccid)
	wantVendorData(t, "two SIMs", err, iccid, sidA, sidB)
}

// TestSimUsageIsThatSimsUsage: a SIM's usage records naming another SIM are
// not its usage.
func TestSimUsageIsThatSimsUsage(t *testing.T) {
	var e *testEnv
	e = newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sims := e.sim.SIMs()
			r.URL.Path = strings.Replace(r.URL.Path, sims[0].Sid, sims[1].Sid, 1)
			r.URL.RawPath = ""
			next.ServeHTTP(w, r)
		})
	}))
	sims := e.sim.SIMs()
	_, err := e.client.SimUsage(context.Background(), sims[0].Sid, window(3, "daily"))
	wantVendorData(t, "another SIM's usage", err, sims[0].Sid, sims[1].Sid)
	if _, err := e.client.SimUsage(context.Background(), sims[2].Sid, window(3, "daily")); err != nil {
		t.Fatalf("the SIM's own usage: %v", err)
	}
}

// TestListedStringsAreBounded: a SIM or rate plan string past its bound
// fails the list naming the field, the SIM and the bound; one at the bound
// is kept.
func TestListedStringsAreBounded(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	ctx := context.Background()
	fields := map[string]int{
		"unique_name": MaxNameLen, "iccid": MaxICCIDLen, "account_sid": MaxSidLen,
		"status": MaxStatusLen, "rate_plan_sid": MaxSidLen, "sid": MaxSidLen,
	}
	for field, most := range fields {
		for _, n := range []int{most, most + 1} {
			value := strings.Repeat("7", n)
			body := simList(t, simObject(t, sidA, "a", "8901", map[string]any{field: value}))
			e := newEnv(t, answering("/v1/Sims", body, &seen, &mu))
			_, err := e.client.ListSims(ctx, SimFilter{})
			if n == most {
				if err != nil {
					t.Errorf("%s of %d: %v", field, n, err)
				}
				continue
			}
			who := sidA
			if field == "sid" {
				who = "a SIM"
			}
			wantVendorData(t, field, err, field, who, fmt.Sprint(most), fmt.Sprint(n))
		}
	}
	// The lookups check the same.
	long := simObject(t, sidA, "a", "8901", map[string]any{"status": strings.Repeat("x", MaxStatusLen+1)})
	e := newEnv(t, answering("/v1/Sims/a", jsonOf(t, long), &seen, &mu))
	_, err := e.client.SimByUniqueName(ctx, "a")
	wantVendorData(t, "by name", err, "status")

	for _, field := range []string{"unique_name", "friendly_name"} {
		for _, n := range []int{MaxNameLen, MaxNameLen + 1} {
			var plan map[string]any
			if err := json.Unmarshal([]byte(okRatePlan), &plan); err != nil {
				t.Fatal(err)
			}
			plan[field] = strings.Repeat("p", n)
			e := newEnv(t, cannedRatePlans(ratePlanList(jsonOf(t, plan))))
			_, err := e.client.RatePlans(ctx)
			if n == MaxNameLen {
				if err != nil {
					t.Errorf("rate plan %s of %d: %v", field, n, err)
				}
				continue
			}
			wantVendorData(t, "rate plan "+field, err, field, "WP0123456789abcdef0123456789abcdef", fmt.Sprint(MaxNameLen))
		}
	}
	plan := strings.Replace(okRatePlan, "0123456789abcdef0123456789abcdef", strings.Repeat("a", MaxSidLen), 1)
	e = newEnv(t, cannedRatePlans(ratePlanList(plan)))
	_, err = e.client.RatePlans(ctx)
	wantVendorData(t, "rate plan sid", err, "sid", fmt.Sprint(MaxSidLen))
}
