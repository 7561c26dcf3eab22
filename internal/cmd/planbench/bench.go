package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
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
	Provider providerUsage // the provider processes' own cost
	// Terraform is the terraform process's own cost, its providers' left out.
	Terraform terraformUsage
	// Outputs are the root module's outputs as the plan printed them
	// ("Changes to Outputs:"), by name; nil when it printed none.
	Outputs map[string]string
	// TreeCPU is the CPU time of terraform and of the processes it reaped,
	// its providers, from the kernel's accounting at its exit (Linux; 0
	// where unknown).
	TreeCPU   time.Duration
	Interrupt *interruption // set when the plan was to be interrupted
}

// interruption is what became of a plan interrupted as Ctrl-C would.
type interruption struct {
	Sent   bool          // false: the plan ended before the point came
	At     time.Duration // when it was sent, since terraform started
	Pages  int           // usage pages answered by then
	ToExit time.Duration // from the interrupt to terraform's exit
	Exit   string        // how terraform ended: "exit status 1", or "ok"
	Said   string        // terraform's last line of output
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
	l, err := startLab(ctx, o)
	if err != nil {
		return result{}, err
	}
	defer l.close()

	w, err := newWorkload(l.sim.SIMs(), l.sim.Subscriptions(), o.Sims, o.Subscriptions, o.Window, o.Granularity, time.Now())
	if err != nil {
		return result{}, err
	}
	if err := l.ws.WriteFile("main.tf", renderConfig(w)); err != nil {
		return result{}, err
	}

	r := result{Options: o, Workload: w, Minimum: minimalRequests(w, simulatorRecords(l.sim)), Knobs: labKnobs(o)}
	r.Critical = criticalRoundTrips(r.Minimum, o.Parallelism)

	// The first plan warms Terraform's and the OS's caches; the second is the baseline.
	if _, err := l.plan(ctx, 0, nil); err != nil {
		return r, fmt.Errorf("warm-up plan: %w", err)
	}
	if r.Baseline, err = l.plan(ctx, 0, nil); err != nil {
		return r, fmt.Errorf("baseline plan: %w", err)
	}
	if r.Measured, err = l.plan(ctx, o.Latency, nil); err != nil {
		return r, fmt.Errorf("plan at %s latency: %w", o.Latency, err)
	}
	r.Ideal = idealSeconds(r.Baseline.Wall, o.Latency, r.Critical)
	return r, nil
}

// lab is the simulator on loopback behind the traffic meter, and a
// workspace whose terraform talks to it.
type lab struct {
	o     options
	sim   *vendorsim.Server
	meter *trafficMeter
	ws    *tfrun.Workspace
	srv   *http.Server
}

func startLab(ctx context.Context, o options) (*lab, error) {
	sim := vendorsim.New(vendorsim.Options{Seed: 1, SIMs: o.Fleet}) // 0: the default 25
	meter := newTrafficMeter(sim)
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: meter, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	ws, err := tfrun.NewWorkspace(o.Terraform, o.Provider, labEnv(o, sim, "http://"+ln.Addr().String()))
	if err != nil {
		_ = srv.Close()
		return nil, err
	}
	return &lab{o: o, sim: sim, meter: meter, ws: ws, srv: srv}, nil
}

func (l *lab) close() {
	_ = l.ws.Close()
	_ = l.srv.Close()
}

// plan runs terraform plan once at the given latency, watching the provider
// processes. With stop set, it interrupts terraform when stop is due and
// measures how long terraform takes to exit after it; a plan that fails once
// interrupted is not an error. Terraform's output is kept in memory and shown
// only when the plan fails.
func (l *lab) plan(ctx context.Context, latency time.Duration, stop *interruptAt) (planRun, error) {
	l.sim.SetFaults(vendorsim.Faults{Latency: latency})
	l.sim.ResetCounts()
	l.meter.reset()
	var cue <-chan struct{}
	if stop != nil {
		cue = stop.cue(l.meter)
	}

	var stdout, stderr bytes.Buffer
	run := planRun{Start: time.Now()}
	p, err := l.ws.Start(ctx, &stdout, &stderr, "plan", "-input=false", "-lock=false", "-refresh=true", "-no-color",
		"-parallelism="+strconv.Itoa(l.o.Parallelism))
	if err != nil {
		return run, err
	}
	watch := watchProviders(p.Pid(), l.o.Provider)
	exited := make(chan error, 1)
	go func() { exited <- p.Wait() }()

	if stop != nil {
		run.Interrupt = &interruption{}
	}
	select {
	case err = <-exited:
	case <-cue:
		sent := time.Now()
		run.Interrupt.Sent, run.Interrupt.At, run.Interrupt.Pages = true, sent.Sub(run.Start), l.meter.pagesAnswered()
		if ierr := p.Interrupt(); ierr != nil && !errors.Is(ierr, os.ErrProcessDone) {
			return run, fmt.Errorf("interrupting terraform: %w", ierr)
		}
		err = <-exited
		run.Interrupt.ToExit = time.Since(sent)
	}
	run.Wall = time.Since(run.Start)
	run.Provider = watch.Stop()
	run.Terraform = watch.Terraform()
	run.Outputs = planOutputs(stdout.String())
	if stop != nil {
		stop.release()
	}
	if run.Provider.NA == "" {
		if ps := p.State(); ps != nil {
			run.TreeCPU = ps.UserTime() + ps.SystemTime()
		}
	}
	run.Traffic = l.meter.stats()
	run.Counts = l.sim.Counts()
	for _, c := range run.Counts {
		run.Requests += c.N
	}
	switch {
	case run.Interrupt != nil && run.Interrupt.Sent:
		run.Interrupt.Exit = "ok"
		if err != nil {
			run.Interrupt.Exit = exitOf(err)
		}
		run.Interrupt.Said = lastLine(stderr.String())
		if run.Interrupt.Said == "" {
			run.Interrupt.Said = lastLine(stdout.String())
		}
	case err != nil:
		return run, &planError{err: err, output: tail(&stdout, 8000) + tail(&stderr, 8000)}
	}
	return run, nil
}

// lastLine is the last line of s that has more than box-drawing characters.
func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.Trim(lines[i], " \t\r│╵╷"); l != "" {
			return l
		}
	}
	return ""
}

// exitOf is how a process ended, without the command line around it.
func exitOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.String()
	}
	return err.Error()
}

// interruptAt arms an interruptPoint for one plan.
type interruptAt struct {
	point interruptPoint
	pages int // the read's usage pages, for eventLastPage
	timer *time.Timer
}

// cue is closed when the interrupt is due.
func (a *interruptAt) cue(m *trafficMeter) <-chan struct{} {
	switch a.point.Event {
	case eventFirstPage:
		return m.afterPages(1)
	case eventLastPage:
		return m.afterPages(max(1, a.pages))
	}
	ch := make(chan struct{})
	a.timer = time.AfterFunc(a.point.Delay, func() { close(ch) })
	return ch
}

func (a *interruptAt) release() {
	if a.timer != nil {
		a.timer.Stop()
	}
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

// planOutputs reads the root module's outputs from what terraform plan
// printed: the lines "  + name = value" under "Changes to Outputs:", up to
// the next blank line. Values are as printed (a number, a quoted string,
// "(known after apply)"); nil when there is no such section.
func planOutputs(stdout string) map[string]string {
	_, section, ok := strings.Cut(stdout, "Changes to Outputs:\n")
	if !ok {
		return nil
	}
	out := map[string]string{}
	for line := range strings.SplitSeq(section, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		line = strings.TrimLeft(line, "+~- ")
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	return out
}
