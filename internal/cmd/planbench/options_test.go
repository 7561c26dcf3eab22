package main

import (
	"testing"
	"time"
)

func TestOptionsValidate(t *testing.T) {
	good := options{Provider: "p", Terraform: "t", Sims: 200, Subscriptions: 10, Latency: 50 * time.Millisecond,
		Granularity: "daily", Window: "month_to_date", Parallelism: 10, Timeout: 5 * time.Minute}
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
	} {
		o := good
		change(&o)
		if err := o.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
