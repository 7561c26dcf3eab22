package gigs

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// errVendorData marks records that cannot be true usage. A guardrail must
// never pass on them, so the read fails instead of counting them.
var errVendorData = httpx.ErrVendorData

// vetRecords refuses a query's records that cannot all be true: one outside
// the requested range, two that count the same usage twice, or counters
// whose sum would overflow the totals built on them.
func vetRecords(recs []UsageRecord, q UsageQuery) error {
	if err := checkRange(recs, q); err != nil {
		return err
	}
	if err := checkOverlaps(recs); err != nil {
		return err
	}
	return checkSums(recs)
}

// queryRange is the span a query with dates covers: [start 00:00Z,
// end+1 day 00:00Z), since Gigs' end date is inclusive. ok is false for a
// period=N or parameterless query, whose subscription period the client
// never learns: records of those are not checked against a range.
func (q UsageQuery) queryRange() (from, to time.Time, ok bool) {
	if q.Start == "" {
		return time.Time{}, time.Time{}, false
	}
	from, err1 := time.Parse(time.DateOnly, q.Start)
	end, err2 := time.Parse(time.DateOnly, q.End)
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, false // Validate has refused it already
	}
	return from, end.AddDate(0, 0, 1), true
}

func checkRange(recs []UsageRecord, q UsageQuery) error {
	from, to, ok := q.queryRange()
	if !ok {
		return nil
	}
	for _, r := range recs {
		if r.Start.Before(from) || r.End.After(to) {
			return fmt.Errorf("%w: the record for %s lies outside the requested range %s to %s",
				errVendorData, r.name(), from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
	}
	return nil
}

// checkOverlaps refuses two records with the same labels whose [start, end)
// periods overlap: they would count the same usage twice. Records that
// differ by labels (one per country or roaming state of a day) may share a
// period: that is how Gigs splits an aggregation.
func checkOverlaps(recs []UsageRecord) error {
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ra, rb := &recs[a], &recs[b]
		return cmp.Or(
			cmp.Compare(ra.Labels.Country, rb.Labels.Country),
			cmp.Compare(ra.Labels.Roaming, rb.Labels.Roaming),
			cmp.Compare(ra.Labels.Subscription, rb.Labels.Subscription),
			ra.Start.Compare(rb.Start),
			ra.End.Compare(rb.End),
		)
	})
	for k := 1; k < len(order); k++ {
		prev, cur := &recs[order[k-1]], &recs[order[k]]
		if prev.Labels != cur.Labels || !cur.Start.Before(prev.End) {
			continue
		}
		what := "overlaps"
		if cur.Start.Equal(prev.Start) && cur.End.Equal(prev.End) {
			what = "repeats"
		}
		return fmt.Errorf("%w: the record for %s %s the one for %s with the same labels, which would count usage twice",
			errVendorData, cur.name(), what, prev.name())
	}
	return nil
}

// checkSums refuses records whose counters, summed per counter as the
// provider totals them, would pass what an int64 holds: the total would
// wrap to a negative number. Counters are never negative (checkCounters),
// so a sum that fits here fits for any subset of the records too.
func checkSums(recs []UsageRecord) error { return CheckSums(recs) }

// CheckSums refuses records whose counters, added up, pass what a 64-bit
// total can hold: a fleet total of many subscriptions as much as one read.
func CheckSums(recs []UsageRecord) error {
	sums := make([]int64, len(counterNames))
	for _, r := range recs {
		for i, v := range r.Counters() {
			if v == nil {
				continue
			}
			if *v > math.MaxInt64-sums[i] {
				return fmt.Errorf("%w: the %s counters add up past what a 64-bit total can hold at the record for %s",
					errVendorData, counterNames[i], r.name())
			}
			sums[i] += *v
		}
	}
	return nil
}

// checkCounters rejects negative usage: it cannot be real, and summing it
// would quietly understate totals that policies depend on.
func (r UsageRecord) checkCounters() error {
	for i, v := range r.Counters() {
		if v != nil && *v < 0 {
			return fmt.Errorf("counter %s is negative (%d)", counterNames[i], *v)
		}
	}
	return nil
}

// counterNames are the vendor's names of the counters, in Counters' order.
var counterNames = []string{"data", "sms", "voice", "dataDeviceBytes", "dataTetheringBytes",
	"smsInternationalMessages", "smsLocalMessages", "voiceInternationalSeconds", "voiceLocalSeconds"}

// Counters lists r's counters, nil for an absent preview counter: data, sms,
// voice, then the six preview counters in the order Gigs documents them.
func (r *UsageRecord) Counters() [9]*int64 {
	return [9]*int64{&r.Data, &r.SMS, &r.Voice, r.DataDeviceBytes, r.DataTetheringBytes,
		r.SMSInternationalMessages, r.SMSLocalMessages, r.VoiceInternationalSeconds, r.VoiceLocalSeconds}
}
