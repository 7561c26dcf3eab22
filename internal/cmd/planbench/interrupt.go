package main

import (
	"errors"
	"fmt"
	"time"
)

// interruptPoint is when the interrupt benchmark sends terraform its Ctrl-C
// (SIGINT) during the large usage_sim read: a delay after the plan started,
// or a point of the read seen from the simulator.
type interruptPoint struct {
	Delay time.Duration // > 0: this long after terraform started
	Event string        // eventFirstPage or eventLastPage
}

const (
	// eventFirstPage: once the simulator has answered the read's first usage
	// page: the provider is still fetching.
	eventFirstPage = "first-page"
	// eventLastPage: once it has answered the read's last usage page: the
	// provider has every record and is turning them into state.
	eventLastPage = "last-page"
)

// IsSet says whether an interrupt was asked for.
func (p interruptPoint) IsSet() bool { return p.Delay > 0 || p.Event != "" }

// String is the flag's value as given.
func (p *interruptPoint) String() string {
	switch {
	case p == nil || !p.IsSet():
		return ""
	case p.Event != "":
		return p.Event
	}
	return p.Delay.String()
}

// Set parses "first-page", "last-page" or a positive Go duration.
func (p *interruptPoint) Set(s string) error {
	switch s {
	case eventFirstPage, eventLastPage:
		*p = interruptPoint{Event: s}
		return nil
	case "", "0", "off":
		*p = interruptPoint{}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want %s, %s or a duration such as 1s", eventFirstPage, eventLastPage)
	}
	if d <= 0 {
		return errors.New("the delay must be positive")
	}
	*p = interruptPoint{Delay: d}
	return nil
}

// describe says in words when the interrupt is sent.
func (p interruptPoint) describe() string {
	switch p.Event {
	case eventFirstPage:
		return "once the simulator has answered the first usage page"
	case eventLastPage:
		return "once the simulator has answered the last usage page"
	}
	return p.Delay.String() + " after terraform started"
}
