// Command planbench measures how fast terraform plan reads many usage data
// sources, against how fast the network allows. It starts the vendor
// simulator on loopback, generates a configuration of usage_sim,
// usage_subscription and usage_account data sources, and runs the real
// terraform plan against the built provider through dev_overrides: twice at
// zero latency (the second is the baseline) and once with latency added to
// every request. It prints requests by route against the minimum, the wall,
// baseline and ideal times, and, last, one JSON line.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.Provider, "provider", "bin/terraform-provider-usage", "path of the built provider binary")
	flag.StringVar(&o.Terraform, "terraform", "terraform", "path of the Terraform CLI")
	flag.IntVar(&o.Sims, "sims", 200, "usage_sim data sources")
	flag.IntVar(&o.Subscriptions, "subscriptions", 10, "usage_subscription data sources")
	flag.DurationVar(&o.Latency, "latency", 50*time.Millisecond, "latency the simulator adds to every request of the measured plan")
	flag.StringVar(&o.Granularity, "granularity", "daily", "granularity of usage_sim and usage_account: all, daily or hourly")
	flag.StringVar(&o.Window, "window", "month_to_date", "the range the data sources ask about")
	flag.IntVar(&o.Parallelism, "parallelism", 10, "terraform plan -parallelism")
	flag.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	if err := o.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := bench(ctx, o)
	if err == nil {
		err = writeReport(os.Stdout, r)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		stop()
		os.Exit(1)
	}
}
