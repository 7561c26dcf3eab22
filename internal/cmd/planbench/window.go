package main

import "time"

// resolveWindow turns a window name into [start, end) in UTC the way the
// provider documents it, so that the benchmark knows which records a data
// source naming that window asks for.
func resolveWindow(name string, now time.Time) (start, end time.Time, ok bool) {
	now = now.UTC().Truncate(time.Second)
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch name {
	case "last_24_hours":
		return now.Add(-24 * time.Hour), now, true
	case "last_7_days":
		return now.AddDate(0, 0, -7), now, true
	case "last_30_days":
		return now.AddDate(0, 0, -30), now, true
	case "month_to_date":
		return monthStart, now, true
	case "previous_month":
		return monthStart.AddDate(0, -1, 0), monthStart, true
	}
	return time.Time{}, time.Time{}, false
}

// gigsDates turns [start, end) into the inclusive calendar dates Gigs takes.
func gigsDates(start, end time.Time) (first, last string) {
	return start.UTC().Format(time.DateOnly), end.UTC().Add(-time.Nanosecond).Format(time.DateOnly)
}
