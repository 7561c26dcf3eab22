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
	AccountSid string        `json:"account_sid"`
	SimSid     string        `json:"sim_sid"`
	Period     *wirePeriod   `json:"period"`
	Commands   *wireCommands `json:"commands"`
	Data       *wireData     `json:"data"`
}

type wirePeriod struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

type wireCommandCounts struct {
	CountryCode  *string           `json:"country_code"`
	Total        required[int64]   `json:"total"`
	ToSim        required[int64]   `json:"to_sim"`
	FromSim      required[int64]   `json:"from_sim"`
	Billed       required[float64] `json:"billed"`
	BillingUnits string            `json:"billing_units"`
}

type wireCommands struct {
	wireCommandCounts
	Home                 *wireCommandCounts   `json:"home"`
	NationalRoaming      *wireCommandCounts   `json:"national_roaming"`
	InternationalRoaming []*wireCommandCounts `json:"international_roaming"`
}

type wireDataCounts struct {
	CountryCode  *string           `json:"country_code"`
	Total        required[int64]   `json:"total"`
	Upload       required[int64]   `json:"upload"`
	Download     required[int64]   `json:"download"`
	Units        string            `json:"units"`
	Billed       required[float64] `json:"billed"`
	BillingUnits string            `json:"billing_units"`
}

type wireData struct {
	wireDataCounts
	Home                 *wireDataCounts   `json:"home"`
	NationalRoaming      *wireDataCounts   `json:"national_roaming"`
	InternationalRoaming []*wireDataCounts `json:"international_roaming"`
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
	r := UsageRecord{AccountSid: w.AccountSid, SimSid: w.SimSid, Period: period}
	var c fieldCheck
	if w.Commands == nil {
		c.note("commands")
	} else {
		r.Commands = Commands{
			CommandCounts:   w.Commands.counts(&c, "commands"),
			Home:            w.Commands.Home.optional(&c, "commands.home"),
			NationalRoaming: w.Commands.NationalRoaming.optional(&c, "commands.national_roaming"),
		}
		if w.Commands.InternationalRoaming != nil {
			r.Commands.InternationalRoaming = make([]IntlCommandCounts, 0, len(w.Commands.InternationalRoaming))
		}
		for i, e := range w.Commands.InternationalRoaming {
			where := fmt.Sprintf("commands.international_roaming[%d]", i)
			if e == nil {
				c.note(where)
				continue
			}
			r.Commands.InternationalRoaming = append(r.Commands.InternationalRoaming,
				IntlCommandCounts{CountryCode: deref(e.CountryCode), CommandCounts: e.counts(&c, where)})
		}
	}
	if w.Data == nil {
		c.note("data")
	} else {
		r.Data = Data{
			DataCounts:      w.Data.counts(&c, "data"),
			Home:            w.Data.Home.optional(&c, "data.home"),
			NationalRoaming: w.Data.NationalRoaming.optional(&c, "data.national_roaming"),
		}
		if w.Data.InternationalRoaming != nil {
			r.Data.InternationalRoaming = make([]IntlDataCounts, 0, len(w.Data.InternationalRoaming))
		}
		for i, e := range w.Data.InternationalRoaming {
			where := fmt.Sprintf("data.international_roaming[%d]", i)
			if e == nil {
				c.note(where)
				continue
			}
			r.Data.InternationalRoaming = append(r.Data.InternationalRoaming,
				IntlDataCounts{CountryCode: deref(e.CountryCode), DataCounts: e.counts(&c, where)})
		}
	}
	if c.missing != "" {
		return UsageRecord{}, fmt.Errorf("%w: the record for the period %s has no %s (null or missing)",
			errVendorData, period, c.missing)
	}
	return r, nil
}

func (c *fieldCheck) note(where string) {
	if c.missing == "" {
		c.missing = where
	}
}

func (w *wireCommandCounts) counts(c *fieldCheck, where string) CommandCounts {
	return CommandCounts{
		Total:        take(c, where+".total", w.Total),
		ToSim:        take(c, where+".to_sim", w.ToSim),
		FromSim:      take(c, where+".from_sim", w.FromSim),
		Billed:       take(c, where+".billed", w.Billed),
		BillingUnits: w.BillingUnits,
	}
}

// optional converts a breakdown KORE may send as null (kept nil), whose
// counters are nonetheless required once it is there.
func (w *wireCommandCounts) optional(c *fieldCheck, where string) *CommandCounts {
	if w == nil {
		return nil
	}
	v := w.counts(c, where)
	return &v
}

func (w *wireDataCounts) counts(c *fieldCheck, where string) DataCounts {
	return DataCounts{
		Total:        take(c, where+".total", w.Total),
		Upload:       take(c, where+".upload", w.Upload),
		Download:     take(c, where+".download", w.Download),
		Units:        w.Units,
		Billed:       take(c, where+".billed", w.Billed),
		BillingUnits: w.BillingUnits,
	}
}

func (w *wireDataCounts) optional(c *fieldCheck, where string) *DataCounts {
	if w == nil {
		return nil
	}
	v := w.counts(c, where)
	return &v
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
