package window

import (
	"testing"
	"time"
)

func TestResolveWindow(t *testing.T) {
	now := time.Date(2026, 3, 31, 10, 30, 15, 999, time.UTC)
	trunc := now.Truncate(time.Second)
	cases := map[string][2]time.Time{
		"last_24_hours":  {trunc.Add(-24 * time.Hour), trunc},
		"last_7_days":    {time.Date(2026, 3, 24, 10, 30, 15, 0, time.UTC), trunc},
		"last_30_days":   {time.Date(2026, 3, 1, 10, 30, 15, 0, time.UTC), trunc},
		"month_to_date":  {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), trunc},
		"previous_month": {time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for name, want := range cases {
		start, end, err := Resolve(name, now)
		if err != nil || !start.Equal(want[0]) || !end.Equal(want[1]) {
			t.Errorf("%s: got %s..%s (%v), want %s..%s", name, start, end, err, want[0], want[1])
		}
	}
	if len(cases) != len(Names) {
		t.Errorf("every window needs a case: %d of %d", len(cases), len(Names))
	}
	if _, _, err := Resolve("last_year", now); err == nil {
		t.Error("an unknown window must fail")
	}
	// A January previous_month crosses the year.
	start, end, _ := Resolve("previous_month", time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC))
	if want := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) || !end.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("previous_month in January: %s..%s", start, end)
	}
	// A non-UTC now is read in UTC: 00:30 CET on 1 January is still December.
	start, end, _ = Resolve("previous_month", time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)))
	if want := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) || !end.Equal(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("previous_month in January: %s..%s", start, end)
	}
}

func TestDefaultStartClampsToTheMonth(t *testing.T) {
	cases := map[time.Time]time.Time{
		time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC): time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC),
		time.Date(2028, 3, 30, 0, 0, 0, 0, time.UTC):  time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC):  time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC):  time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC),
	}
	for end, want := range cases {
		if got := DefaultStart(end); !got.Equal(want) {
			t.Errorf("DefaultStart(%s) = %s, want %s", end, got, want)
		}
	}
}

func TestDateRangeEndIsInclusive(t *testing.T) {
	first, last := Dates(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if first != "2026-02-01" || last != "2026-02-28" {
		t.Errorf("previous month as dates: %s..%s", first, last)
	}
	first, last = Dates(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 10, 30, 0, 0, time.UTC))
	if first != "2026-03-01" || last != "2026-03-31" {
		t.Errorf("month to date as dates: %s..%s", first, last)
	}
}

// FuzzResolveWindow: for any instant, every window is a non-empty range
// ending no later than now, in UTC, on whole seconds, and its dates are in
// order.
func FuzzResolveWindow(f *testing.F) {
	f.Add(int64(1774953000), uint8(0))
	f.Add(int64(1767225600), uint8(4)) // 1 January 00:00
	f.Add(int64(-62135596800), uint8(3))
	f.Add(int64(253402300799), uint8(2))
	f.Fuzz(func(t *testing.T, unix int64, which uint8) {
		if unix < -62135596800 || unix > 253402300799 { // years 1..9999
			return
		}
		now := time.Unix(unix, 0).UTC()
		name := Names[int(which)%len(Names)]
		start, end, err := Resolve(name, now)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Before(end) || (end.After(now) && end.Sub(now) > time.Second) || start.Location() != time.UTC || end.Location() != time.UTC {
			t.Fatalf("%s at %s: %s..%s", name, now, start, end)
		}
		if start.Nanosecond() != 0 || end.Nanosecond() != 0 {
			t.Fatalf("%s at %s: not whole seconds", name, now)
		}
		first, last := Dates(start, end)
		if first > last {
			t.Fatalf("%s at %s: dates %s..%s", name, now, first, last)
		}
		if ds := DefaultStart(end); !ds.Before(end) || end.Sub(ds) > 31*24*time.Hour || end.Sub(ds) < 28*24*time.Hour {
			t.Fatalf("DefaultStart(%s) = %s", end, ds)
		}
	})
}

func TestResolveMetering(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		day       int
		now, want string
	}{
		{15, "2026-03-20T10:00:00Z", "2026-03-15T00:00:00Z"},
		{15, "2026-03-10T10:00:00Z", "2026-02-15T00:00:00Z"},
		{31, "2026-02-20T10:00:00Z", "2026-01-31T00:00:00Z"}, // January has 31
		{31, "2026-03-10T10:00:00Z", "2026-02-28T00:00:00Z"}, // clamped to February's 28
		{31, "2026-02-28T00:00:00Z", "2026-02-28T00:00:00Z"}, // the first second of the clamped day
		{31, "2026-02-27T23:59:59Z", "2026-01-31T00:00:00Z"}, // the last second before it
		{30, "2024-03-01T12:00:00Z", "2024-02-29T00:00:00Z"}, // leap year
		{1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"},
		{5, "2026-01-03T00:00:00Z", "2025-12-05T00:00:00Z"}, // across the year
	}
	for _, c := range cases {
		start, end, err := ResolveMetering(c.day, at(c.now))
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(at(c.want)) {
			t.Errorf("day %d at %s: start %s, want %s", c.day, c.now, start.Format(time.RFC3339), c.want)
		}
		if wantEnd := later(at(c.now), start.Add(time.Second)); !end.Equal(wantEnd) {
			t.Errorf("day %d at %s: end %s, want %s", c.day, c.now, end, wantEnd)
		}
	}
	for _, bad := range []int{0, 32, -1} {
		if _, _, err := ResolveMetering(bad, at("2026-01-01T00:00:00Z")); err == nil {
			t.Errorf("day %d was accepted", bad)
		}
	}
}
