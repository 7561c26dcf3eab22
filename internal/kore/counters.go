package kore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
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

// Bounds on billed amounts, in the record's billing units (USD). A trillion
// is more than any account is billed over the 18 months KORE keeps, so one
// counter set of one record (the whole account's, at most) never reaches
// MaxRecordBilled. Sums add every record of a query or fleet, each also
// counted in its part (home, roaming), so they get a thousand times more;
// both bounds keep every sum finite, so no NaN or infinity can reach state.
const (
	MaxRecordBilled = 1e12
	MaxBilledSum    = 1e15
)

// MaxCountries is the most international_roaming entries one record may
// list, per kind: ISO 3166-1 has fewer than 300 country codes, so a longer
// list repeats a country or is not KORE's.
const MaxCountries = 300

const whyMaxCountries = "there are fewer than 300 country codes"

// checkCounters refuses a record with a counter no meter can produce (a
// negative one, as no meter counts backwards, or one above the bounds), a
// billed amount that is negative, not finite or above MaxRecordBilled, or
// a usage tree that does not add up (see checkTree).
func checkCounters(r *UsageRecord) error {
	where, v, limit, bad := outOfBounds("commands", &r.Commands)
	if !bad {
		where, v, limit, bad = outOfBounds("data", &r.Data)
	}
	if bad {
		what := "negative"
		if v > 0 {
			what = fmt.Sprintf("above %d", limit)
		}
		return fmt.Errorf("%w: %s counter %d is %s in the period starting %s",
			errVendorData, where, v, what, r.Period.Start.Format(time.RFC3339))
	}
	if where, f, bad := billedOutOfBounds("commands", &r.Commands); bad {
		return billedError(where, f, r.Period)
	}
	if where, f, bad := billedOutOfBounds("data", &r.Data); bad {
		return billedError(where, f, r.Period)
	}
	if err := checkTree("commands", &r.Commands); err != nil {
		return fmt.Errorf("%w: the record for the period %s does not add up: %w", errVendorData, r.Period, err)
	}
	if err := checkTree("data", &r.Data); err != nil {
		return fmt.Errorf("%w: the record for the period %s does not add up: %w", errVendorData, r.Period, err)
	}
	return nil
}

func billedError(where string, f float64, p Period) error {
	what := fmt.Sprintf("above %g", float64(MaxRecordBilled))
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		what = "not a finite number"
	case f < 0:
		what = "negative"
	}
	return fmt.Errorf("%w: %s %g is %s in the record for the period %s", errVendorData, where, f, what, p)
}

// setName joins a kind, a counter set and a counter into a field name.
func setName(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), ".")
}

// outOfBounds finds the first counter of b out of [0, bound].
func outOfBounds[C any, P Counters[C]](kind string, b *Breakdown[C, P]) (where string, v, limit int64, bad bool) {
	b.eachSet(func(set string, c *C) bool {
		limit = P(c).bound()
		for i, x := range P(c).integers() {
			if x < 0 || x > limit {
				where = setName(kind, set, P(c).integerNames()[i])
				v, bad = x, true
				return false
			}
		}
		return true
	})
	return where, v, limit, bad
}

// billedOutOfBounds finds the first billed amount of b out of
// [0, MaxRecordBilled]; NaN is out too.
func billedOutOfBounds[C any, P Counters[C]](kind string, b *Breakdown[C, P]) (where string, f float64, bad bool) {
	b.eachSet(func(set string, c *C) bool {
		if x := P(c).billed(); !(x >= 0 && x <= MaxRecordBilled) {
			where, f, bad = setName(kind, set, "billed"), x, true
			return false
		}
		return true
	})
	return where, f, bad
}

