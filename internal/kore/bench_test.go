package kore

import (
	"context"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func BenchmarkDecodePage1000(b *testing.B) {
	body := buildPage(pageSize, "https://pw.example.test/v1/UsageRecords?Page=1")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		recs, _, err := decodePage(body)
		if err != nil || len(recs) != pageSize {
			b.Fatal(len(recs), err)
		}
	}
}

// BenchmarkLongHourlyQuery fetches 180 days of hourly account records (five
// pages) from the simulator answering each request after 20 ms, page after
// page and in concurrent windows. Compare the two ns/op.
func BenchmarkLongHourlyQuery(b *testing.B) {
	for _, bc := range []struct {
		name     string
		inFlight int
	}{{"sequential", 1}, {"split", windowsInFlight}} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b)
			e.client.inFlight = bc.inFlight
			e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond})
			q := window(180, "hourly")
			for b.Loop() {
				e.client.usageAnswers.Forget() // ask KORE again, not the cache
				if _, err := e.client.AccountUsage(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(e.requests(vendorsim.RouteKoreUsageAccount))/float64(b.N), "requests/op")
		})
	}
}
