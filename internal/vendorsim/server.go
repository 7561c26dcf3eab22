package vendorsim

import (
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Options configure a simulator.
type Options struct {
	Seed   int64            // data-set seed; 0 means 1. Same seed (and clock) => byte-identical data.
	Now    func() time.Time // the simulator clock; nil = time.Now. Usage exists for the 18 months before Now (hour-truncated) and never after Now.
	Logger hclog.Logger     // nil = discard
	// SIMs is the number of KORE SIMs: 0 means DefaultSIMs (25), more than
	// MaxSIMs means MaxSIMs. A data set is a prefix of the same endless
	// sequence: the first 25 SIMs are the same at every size.
	SIMs int
	// Subscriptions is the number of Gigs subscriptions: 0 means
	// DefaultSubscriptions (6), more than MaxSubscriptions means
	// MaxSubscriptions. The first 6 are the same at every size.
	Subscriptions int
}

// size turns a requested count into the one served.
func size(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

// Server simulates both vendors' APIs; it is an http.Handler and safe for
// concurrent use, also while its knobs change.
type Server struct {
	now        func() time.Time
	log        hclog.Logger
	creds      Credentials
	accountSid string
	ratePlans  []*ratePlan
	fleet      *fleet
	plans      []*gigsPlan
	subs       *subscriptions

	tokens   tokenStore
	faults   *faultState
	counters counters
	routes   *http.ServeMux
}

// New builds a simulator; its data set is a pure function of the seed and the clock.
func New(opts Options) *Server {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	s := &Server{now: opts.Now, log: opts.Logger, faults: newFaultState(seed)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = hclog.NewNullLogger()
	}
	s.creds = newCredentials(seed)
	s.accountSid = "AC" + newIDStream(seed, purposeAccount, 0).hex(32)
	s.ratePlans = newRatePlans(seed)
	s.fleet = newFleet(seed, s.ratePlans, size(opts.SIMs, DefaultSIMs, MaxSIMs))
	s.plans = newGigsPlans(seed)
	s.subs = newSubscriptions(seed, s.plans, size(opts.Subscriptions, DefaultSubscriptions, MaxSubscriptions))
	s.tokens.expiry = map[string]time.Time{}
	s.tokens.lifetime = defaultTokenLifetime
	s.routes = s.newRoutes()
	return s
}

type vendor int

const (
	vendorKore vendor = iota
	vendorGigs
)

// route is what a request path resolved to; name "" is no known route.
type route struct {
	name   string
	vendor vendor
	serve  http.HandlerFunc
}

// ServeHTTP answers one request: latency, then injected faults (API routes
// only), then the vendor's own checks and answer. Every answer on a known
// route is counted.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == CountersPath {
		s.serveCounters(w, r)
		return
	}
	if !cleanPath(r.URL.EscapedPath()) {
		// The mux would redirect to a cleaned path; the vendors answer 404.
		s.answer(w, r, s.notFound(r))
		return
	}
	s.routes.ServeHTTP(w, r)
}

// newRoutes maps each vendor path to its route.
func (s *Server) newRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	add := func(pattern string, rt route) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.answer(w, r, rt) })
	}
	add(TokenPath, route{RouteKoreToken, vendorKore, s.serveKoreToken})
	add("/v1/UsageRecords", s.koreRoute(RouteKoreUsageAccount, func(w http.ResponseWriter, r *http.Request) {
		s.serveKoreUsage(w, r, s.fleet.sims, "")
	}))
	add("/v1/Sims", s.koreRoute(RouteKoreSimsList, s.serveKoreSims))
	add("/v1/Sims/{sid}", s.koreRoute(RouteKoreSimsGet, func(w http.ResponseWriter, r *http.Request) {
		s.serveKoreSim(w, r, r.PathValue("sid"))
	}))
	add("/v1/Sims/{sid}/UsageRecords", s.koreRoute(RouteKoreUsageSim, func(w http.ResponseWriter, r *http.Request) {
		s.serveKoreSimUsage(w, r, r.PathValue("sid"))
	}))
	add("/v1/RatePlans", s.koreRoute(RouteKoreRatePlansList, s.serveKoreRatePlans))
	add("/v1/RatePlans/{sid}", s.koreRoute(RouteKoreRatePlansGet, func(w http.ResponseWriter, r *http.Request) {
		s.serveKoreRatePlan(w, r, r.PathValue("sid"))
	}))
	add("/projects/{project}/subscriptions", s.gigsRoute(RouteGigsSubscriptionsList, "list subscriptions", func(w http.ResponseWriter, r *http.Request) {
		s.serveGigsSubscriptions(w, r, r.PathValue("project"))
	}))
	add("/projects/{project}/subscriptions/{subscription}", s.gigsRoute(RouteGigsSubscriptionsGet, "retrieve a subscription", func(w http.ResponseWriter, r *http.Request) {
		s.serveGigsSubscription(w, r, r.PathValue("project"), r.PathValue("subscription"))
	}))
	add("/projects/{project}/subscriptions/{subscription}/usage", s.gigsRoute(RouteGigsUsage, "list usage records", func(w http.ResponseWriter, r *http.Request) {
		s.serveGigsUsage(w, r, r.PathValue("project"), r.PathValue("subscription"))
	}))
	add(gigsPlanPattern, s.gigsPlanRoute())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.answer(w, r, s.notFound(r)) })
	return mux
}

