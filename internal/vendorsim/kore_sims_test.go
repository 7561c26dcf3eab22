package vendorsim

import (
	"net/url"
	"strings"
	"testing"
)

func TestKoreSimBySidOrUniqueName(t *testing.T) {
	h := newHarness(t)
	want := h.sim.SIMs()[4]
	for _, id := range []string{want.Sid, want.UniqueName} {
		r := h.kore("/v1/Sims/" + url.PathEscape(id))
		var sim KoreSim
		r.json(t, &sim)
		if r.status != 200 || sim.Sid != want.Sid || sim.UniqueName != want.UniqueName || sim.ICCID != want.ICCID ||
			sim.AccountSid != h.sim.AccountSid() || sim.RatePlanSid == nil || !strings.HasPrefix(*sim.RatePlanSid, "WP") || sim.Status == "" ||
			sim.URL != h.srv.URL+"/v1/Sims/"+want.Sid || sim.Links.UsageRecords != sim.URL+"/UsageRecords" || sim.DateCreated == "" {
			t.Fatalf("GET /v1/Sims/%s: %d %+v", id, r.status, sim)
		}
	}
	raw := h.kore("/v1/Sims/" + want.Sid).object(t)
	for _, k := range []string{"friendly_name", "eid", "date_updated", "reset_status", "commands_callback_url", "links"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("Sim lacks %q", k)
		}
	}
	expectKoreError(t, h.kore("/v1/Sims/no-such-sim"), 404, 20404)
	expectKoreError(t, h.kore("/v1/Sims/"+want.Sid+"?Iccid=1"), 400, 20001)
}

func TestKoreSimListFilters(t *testing.T) {
	h := newHarness(t)
	want := h.sim.SIMs()[9]
	list := func(q string) KoreSimList {
		t.Helper()
		r := h.kore("/v1/Sims" + q)
		if r.status != 200 {
			t.Fatalf("GET /v1/Sims%s: %d %s", q, r.status, r.body)
		}
		var l KoreSimList
		r.json(t, &l)
		if l.Meta.Key != "sims" || l.Sims == nil {
			t.Fatalf("list meta %+v, sims %v", l.Meta, l.Sims)
		}
		return l
	}
	if l := list("?Iccid=" + want.ICCID); len(l.Sims) != 1 || l.Sims[0].Sid != want.Sid {
		t.Fatalf("by ICCID: %+v", l.Sims)
	}
	if l := list("?Iccid=89000000000000000000"); len(l.Sims) != 0 {
		t.Fatalf("unknown ICCID must give an empty list: %+v", l.Sims)
	}
	active := list("?Status=active&PageSize=1000")
	for _, s := range active.Sims {
		if s.Status != "active" {
			t.Fatalf("Status filter let %s through", s.Status)
		}
	}
	if len(active.Sims) == 0 || len(active.Sims) == len(h.sim.SIMs()) {
		t.Fatalf("Status=active gave %d of %d SIMs", len(active.Sims), len(h.sim.SIMs()))
	}
	if l := list("?RatePlan=iot-roaming-global&PageSize=1000"); len(l.Sims) == 0 || len(l.Sims) == len(h.sim.SIMs()) {
		t.Fatalf("RatePlan filter gave %d SIMs", len(l.Sims))
	}
	// Paging walks every SIM once.
	seen := map[string]bool{}
	next := "/v1/Sims?PageSize=10"
	for pages := 0; next != ""; pages++ {
		if pages > 10 { // three are due: paging that never ends fails here, not at the go test timeout
			t.Fatalf("still paging after %d pages", pages)
		}
		var l KoreSimList
		h.kore(next).json(t, &l)
		for _, s := range l.Sims {
			if seen[s.Sid] {
				t.Fatalf("%s listed twice", s.Sid)
			}
			seen[s.Sid] = true
		}
		next = ""
		if l.Meta.NextPageURL != nil {
			next = *l.Meta.NextPageURL
		}
	}
	if len(seen) != len(h.sim.SIMs()) {
		t.Fatalf("paging listed %d of %d SIMs", len(seen), len(h.sim.SIMs()))
	}
	expectKoreError(t, h.kore("/v1/Sims?UniqueName=tracker-01"), 400, 20001)
	expectKoreError(t, h.kore("/v1/Sims?Status=sleeping"), 400, 33101)
	expectKoreError(t, h.kore("/v1/Sims?Iccid="), 400, 33101)
}
