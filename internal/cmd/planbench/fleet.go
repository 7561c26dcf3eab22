package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// The fleet benchmark's routes: ways to read the usage of every SIM.
const (
	// routeFleet is one usage_sims over the whole fleet: the provider lists
	// the SIMs, then reads each one's usage under its in-flight cap.
	routeFleet = "usage_sims"
	// routeForEach is one usage_sim per SIM, by SID, through for_each over
	// the list of SIDs: Terraform reads them under its -parallelism, the
	// provider under its cap.
	routeForEach = "for_each"
	// routeBlocks is the same usage_sim reads written out as one data block
	// per SIM (a generated configuration): the same requests as for_each,
	// without Terraform's cost of expanding one block into N instances.
	routeBlocks = "blocks"
	// routeKeep is usage_sims over the whole fleet with include_limits and
	// keep = { used_percent = -keep-percent }, or with keep = { data_bytes =
	// -keep-data-bytes }: the same reads, but only the SIMs at or over the
	// threshold in its sims, and a check over them.
	routeKeep = "usage_sims_keep"
)

// knownRoutes are the routes in the order they are planned and reported.
var knownRoutes = []string{routeFleet, routeKeep, routeForEach, routeBlocks}

// keptOutput is the keep route's output: how many SIMs its sims kept.
const keptOutput = "kept_sims"

// routeList is the -routes flag: comma-separated route names.
type routeList []string

// defaultRoutes are the two routes the fleet benchmark compares by default.
func defaultRoutes() routeList { return routeList{routeFleet, routeForEach} }

func (l *routeList) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

// Set takes "usage_sims,for_each" and the like; each route once.
func (l *routeList) Set(s string) error {
	var out routeList
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(knownRoutes, name) {
			return fmt.Errorf("unknown route %q: want some of %s", name, strings.Join(knownRoutes, ","))
		}
		if slices.Contains(out, name) {
			return fmt.Errorf("route %q given twice", name)
		}
		out = append(out, name)
	}
	*l = out
	return nil
}

// has says whether the list names route.
func (l routeList) has(route string) bool { return slices.Contains(l, route) }

// perSIM says whether the list has a route of one data source per SIM.
func (l routeList) perSIM() bool { return l.has(routeForEach) || l.has(routeBlocks) }

// envMaxConcurrent is the provider's in-flight cap setting.
const envMaxConcurrent = "USAGE_MAX_CONCURRENT_REQUESTS"

// fleetRoute is one route over the fleet: its configuration and the least
// it can cost.
type fleetRoute struct {
	Name        string // routeFleet or routeForEach
	DataSources int    // data source instances in the plan
	Config      []byte
	Minimum     minimum
	// Critical is the round trips on the critical path (fleetCritical,
	// forEachCritical): the network time no schedule can avoid.
	Critical int
	// Path says in words what Critical counts.
	Path string
}

// capSetting is the in-flight cap the provider runs with, and where it
// comes from.
type capSetting struct {
	N      int
	Source string // "-max-concurrent-requests", the variable, or "provider default"
}

// capInForce is the cap the provider will use: the flag's, else the
// environment's USAGE_MAX_CONCURRENT_REQUESTS (which the provider inherits),
// else the provider's default. getenv is os.Getenv but for tests.
func capInForce(flag int, getenv func(string) string) (capSetting, error) {
	if flag > 0 {
		return capSetting{N: flag, Source: "-max-concurrent-requests"}, nil
	}
	if s := getenv(envMaxConcurrent); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > maxConcurrent {
			return capSetting{}, fmt.Errorf("%s=%q: the provider takes a whole number from 1 to %d", envMaxConcurrent, s, maxConcurrent)
		}
		return capSetting{N: n, Source: envMaxConcurrent + " from the environment"}, nil
	}
	return capSetting{N: httpx.DefaultMaxConcurrent, Source: "provider default"}, nil
}

// ceilDiv is ceil(a/b) for a >= 0, b >= 1.
func ceilDiv(a, b int) int { return (a + b - 1) / max(1, b) }

