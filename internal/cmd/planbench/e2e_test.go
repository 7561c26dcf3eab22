package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// envProvider names the built provider binary the end-to-end test plans with.
const envProvider = "PLANBENCH_PROVIDER"

// TestBenchEndToEnd runs the whole benchmark, small, with the real Terraform
// CLI and the built provider: the requests must be exactly the minimum, in
// the baseline and in the measured plan, and the output must end in the
// JSON line.
func TestBenchEndToEnd(t *testing.T) {
	provider, terraform := endToEndBinaries(t)
	o := options{Provider: provider, Terraform: terraform, Sims: 30, Subscriptions: 7, Latency: 5 * time.Millisecond,
		Granularity: "daily", Window: "last_7_days", Parallelism: 4, Timeout: 3 * time.Minute}
	r, err := bench(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []planRun{r.Baseline, r.Measured} {
		got := map[string]int{}
		for _, c := range run.Counts {
			got[c.Route] += c.N
			if c.Status != 200 {
				t.Errorf("%d requests of %s answered %d", c.N, c.Route, c.Status)
			}
		}
		for route, want := range r.Minimum.ByRoute {
			if got[route] != want {
				t.Errorf("%s: %d requests, minimal %d", route, got[route], want)
			}
		}
		if run.Requests != r.Minimum.Total || run.Traffic.Requests != run.Requests {
			t.Errorf("%d requests (meter %d), minimal %d", run.Requests, run.Traffic.Requests, r.Minimum.Total)
		}
	}

	var out bytes.Buffer
	if err := writeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var s summary
	dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("last line: %v\n%s", err, out.String())
	}
	if s.DataSources != 38 || s.Requests != s.MinimalRequests || s.WallSeconds <= 0 || s.BaselineSeconds <= 0 || s.IdealSeconds <= s.BaselineSeconds {
		t.Errorf("summary %+v", s)
	}
	if runtime.GOOS == "linux" {
		for _, run := range []planRun{r.Baseline, r.Measured} {
			checkProviderFigures(t, run)
		}
		if s.ProviderCPUSeconds == nil || s.ProviderPeakRSSBytes == nil || s.ProviderProcesses == nil {
			t.Errorf("no provider figures in the summary %+v", s)
		}
	}
}

// endToEndBinaries are the built provider and the CLI, Terraform or OpenTofu
// (TF_ACC_TERRAFORM_PATH, else terraform or tofu on PATH), or a skip.
func endToEndBinaries(t *testing.T) (provider, terraform string) {
	t.Helper()
	provider = os.Getenv(envProvider)
	if provider == "" {
		t.Skip("set " + envProvider + " to the built provider binary (make build) to run the benchmark end to end")
	}
	provider, err := filepath.Abs(provider)
	if err != nil {
		t.Fatal(err)
	}
	if terraform = os.Getenv("TF_ACC_TERRAFORM_PATH"); terraform != "" {
		return provider, terraform
	}
	for _, cli := range []string{"terraform", "tofu"} {
		if terraform, err = exec.LookPath(cli); err == nil {
			return provider, terraform
		}
	}
	t.Skip("no Terraform or OpenTofu CLI: set TF_ACC_TERRAFORM_PATH or put terraform or tofu on PATH")
	return "", ""
}

