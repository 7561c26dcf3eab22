package main

import (
	"testing"
	"time"
)

func TestResolveWindow(t *testing.T) {
	now := time.Date(2026, 3, 17, 9, 41, 27, 500, time.FixedZone("CET", 3600))
	utc := time.Date(2026, 3, 17, 8, 41, 27, 0, time.UTC)
	for name, want := range map[string][2]time.Time{
		"last_24_hours":  {utc.Add(-24 * time.Hour), utc},
		"last_7_days":    {utc.AddDate(0, 0, -7), utc},
		"last_30_days":   {utc.AddDate(0, 0, -30), utc},
		"month_to_date":  {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), utc},
		"previous_month": {time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		start, end, ok := resolveWindow(name, now)
		if !ok || !start.Equal(want[0]) || !end.Equal(want[1]) || start.Location() != time.UTC {
			t.Errorf("%s: %s..%s (%v), want %s..%s in UTC", name, start, end, ok, want[0], want[1])
		}
	}
	if _, _, ok := resolveWindow("yesterday", now); ok {
		t.Error("an unknown window resolved")
	}
}

func TestGigsDates(t *testing.T) {
	// Gigs' end date is inclusive: a range ending at midnight ends the day before.
	first, last := gigsDates(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if first != "2026-02-01" || last != "2026-02-28" {
		t.Errorf("got %s..%s, want 2026-02-01..2026-02-28", first, last)
	}
	if _, last := gigsDates(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)); last != "2026-03-17" {
		t.Errorf("a range ending mid-day ends on %s, want that day", last)
	}
}
