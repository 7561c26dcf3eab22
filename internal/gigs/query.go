package gigs

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// UsageQuery selects which records SubscriptionUsage lists. At most one form
// is used: a subscription period, a date range, or neither (the vendor then
// returns the latest subscription period).
type UsageQuery struct {
	// Period > 0 asks for that subscription period (period=N).
	Period int
	// Start and End are calendar dates (YYYY-MM-DD); End is inclusive, as Gigs
	// documents. Both or neither.
	Start, End string
	// Aggregation is sent only when set; the vendor defaults to "daily".
	Aggregation string
}

// Validate reports a query Gigs would reject, or that would send an empty
// or ambiguous parameter, before any request is made.
func (q UsageQuery) Validate() error {
	if q.Period < 0 {
		return fmt.Errorf("gigs usage query: period must be 1 or more, got %d", q.Period)
	}
	hasDates := q.Start != "" || q.End != ""
	if q.Period > 0 && hasDates {
		return errors.New("gigs usage query: period cannot be combined with start and end")
	}
	if hasDates {
		if q.Start == "" || q.End == "" {
			return errors.New("gigs usage query: start and end must be given together")
		}
		start, err := time.Parse(time.DateOnly, q.Start)
		if err != nil {
			return fmt.Errorf("gigs usage query: start %q is not a date in YYYY-MM-DD form", q.Start)
		}
		end, err := time.Parse(time.DateOnly, q.End)
		if err != nil {
			return fmt.Errorf("gigs usage query: end %q is not a date in YYYY-MM-DD form", q.End)
		}
		if end.Before(start) {
			return fmt.Errorf("gigs usage query: end %s is before start %s", q.End, q.Start)
		}
	}
	if q.Aggregation != "" && !validAggregation(q.Aggregation) {
		return fmt.Errorf("gigs usage query: aggregation %q may only hold letters and commas", q.Aggregation)
	}
	return nil
}

// validAggregation checks the shape only (words joined by commas, such as
// "daily,country"): the vendor's full list is not confirmed, so unknown words
// are left for the API to judge.
func validAggregation(s string) bool {
	word := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			word = true
		case r == ',' && word:
			word = false
		default:
			return false
		}
	}
	return word
}

// values encodes a validated query; no parameter is ever empty.
func (q UsageQuery) values() url.Values {
	v := url.Values{}
	switch {
	case q.Period > 0:
		v.Set("period", strconv.Itoa(q.Period))
	case q.Start != "":
		v.Set("start", q.Start)
		v.Set("end", q.End)
	}
	if q.Aggregation != "" {
		v.Set("aggregation", q.Aggregation)
	}
	return v
}

// key identifies the query in the cache; %q keeps fields from running together.
func (q UsageQuery) key(project, subscription string) string {
	return fmt.Sprintf("%q %q %d %q %q %q", project, subscription, q.Period, q.Start, q.End, q.Aggregation)
}
