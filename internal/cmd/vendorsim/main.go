// Command vendorsim serves the KORE and Gigs simulator. Its first line on
// stdout is one JSON object with the endpoints, credentials, SIMs and
// subscriptions; then it serves until SIGINT or SIGTERM. Logs go to stderr.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vendorsim:", err)
		os.Exit(1)
	}
}

const usageHeader = `Usage: vendorsim [flags]

Serves a simulator of the KORE Programmable Wireless and Gigs usage APIs.
The first line on stdout is one JSON object with the endpoints, credentials,
the first 25 SIMs and 6 subscriptions with the counts of all, and the rate
plans and plans; logs go to stderr. Stop it with Ctrl-C.

Flags:
`

// config is what the flags ask for.
type config struct {
	addr     string
	seed     int64
	sims     int
	subs     int
	latency  time.Duration
	rate429  float64
	rate503  float64
	logLevel string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("vendorsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHeader)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	fs.Int64Var(&c.seed, "seed", 1, "data-set seed: the same seed serves the same SIMs, subscriptions and usage")
	fs.IntVar(&c.sims, "sims", vendorsim.DefaultSIMs, fmt.Sprintf("KORE SIMs to serve, 1 to %d; the first %d are the same at every size, the rest add a mix of statuses and rate plans",
		vendorsim.MaxSIMs, vendorsim.DefaultSIMs))
	fs.IntVar(&c.subs, "subscriptions", vendorsim.DefaultSubscriptions, fmt.Sprintf("Gigs subscriptions to serve, 1 to %d; the first %d are the same at every size, the rest add every status",
		vendorsim.MaxSubscriptions, vendorsim.DefaultSubscriptions))
	fs.Var((*durationFlag)(&c.latency), "latency", "latency added before answering each request, a `duration` such as 200ms")
	fs.Float64Var(&c.rate429, "rate429", 0, "fraction (0..1) of API requests answered 429")
	fs.Float64Var(&c.rate503, "rate503", 0, "fraction (0..1) of API requests answered 503")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level on stderr: trace, debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case c.rate429 < 0 || c.rate503 < 0 || c.rate429+c.rate503 > 1:
		return c, errors.New("-rate429 and -rate503 must be fractions from 0 to 1 that add up to at most 1")
	case c.sims < 1 || c.sims > vendorsim.MaxSIMs:
		return c, fmt.Errorf("-sims must be from 1 to %d", vendorsim.MaxSIMs)
	case c.subs < 1 || c.subs > vendorsim.MaxSubscriptions:
		return c, fmt.Errorf("-subscriptions must be from 1 to %d", vendorsim.MaxSubscriptions)
	case c.latency < 0:
		return c, errors.New("-latency must not be negative")
	case hclog.LevelFromString(c.logLevel) == hclog.NoLevel:
		return c, fmt.Errorf("unknown -log-level %q", c.logLevel)
	}
	return c, nil
}

// durationFlag is a duration flag whose errors say what is wrong: the
// flag package's own answers "parse error" to "-latency 5".
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err == nil {
		*d = durationFlag(v)
		return nil
	}
	if _, numErr := strconv.ParseFloat(s, 64); numErr == nil {
		return fmt.Errorf("a duration needs a unit, such as %sms or %ss", s, s)
	}
	return fmt.Errorf("not a duration such as 200ms, 1.5s or 1m (units ns, us, ms, s, m, h)")
}

// run serves until ctx ends; the banner is written to stdout first.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage is printed, nothing to serve
	}
	if err != nil {
		return err
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "vendorsim", Output: stderr, Level: hclog.LevelFromString(c.logLevel)})
	sim := vendorsim.New(vendorsim.Options{Seed: c.seed, Logger: logger, SIMs: c.sims, Subscriptions: c.subs})
	sim.SetFaults(vendorsim.Faults{Latency: c.latency, Rate429: c.rate429, Rate503: c.rate503})

	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	base := "http://" + dialableAddr(ln.Addr())
	if err := json.NewEncoder(stdout).Encode(newBanner(sim, base)); err != nil {
		_ = ln.Close() // the banner failure is the error worth reporting
		return fmt.Errorf("writing the banner: %w", err)
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("serving KORE and Gigs", "endpoint", base, "seed", c.seed, "sims", c.sims, "subscriptions", c.subs)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sim.SetFaults(vendorsim.Faults{}) // release requests still waiting out latency
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// dialableAddr turns a wildcard listen address into one a client can dial.
func dialableAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
