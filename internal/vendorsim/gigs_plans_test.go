package vendorsim

import (
	"net/http"
	"reflect"
	"testing"
)

func (h *harness) planPath(project, id string) string {
	return "/projects/" + project + "/plans/" + id
}

// TestGigsPlanRetrieve: every plan is served as the object embedded in
// subscriptions; an unknown plan or project is Gigs' own 404 error body.
func TestGigsPlanRetrieve(t *testing.T) {
	h := newHarness(t)
	project := h.sim.Credentials().GigsProject
	for _, p := range h.sim.plans {
		r := h.gigs(h.planPath(project, p.ID))
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", p.ID, r.status, r.body)
		}
		var got GigsPlan
		r.json(t, &got)
		if want := gigsPlanObject(p); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %+v, want %+v", p.ID, got, want)
		}
	}
	e := expectGigsError(t, h.gigs(h.planPath(project, "pln_nosuchplan")), http.StatusNotFound, "notFound", "")
	if e.Message != `Plan "pln_nosuchplan" not found.` {
		t.Fatalf("message %q", e.Message)
	}
	expectGigsError(t, h.gigs(h.planPath("no-such-project", h.sim.plans[0].ID)), http.StatusNotFound, "notFound", "")
	expectGigsError(t, h.gigs(h.planPath(project, h.sim.plans[0].ID)+"?expand=x"), http.StatusUnprocessableEntity, "invalid", "unknownParameter")
	if n := h.sim.Requests(RouteGigsPlansGet); n != len(h.sim.plans)+3 {
		t.Fatalf("%d requests counted, want %d", n, len(h.sim.plans)+3)
	}
}

// TestGigsPlanRouteNeedsTheAPIKey: GET with the key, before the path is
// looked at.
func TestGigsPlanRouteNeedsTheAPIKey(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{h.planPath(h.sim.Credentials().GigsProject, h.sim.plans[0].ID), h.planPath("nope", "pln_x")} {
		expectGigsError(t, h.get(path, "Bearer wrong"), http.StatusUnauthorized, "unauthenticated", "")
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+h.planPath("p", "pln_x"), nil)
	req.Header.Set("Authorization", "Bearer "+h.sim.Credentials().GigsAPIKey)
	if r := h.do(req); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodGet {
		t.Fatalf("POST: %d", r.status)
	}
}
