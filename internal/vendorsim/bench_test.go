package vendorsim

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A month of hourly records for the whole account: 25 SIMs x ~720 hours.
func BenchmarkKoreAccountMonthHourly(b *testing.B) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	start := testNow.AddDate(0, -1, 0)
	for b.Loop() {
		if len(s.KoreRecords("", start, testNow, "hourly")) == 0 {
			b.Fatal("no records")
		}
	}
}

// The longest query there is: 18 months of the account in one record.
func BenchmarkKoreAccountRetentionAll(b *testing.B) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	for b.Loop() {
		s.KoreRecords("", testNow.AddDate(0, -18, 0), testNow, "all")
	}
}

// One page of 1000 hourly account records served over HTTP.
func BenchmarkKoreAccountPageOverHTTP(b *testing.B) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	h := &harness{t: b, sim: s, srv: srv}
	tok := h.newToken()
	url := srv.URL + "/v1/UsageRecords" + usageQuery(testNow.AddDate(0, -1, 0), testNow, "hourly", "PageSize", "1000")
	for b.Loop() {
		req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}

func BenchmarkGigsDailyOfAYear(b *testing.B) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	sub := s.Subscriptions()[0]
	for b.Loop() {
		if _, err := s.GigsRecords(sub.Project, sub.ID, GigsQuery{Start: "2025-03-01", End: "2026-02-28"}); err != nil {
			b.Fatal(err)
		}
	}
}
