package main

import (
	"slices"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/kore"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// recordCounter says how many records a KORE usage query returns; sid "" is
// the account endpoint. The benchmark uses the simulator's own arithmetic.
type recordCounter func(sid string, start, end time.Time, granularity string) int

// simulatorRecords counts records with vendorsim's KoreRecords.
func simulatorRecords(s *vendorsim.Server) recordCounter {
	return func(sid string, start, end time.Time, granularity string) int {
		return len(s.KoreRecords(sid, start, end, granularity))
	}
}

// minimum is the least traffic the workload can cost.
type minimum struct {
	ByRoute map[string]int // requests per simulator route
	Total   int
	// RoundTrips holds, per data source, the round trips it must make one
	// after another: a lookup (only the first data source asking a given
	// lookup pays it: the provider keeps the answer), then its usage pages.
	RoundTrips []int
}

// minimalRequests counts the requests the workload needs at the least:
//
//	1 token (usage_account is always there, so KORE always is)
//	+ per usage_sim: 1 lookup when named by unique_name or iccid (each distinct
//	  lookup once) + ceil(records/PageSize) usage pages, at least 1
//	+ usage_account: ceil(records/PageSize) pages, at least 1
//	+ per usage_subscription: 1 Gigs request (the simulator pages Gigs lists
//	  only in its hostile mode)
//
// Records come from the simulator's own arithmetic for the range each data
// source asks.
func minimalRequests(w workload, records recordCounter) minimum {
	m := minimum{ByRoute: map[string]int{}}
	add := func(route string, n int) {
		m.ByRoute[route] += n
		m.Total += n
	}
	add(vendorsim.RouteKoreToken, 1)

	pages := korePages(records("", w.Account.Start, w.Account.End, w.Granularity))
	add(vendorsim.RouteKoreUsageAccount, pages)
	m.RoundTrips = append(m.RoundTrips, pages)

	looked := map[string]bool{}
	for _, s := range w.Sims {
		trips := 0
		if key := s.lookup(); key != "" && !looked[key] {
			looked[key] = true
			route := vendorsim.RouteKoreSimsGet
			if s.By == byICCID {
				route = vendorsim.RouteKoreSimsList
			}
			add(route, 1)
			trips++
		}
		pages := korePages(records(s.SIM.Sid, s.Start, s.End, w.Granularity))
		add(vendorsim.RouteKoreUsageSim, pages)
		m.RoundTrips = append(m.RoundTrips, trips+pages)
	}

	for range w.Subscriptions {
		add(vendorsim.RouteGigsUsage, 1)
		m.RoundTrips = append(m.RoundTrips, 1)
	}
	return m
}

// korePages is ceil(records/PageSize), the client's kore.PageSize (1000),
// and at least one: an empty answer is still one request.
func korePages(records int) int {
	return max(1, (records+kore.PageSize-1)/kore.PageSize)
}

// criticalRoundTrips is the length, in round trips, of the shortest schedule
// Terraform's parallelism allows, modelled as waves: with parallelism p, the
// D data sources are read in ceil(D/p) waves of at most p, and a wave lasts as
// long as its slowest member's lookup and pages. The KORE token is one more
// round trip, serialised before the first KORE request of the first wave.
// Sorting the data sources by their round trips before cutting waves gives
// the smallest sum of wave maxima, so the result is a lower bound under this
// model:
//
//	critical = 1 token + sum over waves of max(lookup + pages of a member)
func criticalRoundTrips(m minimum, parallelism int) int {
	trips := slices.Clone(m.RoundTrips)
	slices.SortFunc(trips, func(a, b int) int { return b - a })
	total := 1 // the token
	p := max(1, parallelism)
	for i := 0; i < len(trips); i += p {
		total += trips[i] // the wave's first member is its slowest
	}
	return total
}

// idealSeconds = baseline + latency × critical round trips: the zero-latency
// plan plus the network time no schedule can avoid.
func idealSeconds(baseline, latency time.Duration, roundTrips int) float64 {
	return baseline.Seconds() + latency.Seconds()*float64(roundTrips)
}
