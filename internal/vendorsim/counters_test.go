package vendorsim

import (
	"net/http"
	"reflect"
	"testing"
)

func TestCountersCountEveryRouteAndStatus(t *testing.T) {
	h := newHarness(t)
	sid := h.sim.SIMs()[0].Sid
	tok := h.newToken()
	h.postToken(nil, formType)
	h.get("/v1/UsageRecords", "Bearer "+tok)
	h.get("/v1/UsageRecords", "Bearer "+tok)
	h.get("/v1/UsageRecords", "")
	h.get("/v1/Sims/"+sid+"/UsageRecords", "Bearer "+tok)
	h.get("/v1/Sims/DEnope/UsageRecords", "Bearer "+tok)
	h.get("/v1/Sims/"+sid, "Bearer "+tok)
	h.get("/v1/Sims", "Bearer "+tok)
	h.gigs(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil))
	h.get(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil), "")
	h.get("/v1/Nowhere", "Bearer "+tok) // unknown routes are not counted

	want := []Count{
		{RouteGigsUsage, 200, 1}, {RouteGigsUsage, 401, 1},
		{RouteKoreSimsGet, 200, 1}, {RouteKoreSimsList, 200, 1},
		{RouteKoreToken, 200, 1}, {RouteKoreToken, 400, 1},
		{RouteKoreUsageAccount, 200, 2}, {RouteKoreUsageAccount, 401, 1},
		{RouteKoreUsageSim, 200, 1}, {RouteKoreUsageSim, 404, 1},
	}
	if got := h.sim.Counts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("counts\n got %v\nwant %v", got, want)
	}
	if h.sim.Requests(RouteKoreUsageAccount) != 3 || h.sim.Requests("nothing") != 0 {
		t.Fatal("Requests does not add a route's statuses")
	}

	var report CountersReport
	r := h.get(CountersPath, "")
	r.json(t, &report)
	if r.status != 200 || !reflect.DeepEqual(report.Counts, want) || report.Requests[RouteKoreUsageSim] != 2 {
		t.Fatalf("GET %s: %d %s", CountersPath, r.status, r.body)
	}
	if h.sim.Requests(RouteKoreToken) != 2 {
		t.Fatal("reading the counters must not count")
	}

	h.sim.ResetCounts()
	if len(h.sim.Counts()) != 0 {
		t.Fatal("ResetCounts left counts")
	}
	h.get("/v1/Sims", "Bearer "+tok)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, h.srv.URL+CountersPath, nil)
	if r := h.do(req); r.status != 204 || len(h.sim.Counts()) != 0 {
		t.Fatalf("DELETE %s: %d, %v", CountersPath, r.status, h.sim.Counts())
	}
}
