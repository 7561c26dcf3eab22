package kore

import (
	"fmt"
	"math"
	"time"
)

// Bounds on one record's counters. No meter produces more in one period:
// 2^55 bytes is 32 PiB, some fifteen times what a hundred thousand SIMs
// using a gigabyte a month would send in the 18 months an account-wide
// record can span, and 2^40 commands is a trillion. Past them a value is
// garbage, and letting it through would poison every total built on it.
const (
	maxRecordBytes    = 1 << 55
	maxRecordCommands = 1 << 40
)

// checkCounters refuses a record with a counter no meter can produce: a
// negative one (no meter counts backwards) or one above the bounds.
func checkCounters(r *UsageRecord) error {
	var c counterCheck
	c.commands("commands", &r.Commands.CommandCounts)
	c.commands("commands.home", r.Commands.Home)
	c.commands("commands.national_roaming", r.Commands.NationalRoaming)
	for i := range r.Commands.InternationalRoaming {
		c.commands("commands.international_roaming", &r.Commands.InternationalRoaming[i].CommandCounts)
	}
	c.data("data", &r.Data.DataCounts)
	c.data("data.home", r.Data.Home)
	c.data("data.national_roaming", r.Data.NationalRoaming)
	for i := range r.Data.InternationalRoaming {
		c.data("data.international_roaming", &r.Data.InternationalRoaming[i].DataCounts)
	}
	if c.where == "" {
		return nil
	}
	what := "negative"
	if c.value > 0 {
		what = fmt.Sprintf("above %d", c.limit)
	}
	return fmt.Errorf("%w: %s counter %d is %s in the period starting %s",
		errVendorData, c.where, c.value, what, r.Period.Start.Format(time.RFC3339))
}

// counterCheck remembers the first counter out of bounds.
type counterCheck struct {
	where        string
	value, limit int64
}

func (c *counterCheck) commands(where string, n *CommandCounts) {
	if n != nil {
		c.each(where, maxRecordCommands, n.Total, n.ToSim, n.FromSim)
	}
}

func (c *counterCheck) data(where string, n *DataCounts) {
	if n != nil {
		c.each(where, maxRecordBytes, n.Total, n.Upload, n.Download)
	}
}

func (c *counterCheck) each(where string, limit int64, values ...int64) {
	for _, v := range values {
		if c.where == "" && (v < 0 || v > limit) {
			c.where, c.value, c.limit = where, v, limit
		}
	}
}

// checkSums refuses a query's records whose counters, all added together,
// would overflow int64. Counters are never negative, so then every sum a
// caller can form over them (per counter, per country) fits as well.
func checkSums(recs []UsageRecord) error {
	var s counterSum
	for i := range recs {
		r := &recs[i]
		s.commands(&r.Commands.CommandCounts)
		s.commands(r.Commands.Home)
		s.commands(r.Commands.NationalRoaming)
		for j := range r.Commands.InternationalRoaming {
			s.commands(&r.Commands.InternationalRoaming[j].CommandCounts)
		}
		s.data(&r.Data.DataCounts)
		s.data(r.Data.Home)
		s.data(r.Data.NationalRoaming)
		for j := range r.Data.InternationalRoaming {
			s.data(&r.Data.InternationalRoaming[j].DataCounts)
		}
		if s.overflow {
			return fmt.Errorf("%w: the counters up to the period starting %s add up past what a 64-bit total can hold",
				errVendorData, r.Period.Start.Format(time.RFC3339))
		}
	}
	return nil
}

// counterSum adds non-negative counters and notes when the sum would
// overflow.
type counterSum struct {
	sum      int64
	overflow bool
}

func (s *counterSum) commands(n *CommandCounts) {
	if n != nil {
		s.add(n.Total, n.ToSim, n.FromSim)
	}
}

func (s *counterSum) data(n *DataCounts) {
	if n != nil {
		s.add(n.Total, n.Upload, n.Download)
	}
}

func (s *counterSum) add(values ...int64) {
	for _, v := range values {
		if v < 0 || v > math.MaxInt64-s.sum {
			s.overflow = true
			return
		}
		s.sum += v
	}
}
