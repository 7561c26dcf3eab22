package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
	"github.com/simusage/terraform-provider-usage/internal/window"
)

// selector is how a usage_sim data source names its SIM.
type selector int

const (
	bySid selector = iota
	byUniqueName
	byICCID
)

// attribute is the data source argument the selector sets.
func (s selector) attribute() string {
	switch s {
	case byUniqueName:
		return "unique_name"
	case byICCID:
		return "iccid"
	}
	return "sid"
}

// selectorFor mixes the three ways deterministically: of every ten data
// sources six name a SID, three a unique name and one an ICCID.
func selectorFor(i int) selector {
	switch i % 10 {
	case 6, 7, 8:
		return byUniqueName
	case 9:
		return byICCID
	}
	return bySid
}

// simSource is one usage_sim data source. Window set means the configuration
// names the window; otherwise it gives Start and End explicitly. Start and End
// are always the range asked, resolved when the workload was generated.
type simSource struct {
	Label      string
	SIM        vendorsim.SIM
	By         selector
	Window     string
	Start, End time.Time
}

// value is the selector's argument value.
func (s simSource) value() string {
	switch s.By {
	case byUniqueName:
		return s.SIM.UniqueName
	case byICCID:
		return s.SIM.ICCID
	}
	return s.SIM.Sid
}

// lookup identifies the SIM lookup the data source needs; "" when it names
// the SID and needs none.
func (s simSource) lookup() string {
	if s.By == bySid {
		return ""
	}
	return s.By.attribute() + "=" + s.value()
}

// accountSource is the one usage_account data source.
type accountSource struct {
	Label      string
	Window     string
	Start, End time.Time
}

// subscriptionSource is one usage_subscription data source: Window set, or
// the inclusive dates StartDate..EndDate.
type subscriptionSource struct {
	Label              string
	Subscription       string
	Window             string
	StartDate, EndDate string
}

// workload is the generated configuration, as data.
type workload struct {
	Granularity   string
	Account       accountSource
	Sims          []simSource
	Subscriptions []subscriptionSource
}

// dataSources counts every data source of the configuration.
func (w workload) dataSources() int { return 1 + len(w.Sims) + len(w.Subscriptions) }

// newWorkload lays out n usage_sim and m usage_subscription data sources over
// the simulator's fleet and subscriptions, cycling through them in order.
//
// The provider shares identical queries, so a repeated query would cost
// nothing and flatter the benchmark. Every data source therefore asks a
// distinct question: the first pass over the fleet (cycle 0) names the window
// itself; cycle c >= 1 gives the same window explicitly with its start moved
// c hours earlier (KORE) or c days earlier (Gigs). The ranges stay about the
// window's size, so each costs what the window costs.
func newWorkload(fleet []vendorsim.SIM, subs []vendorsim.Subscription, n, m int, name, granularity string, now time.Time) (workload, error) {
	start, end, err := window.Resolve(name, now)
	if err != nil {
		return workload{}, err
	}
	if n > 0 && len(fleet) == 0 {
		return workload{}, errors.New("the simulator has no SIMs")
	}
	if m > 0 && len(subs) == 0 {
		return workload{}, errors.New("the simulator has no subscriptions")
	}
	w := workload{
		Granularity: granularity,
		Account:     accountSource{Label: "account", Window: name, Start: start, End: end},
	}
	for i := range n {
		src := simSource{
			Label: fmt.Sprintf("sim_%04d", i),
			SIM:   fleet[i%len(fleet)],
			By:    selectorFor(i),
			Start: start, End: end,
		}
		if cycle := i / len(fleet); cycle == 0 {
			src.Window = name
		} else {
			src.Start = start.Add(-time.Duration(cycle) * time.Hour)
		}
		w.Sims = append(w.Sims, src)
	}
	_, last := window.Dates(start, end)
	for i := range m {
		src := subscriptionSource{Label: fmt.Sprintf("subscription_%04d", i), Subscription: subs[i%len(subs)].ID}
		if cycle := i / len(subs); cycle == 0 {
			src.Window = name
		} else {
			src.StartDate = start.AddDate(0, 0, -cycle).Format(time.DateOnly)
			src.EndDate = last
		}
		w.Subscriptions = append(w.Subscriptions, src)
	}
	return w, nil
}
