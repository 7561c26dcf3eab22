package vendorsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// walkKoreList follows next_page_url from a first page of a list keyed key
// and returns every page's raw body. Paging that never ends fails at maxPages.
func (h *harness) walkKoreList(first string, maxPages int) []response {
	h.t.Helper()
	var pages []response
	for next := first; next != ""; {
		if len(pages) == maxPages {
			h.t.Fatalf("still paging after %d pages", maxPages)
		}
		r := h.kore(next)
		if r.status != http.StatusOK {
			h.t.Fatalf("GET %s: %d %s", next, r.status, r.body)
		}
		pages = append(pages, r)
		var meta struct {
			Meta KoreListMeta `json:"meta"`
		}
		r.json(h.t, &meta)
		next = ""
		if meta.Meta.NextPageURL != nil {
			next = *meta.Meta.NextPageURL
		}
	}
	return pages
}

func TestKoreRatePlanWireFormat(t *testing.T) {
	h := newHarness(t)
	r := h.kore("/v1/RatePlans")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /v1/RatePlans: %d %s", r.status, r.body)
	}
	body := r.object(t)
	plans := field[[]any](t, body, "rate_plans")
	meta := field[map[string]any](t, body, "meta")
	if len(plans) != len(h.sim.RatePlans()) || meta["key"] != "rate_plans" || meta["page"] != float64(0) ||
		meta["page_size"] != float64(50) || meta["next_page_url"] != nil || meta["previous_page_url"] != nil {
		t.Fatalf("list %d plans, meta %v", len(plans), meta)
	}
	for _, k := range []string{"first_page_url", "url", "next_page_url", "previous_page_url"} {
		if _, ok := meta[k]; !ok {
			t.Fatalf("meta lacks %q", k)
		}
	}
	sawNull, sawZero, sawSet := false, false, false
	for i, raw := range plans {
		p, ok := raw.(map[string]any)
		if !ok {
			t.Fatalf("plan %d is %T", i, raw)
		}
		want := h.sim.RatePlans()[i]
		for _, k := range []string{"sid", "unique_name", "account_sid", "friendly_name", "data_enabled", "data_metering",
			"data_limit", "messaging_enabled", "voice_enabled", "national_roaming_enabled", "national_roaming_data_limit",
			"international_roaming", "international_roaming_data_limit", "date_created", "date_updated", "url"} {
			if _, ok := p[k]; !ok {
				t.Fatalf("plan %s lacks %q", want.UniqueName, k)
			}
		}
		if p["sid"] != want.Sid || p["unique_name"] != want.UniqueName || p["friendly_name"] != want.FriendlyName ||
			p["account_sid"] != h.sim.AccountSid() || p["url"] != h.srv.URL+"/v1/RatePlans/"+want.Sid ||
			len(want.Sid) != 34 || !strings.HasPrefix(want.Sid, "WP") {
			t.Fatalf("plan %d: %v, want %+v", i, p, want)
		}
		// The limits are whole megabytes or null, exactly as RatePlans says.
		for k, lim := range map[string]*int64{"data_limit": want.DataLimitMB,
			"national_roaming_data_limit":      want.NationalRoamingDataLimitMB,
			"international_roaming_data_limit": want.InternationalRoamingDataLimitMB} {
			switch {
			case lim == nil && p[k] != nil, lim != nil && p[k] != float64(*lim):
				t.Fatalf("%s %s = %v, want %v", want.UniqueName, k, p[k], lim)
			case lim == nil:
				sawNull = true
			case *lim == 0:
				sawZero = true
			default:
				sawSet = true
			}
		}
	}
	if !sawNull || !sawZero || !sawSet {
		t.Fatalf("the plans must have null, zero and set limits: %v %v %v", sawNull, sawZero, sawSet)
	}
}

