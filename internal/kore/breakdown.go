package kore

import (
	"cmp"
	"context"
	"slices"
)

// Breakdown is one kind of usage (commands or data) of a record or a total,
// by network: Counts is the whole, and home, national roaming and
// international roaming (per country) add up to it. Every operation on usage
// is written once here, for both kinds.
type Breakdown[C any, P Counters[C]] struct {
	Counts               C
	Home                 *C // nil when the vendor reports none
	NationalRoaming      *C // nil when the vendor reports none
	InternationalRoaming []Roamed[C]
}

// Roamed is the usage roamed in one country.
type Roamed[C any] struct {
	CountryCode string
	Counts      C
}

// Counters is what a counter set (CommandCounts, DataCounts) offers the
// Breakdown: adding another, and its whole-number counters, for bounds and
// overflow checks.
type Counters[C any] interface {
	*C
	add(C)
	integers() [3]int64       // the whole-number counters, in integerNames order
	integerNames() *[3]string // their names, for errors
	bound() int64             // the most one record may count
	billed() float64          // the amount billed
}

// Add adds o to b: every counter and billed amount, home and national
// roaming (nil unless one side has them), and international roaming merged
// per country, sorted by country code, as TotalContext merges many.
func (b *Breakdown[C, P]) Add(o Breakdown[C, P]) {
	var s summer[C, P]
	s.add(b)
	s.add(&o)
	*b = s.total()
}

func byCountry[C any](a, b Roamed[C]) int { return cmp.Compare(a.CountryCode, b.CountryCode) }

func addOptional[C any, P Counters[C]](sum, c *C) *C {
	if c == nil {
		return sum
	}
	if sum == nil {
		sum = new(C)
	}
	P(sum).add(*c)
	return sum
}

// eachSet calls f with every counter set of b and where it sits, until f
// returns false; it reports whether f never did.
func (b *Breakdown[C, P]) eachSet(f func(where string, c *C) bool) bool {
	if !f("", &b.Counts) {
		return false
	}
	if b.Home != nil && !f("home", b.Home) {
		return false
	}
	if b.NationalRoaming != nil && !f("national_roaming", b.NationalRoaming) {
		return false
	}
	for i := range b.InternationalRoaming {
		if !f("international_roaming", &b.InternationalRoaming[i].Counts) {
			return false
		}
	}
	return true
}

// clone is a deep copy, so that no caller can change a cached answer.
func (b Breakdown[C, P]) clone() Breakdown[C, P] {
	if b.Home != nil {
		h := *b.Home
		b.Home = &h
	}
	if b.NationalRoaming != nil {
		n := *b.NationalRoaming
		b.NationalRoaming = &n
	}
	b.InternationalRoaming = slices.Clone(b.InternationalRoaming)
	return b
}

// CheckedTotalContext is Total of records that may not have come through one
// query's checks (say, the totals of a fleet): a counter sum past 64 bits, a
// billed amount that is negative or not finite, or billed amounts adding up
// past MaxBilledSum is a vendor data error, never a wrapped number, NaN or
// infinity. It stops with ctx's error once ctx is done.
func CheckedTotalContext(ctx context.Context, records []UsageRecord) (Commands, Data, error) {
	if err := checkSums(ctx, records); err != nil {
		return Commands{}, Data{}, err
	}
	return TotalContext(ctx, records)
}

// summer adds breakdowns up, keeping each country's place in a map so that
// merging is linear; the countries are sorted once, at the end.
type summer[C any, P Counters[C]] struct {
	b     Breakdown[C, P]
	index map[string]int // country code -> position in b.InternationalRoaming
}

func (s *summer[C, P]) add(o *Breakdown[C, P]) {
	P(&s.b.Counts).add(o.Counts)
	s.b.Home = addOptional[C, P](s.b.Home, o.Home)
	s.b.NationalRoaming = addOptional[C, P](s.b.NationalRoaming, o.NationalRoaming)
	for j := range o.InternationalRoaming {
		r := &o.InternationalRoaming[j]
		i, ok := s.index[r.CountryCode]
		if !ok {
			if s.index == nil {
				s.index = map[string]int{}
			}
			i = len(s.b.InternationalRoaming)
			s.index[r.CountryCode] = i
			s.b.InternationalRoaming = append(s.b.InternationalRoaming, Roamed[C]{CountryCode: r.CountryCode})
		}
		P(&s.b.InternationalRoaming[i].Counts).add(r.Counts)
	}
}

func (s *summer[C, P]) total() Breakdown[C, P] {
	slices.SortFunc(s.b.InternationalRoaming, byCountry[C])
	return s.b
}

func (c *CommandCounts) add(o CommandCounts) {
	c.Total += o.Total
	c.ToSim += o.ToSim
	c.FromSim += o.FromSim
	c.Billed += o.Billed
	c.BillingUnits = cmp.Or(c.BillingUnits, o.BillingUnits)
}

func (c *CommandCounts) integers() [3]int64 { return [3]int64{c.Total, c.ToSim, c.FromSim} }

var commandNames = [3]string{"total", "to_sim", "from_sim"}

func (*CommandCounts) integerNames() *[3]string { return &commandNames }

func (*CommandCounts) bound() int64 { return maxRecordCommands }

func (c *CommandCounts) billed() float64 { return c.Billed }

func (d *DataCounts) add(o DataCounts) {
	d.Total += o.Total
	d.Upload += o.Upload
	d.Download += o.Download
	d.Billed += o.Billed
	d.Units = cmp.Or(d.Units, o.Units)
	d.BillingUnits = cmp.Or(d.BillingUnits, o.BillingUnits)
}

func (d *DataCounts) integers() [3]int64 { return [3]int64{d.Total, d.Upload, d.Download} }

var dataNames = [3]string{"total", "upload", "download"}

func (*DataCounts) integerNames() *[3]string { return &dataNames }

func (*DataCounts) bound() int64 { return maxRecordBytes }

func (d *DataCounts) billed() float64 { return d.Billed }
