// Command demo runs the offline demo: it starts the vendor simulator on
// loopback, points Terraform or OpenTofu at the locally built provider
// through dev_overrides, and runs a plan of the demo configuration. Nothing
// is downloaded and no init is needed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/tfrun"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func main() {
	provider := flag.String("provider", "bin/terraform-provider-usage", "path of the built provider binary")
	terraform := flag.String("terraform", "terraform", "path of the CLI: terraform or tofu")
	config := flag.String("config", "examples/demo", "configuration directory to plan")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *provider, *terraform, *config); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, provider, terraform, config string) error {
	sim := vendorsim.New(vendorsim.Options{Seed: 1, Logger: hclog.New(&hclog.LoggerOptions{Name: "vendorsim", Level: hclog.Warn, Output: os.Stderr})})
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	base := "http://" + ln.Addr().String()
	creds := sim.Credentials()
	subs := sim.Subscriptions()
	if len(subs) == 0 {
		return errors.New("the simulator has no subscriptions")
	}
	env := []string{
		"KORE_CLIENT_ID=" + creds.KoreClientID,
		"KORE_CLIENT_SECRET=" + creds.KoreClientSecret,
		"KORE_ENDPOINT=" + base,
		"KORE_TOKEN_URL=" + base + "/api-services/v1/auth/token",
		"GIGS_API_KEY=" + creds.GigsAPIKey,
		"GIGS_PROJECT=" + creds.GigsProject,
		"GIGS_ENDPOINT=" + base,
		"TF_VAR_subscription=" + subs[0].ID,
	}
	ws, err := tfrun.NewWorkspace(terraform, provider, env)
	if err != nil {
		return err
	}
	defer func() { _ = ws.Close() }()
	if err := ws.CopyConfig(config); err != nil {
		return err
	}

	fmt.Printf("Simulator of KORE and Gigs on %s; planning %s with the provider at %s\n\n", base, config, provider)
	if err := ws.Run(ctx, os.Stdout, os.Stderr, "plan", "-input=false", "-lock=false"); err != nil {
		return err
	}
	printRequests(os.Stdout, sim.Counts())
	return nil
}

// printRequests lists the requests the simulator answered, one route and
// status a line, and their sum: the fleet read shows as one list page and
// one usage request per SIM.
func printRequests(w io.Writer, counts []vendorsim.Count) {
	total, width := 0, 0
	for _, c := range counts {
		total += c.N
		width = max(width, len(c.Route))
	}
	fmt.Fprintf(w, "\nRequests the plan made (%d in all):\n", total)
	for _, c := range counts {
		fmt.Fprintf(w, "  %-*s  %d  ×%d\n", width, c.Route, c.Status, c.N)
	}
}
