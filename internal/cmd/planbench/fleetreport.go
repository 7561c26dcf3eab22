package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// fleetSummary is the last line of the fleet report: medians over the runs.
type fleetSummary struct {
	Mode           string              `json:"mode"`
	SIMs           int                 `json:"sims"`
	Window         string              `json:"window"`
	Runs           int                 `json:"runs"`
	LatencySeconds float64             `json:"latency_seconds"`
	Parallelism    int                 `json:"parallelism"`
	MaxConcurrent  int                 `json:"max_concurrent_requests"` // the in-flight cap in force
	Routes         []fleetRouteSummary `json:"routes"`
}

type fleetRouteSummary struct {
	Route           string `json:"route"`
	DataSources     int    `json:"data_sources"`
	Requests        int    `json:"requests"` // the most any plan of the route made
	MinimalRequests int    `json:"minimal_requests"`
	Not2xx          int    `json:"not_2xx"` // the most any plan of the route had
	// CriticalRoundTrips is what the ideal multiplies the latency by.
	CriticalRoundTrips int     `json:"critical_round_trips"`
	WallSeconds        float64 `json:"wall_seconds"`
	BaselineSeconds    float64 `json:"baseline_seconds"`
	IdealSeconds       float64 `json:"ideal_seconds"`
	WallOverIdeal      float64 `json:"wall_over_ideal"`
	PeakInFlight       int     `json:"peak_in_flight"` // the most requests in flight at once, in any measured plan
	// The measured plans' provider processes, and the baseline's; null
	// where they could not be watched.
	ProviderCPUSeconds   *float64 `json:"provider_cpu_seconds"`
	ProviderPeakRSSBytes *int64   `json:"provider_peak_rss_bytes"`
	ProviderProcesses    *int     `json:"provider_processes"`
	// TreeCPUSeconds is terraform's and its providers' CPU in the measured
	// plans, from the kernel's accounting at terraform's exit.
	TreeCPUSeconds *float64 `json:"terraform_tree_cpu_seconds"`
	// The measured plans' terraform process itself, its providers left
	// out; null where it could not be watched.
	TerraformCPUSeconds   *float64 `json:"terraform_cpu_seconds"`
	TerraformPeakRSSBytes *int64   `json:"terraform_peak_rss_bytes"`
	// KeptSIMs is the keep route's median count of SIMs kept, from its
	// output; null for the other routes or when the plans did not print it.
	KeptSIMs *int `json:"kept_sims"`

	BaselineProviderCPUSeconds   *float64 `json:"baseline_provider_cpu_seconds"`
	BaselineProviderPeakRSSBytes *int64   `json:"baseline_provider_peak_rss_bytes"`
	// Any route but usage_sims (one usage_sim per SIM, or usage_sims with
	// keep): its median wall over usage_sims', at the latency and at zero;
	// null for usage_sims itself or without it.
	WallOverFleet     *float64 `json:"wall_over_usage_sims"`
	BaselineOverFleet *float64 `json:"baseline_over_usage_sims"`
}

// not2xx counts the answers of a plan that were not 2xx.
func not2xx(run planRun) int {
	n := 0
	for _, c := range run.Counts {
		if c.Status < 200 || c.Status > 299 {
			n += c.N
		}
	}
	return n
}

func wallOf(p planRun) float64 { return p.Wall.Seconds() }

func (r fleetResult) summary() fleetSummary {
	o := r.Options
	s := fleetSummary{Mode: "fleet", SIMs: o.Fleet, Window: o.Window, Runs: o.Runs, LatencySeconds: round3(o.Latency.Seconds()),
		Parallelism: o.Parallelism, MaxConcurrent: r.Cap.N}
	for _, rr := range r.Routes {
		rs := fleetRouteSummary{Route: rr.Route.Name, DataSources: rr.Route.DataSources, MinimalRequests: rr.Route.Minimum.Total,
			CriticalRoundTrips: rr.Route.Critical,
			WallSeconds:        round3(medianOf(rr.Measured, wallOf)),
			BaselineSeconds:    round3(medianOf(rr.Baseline, wallOf)),
			IdealSeconds:       round3(rr.ideal(o.Latency)),
		}
		if rs.IdealSeconds > 0 {
			rs.WallOverIdeal = round3(medianOf(rr.Measured, wallOf) / rr.ideal(o.Latency))
		}
		for _, run := range slices.Concat(rr.Baseline, rr.Measured) {
			rs.Requests = max(rs.Requests, run.Requests)
			rs.Not2xx = max(rs.Not2xx, not2xx(run))
		}
		for _, run := range rr.Measured {
			rs.PeakInFlight = max(rs.PeakInFlight, run.Traffic.Peak)
		}
		if cpu, rss, n, ok := providerMedians(rr.Measured); ok {
			cpu = round3(cpu)
			tree := round3(medianOf(rr.Measured, func(p planRun) float64 { return p.TreeCPU.Seconds() }))
			rs.ProviderCPUSeconds, rs.ProviderPeakRSSBytes, rs.ProviderProcesses, rs.TreeCPUSeconds = &cpu, &rss, &n, &tree
		}
		if cpu, rss, ok := terraformMedians(rr.Measured); ok {
			cpu = round3(cpu)
			rs.TerraformCPUSeconds, rs.TerraformPeakRSSBytes = &cpu, &rss
		}
		if rr.Route.Name == routeKeep {
			rs.KeptSIMs = keptMedian(rr.Measured)
		}
		if cpu, rss, _, ok := providerMedians(rr.Baseline); ok {
			cpu = round3(cpu)
			rs.BaselineProviderCPUSeconds, rs.BaselineProviderPeakRSSBytes = &cpu, &rss
		}
		if fleet, ok := r.route(routeFleet); ok && rr.Route.Name != routeFleet {
			rs.WallOverFleet = ratioOfMedians(rr.Measured, fleet.Measured)
			rs.BaselineOverFleet = ratioOfMedians(rr.Baseline, fleet.Baseline)
		}
		s.Routes = append(s.Routes, rs)
	}
	return s
}

