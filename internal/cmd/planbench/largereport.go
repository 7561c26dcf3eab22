package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// largeSummary is the last line of the large-read report: medians over the
// runs.
type largeSummary struct {
	Mode      string             `json:"mode"`
	Runs      int                `json:"runs"`
	Reads     []largeReadSummary `json:"reads"`
	Interrupt *interruptSummary  `json:"interrupt,omitempty"`
}

type largeReadSummary struct {
	Read            string  `json:"read"`
	Records         int     `json:"records"`
	Requests        int     `json:"requests"` // the most any run made
	MinimalRequests int     `json:"minimal_requests"`
	WallSeconds     float64 `json:"wall_seconds"`
	// Null where the provider processes could not be watched.
	ProviderCPUSeconds   *float64 `json:"provider_cpu_seconds"`
	ProviderPeakRSSBytes *int64   `json:"provider_peak_rss_bytes"`
	ProviderProcesses    *int     `json:"provider_processes"`
	TreeCPUSeconds       *float64 `json:"terraform_tree_cpu_seconds"`
}

type interruptSummary struct {
	Read  string `json:"read"`
	Point string `json:"point"`
	Sent  int    `json:"sent"` // runs in which the interrupt came before the plan ended
	// Over the runs it was sent in; null when it never was.
	SentAtSeconds *float64 `json:"sent_at_seconds"`
	ToExitSeconds *float64 `json:"to_exit_seconds"`
}

// readKey is a read's name as a JSON value: "usage_sim_18_months_hourly".
func readKey(name string) string {
	return strings.NewReplacer(", ", "_", " ", "_").Replace(name)
}

// medianOf is the median of f over runs.
func medianOf(runs []planRun, f func(planRun) float64) float64 {
	xs := make([]float64, 0, len(runs))
	for _, r := range runs {
		xs = append(xs, f(r))
	}
	return median(xs)
}

// providerMedians are the medians of the provider figures over runs; ok is
// false when any run has none.
func providerMedians(runs []planRun) (cpu float64, rss int64, procs int, ok bool) {
	for _, r := range runs {
		if r.Provider.NA != "" {
			return 0, 0, 0, false
		}
	}
	cpu = medianOf(runs, func(r planRun) float64 { return r.Provider.CPU().Seconds() })
	rss = int64(medianOf(runs, func(r planRun) float64 { return float64(r.Provider.PeakRSS) }))
	procs = int(medianOf(runs, func(r planRun) float64 { return float64(r.Provider.Processes) }))
	return cpu, rss, procs, len(runs) > 0
}

func (r largeResult) summary() largeSummary {
	s := largeSummary{Mode: "large_read", Runs: r.Options.Runs}
	for _, rr := range r.Reads {
		rs := largeReadSummary{Read: readKey(rr.Read.Name), Records: rr.Read.Records, MinimalRequests: rr.Read.Minimum.Total,
			WallSeconds: round3(medianOf(rr.Runs, func(p planRun) float64 { return p.Wall.Seconds() }))}
		for _, run := range rr.Runs {
			rs.Requests = max(rs.Requests, run.Requests)
		}
		if cpu, rss, n, ok := providerMedians(rr.Runs); ok {
			cpu = round3(cpu)
			tree := round3(medianOf(rr.Runs, func(p planRun) float64 { return p.TreeCPU.Seconds() }))
			rs.ProviderCPUSeconds, rs.ProviderPeakRSSBytes, rs.ProviderProcesses, rs.TreeCPUSeconds = &cpu, &rss, &n, &tree
		}
		s.Reads = append(s.Reads, rs)
	}
	if in := r.Interrupt; in != nil {
		is := &interruptSummary{Read: readKey(in.Read.Name), Point: in.Point.String()}
		var sent []planRun
		for _, run := range in.Runs {
			if run.Interrupt != nil && run.Interrupt.Sent {
				sent = append(sent, run)
			}
		}
		if is.Sent = len(sent); is.Sent > 0 {
			at := round3(medianOf(sent, func(p planRun) float64 { return p.Interrupt.At.Seconds() }))
			toExit := round3(medianOf(sent, func(p planRun) float64 { return p.Interrupt.ToExit.Seconds() }))
			is.SentAtSeconds, is.ToExitSeconds = &at, &toExit
		}
		s.Interrupt = is
	}
	return s
}

