package kore

import (
	"fmt"
	"math"
	"slices"
	"strings"
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
	where, v, limit, bad := outOfBounds("commands", &r.Commands)
	if !bad {
		where, v, limit, bad = outOfBounds("data", &r.Data)
	}
	if !bad {
		return nil
	}
	what := "negative"
	if v > 0 {
		what = fmt.Sprintf("above %d", limit)
	}
	return fmt.Errorf("%w: %s counter %d is %s in the period starting %s",
		errVendorData, where, v, what, r.Period.Start.Format(time.RFC3339))
}

// outOfBounds finds the first counter of b out of [0, bound].
func outOfBounds[C any, P Counters[C]](kind string, b *Breakdown[C, P]) (where string, v, limit int64, bad bool) {
	b.eachSet(func(set string, c *C) bool {
		limit = P(c).bound()
		for i, x := range P(c).integers() {
			if x < 0 || x > limit {
				name := P(c).integerNames()[i]
				where = strings.Join(slices.DeleteFunc([]string{kind, set, name}, func(s string) bool { return s == "" }), ".")
				v, bad = x, true
				return false
			}
		}
		return true
	})
	return where, v, limit, bad
}

// checkSums refuses a query's records whose counters, all added together,
// would overflow int64. Counters are never negative, so then every sum a
// caller can form over them (per counter, per country) fits as well.
func checkSums(recs []UsageRecord) error {
	var sum int64
	for i := range recs {
		r := &recs[i]
		if !addAll(&sum, &r.Commands) || !addAll(&sum, &r.Data) {
			return fmt.Errorf("%w: the counters up to the period starting %s add up past what a 64-bit total can hold",
				errVendorData, r.Period.Start.Format(time.RFC3339))
		}
	}
	return nil
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
