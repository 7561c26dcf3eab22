package kore

import (
	"testing"
	"time"
)

// TestPlanWindowsShape: windows are contiguous, start at Start, end at End,
// meet on period boundaries (UTC midnight for daily), and there are
// ceil(periods/perWindow) of them.
func TestPlanWindowsShape(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 34, 56, 0, time.UTC)
	cases := []struct {
		name    string
		q       UsageQuery
		per     int
		windows int
	}{
		// 2025-12-01T10:30 .. 2026-03-01T05:15: hours from 11:00 to 05:00 inclusive.
		{"hourly", UsageQuery{Start: time.Date(2025, 12, 1, 10, 30, 7, 0, time.UTC), End: time.Date(2026, 3, 1, 5, 15, 0, 0, time.UTC), Granularity: "hourly"}, 1000, 3},
		{"daily", UsageQuery{Start: time.Date(2025, 1, 3, 22, 0, 1, 0, time.UTC), End: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Granularity: "daily"}, 100, 4},
		{"all", UsageQuery{Start: now.AddDate(-1, 0, 0), End: now, Granularity: "all"}, 1, 1},
		{"one page", UsageQuery{Start: now.AddDate(0, 0, -41), End: now, Granularity: "hourly"}, 1000, 1},
		{"no page size", UsageQuery{Start: now.AddDate(0, 0, -100), End: now, Granularity: "hourly"}, 0, 1},
		{"before retention", UsageQuery{Start: now.AddDate(-5, 0, 0), End: now.AddDate(-2, 0, 0), Granularity: "hourly"}, 1000, 1},
		{"empty", UsageQuery{Start: now.AddDate(0, -2, 0), End: now.AddDate(0, -2, 0), Granularity: "hourly"}, 1000, 1},
		// Only the 18 months before now can hold usage: 13,140 hours at most.
		{"ten thousand years", UsageQuery{Start: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Granularity: "hourly"}, 1000, 14},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := planWindows(tc.q, now, tc.per)
			if len(ws) != tc.windows {
				t.Fatalf("%d windows, want %d: %v", len(ws), tc.windows, ws)
			}
			if !ws[0].Start.Equal(tc.q.Start) || !ws[len(ws)-1].End.Equal(tc.q.End) {
				t.Fatalf("windows span %v..%v, want %v..%v", ws[0].Start, ws[len(ws)-1].End, tc.q.Start, tc.q.End)
			}
			unit := time.Hour
			if tc.q.Granularity == "daily" {
				unit = 24 * time.Hour
			}
			for i, w := range ws {
				if w.Granularity != tc.q.Granularity || (len(ws) > 1 && !w.Start.Before(w.End)) {
					t.Fatalf("window %d is %v", i, w)
				}
				if i == 0 {
					continue
				}
				if !w.Start.Equal(ws[i-1].End) {
					t.Fatalf("window %d starts at %v, the one before ends at %v", i, w.Start, ws[i-1].End)
				}
				if w.Start.Location() != time.UTC || !w.Start.Equal(w.Start.Truncate(unit)) {
					t.Fatalf("window %d starts at %v, not on a UTC period boundary", i, w.Start)
				}
			}
		})
	}
}
