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
}

// Server simulates both vendors' APIs; it is an http.Handler and safe for
// concurrent use, also while its knobs change.
type Server struct {
	now        func() time.Time
	log        hclog.Logger
	creds      Credentials
	accountSid string
	sims       []*simRecord
	subs       []*subRecord

	tokens   tokenStore
	faults   *faultState
	counters counters
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
	s.sims = newFleet(seed, newRatePlans(seed))
	s.subs = newSubscriptions(seed)
	s.tokens.expiry = map[string]time.Time{}
	s.tokens.lifetime = defaultTokenLifetime
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
	rt := s.match(r)
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

// match resolves the path to a route.
func (s *Server) match(r *http.Request) route {
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	for _, x := range seg {
		if x == "" {
			return s.notFound(r)
		}
	}
	switch {
	case r.URL.Path == TokenPath:
		return route{RouteKoreToken, vendorKore, s.serveKoreToken}
	case len(seg) == 2 && seg[0] == "v1" && seg[1] == "UsageRecords":
		return s.koreRoute(RouteKoreUsageAccount, func(w http.ResponseWriter, r *http.Request) {
			s.serveKoreUsage(w, r, s.sims, "")
		})
	case len(seg) == 2 && seg[0] == "v1" && seg[1] == "Sims":
		return s.koreRoute(RouteKoreSimsList, s.serveKoreSims)
	case len(seg) == 3 && seg[0] == "v1" && seg[1] == "Sims":
		return s.koreRoute(RouteKoreSimsGet, func(w http.ResponseWriter, r *http.Request) {
			s.serveKoreSim(w, r, seg[2])
		})
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "Sims" && seg[3] == "UsageRecords":
		return s.koreRoute(RouteKoreUsageSim, func(w http.ResponseWriter, r *http.Request) {
			s.serveKoreSimUsage(w, r, seg[2])
		})
	case len(seg) == 5 && seg[0] == "projects" && seg[2] == "subscriptions" && seg[4] == "usage":
		return route{RouteGigsUsage, vendorGigs, func(w http.ResponseWriter, r *http.Request) {
			s.serveGigsUsage(w, r, seg[1], seg[3])
		}}
	}
	return s.notFound(r)
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
