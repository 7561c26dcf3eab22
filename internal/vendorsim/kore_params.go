package vendorsim

import (
	"net/url"
	"sort"
	"strconv"
	"time"
)

// checkKoreParams enforces KORE's strictness: only the named parameters
// (case-sensitive), each at most once and never empty.
func checkKoreParams(v url.Values, allowed ...string) *KoreError {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(allowed, k) {
			return koreError(400, koreCodeUnknownParameter, "Unknown parameter: "+k)
		}
	}
	for _, k := range keys {
		switch {
		case len(v[k]) > 1:
			return koreError(400, koreCodeInvalidParameter, "Parameter "+k+" may be given only once")
		case v[k][0] == "":
			return koreError(400, koreCodeInvalidParameter, "Parameter "+k+" must not be empty")
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// koreUsageQuery is a validated usage-records query with its defaults applied.
type koreUsageQuery struct {
	start, end  time.Time
	granularity string
	paging      pageRequest
}

// parseKoreUsageQuery validates Start, End, Granularity and the paging
// parameters. Defaults: End now, Start one calendar month before End,
// Granularity all, PageSize 50.
func parseKoreUsageQuery(v url.Values, now time.Time) (koreUsageQuery, *KoreError) {
	q := koreUsageQuery{end: now.UTC(), granularity: "all"}
	if e := checkKoreParams(v, "Start", "End", "Granularity", "PageSize", "Page", "PageToken"); e != nil {
		return q, e
	}
	if s := v.Get("End"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return q, koreError(400, koreCodeInvalidParameter, "Invalid End: must be an ISO 8601 instant such as 2025-01-31T00:00:00Z")
		}
		q.end = t.UTC()
	}
	q.start = q.end.AddDate(0, -1, 0)
	if s := v.Get("Start"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return q, koreError(400, koreCodeInvalidParameter, "Invalid Start: must be an ISO 8601 instant such as 2025-01-01T00:00:00Z")
		}
		q.start = t.UTC()
	}
	if q.start.After(q.end) {
		return q, koreError(400, koreCodeInvalidParameter, "Start must not be after End")
	}
	if g := v.Get("Granularity"); g != "" {
		if !validGranularity(g) {
			return q, koreError(400, koreCodeInvalidParameter, "Invalid Granularity "+strconv.Quote(g)+": must be one of all, daily, hourly")
		}
		q.granularity = g
	}
	var e *KoreError
	q.paging, e = parsePaging(v)
	return q, e
}

// pageRequest is what a client asked of paging.
type pageRequest struct {
	size      int
	page      int
	pageGiven bool // Page is client state; echo it when given
	token     string
}

const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

func parsePaging(v url.Values) (pageRequest, *KoreError) {
	p := pageRequest{size: defaultPageSize, token: v.Get("PageToken")}
	if s := v.Get("PageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return p, koreError(400, koreCodeInvalidParameter, "Invalid PageSize: must be an integer from 1 to 1000")
		}
		p.size = n
	}
	if s := v.Get("Page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, koreError(400, koreCodeInvalidParameter, "Invalid Page: must be an integer of at least 0")
		}
		p.page, p.pageGiven = n, true
	}
	return p, nil
}
