package vendorsim

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// SIM identifies one simulated KORE SIM: its status and its rate plan's SID
// ("" for the one SIM without a plan) as the Sim resource gives them.
type SIM struct{ Sid, UniqueName, ICCID, Status, RatePlanSid string }

// Fleet sizes. The first DefaultSIMs SIMs and DefaultSubscriptions
// subscriptions are the classic data set, the same at every size.
const (
	DefaultSIMs          = 25
	DefaultSubscriptions = 6
	MaxSIMs              = 100_000
	MaxSubscriptions     = 100_000
)

// Locations a SIM can be in during an hour: home, national roaming, or one of
// the international countries (index intlBase+i into roamingCountries).
const (
	locHome = iota
	locNational
	intlBase
)

// roamingCountries are the ISO alpha-2 codes international roaming happens in.
var roamingCountries = [...]string{"DE", "FR", "MX", "GB", "CA"}

const numLocations = intlBase + len(roamingCountries)

// usageProfile shapes one SIM's hourly usage.
type usageProfile struct {
	idle        bool
	activeProb  float64 // chance an hour at peak rhythm has data usage
	meanBytes   float64 // bytes of an active hour at peak rhythm
	uploadShare float64 // typical share of upload in data
	cmdPerHour  float64 // mean commands in an hour at peak rhythm
	rhythm      *[24]float64
	shift       int     // hours the daily rhythm is shifted by (time zone)
	nationalP   float64 // chance a 4-day block is spent roaming nationally
	intlP       float64 // chance a 4-day block is spent abroad
	countries   []int   // indices into roamingCountries visited abroad
	// dailyUpload: the 00:00 UTC hour also uploads a day's readings, more
	// than 1 MB (see midnightUpload).
	dailyUpload bool
}

// Daily rhythms: activity weight by UTC hour.
var (
	dayRhythm = [24]float64{0.05, 0.05, 0.05, 0.05, 0.08, 0.15, 0.35, 0.6, 0.85, 1, 0.95, 0.9,
		0.85, 0.9, 0.95, 1, 0.95, 0.85, 0.7, 0.5, 0.35, 0.2, 0.1, 0.06}
	flatRhythm = [24]float64{0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 0.9, 0.9, 0.8, 0.8, 0.8}
)

// fleetKind is a group of SIMs with the same kind of profile.
type fleetKind struct {
	prefix string
	count  int
	status string
	make   func(ids *idStream, n int) usageProfile
}

var fleetKinds = []fleetKind{
	kindTracker: {"tracker", 8, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.4, 0.8), meanBytes: ids.between(100e3, 400e3),
			uploadShare: 0.6, cmdPerHour: ids.between(0.2, 1), rhythm: &dayRhythm, shift: ids.intn(9)}
	}},
	kindMeter: {"meter", 5, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.08, 0.2), meanBytes: ids.between(4e3, 16e3),
			uploadShare: 0.8, cmdPerHour: ids.between(0.05, 0.2), rhythm: &flatRhythm}
	}},
	kindGateway: {"gateway", 4, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: 0.95, meanBytes: ids.between(20e6, 80e6),
			uploadShare: 0.25, cmdPerHour: 0.1, rhythm: &dayRhythm, shift: ids.intn(4)}
	}},
	kindVehicle: {"vehicle", 3, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.6, 0.8), meanBytes: ids.between(1e6, 4e6),
			uploadShare: 0.4, cmdPerHour: ids.between(0.5, 2), rhythm: &dayRhythm, shift: ids.intn(3),
			nationalP: ids.between(0.25, 0.45)}
	}},
	kindTraveller: {"traveller", 3, "active", func(ids *idStream, n int) usageProfile {
		visits := [][]int{{0, 1}, {2}, {0, 1, 2, 3, 4}}[n%3]
		return usageProfile{activeProb: ids.between(0.4, 0.6), meanBytes: ids.between(2e6, 8e6),
			uploadShare: 0.3, cmdPerHour: ids.between(0.1, 0.4), rhythm: &dayRhythm,
			nationalP: 0.1, intlP: ids.between(0.3, 0.5), countries: visits}
	}},
	kindSpare: {"spare", 2, "", func(*idStream, int) usageProfile { return usageProfile{idle: true} }},
}

// simRecord is everything the simulator knows about one SIM.
type simRecord struct {
	SIM
	key          uint64 // hash key of this SIM's usage
	friendlyName string
	status       string
	ratePlan     *ratePlan // nil = no rate plan
	eid          string    // "" = none (sent as null)
	created      time.Time
	updated      time.Time
	profile      usageProfile
}

// overLimitMeter is the index of meter-05, on a 1-MB plan that its daily
// upload outgrows in the first hour of every day: so every metering period
// and month, whatever its start day, has a SIM past a limit from its first
// finished hour on (the demo's check and the limits recipes rely on it).
const overLimitMeter = 12

