// Package window resolves the named time windows a configuration may give
// instead of start and end. The provider and the plan benchmark both use it,
// so that the benchmark asks exactly what a data source asks.
package window

import (
	"fmt"
	"time"
)

// Windows a configuration may name instead of start and end.
var Names = []string{"last_24_hours", "last_7_days", "last_30_days", "month_to_date", "previous_month"}

// Resolve turns a named window into [start, end) in UTC, relative to
// now (truncated to the second so that the values written to state are exact
// RFC 3339).
func Resolve(name string, now time.Time) (start, end time.Time, err error) {
	now = now.UTC().Truncate(time.Second)
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch name {
	case "last_24_hours":
		return now.Add(-24 * time.Hour), now, nil
	case "last_7_days":
		return now.AddDate(0, 0, -7), now, nil
	case "last_30_days":
		return now.AddDate(0, 0, -30), now, nil
	case "month_to_date":
		// In the first second of a month the range would be empty, which
		// the vendors reject; one second of range reads the same (no) usage.
		return monthStart, later(now, monthStart.Add(time.Second)), nil
	case "previous_month":
		return monthStart.AddDate(0, -1, 0), monthStart, nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("unknown window %q; use one of %v", name, Names)
}

// DefaultStart is the vendor's default start: one calendar month before end,
// clamped to the last day of a shorter month (31 March -> 28/29 February),
// where time.AddDate would roll over into March.
func DefaultStart(end time.Time) time.Time {
	end = end.UTC()
	y, m, _ := end.Date()
	prevY, prevM := y, m-1
	if prevM < time.January {
		prevY, prevM = y-1, time.December
	}
	day := min(end.Day(), daysIn(prevY, prevM))
	return time.Date(prevY, prevM, day, end.Hour(), end.Minute(), end.Second(), end.Nanosecond(), time.UTC)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Dates turns [start, end) into the inclusive calendar dates Gigs takes:
// the first date touched and the last date touched before end.
func Dates(start, end time.Time) (first, last string) {
	const layout = time.DateOnly
	return start.UTC().Format(layout), end.UTC().Add(-time.Nanosecond).Format(layout)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// MeteringPeriod is the name of the window that starts on a SIM's metering
// day: KORE's monthly data limits reset on the day of activation, which its
// API does not expose, so the day is given.
const MeteringPeriod = "metering_period"

// ResolveMetering turns the metering period of a SIM whose limits reset on
// day (1-31; clamped to the month's length, so 31 means the last day of a
// shorter month) into [start, now): from the last such day, 00:00 UTC, until
// now (truncated to the second, at least one second long, as month_to_date).
func ResolveMetering(day int, now time.Time) (start, end time.Time, err error) {
	if day < 1 || day > 31 {
		return time.Time{}, time.Time{}, fmt.Errorf("metering_day %d is not a day of the month (1-31)", day)
	}
	now = now.UTC().Truncate(time.Second)
	start = meteringDayOf(now.Year(), now.Month(), day)
	if now.Before(start) {
		start = meteringDayOf(now.Year(), now.Month()-1, day)
	}
	return start, later(now, start.Add(time.Second)), nil
}

// meteringDayOf is the day-th of the month (which may be 0 or 13: time.Date
// normalises), clamped to the month's length, at 00:00 UTC.
func meteringDayOf(year int, month time.Month, day int) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, min(day, daysIn(first.Year(), first.Month()))-1)
}