// simListPages is how many pages GET /v1/Sims takes for n SIMs: kore.PageSize
// (1000) a page, and at least one.
func simListPages(n int) int { return korePages(n) }

// fleetMinimum is the least the usage_sims read of n SIMs costs:
//
//	1 token + ceil(n/PageSize) list pages + n usage requests
//
// (granularity all: a SIM's range is one record, one page).
func fleetMinimum(n int) minimum {
	pages := simListPages(n)
	return minimum{ByRoute: map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreSimsList: pages, vendorsim.RouteKoreUsageSim: n},
		Total: 1 + pages + n}
}

// forEachMinimum is the least n usage_sim by SID cost: 1 token + n usage
// requests (a SID needs no lookup).
func forEachMinimum(n int) minimum {
	return minimum{ByRoute: map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreUsageSim: n}, Total: 1 + n}
}

// keepMinimum is the least the keep route's read of n SIMs costs: the
// usage_sims read's, plus the rate plans' list pages include_limits needs
// (ceil(plans/PageSize)). keep itself costs nothing: every SIM is still read.
func keepMinimum(n, plans int) minimum {
	m := fleetMinimum(n)
	m.ByRoute[vendorsim.RouteKoreRatePlansList] = korePages(plans)
	m.Total += korePages(plans)
	return m
}

// fleetCritical is the usage_sims read's round trips one after another: the
// token, the list pages (each names the next), then the usage requests in
// waves of the in-flight cap:
//
//	1 + ceil(n/PageSize) + ceil(n/cap)
func fleetCritical(n, inFlight int) int { return 1 + simListPages(n) + ceilDiv(n, inFlight) }

// forEachCritical is the for_each route's: the token, then the n reads in
// waves of whichever is narrower, Terraform's parallelism or the provider's
// cap:
//
//	1 + ceil(n/min(parallelism, cap))
func forEachCritical(n, inFlight, parallelism int) int {
	return 1 + ceilDiv(n, min(inFlight, parallelism))
}

// fleetConfig is one usage_sims over every SIM of the account.
func fleetConfig(window string) []byte {
	var b strings.Builder
	b.WriteString("# Generated by planbench -fleet: one usage_sims over the whole fleet.\n")
	writeProviderHeader(&b)
	b.WriteString("\ndata \"usage_sims\" \"fleet\" {\n")
	writeAttr(&b, "window", window)
	b.WriteString("}\n")
	return []byte(b.String())
}

// keepConfig is one usage_sims over every SIM of the account that keeps the
// SIMs over the line, a check that none is, and an output of how many were
// kept. The line is percent of a limit (keep = { used_percent }, with
// include_limits) when percent > 0, else dataBytes of data (keep = {
// data_bytes }).
func keepConfig(window string, percent float64, dataBytes int64) []byte {
	keep, line := "data_bytes = "+strconv.FormatInt(dataBytes, 10), strconv.FormatInt(dataBytes, 10)+" bytes of data"
	if percent > 0 {
		p := strconv.FormatFloat(percent, 'f', -1, 64)
		keep, line = "used_percent = "+p, p+"% of a limit"
	}
	var b strings.Builder
	b.WriteString("# Generated by planbench -fleet with -keep-percent or -keep-data-bytes: one usage_sims over the whole fleet, keeping the SIMs over the line.\n")
	writeProviderHeader(&b)
	b.WriteString("\ndata \"usage_sims\" \"fleet\" {\n")
	writeAttr(&b, "window", window)
	if percent > 0 {
		b.WriteString("  include_limits = true\n")
	}
	fmt.Fprintf(&b, "  keep = { %s }\n", keep)
	b.WriteString("}\n")
	fmt.Fprintf(&b, `
check "fleet_under_the_line" {
  assert {
    condition     = length(data.usage_sims.fleet.sims) == 0
    error_message = "${length(data.usage_sims.fleet.sims)} SIMs at or over %s: ${join(", ", [for s in data.usage_sims.fleet.sims : s.sid])}"
  }
}

output %q {
  value = length(data.usage_sims.fleet.sims)
}
`, line, keptOutput)
	return []byte(b.String())
}