// fleetEpoch anchors creation dates, so they depend on the seed alone.
var fleetEpoch = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// fleet is the SIMs in list order with the indexes the API looks them up by,
// so that every lookup and filtered list costs no more than its answer.
type fleet struct {
	sims     []*simRecord
	bySid    map[string]*simRecord
	byName   map[string]*simRecord
	byICCID  map[string]*simRecord
	byStatus map[string][]*simRecord
	byPlan   map[*ratePlan][]*simRecord // key nil: the SIMs without a plan

	vanish vanishing
}

// newFleet builds n SIMs: the classic 25 (or their first n), then extra SIMs
// of the same kinds with a mix of statuses and rate plans.
func newFleet(seed int64, plans []*ratePlan, n int) *fleet {
	f := &fleet{sims: make([]*simRecord, 0, n), bySid: make(map[string]*simRecord, n),
		byName: make(map[string]*simRecord, n), byICCID: make(map[string]*simRecord, n),
		byStatus: map[string][]*simRecord{}, byPlan: map[*ratePlan][]*simRecord{}}
	for _, kind := range fleetKinds {
		for k := 0; k < kind.count && len(f.sims) < n; k++ {
			f.add(classicSIM(seed, plans, kind, k, len(f.sims)))
		}
	}
	for i := len(f.sims); i < n; i++ {
		f.add(f.extraSIM(seed, plans, i))
	}
	return f
}

func (f *fleet) add(sim *simRecord) {
	sim.Status = sim.status
	if sim.ratePlan != nil {
		sim.RatePlanSid = sim.ratePlan.Sid
	}
	f.sims = append(f.sims, sim)
	f.bySid[sim.Sid] = sim
	f.byName[sim.UniqueName] = sim
	f.byICCID[sim.ICCID] = sim
	f.byStatus[sim.status] = append(f.byStatus[sim.status], sim)
	f.byPlan[sim.ratePlan] = append(f.byPlan[sim.ratePlan], sim)
}

// classicSIM is SIM i, the n-th of its kind, of the classic data set.
func classicSIM(seed int64, plans []*ratePlan, kind fleetKind, n, i int) *simRecord {
	ids := newIDStream(seed, purposeSIM, uint64(i))
	sim := &simRecord{key: hash3(uint64(seed), purposeSimUsage, uint64(i))}
	sim.Sid = "DE" + ids.hex(32)
	sim.UniqueName = fmt.Sprintf("%s-%02d", kind.prefix, n+1)
	body := "8901260" + ids.digits(12)
	sim.ICCID = body + string(luhnDigit(body))
	sim.friendlyName = fmt.Sprintf("%s %d", kind.prefix, n+1)
	sim.status = kind.status
	if sim.status == "" {
		sim.status = []string{"ready", "suspended"}[n%2]
	}
	sim.ratePlan = plans[planStandard]
	sim.profile = kind.make(ids, n)
	if sim.profile.intlP > 0 || sim.profile.nationalP > 0 {
		sim.ratePlan = plans[planRoamingGlobal]
	}
	if i == overLimitMeter {
		sim.ratePlan = plans[planMeter1MB]
		sim.profile.dailyUpload = true
	}
	if ids.intn(3) == 0 {
		sim.eid = "89049032" + ids.digits(24)
	}
	sim.created = fleetEpoch.Add(time.Duration(ids.intn(300*24)) * time.Hour)
	sim.updated = sim.created.Add(time.Duration(ids.intn(200*24)) * time.Hour)
	return sim
}

// extraSlot is the kind and rate plan of an extra SIM; the slots repeat.
type extraSlot struct{ kind, plan int }

// Indexes into fleetKinds.
const (
	kindTracker = iota
	kindMeter
	kindGateway
	kindVehicle
	kindTraveller
	kindSpare
)

var extraSlots = [...]extraSlot{
	{kindTracker, planStandard}, {kindMeter, planStandard}, {kindTracker, planStandard},
	{kindVehicle, planRoamingGlobal}, {kindMeter, planSMSOnly}, {kindTracker, planUnmetered},
	{kindGateway, planStandard}, {kindTracker, planLite}, {kindMeter, planStandard},
	{kindTraveller, planRoamingGlobal}, {kindTracker, planStandard}, {kindMeter, planLite},
	{kindTracker, planStandard}, {kindVehicle, planRoamingGlobal}, {kindMeter, planStandard},
	{kindTracker, planUnmetered}, {kindGateway, planUnmetered}, {kindTracker, planStandard},
	{kindMeter, planStandard}, {kindTraveller, planRoamingGlobal},
}

// extraStatuses are the statuses of the first extra SIMs, one of each the
// Status filter knows besides active; the first of them has no rate plan.
var extraStatuses = [...]string{"new", "ready", "suspended", "deactivated", "canceled", "scheduled", "updating"}

