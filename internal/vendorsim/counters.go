package vendorsim

import (
	"net/http"
	"sort"
	"sync"
)

// Route names used by the counters.
const (
	RouteKoreToken             = "kore.token"
	RouteKoreSimsGet           = "kore.sims.get"
	RouteKoreSimsList          = "kore.sims.list"
	RouteKoreRatePlansGet      = "kore.rateplans.get"
	RouteKoreRatePlansList     = "kore.rateplans.list"
	RouteKoreUsageAccount      = "kore.usage.account"
	RouteKoreUsageSim          = "kore.usage.sim"
	RouteGigsSubscriptionsGet  = "gigs.subscriptions.get"
	RouteGigsSubscriptionsList = "gigs.subscriptions.list"
	RouteGigsUsage             = "gigs.usage"
)

// Count is how many requests of a route were answered with a status.
type Count struct {
	Route  string `json:"route"`
	Status int    `json:"status"`
	N      int    `json:"n"`
}

type routeStatus struct {
	route  string
	status int
}

type counters struct {
	mu sync.Mutex
	n  map[routeStatus]int
}

func (c *counters) add(route string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[routeStatus]int{}
	}
	c.n[routeStatus{route, status}]++
}

// Counts lists the requests answered so far, sorted by route then status.
func (s *Server) Counts() []Count {
	s.counters.mu.Lock()
	defer s.counters.mu.Unlock()
	out := make([]Count, 0, len(s.counters.n))
	for k, n := range s.counters.n {
		out = append(out, Count{Route: k.route, Status: k.status, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Route != out[j].Route {
			return out[i].Route < out[j].Route
		}
		return out[i].Status < out[j].Status
	})
	return out
}

// Requests counts the requests of one route, whatever they were answered.
func (s *Server) Requests(route string) int {
	s.counters.mu.Lock()
	defer s.counters.mu.Unlock()
	total := 0
	for k, n := range s.counters.n {
		if k.route == route {
			total += n
		}
	}
	return total
}

// ResetCounts forgets every count.
func (s *Server) ResetCounts() {
	s.counters.mu.Lock()
	defer s.counters.mu.Unlock()
	s.counters.n = nil
}

// CountersPath serves the counters as JSON (GET) and resets them (DELETE). No auth.
const CountersPath = "/_sim/counters"

// CountersReport is the body of GET /_sim/counters.
type CountersReport struct {
	Counts   []Count        `json:"counts"`
	Requests map[string]int `json:"requests"` // per route, all statuses
}

func (s *Server) serveCounters(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		report := CountersReport{Counts: s.Counts(), Requests: map[string]int{}}
		for _, c := range report.Counts {
			report.Requests[c.Route] += c.N
		}
		writeJSON(w, http.StatusOK, report)
	case http.MethodDelete:
		s.ResetCounts()
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