// checkProviderFigures: on Linux every plan's provider processes are seen,
// and the kernel's accounting of terraform's whole tree includes theirs.
func checkProviderFigures(t *testing.T, run planRun) {
	t.Helper()
	u := run.Provider
	if u.NA != "" || u.Processes < 1 || u.CPU() <= 0 || u.PeakRSS < 8*mib {
		t.Errorf("provider figures %+v", u)
		return
	}
	if run.TreeCPU < u.CPU() {
		t.Errorf("terraform and its providers used %v of CPU, less than the providers' %v", run.TreeCPU, u.CPU())
	}
	// terraform's own figures leave its providers out: with theirs they are
	// at most the kernel's account of the tree (each sample may be short by
	// its last interval, never long).
	if tf := run.Terraform; !tf.Seen || tf.CPU() <= 0 || tf.PeakRSS < 8*mib || tf.CPU()+u.CPU() > run.TreeCPU+20*time.Millisecond {
		t.Errorf("terraform's own figures %+v, providers' CPU %v, the tree's %v", tf, u.CPU(), run.TreeCPU)
	}
	if u.MostlyDone.Before(run.Start) || u.MostlyDone.After(run.Start.Add(run.Wall)) {
		t.Errorf("the provider had used 95%% of its CPU at %v, outside the plan's %v", u.MostlyDone.Sub(run.Start), run.Wall)
	}
}

