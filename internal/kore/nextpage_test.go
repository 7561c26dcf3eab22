package kore

import (
	"net/url"
	"testing"
)

func TestNextPageURLGuard(t *testing.T) {
	endpoint, _ := url.Parse("https://pw.example.test")
	current, _ := url.Parse("https://pw.example.test/v1/UsageRecords?PageSize=1000")
	cases := []struct {
		next string
		ok   bool
	}{
		{"https://pw.example.test/v1/UsageRecords?PageSize=1000&Page=1&PageToken=PAx", true},
		{"https://PW.example.test:443/v1/UsageRecords?Page=2", true},
		{"/v1/UsageRecords?Page=3", true},
		{"https://evil.example.test/v1/UsageRecords?Page=1", false},
		{"http://pw.example.test/v1/UsageRecords?Page=1", false},
		{"https://pw.example.test:8443/v1/UsageRecords?Page=1", false},
		{"https://pw.example.test@evil.example.test/v1/UsageRecords", false},
		{"https://user@pw.example.test/v1/UsageRecords", false},
		{"//evil.example.test/v1/UsageRecords", false},
		{"https:evil.example.test", false},
		{"%zz", false},
		{"https://pw.example.test/v1/UsageRecords?PageSize=1000", false}, // the first page again
	}
	for _, tc := range cases {
		seen := map[string]bool{current.String(): true}
		u, err := nextPageURL(endpoint, current, tc.next, seen)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.next, err, tc.ok)
			continue
		}
		if tc.ok && u.Host != "pw.example.test" && u.Host != "PW.example.test:443" {
			t.Errorf("%q: resolved to host %q", tc.next, u.Host)
		}
	}
}

func TestNextPageURLRepeatDetected(t *testing.T) {
	endpoint, _ := url.Parse("https://pw.example.test")
	current, _ := url.Parse("https://pw.example.test/v1/UsageRecords")
	seen := map[string]bool{current.String(): true}
	next := "https://pw.example.test/v1/UsageRecords?Page=1"
	if _, err := nextPageURL(endpoint, current, next, seen); err != nil {
		t.Fatal(err)
	}
	if _, err := nextPageURL(endpoint, current, next, seen); err == nil {
		t.Fatal("a repeated next_page_url was accepted")
	}
}
