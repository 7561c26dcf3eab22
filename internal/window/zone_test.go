package window

import (
	"testing"
	"time"
)

// TestResolveMeteringWithAClockNotInUTC: the metering period is resolved in
// UTC whatever the clock's zone. At 2026-03-31T23:30-01:00, which is
// 2026-04-01T00:30Z, day 1's period started on 1 April at 00:00 UTC (a
// clock read in its own zone would say 1 March); and at
// 2026-04-01T00:30+01:00, which is still 31 March in UTC, on 1 March.
func TestResolveMeteringWithAClockNotInUTC(t *testing.T) {
	cases := []struct {
		now        time.Time
		start, end string
	}{
		{time.Date(2026, time.March, 31, 23, 30, 0, 0, time.FixedZone("-01", -3600)), "2026-04-01T00:00:00Z", "2026-04-01T00:30:00Z"},
		{time.Date(2026, time.April, 1, 0, 30, 0, 0, time.FixedZone("+01", 3600)), "2026-03-01T00:00:00Z", "2026-03-31T23:30:00Z"},
	}
	for _, c := range cases {
		start, end, err := ResolveMetering(1, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if got := start.Format(time.RFC3339); got != c.start || start.Location() != time.UTC {
			t.Errorf("at %s: start %s (%s), want %s", c.now.Format(time.RFC3339), got, start.Location(), c.start)
		}
		if got := end.Format(time.RFC3339); got != c.end || end.Location() != time.UTC {
			t.Errorf("at %s: end %s (%s), want %s", c.now.Format(time.RFC3339), got, end.Location(), c.end)
		}
	}
}