// forEachConfig is one usage_sim per SID through for_each, over the same
// range at granularity all.
func forEachConfig(sids []string, window string) []byte {
	var b strings.Builder
	b.WriteString("# Generated by planbench -fleet: one usage_sim per SIM through for_each.\n")
	writeProviderHeader(&b)
	b.WriteString("\nlocals {\n  sids = [\n")
	for _, sid := range sids {
		fmt.Fprintf(&b, "    %s,\n", hclString(sid))
	}
	b.WriteString("  ]\n}\n")
	b.WriteString("\ndata \"usage_sim\" \"each\" {\n  for_each = toset(local.sids)\n\n  sid = each.value\n")
	writeAttr(&b, "window", window)
	writeAttr(&b, "granularity", "all")
	b.WriteString("}\n")
	return []byte(b.String())
}

// blocksConfig is one usage_sim data block per SID, over the same range at
// granularity all.
func blocksConfig(sids []string, window string) []byte {
	var b strings.Builder
	b.WriteString("# Generated by planbench -fleet: one usage_sim data block per SIM.\n")
	writeProviderHeader(&b)
	for i, sid := range sids {
		fmt.Fprintf(&b, "\ndata \"usage_sim\" \"sim_%05d\" {\n", i)
		writeAttr(&b, "sid", sid)
		writeAttr(&b, "window", window)
		writeAttr(&b, "granularity", "all")
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// fleetRoutes are the routes o asks for, in knownRoutes order, over the
// fleet's SIDs, with inFlight the provider's in-flight cap and plans the
// simulator's rate plans (which the keep route lists).
func fleetRoutes(o options, sids []string, inFlight, plans int) []fleetRoute {
	n := len(sids)
	var routes []fleetRoute
	for _, name := range knownRoutes {
		if !o.Routes.has(name) {
			continue
		}
		if name == routeFleet || name == routeKeep {
			// One usage_sims; keep = { data_bytes } makes its requests too.
			route := fleetRoute{Name: name, DataSources: 1, Config: fleetConfig(o.Window),
				Minimum: fleetMinimum(n), Critical: fleetCritical(n, inFlight),
				Path: fmt.Sprintf("1 token + %d list %s + ceil(%d/%d) waves of usage requests", simListPages(n),
					plural(simListPages(n), "page", "pages"), n, inFlight)}
			switch {
			case name == routeKeep && o.KeepPercent <= 0:
				route.Config = keepConfig(o.Window, 0, o.KeepDataBytes)
			case name == routeKeep:
				// keep = { used_percent } needs include_limits: the rate plan pages first.
				pages := korePages(plans)
				route.Config = keepConfig(o.Window, o.KeepPercent, 0)
				route.Minimum, route.Critical = keepMinimum(n, plans), route.Critical+pages
				route.Path = fmt.Sprintf("1 token + %d rate plan %s + %s", pages, plural(pages, "page", "pages"),
					strings.TrimPrefix(route.Path, "1 token + "))
			}
			routes = append(routes, route)
			continue
		}
		config := forEachConfig(sids, o.Window)
		if name == routeBlocks {
			config = blocksConfig(sids, o.Window)
		}
		routes = append(routes, fleetRoute{Name: name, DataSources: n, Config: config,
			Minimum: forEachMinimum(n), Critical: forEachCritical(n, inFlight, o.Parallelism),
			Path: fmt.Sprintf("1 token + ceil(%d/min(parallelism %d, cap %d)) waves", n, o.Parallelism, inFlight)})
	}
	return routes
}

// fleetRouteRuns are one route's plans: Baseline at zero latency, Measured
// at Options.Latency (the same plans when that is zero).
type fleetRouteRuns struct {
	Route    fleetRoute
	Baseline []planRun
	Measured []planRun
}

// ideal = the median baseline + latency × the critical round trips.
func (rr fleetRouteRuns) ideal(latency time.Duration) float64 {
	base := medianOf(rr.Baseline, func(p planRun) float64 { return p.Wall.Seconds() })
	return idealSeconds(time.Duration(base*float64(time.Second)), latency, rr.Route.Critical)
}

// fleetResult is what the fleet report shows.
type fleetResult struct {
	Options options
	Cap     capSetting
	Knobs   []string
	Routes  []fleetRouteRuns
}

// route is the runs of the named route; ok false when it was not run.
func (r fleetResult) route(name string) (fleetRouteRuns, bool) {
	for _, rr := range r.Routes {
		if rr.Route.Name == name {
			return rr, true
		}
	}
	return fleetRouteRuns{}, false
}

// benchFleet runs the fleet benchmark in one simulator of Options.Fleet SIMs:
// a warm-up plan, then Options.Runs rounds, each planning every
// route at zero latency and, when Options.Latency is not zero, at it. The
// routes take turns so that a slow patch of a noisy machine falls on both.
func benchFleet(ctx context.Context, o options) (fleetResult, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	inFlight, err := capInForce(o.MaxConcurrent, os.Getenv)
	if err != nil {
		return fleetResult{}, err
	}
	l, err := startLab(ctx, o)
	if err != nil {
		return fleetResult{}, err
	}
	defer l.close()

	fleet := l.sim.SIMs()
	if len(fleet) != o.Fleet {
		return fleetResult{}, fmt.Errorf("the simulator serves %d SIMs, not the %d asked", len(fleet), o.Fleet)
	}
	sids := make([]string, len(fleet))
	for i, s := range fleet {
		sids[i] = s.Sid
	}
	res := fleetResult{Options: o, Cap: inFlight, Knobs: labKnobs(o)}
	for _, route := range fleetRoutes(o, sids, inFlight.N, len(l.sim.RatePlans())) {
		res.Routes = append(res.Routes, fleetRouteRuns{Route: route})
	}

	plan := func(i int, latency time.Duration, what string) (planRun, error) {
		route := res.Routes[i].Route
		if err := l.ws.WriteFile("main.tf", route.Config); err != nil {
			return planRun{}, err
		}
		run, err := l.plan(ctx, latency, nil)
		if err != nil {
			return run, fmt.Errorf("%s, %s: %w", route.Name, what, err)
		}
		return run, nil
	}
	// One warm-up plan fills the OS's caches with terraform and the provider,
	// which every route runs: the first route's, the smallest.
	if _, err := plan(0, 0, "warm-up plan"); err != nil {
		return res, err
	}
	for k := range o.Runs {
		for i := range res.Routes {
			rr := &res.Routes[i]
			run, err := plan(i, 0, fmt.Sprintf("run %d at zero latency", k+1))
			if err != nil {
				return res, err
			}
			rr.Baseline = append(rr.Baseline, run)
			if o.Latency > 0 {
				if run, err = plan(i, o.Latency, fmt.Sprintf("run %d at %s latency", k+1, o.Latency)); err != nil {
					return res, err
				}
			}
			rr.Measured = append(rr.Measured, run)
		}
	}
	return res, nil
}

// labEnv is the environment of every terraform run of the lab: the
// simulator's endpoints and credentials, and the cap when the flag sets one
// (it comes after the inherited environment, so it wins).
func labEnv(o options, sim *vendorsim.Server, base string) []string {
	env := simulatorEnv(sim, base)
	if o.MaxConcurrent > 0 {
		env = append(env, envMaxConcurrent+"="+strconv.Itoa(o.MaxConcurrent))
	}
	return env
}

// labKnobs are the provider's USAGE_* settings the plans run with: the
// environment's, with the flag's cap in place of the variable's.
func labKnobs(o options) []string {
	knobs := providerKnobs()
	if o.MaxConcurrent <= 0 {
		return knobs
	}
	out := []string{envMaxConcurrent + "=" + strconv.Itoa(o.MaxConcurrent)}
	for _, kv := range knobs {
		if !strings.HasPrefix(kv, envMaxConcurrent+"=") {
			out = append(out, kv)
		}
	}
	return out
}
