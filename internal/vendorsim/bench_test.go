package vendorsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

// fleetSizes are the data-set sizes the fleet benchmarks compare: the cost
// per SIM or subscription must not grow with the fleet.
var fleetSizes = []int{1_000, 10_000}

// Building the data set: linear in its size.
func BenchmarkNewFleet(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				New(Options{Seed: 7, Now: func() time.Time { return testNow }, SIMs: n, Subscriptions: n})
			}
		})
	}
}

// benchHarness serves a data set of n SIMs and subscriptions over loopback.
func benchHarness(b *testing.B, n int) *harness {
	b.Helper()
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }, SIMs: n, Subscriptions: n})
	srv := httptest.NewServer(s)
	b.Cleanup(srv.Close)
	return &harness{t: b, sim: s, srv: srv}
}

// Every page of GET /v1/Sims?PageSize=1000: one op lists the whole fleet.
func BenchmarkKoreListAllSims(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			h := benchHarness(b, n)
			for b.Loop() {
				if pages := h.walkKoreList("/v1/Sims?PageSize=1000", n/1000+1); len(pages) != n/1000 {
					b.Fatalf("%d pages", len(pages))
				}
			}
		})
	}
}

// One SIM's month with Granularity=all, as a fleet read asks it of every SIM:
// the cost must not depend on the fleet's size.
func BenchmarkKoreSimMonthAll(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			h := benchHarness(b, n)
			sims := h.sim.SIMs()
			q := usageQuery(testNow.AddDate(0, -1, 0), testNow, "all")
			i := 0
			for b.Loop() {
				if r := h.kore("/v1/Sims/" + sims[i%n].Sid + "/UsageRecords" + q); r.status != 200 {
					b.Fatal(r.status)
				}
				i += 7919 // a prime stride visits SIMs all over the fleet
			}
		})
	}
}

// Every page of GET /projects/{project}/subscriptions?limit=200.
func BenchmarkGigsListAllSubscriptions(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			h := benchHarness(b, n)
			q := url.Values{"limit": {"200"}, "status": {"pending,initiated,active,ended"}}
			for b.Loop() {
				if items, _ := h.walkSubscriptions(q, n/200+1); len(items) != n {
					b.Fatalf("%d items", len(items))
				}
			}
		})
	}
}
