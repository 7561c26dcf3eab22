package kore

import (
	"net/url"
	"testing"
)

// FuzzDecodePage: no input may panic, and whatever is accepted must hold no
// more than a page of records and no negative counter.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(nullsPage))
	f.Add(buildPage(2, "https://pw.example.test/v1/UsageRecords?Page=1"))
	f.Add([]byte(`{"usage_records":[],"meta":{"next_page_url":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, _, err := decodePage(body)
		if err != nil {
			return
		}
		if len(recs) > pageSize {
			t.Fatalf("accepted %d records", len(recs))
		}
		for i := range recs {
			if checkCounters(&recs[i]) != nil {
				t.Fatalf("accepted a negative counter in record %d", i)
			}
		}
	})
}

// FuzzNextPageURL: whatever the guard accepts stays on the endpoint's origin,
// carries no user information, and is never accepted twice.
func FuzzNextPageURL(f *testing.F) {
	f.Add("https://pw.example.test/v1/UsageRecords?Page=1&PageToken=PA1")
	f.Add("https://evil.example.test/v1/UsageRecords")
	f.Add("/v1/UsageRecords?Page=2")
	f.Add("https://pw.example.test@evil.example.test/")
	endpoint, _ := url.Parse("https://pw.example.test")
	current, _ := url.Parse("https://pw.example.test/v1/UsageRecords?PageSize=1000")
	f.Fuzz(func(t *testing.T, next string) {
		seen := map[string]bool{current.String(): true}
		u, err := nextPageURL(endpoint, current, next, seen)
		if err != nil {
			return
		}
		if origin(u) != origin(endpoint) || u.User != nil {
			t.Fatalf("accepted %q as %v", next, u)
		}
		if _, err := nextPageURL(endpoint, current, next, seen); err == nil {
			t.Fatalf("accepted %q twice", next)
		}
	})
}
