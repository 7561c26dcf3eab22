package kore

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// The wire form of a usage record. Every counter KORE declares required is a
// required[T], so that a null or missing counter fails the read instead of
// becoming 0: a guardrail must never pass on a number the vendor never sent.
type wireRecord struct {
	AccountSid string         `json:"account_sid"`
	SimSid     string         `json:"sim_sid"`
	Period     *wirePeriod    `json:"period"`
	Commands   *wireBreakdown `json:"commands"`
	Data       *wireBreakdown `json:"data"`
}

type wirePeriod struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

// wireCounts holds the counters of both kinds: commands read to_sim and
// from_sim, data reads upload, download and units.
type wireCounts struct {
	CountryCode  *string           `json:"country_code"`
	Total        required[int64]   `json:"total"`
	ToSim        required[int64]   `json:"to_sim"`
	FromSim      required[int64]   `json:"from_sim"`
	Upload       required[int64]   `json:"upload"`
	Download     required[int64]   `json:"download"`
	Units        string            `json:"units"`
	Billed       required[float64] `json:"billed"`
	BillingUnits string            `json:"billing_units"`
}

type wireBreakdown struct {
	wireCounts
	Home                 *wireCounts   `json:"home"`
	NationalRoaming      *wireCounts   `json:"national_roaming"`
	InternationalRoaming []*wireCounts `json:"international_roaming"`
}

// required is a JSON number that must be present and not null.
type required[T int64 | float64] struct {
	v   T
	set bool
}

func (r *required[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil // set stays false: reported by the field check
	}
	var v T
	switch p := any(&v).(type) {
	case *int64:
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("%s is not a whole number that fits 64 bits", httpx.Clip(string(b)))
		}
		*p = n
	case *float64:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("%s is not a number", httpx.Clip(string(b)))
		}
		*p = f
	}
	r.v, r.set = v, true
	return nil
}

// fieldCheck collects the first required field that is missing.
type fieldCheck struct{ missing string }

func take[T int64 | float64](c *fieldCheck, where string, r required[T]) T {
	if !r.set && c.missing == "" {
		c.missing = where
	}
	return r.v
}

// record converts w (the index-th of its page) or names the first field that
// cannot be true.
func (w *wireRecord) record(index int) (UsageRecord, error) {
	period, err := w.period(index)
	if err != nil {
		return UsageRecord{}, err
	}
	var c fieldCheck
	r := UsageRecord{
		AccountSid: w.AccountSid, SimSid: w.SimSid, Period: period,
		Commands: breakdownOf[CommandCounts](&c, "commands", w.Commands, (*wireCounts).commands),
		Data:     breakdownOf[DataCounts](&c, "data", w.Data, (*wireCounts).data),
	}
	if c.missing != "" {
		return UsageRecord{}, fmt.Errorf("%w: the record for the period %s has no %s (null or missing)",
			errVendorData, period, c.missing)
	}
	return r, nil
}

// breakdownOf converts one kind of usage with counts, noting in c the first
// required field that is missing. A breakdown KORE sends as null stays nil;
// its counters are required once it is there.
func breakdownOf[C any, P Counters[C]](c *fieldCheck, where string, w *wireBreakdown, counts func(*wireCounts, *fieldCheck, string) C) Breakdown[C, P] {
	var b Breakdown[C, P]
	if w == nil {
		c.note(where)
		return b
	}
	b.Counts = counts(&w.wireCounts, c, where)
	optional := func(w *wireCounts, where string) *C {
		if w == nil {
			return nil
		}
		v := counts(w, c, where)
		return &v
	}
	b.Home = optional(w.Home, where+".home")
	b.NationalRoaming = optional(w.NationalRoaming, where+".national_roaming")
	if w.InternationalRoaming != nil {
		b.InternationalRoaming = make([]Roamed[C], 0, len(w.InternationalRoaming))
	}
	for i, e := range w.InternationalRoaming {
		at := fmt.Sprintf("%s.international_roaming[%d]", where, i)
		if e == nil {
			c.note(at)
			continue
		}
		b.InternationalRoaming = append(b.InternationalRoaming, Roamed[C]{CountryCode: deref(e.CountryCode), Counts: counts(e, c, at)})
	}
	return b
}

func (c *fieldCheck) note(where string) {
	if c.missing == "" {
		c.missing = where
	}
}

func (w *wireCounts) commands(c *fieldCheck, where string) CommandCounts {
	return CommandCounts{
		Total:        take(c, where+".total", w.Total),
		ToSim:        take(c, where+".to_sim", w.ToSim),
		FromSim:      take(c, where+".from_sim", w.FromSim),
		Billed:       take(c, where+".billed", w.Billed),
		BillingUnits: w.BillingUnits,
	}
}

func (w *wireCounts) data(c *fieldCheck, where string) DataCounts {
	return DataCounts{
		Total:        take(c, where+".total", w.Total),
		Upload:       take(c, where+".upload", w.Upload),
		Download:     take(c, where+".download", w.Download),
		Units:        w.Units,
		Billed:       take(c, where+".billed", w.Billed),
		BillingUnits: w.BillingUnits,
	}
}

// period parses the record's period, in UTC, or says which part is wrong;
// the record is then named by its place on the page and its SIM.
func (w *wireRecord) period(index int) (Period, error) {
	which := fmt.Sprintf("record %d of the page", index)
	if w.SimSid != "" {
		which += " (SIM " + httpx.Clip(w.SimSid) + ")"
	}
	if w.Period == nil {
		return Period{}, fmt.Errorf("%w: %s has no period", errVendorData, which)
	}
	start, err := parseInstant(w.Period.Start)
	if err != nil {
		return Period{}, fmt.Errorf("%w: %s has period.start %w", errVendorData, which, err)
	}
	end, err := parseInstant(w.Period.End)
	if err != nil {
		return Period{}, fmt.Errorf("%w: %s has period.end %w", errVendorData, which, err)
	}
	p := Period{Start: start, End: end}
	if end.Before(start) {
		return Period{}, fmt.Errorf("%w: %s has a period %s that ends before it starts", errVendorData, which, p)
	}
	return p, nil
}

func parseInstant(v *string) (time.Time, error) {
	if v == nil || *v == "" {
		return time.Time{}, fmt.Errorf("null or missing")
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q, which is not an RFC 3339 instant", httpx.Clip(*v))
	}
	return t.UTC(), nil
}

// String is how errors name a record: by its period.
func (p Period) String() string {
	return p.Start.Format(time.RFC3339) + " to " + p.End.Format(time.RFC3339)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
