package vendorsim

import (
	"net/http"
	"net/url"
	"time"
)

// koreQuery parses the query string strictly: a malformed one is an error,
// not silently dropped pairs.
func koreQuery(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeKoreError(w, http.StatusBadRequest, koreCodeInvalidParameter, "Malformed query string")
		return nil, false
	}
	return v, true
}

// serveKoreUsage is GET /v1/UsageRecords (simSid "") and GET /v1/Sims/{Sid}/UsageRecords.
func (s *Server) serveKoreUsage(w http.ResponseWriter, r *http.Request, sims []*simRecord, simSid string) {
	v, ok := koreQuery(w, r)
	if !ok {
		return
	}
	now := s.now()
	q, e := parseKoreUsageQuery(v, now)
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	slots := koreSlots(q.start, q.end, q.granularity, now)
	filters := url.Values{"Start": {koreTime(q.start)}, "End": {koreTime(q.end)}, "Granularity": {q.granularity}}
	p, e := newPager(r, filters, q.paging, len(slots))
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	h := s.faults.currentHostile()
	lo, hi := p.bounds()
	if h.KoreOversizePage {
		hi = min(hi+1, len(slots))
	}
	recs := s.koreRecords(sims, simSid, slots[lo:hi])
	if h.KoreOversizePage && len(recs) > 0 {
		for len(recs) <= p.size {
			recs = append(recs, recs[len(recs)-1])
		}
	}
	if h.NegativeCounter && len(recs) > 0 {
		recs[0].Data.Upload = -recs[0].Data.Upload - 1
	}
	writeJSON(w, http.StatusOK, KoreUsageList{UsageRecords: recs, Meta: p.meta("usage_records", h)})
}

// serveKoreSimUsage resolves the SIM of /v1/Sims/{Sid}/UsageRecords. Only a
// SID is accepted here: the vendor documents nothing else for this resource.
func (s *Server) serveKoreSimUsage(w http.ResponseWriter, r *http.Request, sid string) {
	sim := s.simBySid(sid)
	if sim == nil {
		writeKoreError(w, http.StatusNotFound, koreCodeNotFound, "The requested resource %s was not found", r.URL.Path)
		return
	}
	s.serveKoreUsage(w, r, []*simRecord{sim}, sim.Sid)
}

// serveKoreSim is GET /v1/Sims/{Sid}, by SID or unique name.
func (s *Server) serveKoreSim(w http.ResponseWriter, r *http.Request, id string) {
	sim := s.simBySidOrName(id)
	serveKoreResource(w, r, sim != nil, func() any { return s.koreSim(r, sim) })
}

// serveKoreResource answers a GET of one resource: KORE's 404 when it was
// not found, its 400s for query parameters (it takes none), else the
// resource as render gives it.
func serveKoreResource(w http.ResponseWriter, r *http.Request, found bool, render func() any) {
	if !found {
		writeKoreError(w, http.StatusNotFound, koreCodeNotFound, "The requested resource %s was not found", r.URL.Path)
		return
	}
	v, ok := koreQuery(w, r)
	if !ok {
		return
	}
	if e := checkKoreParams(v); e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	writeJSON(w, http.StatusOK, render())
}

// simFilterStatuses are the values the Status filter of GET /v1/Sims accepts.
var simFilterStatuses = []string{"new", "ready", "active", "suspended", "deactivated", "canceled", "scheduled", "updating"}

// serveKoreSims is GET /v1/Sims with its filters and paging.
func (s *Server) serveKoreSims(w http.ResponseWriter, r *http.Request) {
	v, ok := koreQuery(w, r)
	if !ok {
		return
	}
	if e := checkKoreParams(v, "Status", "Iccid", "RatePlan", "EId", "SimRegistrationCode", "PageSize", "Page", "PageToken"); e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	if st := v.Get("Status"); st != "" && !contains(simFilterStatuses, st) {
		writeKoreError(w, http.StatusBadRequest, koreCodeInvalidParameter, "Invalid Status %q", st)
		return
	}
	paging, e := parsePaging(v)
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	filters := url.Values{}
	for _, k := range []string{"Status", "Iccid", "RatePlan", "EId", "SimRegistrationCode"} {
		if x := v.Get(k); x != "" {
			filters.Set(k, x)
		}
	}
	matched := s.matchingSims(filters)
	p, e := newPager(r, filters, paging, len(matched))
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	lo, hi := p.bounds()
	out := make([]KoreSim, 0, hi-lo)
	for _, sim := range matched[lo:hi] {
		out = append(out, s.koreSim(r, sim))
	}
	s.fleet.vanish.listed(matched[lo:hi]) // before the page can reach the client
	writeJSON(w, http.StatusOK, KoreSimList{Sims: out, Meta: p.meta("sims", s.fleetHostile())})
}

// matchingSims lists the SIMs that pass the filters, in list order. It starts
// from the smallest index that applies, so a filtered list costs what it
// returns, not the whole fleet.
func (s *Server) matchingSims(f url.Values) []*simRecord {
	cands := s.fleet.sims
	narrow := func(list []*simRecord) {
		if len(list) < len(cands) {
			cands = list
		}
	}
	if x := f.Get("Iccid"); x != "" {
		sim := s.fleet.byICCID[x]
		if sim == nil {
			return nil
		}
		cands = []*simRecord{sim}
	}
	if x := f.Get("Status"); x != "" {
		narrow(s.fleet.byStatus[x])
	}
	var plan *ratePlan
	if x := f.Get("RatePlan"); x != "" {
		if plan = s.ratePlan(x); plan == nil {
			return nil // a plan that does not exist has no SIMs
		}
		narrow(s.fleet.byPlan[plan])
	}
	if len(f) == 0 && !s.fleet.vanish.any.Load() {
		return cands // the whole fleet: nothing to copy
	}
	var out []*simRecord
	for _, sim := range cands {
		if simMatches(sim, f, plan) && !s.fleet.vanish.gone(sim) {
			out = append(out, sim)
		}
	}
	return out
}

func simMatches(sim *simRecord, f url.Values, plan *ratePlan) bool {
	if x := f.Get("Status"); x != "" && sim.status != x {
		return false
	}
	if x := f.Get("Iccid"); x != "" && sim.ICCID != x {
		return false
	}
	if plan != nil && sim.ratePlan != plan {
		return false
	}
	if x := f.Get("EId"); x != "" && sim.eid != x {
		return false
	}
	// No simulated SIM has a registration code.
	return f.Get("SimRegistrationCode") == ""
}

// koreSim renders the Sim resource with absolute links on the request's host.
func (s *Server) koreSim(r *http.Request, sim *simRecord) KoreSim {
	self := requestBase(r) + "/v1/Sims/" + sim.Sid
	out := KoreSim{
		Sid: sim.Sid, UniqueName: sim.UniqueName, FriendlyName: sim.friendlyName,
		AccountSid: s.accountSid, Status: sim.status, ICCID: sim.ICCID,
		CommandsCallbackMethod: http.MethodPost,
		DateCreated:            sim.created.Format(time.RFC3339), DateUpdated: sim.updated.Format(time.RFC3339),
		Links: KoreSimLinks{
			UsageRecords: self + "/UsageRecords",
			DataSessions: self + "/DataSessions",
		},
		URL: self,
	}
	if sim.ratePlan != nil {
		sid, link := sim.ratePlan.Sid, requestBase(r)+"/v1/RatePlans/"+sim.ratePlan.Sid
		out.RatePlanSid, out.Links.RatePlan = &sid, &link
	}
	if sim.eid != "" {
		eid := sim.eid
		out.EID = &eid
	}
	return out
}
