package kore

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// lenientPage bends every rule encoding/json is lenient about: members
// nobody asked for (of every kind, at every level), names in another case or
// spelled with escapes, escapes and invalid UTF-8 in strings, nulls, an
// offset timestamp and duplicate names.
var lenientPage = strings.ReplaceAll(`{
  "extra": {"deep": [1, {"x": null}, "s", true]}, "count": 1,
  "usage_records": [
    {"ACCOUNT_SID": "AC1", "sim_sid": null, "note": [],
     "Period": {"start": "2025-01-01T02:00:00+02:00", "end": "2025-01-01T01:00:00Z", "tz": "x"},
     "commands": {"Total": 3, "\u0074o_sim": 2, "from_sim": 1, "billed": 1.5e-1, "billing_units": "US\u0044",
                  "home": null, "national_roaming": {"total": 0}, "international_roaming": null},
     "data": {"total": 9, "total": 10, "upload": 4, "download": 6, "units": "bytes<BAD>", "billed": null,
              "home": {"total": 10, "upload": 4, "download": 6, "units": "bytes", "x": {}},
              "national_roaming": null,
              "international_roaming": [{"Country_Code": "DE", "total": 1, "upload": 1, "download": 0}, null]}},
    null
  ],
  "meta": {"page": 0, "NEXT_PAGE_URL": "/v1/UsageRecords?Page=1", "key": "usage_records"}
}`, "<BAD>", "\xff")

func TestDecodePageLenient(t *testing.T) {
	recs, next, err := decodePage([]byte(lenientPage))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []UsageRecord{{
		AccountSid: "AC1",
		Period:     Period{Start: start, End: start.Add(time.Hour)},
		Commands: Commands{
			CommandCounts:   CommandCounts{Total: 3, ToSim: 2, FromSim: 1, Billed: 0.15, BillingUnits: "USD"},
			NationalRoaming: &CommandCounts{},
		},
		Data: Data{
			DataCounts: DataCounts{Total: 10, Upload: 4, Download: 6, Units: "bytes\uFFFD"},
			Home:       &DataCounts{Total: 10, Upload: 4, Download: 6, Units: "bytes"},
			InternationalRoaming: []IntlDataCounts{
				{CountryCode: "DE", DataCounts: DataCounts{Total: 1, Upload: 1}},
				{},
			},
		},
	}, {}}
	if next != "/v1/UsageRecords?Page=1" {
		t.Errorf("next = %q", next)
	}
	sameRecords(t, recs, want)
	if recs[0].Period.Start.Location() != time.UTC {
		t.Errorf("start is not kept in UTC: %v", recs[0].Period.Start)
	}
}

func TestAbsurdCountersAreVendorDataErrors(t *testing.T) {
	rec := func(member string) string {
		return `{"usage_records": [{"period": {"start": "2025-01-01T00:00:00Z"}, ` + member + `}]}`
	}
	ok := map[string]string{
		"bytes at the bound":    rec(fmt.Sprintf(`"data": {"total": %d}`, int64(maxRecordBytes))),
		"commands at the bound": rec(fmt.Sprintf(`"commands": {"to_sim": %d}`, int64(maxRecordCommands))),
	}
	for name, body := range ok {
		if _, _, err := decodePage([]byte(body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]string{
		"bytes":             rec(fmt.Sprintf(`"data": {"total": %d}`, int64(maxRecordBytes)+1)),
		"home bytes":        rec(fmt.Sprintf(`"data": {"home": {"download": %d}}`, int64(maxRecordBytes)+1)),
		"roaming bytes":     rec(fmt.Sprintf(`"data": {"international_roaming": [{}, {"upload": %d}]}`, int64(1)<<62)),
		"commands":          rec(fmt.Sprintf(`"commands": {"to_sim": %d}`, int64(maxRecordCommands)+1)),
		"national commands": rec(fmt.Sprintf(`"commands": {"national_roaming": {"total": %d}}`, int64(1)<<62)),
		"negative commands": rec(`"commands": {"international_roaming": [{"from_sim": -1}]}`),
	}
	for name, body := range bad {
		_, _, err := decodePage([]byte(body))
		if !errors.Is(err, errVendorData) {
			t.Errorf("%s: err = %v, want a vendor data error", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "2025-01-01T00:00:00Z") {
			t.Errorf("%s: %q does not name the period", name, err)
		}
	}
}

func TestSumsThatWouldOverflowAreVendorDataErrors(t *testing.T) {
	big := func(n int) []UsageRecord {
		recs := make([]UsageRecord, n)
		for i := range recs {
			recs[i].Data.DataCounts = DataCounts{Total: maxRecordBytes, Upload: maxRecordBytes / 2, Download: maxRecordBytes / 2}
		}
		return recs
	}
	// Each record adds 2^56; 2^63 - 1 holds 127 of them, not 128.
	if err := checkSums(big(127)); err != nil {
		t.Fatalf("127 records: %v", err)
	}
	if err := checkSums(big(128)); !errors.Is(err, errVendorData) {
		t.Fatalf("128 records: err = %v, want a vendor data error", err)
	}
}
