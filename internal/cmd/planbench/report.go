package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// routeOrder is the order routes appear in the table.
var routeOrder = []string{
	vendorsim.RouteKoreToken, vendorsim.RouteKoreSimsGet, vendorsim.RouteKoreSimsList,
	vendorsim.RouteKoreUsageSim, vendorsim.RouteKoreUsageAccount, vendorsim.RouteGigsUsage,
}

// summary is the last line of the output.
type summary struct {
	DataSources     int     `json:"data_sources"`
	Requests        int     `json:"requests"`
	MinimalRequests int     `json:"minimal_requests"`
	WallSeconds     float64 `json:"wall_seconds"`
	BaselineSeconds float64 `json:"baseline_seconds"`
	IdealSeconds    float64 `json:"ideal_seconds"`
	Efficiency      float64 `json:"efficiency"`
	// The measured plan's provider processes; null where they could not be
	// watched.
	ProviderCPUSeconds   *float64 `json:"provider_cpu_seconds"`
	ProviderPeakRSSBytes *int64   `json:"provider_peak_rss_bytes"`
	ProviderProcesses    *int     `json:"provider_processes"`
}

func (r result) summary() summary {
	s := summary{
		DataSources:     r.Workload.dataSources(),
		Requests:        r.Measured.Requests,
		MinimalRequests: r.Minimum.Total,
		WallSeconds:     round3(r.Measured.Wall.Seconds()),
		BaselineSeconds: round3(r.Baseline.Wall.Seconds()),
		IdealSeconds:    round3(r.Ideal),
		Efficiency:      round3(r.efficiency()),
	}
	if u := r.Measured.Provider; u.NA == "" {
		cpu, rss, n := round3(u.CPU().Seconds()), u.PeakRSS, u.Processes
		s.ProviderCPUSeconds, s.ProviderPeakRSSBytes, s.ProviderProcesses = &cpu, &rss, &n
	}
	return s
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// writeReport prints the table, the timings and, last, the JSON summary.
func writeReport(out io.Writer, r result) error {
	o := r.Options
	w := r.Workload
	fmt.Fprintf(out, "planbench: %d data sources (%d usage_sim, %d usage_subscription, 1 usage_account), window %s, granularity %s, parallelism %d, latency %s\n",
		w.dataSources(), len(w.Sims), len(w.Subscriptions), o.Window, o.Granularity, o.Parallelism, o.Latency)
	if len(r.Knobs) > 0 {
		fmt.Fprintf(out, "provider settings from the environment: %s\n", strings.Join(r.Knobs, " "))
	}
	fmt.Fprintln(out)

	requests, failed := map[string]int{}, map[string]int{}
	for _, c := range r.Measured.Counts {
		requests[c.Route] += c.N
		if c.Status < 200 || c.Status > 299 {
			failed[c.Route] += c.N
		}
	}
	routes := slices.Clone(routeOrder)
	for route := range requests {
		if !slices.Contains(routes, route) {
			routes = append(routes, route)
		}
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\trequests\tminimal\tnot 2xx\t")
	totalFailed := 0
	for _, route := range routes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", route, requests[route], r.Minimum.ByRoute[route], failed[route])
		totalFailed += failed[route]
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t\n", r.Measured.Requests, r.Minimum.Total, totalFailed)
	if err := tw.Flush(); err != nil {
		return err
	}

	s := r.summary()
	waves := (w.dataSources() + o.Parallelism - 1) / o.Parallelism
	fmt.Fprintln(out)
	fmt.Fprintf(out, "wall        %8.3f s   terraform plan at %s latency\n", s.WallSeconds, o.Latency)
	fmt.Fprintf(out, "baseline    %8.3f s   the same plan at zero latency (second of two runs; it made %d requests)\n", s.BaselineSeconds, r.Baseline.Requests)
	fmt.Fprintf(out, "ideal       %8.3f s   = baseline + %s × %d round trips on the critical path:\n", s.IdealSeconds, o.Latency, r.Critical)
	fmt.Fprintf(out, "                         1 token + the lookup and pages of the slowest member of each of ceil(%d/%d) = %d waves\n", w.dataSources(), o.Parallelism, waves)
	fmt.Fprintf(out, "                         (data sources sorted by round trips, then cut into waves of %d)\n", o.Parallelism)
	fmt.Fprintf(out, "efficiency  %8.3f     = wall / ideal\n", s.Efficiency)
	fmt.Fprintf(out, "provider    %s in the plan at latency%s\n", describeProvider(r.Measured.Provider), providerEnd(r.Measured))
	fmt.Fprintf(out, "            %s in the baseline\n", describeProvider(r.Baseline.Provider))
	if r.Measured.TreeCPU > 0 {
		fmt.Fprintf(out, "terraform   %8.3f s   CPU of terraform with its providers in the plan at latency (the kernel's accounting at exit)\n", r.Measured.TreeCPU.Seconds())
	}
	writeTraffic(out, "traffic at latency", r.Measured)
	writeTraffic(out, "traffic at zero   ", r.Baseline)

	line, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", line)
	return err
}

// writeTraffic says where a plan's time went: before the first request,
// between the first request and the last answer (and how busy), and after.
func writeTraffic(out io.Writer, title string, p planRun) {
	t := p.Traffic
	if t.Requests == 0 {
		fmt.Fprintf(out, "%s: no requests\n", title)
		return
	}
	end := p.Start.Add(p.Wall)
	fmt.Fprintf(out, "%s: first request at %.3f s, last answer at %.3f s, %.3f s after it; mean in flight %.1f, peak %d (kore %d, gigs %d), nothing in flight for %.3f s between\n",
		title, t.First.Sub(p.Start).Seconds(), t.Last.Sub(p.Start).Seconds(), end.Sub(t.Last).Seconds(),
		t.MeanInFlight, t.Peak, t.PeakByVendor["kore"], t.PeakByVendor["gigs"], t.Idle.Seconds())
}

const mib = 1 << 20

// describeProvider is the provider processes' cost in words, or n/a.
func describeProvider(u providerUsage) string {
	if u.NA != "" {
		return "n/a (" + u.NA + ")"
	}
	procs := "process"
	if u.Processes != 1 {
		procs = "processes"
	}
	return fmt.Sprintf("%.3f s CPU (user %.3f s, sys %.3f s), peak RSS %.1f MiB, %d %s",
		u.CPU().Seconds(), u.User.Seconds(), u.Sys.Seconds(), float64(u.PeakRSS)/mib, u.Processes, procs)
}

// providerEnd says when the provider's work was over against when terraform
// ended: in between, terraform works on its own.
func providerEnd(run planRun) string {
	if run.Provider.NA != "" || run.Provider.MostlyDone.IsZero() {
		return ""
	}
	return fmt.Sprintf("; it had used 95%% of that by %.3f s, terraform ended at %.3f s",
		run.Provider.MostlyDone.Sub(run.Start).Seconds(), run.Wall.Seconds())
}