// cleanPath reports a path without empty, "." or ".." segments.
func cleanPath(escaped string) bool {
	for seg := range strings.SplitSeq(strings.TrimPrefix(escaped, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// answer serves rt: latency first, then an injected fault or the route's
// own answer, counted once its status is decided.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, rt route) {
	if !s.faults.wait(r.Context()) {
		return // the client gave up; nothing is answered or counted
	}
	sw := &statusWriter{ResponseWriter: w, decided: func(status int) {
		if rt.name != "" {
			s.counters.add(rt.name, status)
		}
		// The path carries no secret; headers and bodies are never logged.
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "route", rt.name, "status", status)
	}}
	if in, ok := s.injection(rt); ok {
		writeInjection(sw, rt.vendor, in)
	} else {
		rt.serve(sw, r)
	}
	sw.WriteHeader(http.StatusOK) // a no-op unless the handler wrote nothing
}

// injection draws an injected failure for API routes; the token endpoint and
// unknown paths are never faulted.
func (s *Server) injection(rt route) (injection, bool) {
	if rt.name == "" || rt.name == RouteKoreToken {
		return injection{}, false
	}
	return s.faults.draw()
}

// koreRoute wraps a KORE API handler with the bearer-token check and GET only.
func (s *Server) koreRoute(name string, serve http.HandlerFunc) route {
	return route{name, vendorKore, func(w http.ResponseWriter, r *http.Request) {
		if !s.koreAuthorized(w, r) {
			return
		}
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeKoreError(w, http.StatusMethodNotAllowed, koreCodeMethodNotAllowed, "Method %s not allowed", r.Method)
			return
		}
		serve(w, r)
	}}
}

// gigsRoute wraps a Gigs API handler with GET only and the API key check, in
// the vendor's order: the request line and headers before the path and query.
func (s *Server) gigsRoute(name, what string, serve http.HandlerFunc) route {
	return route{name, vendorGigs, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeGigsError(w, gigsError(http.StatusMethodNotAllowed, "methodNotAllowed", "Use GET to "+what+"."))
			return
		}
		if token, ok := bearerToken(r); !ok || !sameString(token, s.creds.GigsAPIKey) {
			writeGigsError(w, gigsError(http.StatusUnauthorized, "unauthenticated", "Invalid authorization token"))
			return
		}
		serve(w, r)
	}}
}

// notFound answers unknown paths in the style of the vendor the path looks like.
func (s *Server) notFound(r *http.Request) route {
	if strings.HasPrefix(r.URL.Path, "/projects/") {
		return route{"", vendorGigs, func(w http.ResponseWriter, r *http.Request) {
			writeGigsError(w, gigsError(http.StatusNotFound, "notFound", "The requested resource does not exist."))
		}}
	}
	return route{"", vendorKore, func(w http.ResponseWriter, r *http.Request) {
		writeKoreError(w, http.StatusNotFound, koreCodeNotFound, "The requested resource %s was not found", r.URL.Path)
	}}
}

// statusWriter reports the status once it is decided, before any byte of
// the answer leaves, so a client that has its answer also finds it counted.
type statusWriter struct {
	http.ResponseWriter
	decided func(status int)
	status  int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	w.decided(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}
