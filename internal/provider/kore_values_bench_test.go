package provider

import (
	"context"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// hourlyRecords builds n hourly records shaped like a roaming SIM's: home,
// national roaming and two countries abroad.
func hourlyRecords(n int) []kore.UsageRecord {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]kore.UsageRecord, n)
	for i := range out {
		c := kore.CommandCounts{Total: 3, ToSim: 1, FromSim: 2, Billed: 0.0625, BillingUnits: "USD"}
		d := kore.DataCounts{Total: int64(1000 + i), Upload: 400, Download: int64(600 + i), Units: "bytes", Billed: 0.125, BillingUnits: "USD"}
		out[i] = kore.UsageRecord{
			AccountSid: "AC0123456789abcdef0123456789abcdef",
			SimSid:     "DE0123456789abcdef0123456789abcdef",
			Period:     kore.Period{Start: start.Add(time.Duration(i) * time.Hour), End: start.Add(time.Duration(i+1) * time.Hour)},
			Commands: kore.Commands{Counts: c, Home: &c, NationalRoaming: &c,
				InternationalRoaming: []kore.Roamed[kore.CommandCounts]{{CountryCode: "DE", Counts: c}, {CountryCode: "FR", Counts: c}}},
			Data: kore.Data{Counts: d, Home: &d, NationalRoaming: &d,
				InternationalRoaming: []kore.Roamed[kore.DataCounts]{{CountryCode: "DE", Counts: d}, {CountryCode: "FR", Counts: d}}},
		}
	}
	return out
}

// BenchmarkKoreRecordsValue writes 10,000 hourly records as state.
func BenchmarkKoreRecordsValue(b *testing.B) {
	records := hourlyRecords(10_000)
	b.ReportAllocs()
	for b.Loop() {
		w := newStateWriter(context.Background())
		writeKoreRecords(w, records)
		if _, err := w.finish(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKoreTotal sums 10,000 hourly records and writes the total.
func BenchmarkKoreTotal(b *testing.B) {
	records := hourlyRecords(10_000)
	b.ReportAllocs()
	for b.Loop() {
		w := newStateWriter(context.Background())
		writeKoreTotal(w, records)
		if _, err := w.finish(); err != nil {
			b.Fatal(err)
		}
	}
}