// extraSIM is SIM i (i >= 25). Only active SIMs use the network.
func (f *fleet) extraSIM(seed int64, plans []*ratePlan, i int) *simRecord {
	ids := newIDStream(seed, purposeSIM, uint64(i))
	sim := &simRecord{key: hash3(uint64(seed), purposeSimUsage, uint64(i))}
	sim.Sid = "DE" + ids.hex(32)
	for f.bySid[sim.Sid] != nil {
		sim.Sid = "DE" + ids.hex(32)
	}
	sim.UniqueName = fmt.Sprintf("fleet-%05d", i+1)
	sim.friendlyName = fmt.Sprintf("fleet %d", i+1)
	for sim.ICCID == "" || f.byICCID[sim.ICCID] != nil {
		body := "8901260" + ids.digits(12)
		sim.ICCID = body + string(luhnDigit(body))
	}
	j := i - DefaultSIMs
	slot := extraSlots[j%len(extraSlots)]
	sim.profile = fleetKinds[slot.kind].make(ids, i)
	sim.ratePlan = plans[slot.plan]
	if slot.plan == planSMSOnly {
		sim.profile.activeProb = 0 // commands only: the plan has no data
	}
	if j < len(extraStatuses) {
		sim.status = extraStatuses[j]
	} else {
		sim.status = extraStatus(ids.intn(100))
	}
	if j == 0 {
		sim.ratePlan = nil
	}
	if sim.status != "active" {
		sim.profile = usageProfile{idle: true}
	}
	if ids.intn(3) == 0 {
		sim.eid = "89049032" + ids.digits(24)
	}
	sim.created = fleetEpoch.Add(time.Duration(ids.intn(300*24)) * time.Hour)
	sim.updated = sim.created.Add(time.Duration(ids.intn(200*24)) * time.Hour)
	return sim
}

// extraStatus maps a percentile to a status: mostly active.
func extraStatus(p int) string {
	switch {
	case p < 88:
		return "active"
	case p < 91:
		return "suspended"
	case p < 94:
		return "deactivated"
	case p < 96:
		return "ready"
	case p < 97:
		return "new"
	case p < 98:
		return "canceled"
	case p < 99:
		return "scheduled"
	}
	return "updating"
}

// SIMs lists the simulated SIMs in a stable order, the order of GET /v1/Sims.
// A SIM that has vanished (VanishAfterListing) is still listed here.
func (s *Server) SIMs() []SIM {
	out := make([]SIM, len(s.fleet.sims))
	for i, sim := range s.fleet.sims {
		out[i] = sim.SIM
	}
	return out
}

// simBySidOrName finds a SIM by its SID or unique name.
func (s *Server) simBySidOrName(id string) *simRecord {
	sim := s.fleet.bySid[id]
	if sim == nil {
		sim = s.fleet.byName[id]
	}
	if sim == nil || s.fleet.vanish.gone(sim) {
		return nil
	}
	return sim
}

// simBySid finds a SIM by its SID only.
func (s *Server) simBySid(sid string) *simRecord {
	sim := s.fleet.bySid[sid]
	if sim == nil || s.fleet.vanish.gone(sim) {
		return nil
	}
	return sim
}

// VanishAfterListing makes a SIM disappear as soon as a GET /v1/Sims page
// that lists it has been answered: from then on GET /v1/Sims/{Sid}, its usage
// records and later lists answer as if it never existed, as when a SIM is
// deleted between a fleet read's list and its usage reads. KoreRecords and
// the account's usage records still count it. false: no such SIM.
func (s *Server) VanishAfterListing(sid string) bool {
	sim := s.fleet.bySid[sid]
	if sim == nil {
		return false
	}
	s.fleet.vanish.mark(sim)
	return true
}

// vanishing holds the SIMs marked to vanish and those gone. The flag keeps
// lookups lock-free until the first SIM is marked.
type vanishing struct {
	any     atomic.Bool
	mu      sync.Mutex
	pending map[*simRecord]bool
	left    map[*simRecord]bool
}

func (v *vanishing) mark(sim *simRecord) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.pending == nil {
		v.pending, v.left = map[*simRecord]bool{}, map[*simRecord]bool{}
	}
	if !v.left[sim] {
		v.pending[sim] = true
	}
	v.any.Store(true)
}

func (v *vanishing) gone(sim *simRecord) bool {
	if !v.any.Load() {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.left[sim]
}

// listed records that sims were answered in a list: marked ones are gone now.
func (v *vanishing) listed(sims []*simRecord) {
	if !v.any.Load() {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, sim := range sims {
		if v.pending[sim] {
			delete(v.pending, sim)
			v.left[sim] = true
		}
	}
}
