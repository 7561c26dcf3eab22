package kore

import (
	"encoding/json"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// buildPage renders n realistic records as a KORE page body, in the
// simulator's wire types, for decoding tests and the benchmark that do not
// need a server.
func buildPage(n int, next string) []byte {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]vendorsim.KoreUsageRecord, n)
	for i := range recs {
		s := start.Add(time.Duration(i) * time.Hour)
		recs[i] = usageRecordOn(s, s.Add(time.Hour), int64(i))
	}
	return pageOf(recs, next)
}

// usageRecordOn is a record of one SIM over start to end that adds up: home
// data of 1000+extra bytes, commands at home, a German entry of nothing.
func usageRecordOn(start, end time.Time, extra int64) vendorsim.KoreUsageRecord {
	home := vendorsim.KoreDataCounts{Total: 1000 + extra, Upload: 400, Download: 600 + extra, Units: "bytes", Billed: 0.01, BillingUnits: "USD"}
	cmds := vendorsim.KoreCommandsCounts{Total: 3, ToSim: 2, FromSim: 1, BillingUnits: "USD"}
	return vendorsim.KoreUsageRecord{
		AccountSid: "AC0123456789abcdef0123456789abcdef",
		SimSid:     "DE0123456789abcdef0123456789abcdef",
		Period:     vendorsim.KorePeriod{Start: start.Format(time.RFC3339), End: end.Format(time.RFC3339)},
		Commands: vendorsim.KoreCommandsUsage{
			KoreCommandsCounts:   cmds,
			Home:                 &cmds,
			NationalRoaming:      &vendorsim.KoreCommandsCounts{BillingUnits: "USD"},
			InternationalRoaming: []vendorsim.KoreInternationalCommandsCounts{},
		},
		Data: vendorsim.KoreDataUsage{
			KoreDataCounts:  home,
			Home:            &home,
			NationalRoaming: &vendorsim.KoreDataCounts{Units: "bytes", BillingUnits: "USD"},
			InternationalRoaming: []vendorsim.KoreInternationalDataCounts{
				{CountryCode: "DE", KoreDataCounts: vendorsim.KoreDataCounts{Units: "bytes", BillingUnits: "USD"}},
			},
		},
	}
}

// pageOf wraps wire records in a KORE list envelope.
func pageOf(recs []vendorsim.KoreUsageRecord, next string) []byte {
	var nextURL *string
	if next != "" {
		nextURL = &next
	}
	page := map[string]any{
		"usage_records": recs,
		"meta":          map[string]any{"key": "usage_records", "page_size": PageSize, "next_page_url": nextURL},
	}
	b, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}
	return b
}
