package vendorsim

import (
	"fmt"
	"time"
)

// SIM identifies one simulated KORE SIM.
type SIM struct{ Sid, UniqueName, ICCID string }

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
	{"tracker", 8, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.4, 0.8), meanBytes: ids.between(100e3, 400e3),
			uploadShare: 0.6, cmdPerHour: ids.between(0.2, 1), rhythm: &dayRhythm, shift: ids.intn(9)}
	}},
	{"meter", 5, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.08, 0.2), meanBytes: ids.between(4e3, 16e3),
			uploadShare: 0.8, cmdPerHour: ids.between(0.05, 0.2), rhythm: &flatRhythm}
	}},
	{"gateway", 4, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: 0.95, meanBytes: ids.between(20e6, 80e6),
			uploadShare: 0.25, cmdPerHour: 0.1, rhythm: &dayRhythm, shift: ids.intn(4)}
	}},
	{"vehicle", 3, "active", func(ids *idStream, _ int) usageProfile {
		return usageProfile{activeProb: ids.between(0.6, 0.8), meanBytes: ids.between(1e6, 4e6),
			uploadShare: 0.4, cmdPerHour: ids.between(0.5, 2), rhythm: &dayRhythm, shift: ids.intn(3),
			nationalP: ids.between(0.25, 0.45)}
	}},
	{"traveller", 3, "active", func(ids *idStream, n int) usageProfile {
		visits := [][]int{{0, 1}, {2}, {0, 1, 2, 3, 4}}[n%3]
		return usageProfile{activeProb: ids.between(0.4, 0.6), meanBytes: ids.between(2e6, 8e6),
			uploadShare: 0.3, cmdPerHour: ids.between(0.1, 0.4), rhythm: &dayRhythm,
			nationalP: 0.1, intlP: ids.between(0.3, 0.5), countries: visits}
	}},
	{"spare", 2, "", func(*idStream, int) usageProfile { return usageProfile{idle: true} }},
}

// simRecord is everything the simulator knows about one SIM.
type simRecord struct {
	SIM
	key          uint64 // hash key of this SIM's usage
	friendlyName string
	status       string
	ratePlan     *ratePlan
	eid          string // "" = none (sent as null)
	created      time.Time
	updated      time.Time
	profile      usageProfile
}

type ratePlan struct{ sid, uniqueName string }

func newRatePlans(seed int64) []*ratePlan {
	names := []string{"iot-standard", "iot-roaming-global"}
	plans := make([]*ratePlan, len(names))
	for i, name := range names {
		ids := newIDStream(seed, purposeRatePlan, uint64(i))
		plans[i] = &ratePlan{sid: "WP" + ids.hex(32), uniqueName: name}
	}
	return plans
}

// fleetEpoch anchors creation dates, so they depend on the seed alone.
var fleetEpoch = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

func newFleet(seed int64, plans []*ratePlan) []*simRecord {
	var sims []*simRecord
	for _, kind := range fleetKinds {
		for n := 0; n < kind.count; n++ {
			i := len(sims)
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
			sim.ratePlan = plans[0]
			sim.profile = kind.make(ids, n)
			if sim.profile.intlP > 0 || sim.profile.nationalP > 0 {
				sim.ratePlan = plans[1]
			}
			if ids.intn(3) == 0 {
				sim.eid = "89049032" + ids.digits(24)
			}
			sim.created = fleetEpoch.Add(time.Duration(ids.intn(300*24)) * time.Hour)
			sim.updated = sim.created.Add(time.Duration(ids.intn(200*24)) * time.Hour)
			sims = append(sims, sim)
		}
	}
	return sims
}

// SIMs lists the simulated SIMs in a stable order.
func (s *Server) SIMs() []SIM {
	out := make([]SIM, len(s.sims))
	for i, sim := range s.sims {
		out[i] = sim.SIM
	}
	return out
}

// simBySidOrName finds a SIM by its SID or unique name.
func (s *Server) simBySidOrName(id string) *simRecord {
	for _, sim := range s.sims {
		if sim.Sid == id || sim.UniqueName == id {
			return sim
		}
	}
	return nil
}

// simBySid finds a SIM by its SID only.
func (s *Server) simBySid(sid string) *simRecord {
	for _, sim := range s.sims {
		if sim.Sid == sid {
			return sim
		}
	}
	return nil
}
