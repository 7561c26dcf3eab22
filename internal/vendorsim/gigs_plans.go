package vendorsim

import (
	"net/http"
	"time"
)

// Plan summarises one simulated Gigs plan: its allowances per subscription
// period, nil meaning unlimited (sent as null).
type Plan struct {
	ID, Name     string
	DataBytes    *int64
	VoiceSeconds *int64
	SmsMessages  *int64
}

// gigsPlan is everything the simulator knows about one plan.
type gigsPlan struct {
	Plan
	description   string
	coverage      GigsCoverage
	price         GigsPrice
	provider      string
	simTypes      []string
	trigger       string
	throttleBytes *int64 // limits.dataBytes: a fair-use threshold, not an allowance
	created       time.Time
}

func n64(n int64) *int64 { return &n }

// Indexes into gigsPlanSpecs.
const (
	gigsPlanConnect10 = iota
	gigsPlanUnlimited
	gigsPlanData20
	gigsPlanTravel5
	gigsPlanBasic1
)

var (
	coverageWorld = GigsCoverage{Object: "coverage", ID: "world", Name: "World",
		Countries: []string{"AT", "CA", "DE", "ES", "FR", "GB", "IT", "MX", "US"}}
	coverageEurope = GigsCoverage{Object: "coverage", ID: "eu", Name: "Europe",
		Countries: []string{"AT", "DE", "ES", "FR", "GB", "IT"}}
	coverageNorthAmerica = GigsCoverage{Object: "coverage", ID: "na", Name: "North America",
		Countries: []string{"CA", "MX", "US"}}
)

// gigsPlanSpecs: capped plans, one unlimited in every allowance, and one
// with unlimited voice and SMS but capped data.
var gigsPlanSpecs = []struct {
	name, description string
	data, voice, sms  *int64
	coverage          GigsCoverage
	price             GigsPrice
	throttle          *int64
}{
	gigsPlanConnect10: {"Connect 10 GB", "10 GB of data, 500 minutes and 100 texts a month.",
		n64(10_000_000_000), n64(30_000), n64(100), coverageWorld, GigsPrice{Amount: 2500, Currency: "USD"}, nil},
	gigsPlanUnlimited: {"Unlimited", "Unlimited data, calls and texts across Europe.",
		nil, nil, nil, coverageEurope, GigsPrice{Amount: 4500, Currency: "EUR"}, n64(100_000_000_000)},
	gigsPlanData20: {"Data 20 GB", "20 GB of data a month with unlimited calls and texts.",
		n64(20_000_000_000), nil, nil, coverageNorthAmerica, GigsPrice{Amount: 3500, Currency: "USD"}, nil},
	gigsPlanTravel5: {"Travel 5 GB", "5 GB of data, 100 minutes and 50 texts a month.",
		n64(5_000_000_000), n64(6_000), n64(50), coverageEurope, GigsPrice{Amount: 1500, Currency: "EUR"}, nil},
	gigsPlanBasic1: {"Basic 1 GB", "1 GB of data, 50 minutes and 50 texts a month.",
		n64(1_000_000_000), n64(3_000), n64(50), coverageWorld, GigsPrice{Amount: 900, Currency: "USD"}, nil},
}

// gigsPlanEpoch anchors the plans' creation dates.
var gigsPlanEpoch = time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)

func newGigsPlans(seed int64) []*gigsPlan {
	plans := make([]*gigsPlan, len(gigsPlanSpecs))
	for i, spec := range gigsPlanSpecs {
		ids := newIDStream(seed, purposeGigsPlan, uint64(i))
		plans[i] = &gigsPlan{
			Plan: Plan{ID: "pln_" + ids.base62(28), Name: spec.name,
				DataBytes: spec.data, VoiceSeconds: spec.voice, SmsMessages: spec.sms},
			description: spec.description, coverage: spec.coverage, price: spec.price,
			provider: "p9", simTypes: []string{"eSIM", "pSIM"}, trigger: "creation",
			throttleBytes: spec.throttle,
			created:       gigsPlanEpoch.Add(time.Duration(i*24*14+ids.intn(24*10)) * time.Hour),
		}
	}
	return plans
}

// Plans lists the simulated Gigs plans.
func (s *Server) Plans() []Plan {
	out := make([]Plan, len(s.plans))
	for i, p := range s.plans {
		out[i] = p.Plan
	}
	return out
}

// gigsPlanObject renders a plan object: the one a subscription embeds, and
// the one the plan route answers.
func gigsPlanObject(p *gigsPlan) GigsPlan {
	desc := p.description
	return GigsPlan{
		Object: "plan", ID: p.ID, Metadata: map[string]string{}, ActivationTrigger: p.trigger,
		Allowances: GigsAllowances{DataBytes: p.DataBytes, VoiceSeconds: p.VoiceSeconds, SmsMessages: p.SmsMessages},
		Coverage:   p.coverage, CreatedAt: p.created.Format(time.RFC3339), Description: &desc,
		Limits: GigsPlanLimits{DataBytes: p.throttleBytes}, Name: p.Name, Price: p.price,
		Provider: p.provider, SimTypes: p.simTypes, Status: "available",
	}
}

// RouteGigsPlansGet counts GET /projects/{project}/plans/{plan}.
const RouteGigsPlansGet = "gigs.plans.get"

// gigsPlanPattern is where one plan is served. Gigs' public reference does
// not show it; third-party copies of its spec do, and the simulator serves
// it as they document it.
const gigsPlanPattern = "/projects/{project}/plans/{plan}"

// gigsPlanRoute is the route of gigsPlanPattern: GET and the API key first,
// as on every Gigs route.
func (s *Server) gigsPlanRoute() route {
	return s.gigsRoute(RouteGigsPlansGet, "retrieve a plan", func(w http.ResponseWriter, r *http.Request) {
		s.serveGigsPlan(w, r, r.PathValue("project"), r.PathValue("plan"))
	})
}

// serveGigsPlan is GET /projects/{project}/plans/{plan}: the path (project,
// then plan), then the query, in the vendor's order.
func (s *Server) serveGigsPlan(w http.ResponseWriter, r *http.Request, project, id string) {
	if project != s.creds.GigsProject {
		writeGigsError(w, gigsError(http.StatusNotFound, "notFound", "Project "+quote(project)+" not found."))
		return
	}
	var plan *gigsPlan
	for _, p := range s.plans {
		if p.ID == id {
			plan = p
		}
	}
	if plan == nil {
		writeGigsError(w, gigsError(http.StatusNotFound, "notFound", "Plan "+quote(id)+" not found."))
		return
	}
	v, e := gigsQuery(r)
	if e == nil {
		e = checkGigsParams(v, nil, "This endpoint takes no query parameters.")
	}
	if e != nil {
		writeGigsError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, gigsPlanObject(plan))
}