// terraformMedians are the median CPU and peak RSS of the terraform process
// itself over runs; ok false when any run did not see it.
func terraformMedians(runs []planRun) (cpu float64, rss int64, ok bool) {
	for _, r := range runs {
		if !r.Terraform.Seen {
			return 0, 0, false
		}
	}
	cpu = medianOf(runs, func(r planRun) float64 { return r.Terraform.CPU().Seconds() })
	rss = int64(medianOf(runs, func(r planRun) float64 { return float64(r.Terraform.PeakRSS) }))
	return cpu, rss, len(runs) > 0
}

// kept is how many SIMs the keep route's plan kept, from its output.
func kept(run planRun) (int, bool) {
	n, err := strconv.Atoi(run.Outputs[keptOutput])
	return n, err == nil
}

// keptMedian is the median of kept over runs, or nil when a plan did not
// print it.
func keptMedian(runs []planRun) *int {
	for _, r := range runs {
		if _, ok := kept(r); !ok {
			return nil
		}
	}
	if len(runs) == 0 {
		return nil
	}
	n := int(medianOf(runs, func(r planRun) float64 { k, _ := kept(r); return float64(k) }))
	return &n
}

// ratioOfMedians is the median wall of runs over that of base, rounded, or
// nil.
func ratioOfMedians(runs, base []planRun) *float64 {
	x, ok := wallRatio(runs, base)
	if !ok {
		return nil
	}
	x = round3(x)
	return &x
}

// wallRatio is the median wall of runs over that of base.
func wallRatio(runs, base []planRun) (float64, bool) {
	b := medianOf(base, wallOf)
	if b <= 0 || len(runs) == 0 {
		return 0, false
	}
	return medianOf(runs, wallOf) / b, true
}

// pairedRatios are a route's wall over usage_sims' in each round, sorted:
// how much the ratio of the medians moves from round to round.
func pairedRatios(fleet, each []planRun) []float64 {
	var xs []float64
	for i := range min(len(fleet), len(each)) {
		if f := fleet[i].Wall.Seconds(); f > 0 {
			xs = append(xs, each[i].Wall.Seconds()/f)
		}
	}
	slices.Sort(xs)
	return xs
}

