package kore

import (
	"encoding/json"
	"time"
)

// buildPage renders n realistic records as a KORE page body, for decoding
// tests and the benchmark that do not need a server.
func buildPage(n int, next string) []byte {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]UsageRecord, n)
	for i := range recs {
		s := start.Add(time.Duration(i) * time.Hour)
		home := DataCounts{Total: int64(1000 + i), Upload: 400, Download: int64(600 + i), Units: "bytes", Billed: 0.01, BillingUnits: "USD"}
		recs[i] = UsageRecord{
			AccountSid: "AC0123456789abcdef0123456789abcdef",
			SimSid:     "DE0123456789abcdef0123456789abcdef",
			Period:     Period{Start: s, End: s.Add(time.Hour)},
			Commands: Commands{
				CommandCounts:        CommandCounts{Total: 3, ToSim: 2, FromSim: 1, BillingUnits: "USD"},
				Home:                 &CommandCounts{Total: 3, ToSim: 2, FromSim: 1, BillingUnits: "USD"},
				NationalRoaming:      &CommandCounts{BillingUnits: "USD"},
				InternationalRoaming: []IntlCommandCounts{},
			},
			Data: Data{
				DataCounts:           home,
				Home:                 &home,
				NationalRoaming:      &DataCounts{Units: "bytes", BillingUnits: "USD"},
				InternationalRoaming: []IntlDataCounts{{CountryCode: "DE", DataCounts: DataCounts{Units: "bytes", BillingUnits: "USD"}}},
			},
		}
	}
	var nextURL *string
	if next != "" {
		nextURL = &next
	}
	page := map[string]any{
		"usage_records": recs,
		"meta":          map[string]any{"key": "usage_records", "page_size": pageSize, "next_page_url": nextURL},
	}
	b, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}
	return b
}
