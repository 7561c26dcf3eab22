package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/tfrun"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// planRun is one timed terraform plan and the traffic it made.
type planRun struct {
	Start    time.Time
	Wall     time.Duration
	Traffic  trafficStats
	Counts   []vendorsim.Count
	Requests int
}

// result is everything the report shows.
type result struct {
	Options  options
	Workload workload
	Minimum  minimum
	Critical int // round trips on the critical path, see criticalRoundTrips
	Baseline planRun
	Measured planRun // at Options.Latency
	Ideal    float64
	Knobs    []string // the provider's USAGE_* settings inherited from the environment
}

// efficiency is wall / ideal; 0 when ideal is not positive.
func (r result) efficiency() float64 {
	if r.Ideal <= 0 {
		return 0
	}
	return r.Measured.Wall.Seconds() / r.Ideal
}

// bench runs the whole benchmark: the simulator on loopback, the generated
// configuration, a warm-up and a baseline plan at zero latency, then the
// measured plan at the configured latency.
func bench(ctx context.Context, o options) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	sim := vendorsim.New(vendorsim.Options{Seed: 1})
	meter := newTrafficMeter(sim)
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: meter, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	w, err := newWorkload(sim.SIMs(), sim.Subscriptions(), o.Sims, o.Subscriptions, o.Window, o.Granularity, time.Now())
	if err != nil {
		return result{}, err
	}
	ws, err := tfrun.NewWorkspace(o.Terraform, o.Provider, simulatorEnv(sim, "http://"+ln.Addr().String()))
	if err != nil {
		return result{}, err
	}
	defer func() { _ = ws.Close() }()
	if err := ws.WriteFile("main.tf", renderConfig(w)); err != nil {
		return result{}, err
	}

	r := result{Options: o, Workload: w, Minimum: minimalRequests(w, simulatorRecords(sim)), Knobs: providerKnobs()}
	r.Critical = criticalRoundTrips(r.Minimum, o.Parallelism)

	measure := func(latency time.Duration) (planRun, error) {
		sim.SetFaults(vendorsim.Faults{Latency: latency})
		sim.ResetCounts()
		meter.reset()
		run := planRun{Start: time.Now()}
		if err := plan(ctx, ws, o.Parallelism); err != nil {
			return run, err
		}
		run.Wall = time.Since(run.Start)
		run.Traffic = meter.stats()
		run.Counts = sim.Counts()
		for _, c := range run.Counts {
			run.Requests += c.N
		}
		return run, nil
	}
	// The first plan warms Terraform's and the OS's caches; the second is the baseline.
	if _, err := measure(0); err != nil {
		return r, fmt.Errorf("warm-up plan: %w", err)
	}
	if r.Baseline, err = measure(0); err != nil {
		return r, fmt.Errorf("baseline plan: %w", err)
	}
	if r.Measured, err = measure(o.Latency); err != nil {
		return r, fmt.Errorf("plan at %s latency: %w", o.Latency, err)
	}
	r.Ideal = idealSeconds(r.Baseline.Wall, o.Latency, r.Critical)
	return r, nil
}

// simulatorEnv points the provider at the simulator, as the demo does.
func simulatorEnv(sim *vendorsim.Server, base string) []string {
	creds := sim.Credentials()
	return []string{
		"KORE_CLIENT_ID=" + creds.KoreClientID,
		"KORE_CLIENT_SECRET=" + creds.KoreClientSecret,
		"KORE_ENDPOINT=" + base,
		"KORE_TOKEN_URL=" + base + vendorsim.TokenPath,
		"GIGS_API_KEY=" + creds.GigsAPIKey,
		"GIGS_PROJECT=" + creds.GigsProject,
		"GIGS_ENDPOINT=" + base,
	}
}

// providerKnobs lists the provider's tuning variables set in the environment
// (they reach the provider unchanged), so that a report says what it measured.
func providerKnobs() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "USAGE_") {
			out = append(out, kv)
		}
	}
	return out
}

// plan runs terraform plan once. Its output is kept in memory and shown only
// when it fails.
func plan(ctx context.Context, ws *tfrun.Workspace, parallelism int) error {
	var stdout, stderr bytes.Buffer
	err := ws.Run(ctx, &stdout, &stderr, "plan", "-input=false", "-lock=false", "-refresh=true", "-no-color",
		"-parallelism="+strconv.Itoa(parallelism))
	if err != nil {
		return &planError{err: err, output: tail(&stdout, 8000) + tail(&stderr, 8000)}
	}
	return nil
}

// planError is a failed plan with the end of what Terraform printed.
type planError struct {
	err    error
	output string
}

func (e *planError) Error() string { return e.err.Error() + "\n" + e.output }
func (e *planError) Unwrap() error { return e.err }

// tail is the last n bytes of b, enough to show Terraform's diagnostics.
func tail(b *bytes.Buffer, n int) string {
	s := b.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