// TestLargeReadEndToEnd plans the large usage_account read (8,760 hourly
// records) and interrupts the large usage_sim read once its first usage page
// is answered: the read makes the minimal requests, the provider is measured,
// and the interrupted plan fails soon after the interrupt. (The usage_sim read
// is not planned to the end, to keep the test short.)
func TestLargeReadEndToEnd(t *testing.T) {
	provider, terraform := endToEndBinaries(t)
	o := options{Provider: provider, Terraform: terraform, Latency: 0, Parallelism: 10, Timeout: 3 * time.Minute,
		LargeRead: true, Runs: 1, InterruptAfter: interruptPoint{Event: eventFirstPage}}
	ctx, cancel := context.WithTimeout(t.Context(), o.Timeout)
	defer cancel()
	l, err := startLab(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	reads := largeReads(l.sim, time.Now())
	sim, account := reads[0], reads[1]

	if err := l.ws.WriteFile("main.tf", account.config()); err != nil {
		t.Fatal(err)
	}
	run, err := l.plan(ctx, o.Latency, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Requests != account.Minimum.Total || account.Records != 8760 {
		t.Errorf("%s: %d requests, minimal %d, for %d records", account.Name, run.Requests, account.Minimum.Total, account.Records)
	}
	if runtime.GOOS == "linux" {
		checkProviderFigures(t, run)
	}

	if err := l.ws.WriteFile("main.tf", sim.config()); err != nil {
		t.Fatal(err)
	}
	in, err := l.plan(ctx, o.Latency, &interruptAt{point: o.InterruptAfter, pages: sim.pages()})
	if err != nil {
		t.Fatal(err)
	}
	if i := in.Interrupt; i == nil || !i.Sent || i.Pages < 1 || i.ToExit <= 0 || i.Exit == "ok" {
		t.Errorf("interruption %+v: a plan interrupted after its first page must fail", i)
	}

	r := largeResult{Options: o, Reads: []largeReadRuns{{Read: account, Runs: []planRun{run}}},
		Interrupt: &interruptRuns{Read: sim, Point: o.InterruptAfter, Runs: []planRun{in}}}
	var out bytes.Buffer
	if err := writeLargeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from the interrupt to terraform's exit:") {
		t.Errorf("report:\n%s", out.String())
	}
}

// TestFleetEndToEnd runs the fleet benchmark small with every route, then
// usage_sims alone over 1,001 SIMs (two list pages): each plan makes exactly
// the minimal requests, all answered 2xx, and the usage_sims read keeps at
// most the cap in flight.
func TestFleetEndToEnd(t *testing.T) {
	provider, terraform := endToEndBinaries(t)
	for _, o := range []options{
		{Fleet: 40, Routes: routeList{routeFleet, routeForEach, routeBlocks}, Latency: 5 * time.Millisecond, MaxConcurrent: 4, Parallelism: 8},
		{Fleet: 1001, Routes: routeList{routeFleet}, Latency: 0, Parallelism: 10},
	} {
		o.Provider, o.Terraform, o.Window, o.Granularity, o.Runs, o.Timeout = provider, terraform, "last_30_days", "all", 1, 3*time.Minute
		if err := o.validate(); err != nil {
			t.Fatal(err)
		}
		r, err := benchFleet(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Routes) != len(o.Routes) {
			t.Fatalf("-fleet %d: %d routes planned, want %d", o.Fleet, len(r.Routes), len(o.Routes))
		}
		for _, rr := range r.Routes {
			for _, run := range slices.Concat(rr.Baseline, rr.Measured) {
				got := map[string]int{}
				for _, c := range run.Counts {
					got[c.Route] += c.N
				}
				if !maps.Equal(got, rr.Route.Minimum.ByRoute) || not2xx(run) != 0 {
					t.Errorf("-fleet %d, %s: requests %v, minimal %v, %d not 2xx", o.Fleet, rr.Route.Name, got, rr.Route.Minimum.ByRoute, not2xx(run))
				}
				if runtime.GOOS == "linux" {
					checkProviderFigures(t, run)
				}
			}
			if o.MaxConcurrent > 0 && rr.Route.Name == routeFleet {
				for _, run := range rr.Measured {
					if run.Traffic.Peak > o.MaxConcurrent {
						t.Errorf("usage_sims kept %d requests in flight under a cap of %d", run.Traffic.Peak, o.MaxConcurrent)
					}
				}
			}
		}
		var out bytes.Buffer
		if err := writeFleetReport(&out, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		var s fleetSummary
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil || len(s.Routes) != len(o.Routes) {
			t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
		}
		for _, rs := range s.Routes {
			if rs.Requests != rs.MinimalRequests || rs.WallSeconds <= 0 || rs.IdealSeconds < rs.BaselineSeconds {
				t.Errorf("-fleet %d: summary %+v", o.Fleet, rs)
			}
		}
	}
}

// TestFleetKeepEndToEnd plans usage_sims beside usage_sims_keep over 300
// SIMs, keeping by used_percent and by data_bytes: both make exactly their minimal requests (keep changes none: every
// SIM is still read), the keep route's plan prints how many SIMs it kept,
// at most all of them and, at 50%, at least the one the simulator puts over
// its limit in every period, and the report gives terraform's own figures.
func TestFleetKeepEndToEnd(t *testing.T) {
	provider, terraform := endToEndBinaries(t)
	for _, o := range []options{{KeepPercent: 50}, {KeepDataBytes: 1 << 30}} {
		o.Provider, o.Terraform, o.Fleet, o.Routes = provider, terraform, 300, routeList{routeFleet, routeKeep}
		o.Window, o.Granularity, o.Parallelism, o.Runs, o.Timeout = "last_30_days", "all", 10, 1, 3*time.Minute
		fleetKeepEndToEnd(t, o)
	}
}

func fleetKeepEndToEnd(t *testing.T, o options) {
	t.Helper()
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	r, err := benchFleet(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range r.Routes {
		for _, run := range rr.Baseline {
			got := map[string]int{}
			for _, c := range run.Counts {
				got[c.Route] += c.N
			}
			if !maps.Equal(got, rr.Route.Minimum.ByRoute) || not2xx(run) != 0 {
				t.Errorf("%s: requests %v, minimal %v, %d not 2xx", rr.Route.Name, got, rr.Route.Minimum.ByRoute, not2xx(run))
			}
			if runtime.GOOS == "linux" {
				checkProviderFigures(t, run)
			}
		}
	}
	s := r.summary()
	if k := s.Routes[1]; k.Route != routeKeep || k.KeptSIMs == nil || *k.KeptSIMs < min(1, int(o.KeepPercent)) || *k.KeptSIMs > o.Fleet || k.WallOverFleet == nil {
		t.Errorf("usage_sims_keep summary %+v", k)
	}
	if runtime.GOOS == "linux" {
		for _, rs := range s.Routes {
			if rs.TerraformCPUSeconds == nil || rs.TerraformPeakRSSBytes == nil {
				t.Errorf("%s: no terraform figures in %+v", rs.Route, rs)
			}
		}
	}
}