func TestKoreRatePlanBySidOrUniqueName(t *testing.T) {
	h := newHarness(t)
	for _, want := range h.sim.RatePlans() {
		for _, id := range []string{want.Sid, want.UniqueName} {
			var p KoreRatePlan
			r := h.kore("/v1/RatePlans/" + url.PathEscape(id))
			r.json(t, &p)
			if r.status != 200 || p.Sid != want.Sid || p.UniqueName != want.UniqueName || p.URL != h.srv.URL+"/v1/RatePlans/"+want.Sid {
				t.Fatalf("GET /v1/RatePlans/%s: %d %s", id, r.status, r.body)
			}
		}
	}
	expectKoreError(t, h.kore("/v1/RatePlans/WP00000000000000000000000000000000"), 404, 20404)
	expectKoreError(t, h.kore("/v1/RatePlans/no-such-plan"), 404, 20404)
	expectKoreError(t, h.kore("/v1/RatePlans/"+h.sim.RatePlans()[0].Sid+"?PageSize=1"), 400, 20001)
	expectKoreError(t, h.kore("/v1/RatePlans?Status=active"), 400, 20001)
	expectKoreError(t, h.kore("/v1/RatePlans?PageSize=1001"), 400, 33101)
	expectKoreError(t, h.kore("/v1/RatePlans?PageSize=0"), 400, 33101)
}

func TestKoreRatePlanPaging(t *testing.T) {
	h := newHarness(t)
	n := len(h.sim.RatePlans())
	for size := 1; size <= n+1; size++ {
		pages := h.walkKoreList("/v1/RatePlans?PageSize="+strconv.Itoa(size), n+2)
		if want := (n + size - 1) / size; len(pages) != want {
			t.Fatalf("PageSize=%d: %d pages, want %d", size, len(pages), want)
		}
		var got []string
		for i, r := range pages {
			var l KoreRatePlanList
			r.json(t, &l)
			if l.Meta.Page != i || l.Meta.PageSize != size || l.Meta.Key != "rate_plans" || (i > 0) != (l.Meta.PreviousPageURL != nil) {
				t.Fatalf("PageSize=%d page %d meta %+v", size, i, l.Meta)
			}
			for _, p := range l.RatePlans {
				got = append(got, p.Sid)
			}
		}
		for i, p := range h.sim.RatePlans() {
			if i >= len(got) || got[i] != p.Sid {
				t.Fatalf("PageSize=%d listed %v", size, got)
			}
		}
		if len(got) != n {
			t.Fatalf("PageSize=%d listed %d plans, want %d", size, len(got), n)
		}
	}
}

func TestKoreEveryAPIRouteNeedsABearerToken(t *testing.T) {
	h := newHarness(t)
	sim, plan := h.sim.SIMs()[0], h.sim.RatePlans()[0]
	for _, path := range []string{"/v1/Sims", "/v1/Sims/" + sim.Sid, "/v1/Sims/" + sim.Sid + "/UsageRecords",
		"/v1/UsageRecords", "/v1/RatePlans", "/v1/RatePlans/" + plan.Sid, "/v1/RatePlans/no-such-plan"} {
		for _, auth := range []string{"", "Bearer not-a-token", "Bearer " + h.sim.Credentials().GigsAPIKey} {
			expectKoreError(t, h.get(path, auth), 401, koreCodeAuthentication)
		}
	}
	if h.sim.Requests(RouteKoreRatePlansList) != 3 || h.sim.Requests(RouteKoreRatePlansGet) != 6 {
		t.Fatalf("refusals are counted per route: %v", h.sim.Counts())
	}
}

func TestKoreRatePlanRoutesAreCounted(t *testing.T) {
	h := newHarness(t)
	h.kore("/v1/RatePlans")
	h.kore("/v1/RatePlans/" + h.sim.RatePlans()[1].UniqueName)
	h.kore("/v1/RatePlans/nope")
	if h.sim.Requests(RouteKoreRatePlansList) != 1 || h.sim.Requests(RouteKoreRatePlansGet) != 2 {
		t.Fatalf("counts %v", h.sim.Counts())
	}
	if r := h.kore("/v1/RatePlans"); r.status != 200 {
		t.Fatal(r.status)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+"/v1/RatePlans", nil)
	req.Header.Set("Authorization", "Bearer "+h.token)
	if r := h.do(req); r.status != 405 || r.header.Get("Allow") != http.MethodGet {
		t.Fatalf("POST /v1/RatePlans: %d %v", r.status, r.header)
	}
}
