package kore

import (
	"context"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func BenchmarkDecodePage1000(b *testing.B) {
	body := buildPage(PageSize, "https://pw.example.test/v1/UsageRecords?Page=1")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		recs, _, err := decodePage(body)
		if err != nil || len(recs) != PageSize {
			b.Fatal(len(recs), err)
		}
	}
}

// BenchmarkLongHourlyQuery fetches 180 days of hourly account records (five
// pages) from the simulator answering each request after 20 ms.
func BenchmarkLongHourlyQuery(b *testing.B) {
	e := newEnv(b)
	e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond})
	q := window(180, "hourly")
	for b.Loop() {
		c := e.newClient(b) // a fresh client asks KORE again rather than its run cache
		if _, err := c.AccountUsage(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(e.requests(vendorsim.RouteKoreUsageAccount))/float64(b.N), "requests/op")
}
