package main

import (
	"testing"
	"time"
)

func TestOptionsValidate(t *testing.T) {
	good := options{Provider: "p", Terraform: "t", Sims: 200, Subscriptions: 10, Latency: 50 * time.Millisecond,
		Granularity: "daily", Window: "month_to_date", Parallelism: 10, Timeout: 5 * time.Minute, Runs: 3}
	if err := good.validate(); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	for name, change := range map[string]func(*options){
		"no provider":        func(o *options) { o.Provider = "" },
		"no terraform":       func(o *options) { o.Terraform = "" },
		"negative sims":      func(o *options) { o.Sims = -1 },
		"too many sims":      func(o *options) { o.Sims = maxSims + 1 },
		"negative subs":      func(o *options) { o.Subscriptions = -1 },
		"negative latency":   func(o *options) { o.Latency = -time.Millisecond },
		"unknown window":     func(o *options) { o.Window = "today" },
		"unknown grain":      func(o *options) { o.Granularity = "weekly" },
		"zero parallelism":   func(o *options) { o.Parallelism = 0 },
		"zero timeout":       func(o *options) { o.Timeout = 0 },
		"huge parallelism":   func(o *options) { o.Parallelism = maxParallelism + 1 },
		"latency over limit": func(o *options) { o.Latency = 2 * time.Minute },
		"zero runs":          func(o *options) { o.Runs = 0 },
		"too many runs":      func(o *options) { o.Runs = maxRuns + 1 },
		"interrupt alone":    func(o *options) { o.InterruptAfter = interruptPoint{Delay: time.Second} },
	} {
		o := good
		change(&o)
		if err := o.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLargeReadTakesAnInterrupt(t *testing.T) {
	o := options{Provider: "p", Terraform: "t", Latency: 0, Granularity: "daily", Window: "month_to_date",
		Parallelism: 10, Timeout: time.Minute, Runs: 1, LargeRead: true, InterruptAfter: interruptPoint{Event: eventLastPage}}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
}

func TestInterruptPointFlag(t *testing.T) {
	for in, want := range map[string]interruptPoint{
		"1s":         {Delay: time.Second},
		"250ms":      {Delay: 250 * time.Millisecond},
		"first-page": {Event: eventFirstPage},
		"last-page":  {Event: eventLastPage},
		"off":        {},
		"":           {},
	} {
		var p interruptPoint
		if err := p.Set(in); err != nil || p != want {
			t.Errorf("Set(%q) = %+v, %v; want %+v", in, p, err, want)
		}
		if in != "off" && p.String() != in {
			t.Errorf("Set(%q).String() = %q", in, p.String())
		}
	}
	for _, bad := range []string{"-1s", "0s", "soon", "middle-page", "1"} {
		var p interruptPoint
		if err := p.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted: %+v", bad, p)
		}
	}
}
