package kore

import (
	"strings"
	"testing"
)

// FuzzDecodePage: no input may panic, and whatever is accepted holds no more
// than a page of records and no counter out of bounds.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(nullsPage))
	f.Add(buildPage(2, "https://pw.example.test/v1/UsageRecords?Page=1"))
	f.Add([]byte(`{"usage_records":[],"meta":{"next_page_url":null}}`))
	f.Add([]byte(lenientPage))
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, next, err := decodePage(body)
		if err == nil {
			if len(recs) > PageSize {
				t.Fatalf("accepted %d records", len(recs))
			}
			for i := range recs {
				if checkCounters(&recs[i]) != nil {
					t.Fatalf("accepted a counter out of bounds in record %d", i)
				}
			}
		}
		if err == nil && next != "" && len(recs) == 0 && !strings.Contains(string(body), "usage_records") {
			t.Fatalf("accepted a page without usage_records")
		}
	})
}