// writeLargeReport prints the reads' medians, every run, the interrupts and,
// last, the JSON summary.
func writeLargeReport(out io.Writer, r largeResult) error {
	o := r.Options
	fmt.Fprintf(out, "planbench -large-read: one data source per plan, hourly, latency %s, parallelism %d, %d %s of each; figures are medians\n",
		o.Latency, o.Parallelism, o.Runs, plural(o.Runs, "run", "runs"))
	if len(r.Knobs) > 0 {
		fmt.Fprintf(out, "provider settings from the environment: %s\n", strings.Join(r.Knobs, " "))
	}
	fmt.Fprintln(out)

	s := r.summary()
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "read\trecords\trequests\tminimal\twall\tprovider CPU\tprovider peak RSS\tprovider processes\tterraform+providers CPU\t")
	for i, rs := range s.Reads {
		cpu, rss, procs, tree := "n/a", "n/a", "n/a", "n/a"
		if rs.ProviderCPUSeconds != nil {
			cpu = fmt.Sprintf("%.3f s", *rs.ProviderCPUSeconds)
			rss = fmt.Sprintf("%.1f MiB", float64(*rs.ProviderPeakRSSBytes)/mib)
			procs = strconv.Itoa(*rs.ProviderProcesses)
			tree = fmt.Sprintf("%.3f s", *rs.TreeCPUSeconds)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f s\t%s\t%s\t%s\t%s\t\n", r.Reads[i].Read.Name, rs.Records, rs.Requests,
			rs.MinimalRequests, rs.WallSeconds, cpu, rss, procs, tree)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "(terraform+providers CPU: the kernel's accounting of terraform and the processes it reaped, at its exit)")

	fmt.Fprintln(out)
	for _, rr := range r.Reads {
		for i, run := range rr.Runs {
			fmt.Fprintf(out, "%s, run %d: wall %.3f s, %d requests; provider %s%s\n",
				rr.Read.Name, i+1, run.Wall.Seconds(), run.Requests, describeProvider(run.Provider), providerEnd(run))
		}
	}

	if in := r.Interrupt; in != nil {
		fmt.Fprintln(out)
		fmt.Fprintf(out, "Ctrl-C (SIGINT to terraform) during %s, %s:\n", in.Read.Name, in.Point.describe())
		for i, run := range in.Runs {
			fmt.Fprintf(out, "  run %d: %s\n", i+1, describeInterruption(run, in.Read.pages()))
		}
		if is := s.Interrupt; is.ToExitSeconds != nil {
			fmt.Fprintf(out, "  from the interrupt to terraform's exit: %.3f s (median of %d); sent at %.3f s\n",
				*is.ToExitSeconds, is.Sent, *is.SentAtSeconds)
		} else {
			fmt.Fprintln(out, "  every plan ended before the interrupt was due: nothing measured")
		}
	}

	line, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", line)
	return err
}

// describeInterruption says when the interrupt went and how long terraform
// took to exit after it.
func describeInterruption(run planRun, pages int) string {
	in := run.Interrupt
	if in == nil || !in.Sent {
		return fmt.Sprintf("the plan ended at %.3f s, before the interrupt was due", run.Wall.Seconds())
	}
	said := ""
	if in.Said != "" {
		said = fmt.Sprintf(", last saying %q", in.Said)
	}
	return fmt.Sprintf("sent at %.3f s with %d of %d usage pages answered; terraform exited %.3f s later (%s%s); provider %s",
		in.At.Seconds(), in.Pages, pages, in.ToExit.Seconds(), in.Exit, said, describeProvider(run.Provider))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
