package httpx

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
		u, err := (&API{Vendor: "KORE", Base: endpoint}).nextPage(current, tc.next, seen)
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
	if _, err := (&API{Vendor: "KORE", Base: endpoint}).nextPage(current, next, seen); err != nil {
		t.Fatal(err)
	}
	if _, err := (&API{Vendor: "KORE", Base: endpoint}).nextPage(current, next, seen); err == nil {
		t.Fatal("a repeated next_page_url was accepted")
	}
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
	api := &API{Vendor: "KORE", Base: endpoint}
	f.Fuzz(func(t *testing.T, next string) {
		seen := map[string]bool{current.String(): true}
		u, err := api.nextPage(current, next, seen)
		if err != nil {
			return
		}
		if origin(u) != origin(endpoint) || u.User != nil {
			t.Fatalf("accepted %q as %v", next, u)
		}
		if _, err := api.nextPage(current, next, seen); err == nil {
			t.Fatalf("accepted %q twice", next)
		}
	})
}
