package vendorsim

import (
	"net/http"
	"net/url"
	"time"
)

// RatePlan summarises one simulated KORE rate plan. The limits are the
// vendor's, in megabytes; nil is a limit the plan does not set (sent as null).
type RatePlan struct {
	Sid, UniqueName, FriendlyName   string
	DataLimitMB                     *int64 // home network (data_limit)
	NationalRoamingDataLimitMB      *int64 // national_roaming_data_limit
	InternationalRoamingDataLimitMB *int64 // international_roaming_data_limit
}

// ratePlan is everything the simulator knows about one rate plan.
type ratePlan struct {
	RatePlan
	dataEnabled      bool
	dataMetering     string
	messaging        bool
	nationalRoaming  bool
	intlRoaming      []string
	strategy         string
	notificationURL  string // "" = none (the fields are left out)
	created, updated time.Time
}

// ratePlanSpec is the fixed shape of one plan; the SID comes from the seed.
type ratePlanSpec struct {
	uniqueName, friendlyName string
	dataEnabled              bool
	metering                 string
	home, national, intl     *int64 // MB
	messaging                bool
	nationalRoaming          bool
	intlRoaming              []string
	notify                   bool
}

func mb(n int64) *int64 { return &n }

// Indexes into ratePlanSpecs. The first two are the plans the first 25 SIMs
// are on, but for the over-limit meter (overLimitMeter); a SID depends on
// its index only, so new plans go last.
const (
	planStandard = iota
	planRoamingGlobal
	planUnmetered
	planLite
	planSMSOnly
	planLegacy   // assigned to no SIM
	planMeter1MB // the over-limit meter's
)

// ratePlanSpecs: limits set and null, a 0-MB plan without data, a plan no
// SIM is on, and a 1-MB plan one classic SIM outgrows every day.
var ratePlanSpecs = []ratePlanSpec{
	planStandard: {"iot-standard", "IoT Standard", true, "payg", mb(10000), mb(1000), nil,
		true, true, []string{"messaging"}, true},
	planRoamingGlobal: {"iot-roaming-global", "IoT Roaming Global", true, "payg", mb(1000), mb(200), mb(200),
		true, true, []string{"data", "messaging"}, false},
	planUnmetered: {"iot-unmetered", "IoT Unmetered", true, "payg", nil, nil, nil,
		true, true, []string{"data", "messaging"}, false},
	planLite: {"iot-lite", "IoT Lite 50 MB", true, "quota-1", mb(50), nil, nil,
		true, false, []string{}, false},
	planSMSOnly: {"iot-sms-only", "IoT SMS only", false, "payg", mb(0), mb(0), mb(0),
		true, false, []string{"messaging"}, false},
	planLegacy: {"iot-legacy-2023", "IoT Legacy 2023", true, "quota-10", mb(1000), mb(100), nil,
		true, true, []string{}, false},
	planMeter1MB: {"iot-meter-1mb", "IoT Meter 1 MB", true, "payg", mb(1), nil, nil,
		true, false, []string{}, false},
}

// ratePlanEpoch anchors the plans' dates: before any SIM was created.
var ratePlanEpoch = time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)

func newRatePlans(seed int64) []*ratePlan {
	plans := make([]*ratePlan, len(ratePlanSpecs))
	for i, spec := range ratePlanSpecs {
		ids := newIDStream(seed, purposeRatePlan, uint64(i))
		p := &ratePlan{RatePlan: RatePlan{Sid: "WP" + ids.hex(32), UniqueName: spec.uniqueName,
			FriendlyName: spec.friendlyName, DataLimitMB: spec.home,
			NationalRoamingDataLimitMB: spec.national, InternationalRoamingDataLimitMB: spec.intl},
			dataEnabled: spec.dataEnabled, dataMetering: spec.metering, messaging: spec.messaging,
			nationalRoaming: spec.nationalRoaming, intlRoaming: spec.intlRoaming, strategy: "block"}
		p.created = ratePlanEpoch.Add(time.Duration(i*30*24+ids.intn(24*20)) * time.Hour)
		p.updated = p.created.Add(time.Duration(ids.intn(24*60)) * time.Hour)
		if spec.notify {
			p.notificationURL = "https://hooks.example.com/kore/usage/" + spec.uniqueName
		}
		plans[i] = p
	}
	return plans
}

// RatePlans lists the simulated rate plans in the order GET /v1/RatePlans
// lists them (oldest first).
func (s *Server) RatePlans() []RatePlan {
	out := make([]RatePlan, len(s.ratePlans))
	for i, p := range s.ratePlans {
		out[i] = p.RatePlan
	}
	return out
}

// ratePlan finds a plan by SID or unique name, as the API addresses it.
func (s *Server) ratePlan(id string) *ratePlan {
	for _, p := range s.ratePlans {
		if p.Sid == id || p.UniqueName == id {
			return p
		}
	}
	return nil
}

// serveKoreRatePlans is GET /v1/RatePlans: no filters, only paging.
func (s *Server) serveKoreRatePlans(w http.ResponseWriter, r *http.Request) {
	v, ok := koreQuery(w, r)
	if !ok {
		return
	}
	if e := checkKoreParams(v, "PageSize", "Page", "PageToken"); e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	paging, e := parsePaging(v)
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	p, e := newPager(r, url.Values{}, paging, len(s.ratePlans))
	if e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	lo, hi := p.bounds()
	out := make([]KoreRatePlan, 0, hi-lo)
	for _, plan := range s.ratePlans[lo:hi] {
		out = append(out, s.koreRatePlan(r, plan))
	}
	writeJSON(w, http.StatusOK, KoreRatePlanList{RatePlans: out, Meta: p.meta("rate_plans", s.fleetHostile())})
}

// serveKoreRatePlan is GET /v1/RatePlans/{Sid}, by SID or unique name.
func (s *Server) serveKoreRatePlan(w http.ResponseWriter, r *http.Request, id string) {
	plan := s.ratePlan(id)
	serveKoreResource(w, r, plan != nil, func() any { return s.koreRatePlan(r, plan) })
}

// koreRatePlan renders the RatePlan resource with its absolute URL.
func (s *Server) koreRatePlan(r *http.Request, p *ratePlan) KoreRatePlan {
	out := KoreRatePlan{
		Sid: p.Sid, UniqueName: p.UniqueName, AccountSid: s.accountSid, FriendlyName: p.FriendlyName,
		DataEnabled: p.dataEnabled, DataMetering: p.dataMetering, DataLimit: p.DataLimitMB,
		MessagingEnabled: p.messaging, NationalRoamingEnabled: p.nationalRoaming,
		NationalRoamingDataLimit: p.NationalRoamingDataLimitMB, InternationalRoaming: p.intlRoaming,
		InternationalRoamingDataLimit: p.InternationalRoamingDataLimitMB,
		DateCreated:                   p.created.Format(time.RFC3339), DateUpdated: p.updated.Format(time.RFC3339),
		URL: requestBase(r) + "/v1/RatePlans/" + p.Sid, DataLimitStrategy: p.strategy,
	}
	if p.notificationURL != "" {
		out.UsageNotificationURL, out.UsageNotificationMethod = p.notificationURL, http.MethodPost
	}
	return out
}
