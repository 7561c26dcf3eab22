package kore

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const nullsPage = `{
  "usage_records": [{
    "account_sid": "AC0", "sim_sid": "DE0", "surprise": {"ignored": true},
    "period": {"start": "2025-01-01T00:00:00Z", "end": "2025-01-01T01:00:00.123Z"},
    "commands": {"total": 3, "to_sim": 2, "from_sim": 1, "billed": 0, "billing_units": "USD",
                 "home": null, "national_roaming": null, "international_roaming": []},
    "data": {"total": 10, "upload": 4, "download": 6, "units": "bytes", "billed": 0.25, "billing_units": "USD",
             "home": {"total": 10, "upload": 4, "download": 6, "units": "bytes", "billed": 0.25, "billing_units": "USD"},
             "national_roaming": null,
             "international_roaming": [{"country_code": "DE", "total": 0, "upload": 0, "download": 0, "units": "bytes", "billed": 0, "billing_units": "USD"}]}
  }],
  "meta": {"key": "usage_records", "next_page_url": null, "page_size": 1000}
}`

func TestDecodePageNullsAndFractions(t *testing.T) {
	recs, next, err := decodePage([]byte(nullsPage))
	if err != nil {
		t.Fatal(err)
	}
	if next != "" || len(recs) != 1 {
		t.Fatalf("next %q, %d records", next, len(recs))
	}
	r := recs[0]
	if r.Commands.Home != nil || r.Commands.NationalRoaming != nil || r.Data.NationalRoaming != nil {
		t.Errorf("null objects should stay nil: %+v %+v", r.Commands, r.Data)
	}
	if r.Data.Home == nil || r.Data.Home.Download != 6 {
		t.Errorf("data.home = %+v", r.Data.Home)
	}
	if len(r.Data.InternationalRoaming) != 1 || r.Data.InternationalRoaming[0].CountryCode != "DE" {
		t.Errorf("international roaming = %+v", r.Data.InternationalRoaming)
	}
	if r.Commands.Counts.ToSim != 2 || r.Data.Counts.Billed != 0.25 || r.Data.Counts.Units != "bytes" {
		t.Errorf("top-level counters = %+v %+v", r.Commands, r.Data)
	}
	wantEnd := time.Date(2025, 1, 1, 1, 0, 0, 123e6, time.UTC)
	if !r.Period.End.Equal(wantEnd) || !r.Period.Start.Equal(wantEnd.Add(-time.Hour-123*time.Millisecond)) {
		t.Errorf("period = %+v", r.Period)
	}
}

func TestDecodePageEndOfList(t *testing.T) {
	for name, meta := range map[string]string{
		"null":   `{"next_page_url": null}`,
		"empty":  `{"next_page_url": ""}`,
		"absent": `{}`,
		"nometa": ``,
	} {
		body := `{"usage_records": []`
		if meta != "" {
			body += `, "meta": ` + meta
		}
		body += `}`
		recs, next, err := decodePage([]byte(body))
		if err != nil || next != "" || len(recs) != 0 {
			t.Errorf("%s: recs %d next %q err %v", name, len(recs), next, err)
		}
	}
}

func TestDecodePageRejects(t *testing.T) {
	neg := strings.Replace(nullsPage, `"upload": 4, "download": 6, "units": "bytes", "billed": 0.25, "billing_units": "USD",
             "home"`, `"upload": -4, "download": 6, "units": "bytes", "billed": 0.25, "billing_units": "USD",
             "home"`, 1)
	if neg == nullsPage {
		t.Fatal("test fixture did not change")
	}
	negIntl := strings.Replace(nullsPage, `"country_code": "DE", "total": 0`, `"country_code": "DE", "total": -1`, 1)
	cases := map[string]string{
		"negative data":      neg,
		"negative roaming":   negIntl,
		"no list":            `{"meta": {}}`,
		"truncated":          nullsPage[:len(nullsPage)/2],
		"string counter":     `{"usage_records": [{"data": {"total": "many"}}]}`,
		"overflowed counter": `{"usage_records": [{"data": {"total": 99999999999999999999}}]}`,
		"bad time":           `{"usage_records": [{"period": {"start": "yesterday"}}]}`,
	}
	for name, body := range cases {
		if _, _, err := decodePage([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, err := decodePage([]byte(neg)); !errors.Is(err, errVendorData) {
		t.Errorf("negative counter error %v is not a vendor data error", err)
	}
}

func TestDecodePageOversize(t *testing.T) {
	body := buildPage(PageSize+1, "")
	if _, _, err := decodePage(body); err == nil || !strings.Contains(err.Error(), "more than the PageSize") {
		t.Fatalf("err = %v", err)
	}
}