// checkTree refuses one kind of usage whose tree does not add up as KORE
// documents it: in every counter set the total is the sum of the other two
// counters (download + upload, to_sim + from_sim), and home +
// national_roaming + every country of international_roaming equal the whole,
// counter by counter. A record with no parts at all (both null, no country)
// is the whole alone; once any part is there, a missing one counts as 0.
// Every country appears once, with a code. Counters must already be within
// their bounds (checkCounters): they are compared as unsigned.
func checkTree[C any, P Counters[C]](kind string, b *Breakdown[C, P]) error {
	names := P(&b.Counts).integerNames()
	var err error
	b.eachSet(func(set string, c *C) bool {
		v := P(c).integers()
		if v[0] != v[1]+v[2] {
			err = fmt.Errorf("%s: %s %d + %s %d = %d, but %s is %d", setName(kind, set),
				names[1], v[1], names[2], v[2], v[1]+v[2], names[0], v[0])
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	if err := checkCountries(kind, b.InternationalRoaming); err != nil {
		return err
	}
	if b.Home == nil && b.NationalRoaming == nil && len(b.InternationalRoaming) == 0 {
		return nil
	}
	var home, national, intl [3]uint64
	if b.Home != nil {
		home = unsigned(P(b.Home).integers())
	}
	if b.NationalRoaming != nil {
		national = unsigned(P(b.NationalRoaming).integers())
	}
	for i := range b.InternationalRoaming {
		for j, x := range unsigned(P(&b.InternationalRoaming[i].Counts).integers()) {
			intl[j] = addSaturating(intl[j], x)
		}
	}
	whole := unsigned(P(&b.Counts).integers())
	for j := range whole {
		if sum := addSaturating(addSaturating(home[j], national[j]), intl[j]); sum != whole[j] {
			return fmt.Errorf("%s: home.%s %d + national_roaming.%s %d + international_roaming %s %d = %d, but %s is %d",
				kind, names[j], home[j], names[j], national[j], names[j], intl[j], sum, names[j], whole[j])
		}
	}
	return nil
}

// unsigned converts counters already checked to be at least 0.
func unsigned(v [3]int64) [3]uint64 {
	return [3]uint64{uint64(v[0]), uint64(v[1]), uint64(v[2])} //nolint:gosec // checked non-negative by outOfBounds
}

// addSaturating adds without wrapping: a sum past 2^64 stays unequal to any
// counter, which is all checkTree needs.
func addSaturating(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}

// checkCountries refuses a country without a code or listed twice: a
// country listed twice would be counted twice in every total.
func checkCountries[C any](kind string, roamed []Roamed[C]) error {
	for i := range roamed {
		if roamed[i].CountryCode == "" {
			return fmt.Errorf("%s.international_roaming[%d] has no country_code", kind, i)
		}
	}
	if len(roamed) < 2 {
		return nil
	}
	codes := make([]string, len(roamed))
	for i := range roamed {
		codes[i] = roamed[i].CountryCode
	}
	slices.Sort(codes)
	for i := 1; i < len(codes); i++ {
		if codes[i] == codes[i-1] {
			return fmt.Errorf("%s.international_roaming lists country %q twice", kind, httpx.Clip(codes[i]))
		}
	}
	return nil
}

// checkEvery is how many records a sum covers between looks at its context:
// often enough that cancelling stops a long sum at once, rarely enough to
// cost nothing.
const checkEvery = 1024

// checkSums refuses a query's (or a fleet's) records whose counters, all
// added together, would overflow int64, or whose billed amounts are not
// finite and non-negative or add up past MaxBilledSum. Counters and amounts
// are never negative, so then every sum a caller can form over them (per
// counter, per country) fits as well.
func checkSums(ctx context.Context, recs []UsageRecord) error {
	var sum int64
	var billed float64
	for i := range recs {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r := &recs[i]
		if !addAll(&sum, &r.Commands) || !addAll(&sum, &r.Data) {
			return fmt.Errorf("%w: the counters up to the period starting %s%s add up past what a 64-bit total can hold",
				errVendorData, r.Period.Start.Format(time.RFC3339), ofSim(r))
		}
		if where, ok := addBilled(&billed, "commands", &r.Commands); !ok {
			return billedSumError(where, billed, r)
		}
		if where, ok := addBilled(&billed, "data", &r.Data); !ok {
			return billedSumError(where, billed, r)
		}
	}
	return nil
}

func billedSumError(where string, sum float64, r *UsageRecord) error {
	if !(sum >= 0) || math.IsInf(sum, 0) {
		return fmt.Errorf("%w: %s is %g, not a finite amount of at least 0, in the record for the period %s%s",
			errVendorData, where, sum, r.Period, ofSim(r))
	}
	return fmt.Errorf("%w: the billed amounts up to the record for the period %s%s add up to %g, above %g",
		errVendorData, r.Period, ofSim(r), sum, float64(MaxBilledSum))
}

// ofSim names a record's SIM, if it has one: fleet totals carry it.
func ofSim(r *UsageRecord) string {
	if r.SimSid == "" {
		return ""
	}
	return " (SIM " + httpx.Clip(r.SimSid) + ")"
}

// addAll adds every counter of b to sum, reporting false on overflow.
func addAll[C any, P Counters[C]](sum *int64, b *Breakdown[C, P]) bool {
	return b.eachSet(func(_ string, c *C) bool {
		for _, v := range P(c).integers() {
			if v < 0 || v > math.MaxInt64-*sum {
				return false
			}
			*sum += v
		}
		return true
	})
}

// addBilled adds every billed amount of b to sum, reporting false with the
// field at fault, or with sum past MaxBilledSum. An amount that is not finite
// or negative is left in sum, for the message.
func addBilled[C any, P Counters[C]](sum *float64, kind string, b *Breakdown[C, P]) (where string, ok bool) {
	ok = b.eachSet(func(set string, c *C) bool {
		v := P(c).billed()
		if !(v >= 0) || math.IsInf(v, 0) {
			where, *sum = setName(kind, set, "billed"), v
			return false
		}
		*sum += v
		return *sum <= MaxBilledSum
	})
	return where, ok
}

// TotalContext is Total that stops, with ctx's error, once ctx is done.
func TotalContext(ctx context.Context, records []UsageRecord) (Commands, Data, error) {
	var c summer[CommandCounts, *CommandCounts]
	var d summer[DataCounts, *DataCounts]
	for i := range records {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return Commands{}, Data{}, err
			}
		}
		c.add(&records[i].Commands)
		d.add(&records[i].Data)
	}
	return c.total(), d.total(), nil
}
