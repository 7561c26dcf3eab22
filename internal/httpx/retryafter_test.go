package httpx

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)
	cases := []struct {
		name   string
		header string
		want   time.Duration
		ok     bool
	}{
		{"seconds", "120", 2 * time.Minute, true},
		{"zero seconds", "0", 0, true},
		{"HTTP-date in the future", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"HTTP-date in the past waits nothing", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"RFC 850 date", now.Add(time.Minute).Format("Monday, 02-Jan-06 15:04:05 GMT"), time.Minute, true},
		{"absent", "", 0, false},
		{"negative", "-5", 0, false},
		{"fraction", "1.5", 0, false},
		{"trailing garbage", "10s", 0, false},
		{"explicit plus sign", "+10", 0, false},
		{"words", "soon", 0, false},
		{"padded", " 10", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := RetryAfter(c.header, now)
			if got != c.want || ok != c.ok {
				t.Fatalf("RetryAfter(%q) = %v, %v; want %v, %v", c.header, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestBackoffHonoursRetryAfterUpToTheCap(t *testing.T) {
	const minWait, maxWait = time.Second, time.Minute
	cases := []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"429 seconds", http.StatusTooManyRequests, "7", 7 * time.Second},
		{"503 seconds", http.StatusServiceUnavailable, "3", 3 * time.Second},
		{"429 beyond the cap", http.StatusTooManyRequests, "3600", maxWait},
		{"503 zero", http.StatusServiceUnavailable, "0", 0},
		// Other statuses, and a Retry-After that does not parse, get the
		// first step of the backoff.
		{"500 ignores it", http.StatusInternalServerError, "3600", minWait},
		{"429 unparsable", http.StatusTooManyRequests, "later", minWait},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: c.status, Header: http.Header{"Retry-After": {c.retryAfter}}}
			if got := backoff(minWait, maxWait, 0, resp); got != c.want {
				t.Fatalf("backoff = %v, want %v", got, c.want)
			}
		})
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	const minWait, maxWait = time.Millisecond, 50 * time.Millisecond
	for attempt := range 40 {
		ceiling := min(maxWait, minWait<<min(attempt, 16))
		for range 50 { // jittered: look at many draws
			got := backoff(minWait, maxWait, attempt, nil)
			if got < minWait || got > ceiling {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, got, minWait, ceiling)
			}
		}
	}
}
