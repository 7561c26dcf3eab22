package kore

import (
	"bytes"
	"errors"
	"fmt"
	"math"
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
	Home                 *wireCounts `json:"home"`
	NationalRoaming      *wireCounts `json:"national_roaming"`
	InternationalRoaming wireRoaming `json:"international_roaming"`
}

// wireRoaming is an international_roaming list, whose entries are counted
// before any is decoded, so that a list longer than MaxCountries costs no
// allocation per entry.
type wireRoaming struct {
	entries []*wireCounts
	present bool // the list was sent, not null or missing
	over    bool // it has more than MaxCountries entries, none decoded
}

func (l *wireRoaming) UnmarshalJSON(b []byte) error {
	*l = wireRoaming{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) == 0 || b[0] != '[' {
		return errors.New("international_roaming is not a list")
	}
	l.present = true
	switch n := countElements(b); {
	case n > MaxCountries:
		l.over = true // the record names the bound
		return nil
	case n == 0:
		l.entries = []*wireCounts{}
		return nil
	default:
		l.entries = make([]*wireCounts, 0, n)
		return httpx.Unmarshal(b, &l.entries)
	}
}

// countElements counts the elements of a JSON array that the decoder has
// already found valid: the commas outside strings and nested values, plus
// one unless the array is empty.
func countElements(b []byte) int {
	commas, depth, empty := 0, 0, true
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 1:
			commas++
		}
		if depth > 1 || depth == 1 && c != '[' {
			empty = false
		}
	}
	if empty {
		return 0
	}
	return commas + 1
}

// required is a JSON number that must be present and not null.
type required[T int64 | float64] struct {
	v    T
	set  bool
	huge bool // a number past the largest float64, reported by the field check
}

func (r *required[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil // set stays false: reported by the field check
	}
	var v T
	switch p := any(&v).(type) {
	case *int64:
		n, ok := parseInt64(b)
		if !ok {
			return fmt.Errorf("%s is not a whole number that fits 64 bits", httpx.Clip(string(b)))
		}
		*p = n
	case *float64:
		f, err := strconv.ParseFloat(string(b), 64)
		if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
			// JSON has no infinity, but 1e309 parses to one: name the
			// field rather than fail on a bare number.
			r.set, r.huge = true, true
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s is not a number", httpx.Clip(string(b)))
		}
		*p = f
	}
	r.v, r.set = v, true
	return nil
}

// parseInt64 reads a JSON integer straight from its bytes: counters are most
// of a page, and strconv would first copy each into a string.
func parseInt64(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 1 && b[0] == '0' {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n-1) - 1, true //nolint:gosec // n-1 < 2^63, checked by the case
	case !neg && n <= math.MaxInt64:
		return int64(n), true
	}
	return 0, false
}

// fieldCheck collects the first field that is missing or cannot be read, as
// what the record "has". Its text is built only then: a page holds tens of
// thousands of fields.
type fieldCheck struct{ problem string }

// at names where a counter set sits: a breakdown, and an index in
// international_roaming (or -1).
type at struct {
	where string
	index int
}

func (a at) String() string {
	if a.index < 0 {
		return a.where
	}
	return fmt.Sprintf("%s[%d]", a.where, a.index)
}

func take[T int64 | float64](c *fieldCheck, a at, field string, r required[T]) T {
	switch {
	case c.problem != "":
	case !r.set:
		c.problem = "no " + a.String() + "." + field + " (null or missing)"
	case r.huge:
		c.problem = a.String() + "." + field + " out of the range of a 64-bit float"
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
	if c.problem != "" {
		return UsageRecord{}, fmt.Errorf("%w: the record for the period %s has %s", errVendorData, period, c.problem)
	}
	return r, nil
}

// breakdownOf converts one kind of usage with counts, noting in c the first
// required field that is missing. A breakdown KORE sends as null stays nil;
// its counters are required once it is there.
func breakdownOf[C any, P Counters[C]](c *fieldCheck, where string, w *wireBreakdown, counts func(*wireCounts, *fieldCheck, at) C) Breakdown[C, P] {
	var b Breakdown[C, P]
	if w == nil {
		c.note("no " + where + " (null or missing)")
		return b
	}
	b.Counts = counts(&w.wireCounts, c, at{where, -1})
	if w.Home != nil {
		v := counts(w.Home, c, at{where + ".home", -1})
		b.Home = &v
	}
	if w.NationalRoaming != nil {
		v := counts(w.NationalRoaming, c, at{where + ".national_roaming", -1})
		b.NationalRoaming = &v
	}
	intl := &w.InternationalRoaming
	if intl.over {
		c.note(fmt.Sprintf("more than %d entries in %s.international_roaming, the most one record may list (%s)",
			MaxCountries, where, whyMaxCountries))
		return b
	}
	if intl.present {
		b.InternationalRoaming = make([]Roamed[C], 0, len(intl.entries))
	}
	for i, e := range intl.entries {
		if e == nil {
			c.note("no " + at{where + ".international_roaming", i}.String() + " (null or missing)")
			continue
		}
		b.InternationalRoaming = append(b.InternationalRoaming,
			Roamed[C]{CountryCode: deref(e.CountryCode), Counts: counts(e, c, at{where + ".international_roaming", i})})
	}
	return b
}

func (c *fieldCheck) note(problem string) {
	if c.problem == "" {
		c.problem = problem
	}
}

func (w *wireCounts) commands(c *fieldCheck, a at) CommandCounts {
	return CommandCounts{
		Total:        take(c, a, "total", w.Total),
		ToSim:        take(c, a, "to_sim", w.ToSim),
		FromSim:      take(c, a, "from_sim", w.FromSim),
		Billed:       take(c, a, "billed", w.Billed),
		BillingUnits: w.BillingUnits,
	}
}

func (w *wireCounts) data(c *fieldCheck, a at) DataCounts {
	return DataCounts{
		Total:        take(c, a, "total", w.Total),
		Upload:       take(c, a, "upload", w.Upload),
		Download:     take(c, a, "download", w.Download),
		Units:        w.Units,
		Billed:       take(c, a, "billed", w.Billed),
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
