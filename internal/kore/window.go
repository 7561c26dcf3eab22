package kore

import "time"

// assumedRetentionMonths is how far back KORE keeps usage: 18 months, as
// the simulator models it (unconfirmed for the live API). Planning uses it
// only to count the records a query will return; a wrong guess costs a
// request more or less, never a record.
const assumedRetentionMonths = 18

// planWindows splits a long hourly or daily query into consecutive windows
// of perWindow periods each (hours or UTC days), so that each window is
// expected to fill exactly one page and the windows can be fetched at once.
// A query expected to fit in one page, or of granularity all, stays whole.
//
// The windows reproduce the whole query's records exactly. KORE gives a
// query one record per period that has an hour h with Start <= h < End
// (inside retention, before the current hour), and clips a daily record's
// period to [Start, End]. So every boundary between windows is a period
// boundary, the first window starts at Start and the last ends at End, and
// no record is cut in two or seen twice.
//
// The windows cost what sequential paging costs, ceil(records/perWindow)
// requests: the first boundary is perWindow periods after the first period
// with usage, so every window but the last holds exactly perWindow records.
// q must be valid, in UTC and whole seconds, as it goes on the wire.
func planWindows(q UsageQuery, now time.Time, perWindow int) []UsageQuery {
	whole := []UsageQuery{q}
	var unit time.Duration
	switch q.Granularity {
	case GranularityHourly:
		unit = time.Hour
	case GranularityDaily:
		unit = 24 * time.Hour // Truncate counts from a UTC midnight, so days are UTC days
	default:
		return whole
	}
	if perWindow < 1 {
		return whole
	}
	nowHour := now.UTC().Truncate(time.Hour)
	firstHour := later(ceilHour(q.Start), nowHour.AddDate(0, -assumedRetentionMonths, 0))
	endHour := earlier(ceilHour(q.End), nowHour)
	if !firstHour.Before(endHour) {
		return whole
	}
	first := firstHour.Truncate(unit)
	last := endHour.Add(-time.Hour).Truncate(unit) // the period of the last hour with usage
	periods := (last.Unix()-first.Unix())/int64(unit/time.Second) + 1
	if periods <= int64(perWindow) {
		return whole
	}
	span := time.Duration(perWindow) * unit
	windows := make([]UsageQuery, 0, (periods+int64(perWindow)-1)/int64(perWindow))
	start := q.Start
	// Each boundary is at or before the last period, so it lies before End
	// and the last window is never empty.
	for b := first.Add(span); !b.After(last); b = b.Add(span) {
		windows = append(windows, UsageQuery{Start: start, End: b, Granularity: q.Granularity})
		start = b
	}
	return append(windows, UsageQuery{Start: start, End: q.End, Granularity: q.Granularity})
}

func ceilHour(t time.Time) time.Time {
	if h := t.Truncate(time.Hour); h.Before(t) {
		return h.Add(time.Hour)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
