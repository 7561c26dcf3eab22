package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// options are the benchmark's flags.
type options struct {
	Provider      string        // path of the built provider binary
	Terraform     string        // path of the Terraform CLI
	Sims          int           // usage_sim data sources
	Subscriptions int           // usage_subscription data sources
	Latency       time.Duration // added by the simulator to every request of the measured run
	Granularity   string        // of usage_sim and usage_account
	Window        string        // the range every data source asks about (see workload.go)
	Parallelism   int           // terraform plan -parallelism
	Timeout       time.Duration // the whole benchmark gives up after this

	// LargeRead replaces the many-data-sources benchmark by the large reads
	// (largeread.go): one data source at a time over the longest range,
	// hourly. Sims, Subscriptions, Granularity and Window do not apply.
	LargeRead bool
	Runs      int // measured plans of each large read
	// InterruptAfter, when set, adds a large usage_sim read interrupted as
	// Ctrl-C would at that point (large reads only).
	InterruptAfter interruptPoint

	// Fleet > 0 replaces the many-data-sources benchmark by the fleet
	// benchmark (fleet.go) over a simulator of that many SIMs: one usage_sims
	// against one usage_sim per SIM through for_each, Runs times each.
	// Window applies; Sims, Subscriptions and Granularity do not (the fleet
	// reads are always granularity all).
	Fleet int
	// Routes are the fleet benchmark's routes (knownRoutes).
	Routes routeList
	// MaxConcurrent > 0 sets USAGE_MAX_CONCURRENT_REQUESTS, the provider's
	// in-flight cap, for every plan; 0 leaves the environment's (or the
	// provider's default).
	MaxConcurrent int
	// KeepPercent or KeepDataBytes is the keep route's threshold: keep = {
	// used_percent = KeepPercent } or keep = { data_bytes = KeepDataBytes }
	// (routeKeep needs one of them, and each needs routeKeep).
	KeepPercent   float64
	KeepDataBytes int64
}

var (
	granularities = []string{"all", "daily", "hourly"}
	windowNames   = []string{"last_24_hours", "last_7_days", "last_30_days", "month_to_date", "previous_month"}
)

// Upper bounds keep a typo from generating a configuration nobody meant.
const (
	maxSims          = 10000
	maxSubscriptions = 1000
	maxParallelism   = 256
	maxRuns          = 20
	// The fleet benchmark reads at most the simulator's largest fleet with
	// usage_sims, and at most maxSims SIMs through for_each.
	maxFleet = vendorsim.MaxSIMs
	// maxConcurrent is the largest in-flight cap the provider takes.
	maxConcurrent = httpx.MaxConcurrentLimit
	// maxKeepPercent bounds -keep-percent: a SIM may be far over a limit.
	maxKeepPercent = 10000
)

func (o options) validate() error {
	var errs []error
	if o.Provider == "" {
		errs = append(errs, errors.New("-provider is required"))
	}
	if o.Terraform == "" {
		errs = append(errs, errors.New("-terraform is required"))
	}
	if o.Sims < 0 || o.Sims > maxSims {
		errs = append(errs, fmt.Errorf("-sims must be between 0 and %d", maxSims))
	}
	if o.Subscriptions < 0 || o.Subscriptions > maxSubscriptions {
		errs = append(errs, fmt.Errorf("-subscriptions must be between 0 and %d", maxSubscriptions))
	}
	if o.Latency < 0 || o.Latency > time.Minute {
		errs = append(errs, errors.New("-latency must be between 0 and 1m"))
	}
	if !slices.Contains(granularities, o.Granularity) {
		errs = append(errs, fmt.Errorf("-granularity must be one of %v", granularities))
	}
	if !slices.Contains(windowNames, o.Window) {
		errs = append(errs, fmt.Errorf("-window must be one of %v", windowNames))
	}
	if o.Parallelism < 1 || o.Parallelism > maxParallelism {
		errs = append(errs, fmt.Errorf("-parallelism must be between 1 and %d", maxParallelism))
	}
	if o.Runs < 1 || o.Runs > maxRuns {
		errs = append(errs, fmt.Errorf("-runs must be between 1 and %d", maxRuns))
	}
	if o.InterruptAfter.IsSet() && !o.LargeRead {
		errs = append(errs, errors.New("-interrupt-after interrupts the large usage_sim read: use it with -large-read"))
	}
	if o.Fleet < 0 || o.Fleet > maxFleet {
		errs = append(errs, fmt.Errorf("-fleet must be between 0 and %d", maxFleet))
	}
	if o.Fleet > 0 && o.LargeRead {
		errs = append(errs, errors.New("-fleet and -large-read are different benchmarks: choose one"))
	}
	if o.Fleet > 0 && len(o.Routes) == 0 {
		errs = append(errs, fmt.Errorf("-routes must name at least one of %v", knownRoutes))
	}
	if o.Fleet > maxSims && o.Routes.perSIM() {
		errs = append(errs, fmt.Errorf("the routes of one usage_sim per SIM plan at most %d: use -routes %s for a larger fleet", maxSims, routeFleet))
	}
	if o.MaxConcurrent < 0 || o.MaxConcurrent > maxConcurrent {
		errs = append(errs, fmt.Errorf("-max-concurrent-requests must be between 1 and %d, or 0 to leave the provider's setting", maxConcurrent))
	}
	switch {
	case o.KeepPercent != 0 && o.KeepDataBytes != 0:
		errs = append(errs, errors.New("-keep-percent and -keep-data-bytes are two thresholds of one route: choose one"))
	case o.Fleet > 0 && o.Routes.has(routeKeep) && o.KeepPercent <= 0 && o.KeepDataBytes <= 0:
		errs = append(errs, fmt.Errorf("the route %s needs -keep-percent or -keep-data-bytes, above 0", routeKeep))
	case (o.KeepPercent != 0 || o.KeepDataBytes != 0) && (o.Fleet == 0 || !o.Routes.has(routeKeep)):
		errs = append(errs, fmt.Errorf("-keep-percent and -keep-data-bytes are thresholds of the route %s: use them with -fleet and -routes naming it", routeKeep))
	case o.KeepPercent > maxKeepPercent: // a negative one is refused above
		errs = append(errs, fmt.Errorf("-keep-percent must be above 0 and at most %d", maxKeepPercent))
	}
	if o.Timeout <= 0 {
		errs = append(errs, errors.New("-timeout must be positive"))
	}
	return errors.Join(errs...)
}
