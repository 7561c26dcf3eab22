// Command planbench measures how fast terraform plan reads many usage data
// sources, against how fast the network allows. It starts the vendor
// simulator on loopback, generates a configuration of usage_sim,
// usage_subscription and usage_account data sources, and runs the real
// terraform plan against the built provider through dev_overrides: twice at
// zero latency (the second is the baseline) and once with latency added to
// every request. It prints requests by route against the minimum, the wall,
// baseline and ideal times, the provider processes' own CPU time and peak
// RSS (Linux), and, last, one JSON line.
//
// With -large-read it instead plans one data source at a time over the
// longest hourly range, -runs times each: a usage_sim over the 18 months the
// vendor keeps and a usage_account over 365 days, and reports the provider's
// CPU and peak RSS for each. -interrupt-after then also interrupts the
// usage_sim read as Ctrl-C would and reports how long terraform takes to exit.
//
// With -fleet N it instead reads the usage of every SIM of a simulator scaled
// to N SIMs two ways, each its own plan: one usage_sims (1 token,
// ceil(N/kore.PageSize) list pages, N usage requests fanned out under the
// provider's in-flight cap, -max-concurrent-requests) and N usage_sim through
// for_each (1 token, N usage requests under Terraform's -parallelism). It reports each route's requests
// against the minimum, its wall against its ideal, and the provider's CPU and
// peak RSS, and the for_each route's wall over usage_sims'.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

func main() {
	var o options
	flag.StringVar(&o.Provider, "provider", "bin/terraform-provider-usage", "path of the built provider binary")
	flag.StringVar(&o.Terraform, "terraform", "terraform", "path of the CLI: terraform or tofu")
	flag.IntVar(&o.Sims, "sims", 200, "usage_sim data sources")
	flag.IntVar(&o.Subscriptions, "subscriptions", 10, "usage_subscription data sources")
	flag.DurationVar(&o.Latency, "latency", 50*time.Millisecond, "latency the simulator adds to every request of the measured plan")
	flag.StringVar(&o.Granularity, "granularity", "daily", "granularity of usage_sim and usage_account: all, daily or hourly")
	flag.StringVar(&o.Window, "window", "month_to_date", "the range the data sources ask about")
	flag.IntVar(&o.Parallelism, "parallelism", 10, "terraform plan -parallelism")
	flag.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.BoolVar(&o.LargeRead, "large-read", false, "instead, plan one usage_sim over 18 months hourly and one usage_account over 365 days hourly, and report the provider's CPU and peak RSS for each")
	flag.IntVar(&o.Runs, "runs", 3, "measured plans of each large read (and interrupts), or of each fleet route at zero latency and at -latency, of which the report gives the median")
	flag.Var(&o.InterruptAfter, "interrupt-after", "with -large-read: also interrupt the usage_sim read as Ctrl-C would (SIGINT to terraform), at a delay after terraform started (e.g. 1s), at first-page or at last-page (once the simulator has answered the read's first or last usage page), and report how long terraform takes to exit")
	flag.IntVar(&o.Fleet, "fleet", 0, "instead, the fleet benchmark over a simulator of this many SIMs: one usage_sims against one usage_sim per SIM through for_each (granularity all, -window), each planned -runs times at zero latency and at -latency; reports requests against the minimum, wall against the ideal, and the provider's and Terraform's own CPU and peak RSS")
	o.Routes = defaultRoutes()
	flag.Var(&o.Routes, "routes", "with -fleet: the routes to plan, comma-separated: usage_sims (one usage_sims), usage_sims_keep (one usage_sims with include_limits and keep = { used_percent = -keep-percent }, or keep = { data_bytes = -keep-data-bytes }, a check that it kept none and an output of how many it kept), for_each (one usage_sim per SIM through for_each over the SIDs), blocks (one usage_sim data block per SIM)")
	flag.IntVar(&o.MaxConcurrent, "max-concurrent-requests", 0, fmt.Sprintf("the provider's in-flight cap (sets USAGE_MAX_CONCURRENT_REQUESTS for its plans); 0 leaves the environment's or the provider's default of %d", httpx.DefaultMaxConcurrent))
	flag.Float64Var(&o.KeepPercent, "keep-percent", 0, "with -fleet and -routes naming usage_sims_keep: that route's keep = { used_percent = P } (with include_limits)")
	flag.Int64Var(&o.KeepDataBytes, "keep-data-bytes", 0, "with -fleet and -routes naming usage_sims_keep, instead of -keep-percent: that route's keep = { data_bytes = N }")
	flag.Parse()
	if err := o.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch {
	case o.Fleet > 0:
		var r fleetResult
		if r, err = benchFleet(ctx, o); err == nil {
			err = writeFleetReport(os.Stdout, r)
		}
	case o.LargeRead:
		var r largeResult
		if r, err = benchLargeReads(ctx, o); err == nil {
			err = writeLargeReport(os.Stdout, r)
		}
	default:
		var r result
		if r, err = bench(ctx, o); err == nil {
			err = writeReport(os.Stdout, r)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		stop()
		os.Exit(1)
	}
}