// writeFleetReport prints the routes' medians, the ratios, every plan and,
// last, the JSON summary.
func writeFleetReport(out io.Writer, r fleetResult) error {
	o := r.Options
	s := r.summary()
	fmt.Fprintf(out, "planbench -fleet %d: the usage of %d SIMs by route (%s); window %s, granularity all, latency %s, parallelism %d, in-flight cap %d (%s), %d %s of each; figures are medians\n",
		o.Fleet, o.Fleet, o.Routes.String(), o.Window, o.Latency, o.Parallelism, r.Cap.N, r.Cap.Source, o.Runs, plural(o.Runs, "run", "runs"))
	fmt.Fprintln(out, "routes: usage_sims = one usage_sims; usage_sims_keep = one usage_sims with include_limits and keep = { used_percent = -keep-percent }, or keep = { data_bytes = -keep-data-bytes }; for_each = one usage_sim per SIM through for_each over the SIDs; blocks = one usage_sim data block per SIM")
	if len(r.Knobs) > 0 {
		fmt.Fprintf(out, "provider settings: %s\n", strings.Join(r.Knobs, " "))
	}
	fmt.Fprintln(out)

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\tdata sources\trequests\tminimal\tnot 2xx\twall\tbaseline (0 ms)\tideal\twall/ideal\tpeak in flight\tprovider CPU\tprovider peak RSS\tterraform CPU\tterraform peak RSS\tterraform+providers CPU\tkept\t")
	for _, rs := range s.Routes {
		cpu, rss, tree, tfCPU, tfRSS, keptSIMs := "n/a", "n/a", "n/a", "n/a", "n/a", "-"
		if rs.ProviderCPUSeconds != nil {
			cpu = fmt.Sprintf("%.3f s", *rs.ProviderCPUSeconds)
			rss = fmt.Sprintf("%.1f MiB", float64(*rs.ProviderPeakRSSBytes)/mib)
			tree = fmt.Sprintf("%.3f s", *rs.TreeCPUSeconds)
		}
		if rs.TerraformCPUSeconds != nil {
			tfCPU = fmt.Sprintf("%.3f s", *rs.TerraformCPUSeconds)
			tfRSS = fmt.Sprintf("%.1f MiB", float64(*rs.TerraformPeakRSSBytes)/mib)
		}
		if rs.KeptSIMs != nil {
			keptSIMs = strconv.Itoa(*rs.KeptSIMs)
		} else if rs.Route == routeKeep {
			keptSIMs = "n/a"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f s\t%.3f s\t%.3f s\t%.3f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rs.Route, rs.DataSources, rs.Requests,
			rs.MinimalRequests, rs.Not2xx, rs.WallSeconds, rs.BaselineSeconds, rs.IdealSeconds, rs.WallOverIdeal, rs.PeakInFlight, cpu, rss,
			tfCPU, tfRSS, tree, keptSIMs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out)
	for _, rr := range r.Routes {
		fmt.Fprintf(out, "ideal of %s = baseline + %s × %d round trips: %s\n", rr.Route.Name, o.Latency, rr.Route.Critical, rr.Route.Path)
	}
	if o.Latency > 0 {
		for _, rs := range s.Routes {
			if rs.BaselineProviderCPUSeconds != nil {
				fmt.Fprintf(out, "%s at zero latency: provider %.3f s CPU, peak RSS %.1f MiB\n", rs.Route,
					*rs.BaselineProviderCPUSeconds, float64(*rs.BaselineProviderPeakRSSBytes)/mib)
			}
		}
	}
	if fleet, ok := r.route(routeFleet); ok {
		for _, rr := range r.Routes {
			x, ok := wallRatio(rr.Measured, fleet.Measured)
			if rr.Route.Name == routeFleet || !ok {
				continue
			}
			fmt.Fprintf(out, "%s / usage_sims wall: %.2f× at %s%s", rr.Route.Name, x, o.Latency,
				ratioRange(pairedRatios(fleet.Measured, rr.Measured)))
			if x, ok := wallRatio(rr.Baseline, fleet.Baseline); ok && o.Latency > 0 {
				fmt.Fprintf(out, ", %.2f× at zero latency%s", x, ratioRange(pairedRatios(fleet.Baseline, rr.Baseline)))
			}
			fmt.Fprintln(out)
		}
	}

	fmt.Fprintln(out)
	for _, rr := range r.Routes {
		for i := range rr.Baseline {
			fmt.Fprintf(out, "%s, run %d: %s\n", rr.Route.Name, i+1, describeFleetRun(rr.Baseline[i], ""))
			if o.Latency > 0 && i < len(rr.Measured) {
				fmt.Fprintf(out, "%s, run %d: %s\n", rr.Route.Name, i+1, describeFleetRun(rr.Measured[i], o.Latency.String()))
			}
		}
	}

	line, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", line)
	return err
}

// ratioRange is " (rounds: lo–hi)" over the rounds' own ratios, or "" for
// fewer than two.
func ratioRange(xs []float64) string {
	if len(xs) < 2 {
		return ""
	}
	return fmt.Sprintf(" (rounds %.2f–%.2f)", xs[0], xs[len(xs)-1])
}

// describeFleetRun is one plan in a line; latency is "" for zero.
func describeFleetRun(run planRun, latency string) string {
	at := "at zero latency"
	if latency != "" {
		at = "at " + latency
	}
	tree := ""
	if run.Terraform.Seen {
		tree = fmt.Sprintf("; terraform itself %.3f s CPU, peak RSS %.1f MiB", run.Terraform.CPU().Seconds(), float64(run.Terraform.PeakRSS)/mib)
	}
	if run.TreeCPU > 0 {
		tree += fmt.Sprintf("; terraform with its providers %.3f s CPU", run.TreeCPU.Seconds())
	}
	if n, ok := kept(run); ok {
		tree += fmt.Sprintf("; kept %d SIMs", n)
	}
	return fmt.Sprintf("%s: wall %.3f s, %d requests (%d not 2xx), peak in flight %d; provider %s%s%s",
		at, run.Wall.Seconds(), run.Requests, not2xx(run), run.Traffic.Peak, describeProvider(run.Provider), providerEnd(run), tree)
}
