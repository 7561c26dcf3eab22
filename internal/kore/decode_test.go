package kore

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lenientPage bends every rule encoding/json is lenient about: members
// nobody asked for (of every kind, at every level), names in another case or
// spelled with escapes, escapes and invalid UTF-8 in strings, nulls where
// KORE allows them (absent breakdowns) and an offset timestamp. Required
// counters are all there: those are never lenient, and neither is a member
// named twice (TestDecodePageRefusesAMemberTwice).
var lenientPage = strings.ReplaceAll(`{
  "extra": {"deep": [1, {"x": null}, "s", true]}, "count": 1,
  "usage_records": [
    {"ACCOUNT_SID": "AC1", "sim_sid": null, "note": [],
     "Period": {"start": "2025-01-01T02:00:00+02:00", "end": "2025-01-01T01:00:00Z", "tz": "x"},
     "commands": {"Total": 3, "\u0074o_sim": 2, "from_sim": 1, "billed": 1.5e-1, "billing_units": "US\u0044",
                  "home": null, "national_roaming": {"total": 3, "to_sim": 2, "from_sim": 1, "billed": 0}, "international_roaming": null},
     "data": {"total": 10, "upload": 4, "download": 6, "units": "bytes<BAD>", "billed": 0,
              "home": {"total": 9, "upload": 3, "download": 6, "billed": 0, "units": "bytes", "x": {}},
              "national_roaming": null,
              "international_roaming": [{"Country_Code": "DE", "total": 1, "upload": 1, "download": 0, "billed": 0}]}}
  ],
  "meta": {"page": 0, "NEXT_PAGE_URL": "/v1/UsageRecords?Page=1", "key": "usage_records"}
}`, "<BAD>", "\xff")

// TestDecodePageRefusesAMemberTwice: a member named twice in any object of
// a page, in any case, fails the page naming where: encoding/json kept the
// last copy, which would hide a record counted twice or a second next page.
func TestDecodePageRefusesAMemberTwice(t *testing.T) {
	record := `{"period": {"start": "2025-01-01T00:00:00Z", "end": "2025-01-01T01:00:00Z"},
	  "commands": {"total": 0, "to_sim": 0, "from_sim": 0, "billed": 0},
	  "data": {"total": 1, "upload": 1, "download": 0, "billed": 0, "international_roaming": [ROAMED]}}`
	roamed := `{"country_code": "DE", "total": 1, "upload": 1, "download": 0, "billed": 0}`
	page := func(r string) string {
		return `{"usage_records": [` + r + `], "meta": {"next_page_url": null}}`
	}
	for name, body := range map[string]string{
		"a counter":             page(strings.Replace(strings.ReplaceAll(record, "ROAMED", roamed), `"total": 1,`, `"total": 1, "total": 5,`, 1)),
		"a counter in any case": page(strings.Replace(strings.ReplaceAll(record, "ROAMED", roamed), `"total": 1,`, `"total": 1, "Total": 5,`, 1)),
		"a country's counter":   page(strings.ReplaceAll(record, "ROAMED", strings.Replace(roamed, `"upload": 1`, `"upload": 1, "upload": 2`, 1))),
		"the list":              `{"usage_records": [], "usage_records": [` + strings.ReplaceAll(record, "ROAMED", "") + `]}`,
		"the next page":         `{"usage_records": [], "meta": {"next_page_url": null, "next_page_url": "/v1/UsageRecords?Page=1"}}`,
		"the list in any case":  `{"usage_records": [], "Usage_Records": [` + strings.ReplaceAll(record, "ROAMED", "") + `]}`,
		"meta in any case":      `{"usage_records": [], "meta": {"next_page_url": null}, "META": {"next_page_url": "/x"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := decodePage([]byte(body)); err == nil || !strings.Contains(err.Error(), "duplicate") && !strings.Contains(err.Error(), "twice") {
				t.Fatalf("err = %v, want a member named twice", err)

			}
		})
	}
}

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
			Counts:          CommandCounts{Total: 3, ToSim: 2, FromSim: 1, Billed: 0.15, BillingUnits: "USD"},
			NationalRoaming: &CommandCounts{Total: 3, ToSim: 2, FromSim: 1},
		},
		Data: Data{
			Counts: DataCounts{Total: 10, Upload: 4, Download: 6, Units: "bytes\uFFFD"},
			Home:   &DataCounts{Total: 9, Upload: 3, Download: 6, Units: "bytes"},
			InternationalRoaming: []Roamed[DataCounts]{
				{CountryCode: "DE", Counts: DataCounts{Total: 1, Upload: 1}},
			},
		},
	}}
	if next != "/v1/UsageRecords?Page=1" {
		t.Errorf("next = %q", next)
	}
	sameRecords(t, recs, want)
	if recs[0].Period.Start.Location() != time.UTC {
		t.Errorf("start is not kept in UTC: %v", recs[0].Period.Start)
	}
}

// completeRecord is a record with every counter KORE requires, for tests
// that change one member.
const completeRecord = `{"period": {"start": "2025-01-01T00:00:00Z", "end": "2025-01-01T01:00:00Z"},
  "commands": {"total": 0, "to_sim": 0, "from_sim": 0, "billed": 0, "billing_units": "USD",
    "home": {"total": 0, "to_sim": 0, "from_sim": 0, "billed": 0}, "national_roaming": null,
    "international_roaming": [{"country_code": "DE", "total": 0, "to_sim": 0, "from_sim": 0, "billed": 0}]},
  "data": {"total": 0, "upload": 0, "download": 0, "billed": 0, "units": "bytes",
    "home": {"total": 0, "upload": 0, "download": 0, "billed": 0}, "national_roaming": null,
    "international_roaming": [{"country_code": "DE", "total": 0, "upload": 0, "download": 0, "billed": 0}]}}`

// recordWith is completeRecord with the member at path (dot-separated; a
// number indexes a list) set to value, or removed when remove is true.
func recordWith(t *testing.T, path string, value any, remove bool) string {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal([]byte(completeRecord), &rec); err != nil {
		t.Fatal(err)
	}
	setMember(t, rec, path, value, remove)
	b, err := json.Marshal(map[string]any{"usage_records": []any{rec}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recordWithAll is completeRecord with each path of values set, so that a
// test can keep the usage tree adding up.
func recordWithAll(t *testing.T, values map[string]any) string {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal([]byte(completeRecord), &rec); err != nil {
		t.Fatal(err)
	}
	for path, v := range values {
		setMember(t, rec, path, v, false)
	}
	b, err := json.Marshal(map[string]any{"usage_records": []any{rec}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func setMember(t *testing.T, rec map[string]any, path string, value any, remove bool) {
	t.Helper()
	parts := strings.Split(path, ".")
	var node any = rec
	for _, p := range parts[:len(parts)-1] {
		switch n := node.(type) {
		case map[string]any:
			node = n[p]
		case []any:
			i, _ := strconv.Atoi(p)
			node = n[i]
		}
	}
	last := parts[len(parts)-1]
	m, ok := node.(map[string]any)
	if !ok {
		t.Fatalf("%s does not lead to an object", path)
	}
	if remove {
		delete(m, last)
	} else {
		m[last] = value
	}
}

func TestAbsurdCountersAreVendorDataErrors(t *testing.T) {
	ok := map[string]string{
		"bytes at the bound": recordWithAll(t, map[string]any{
			"data.total": int64(maxRecordBytes), "data.download": int64(maxRecordBytes),
			"data.home.total": int64(maxRecordBytes), "data.home.download": int64(maxRecordBytes)}),
		"commands at the bound": recordWithAll(t, map[string]any{
			"commands.total": int64(maxRecordCommands), "commands.to_sim": int64(maxRecordCommands),
			"commands.home.total": int64(maxRecordCommands), "commands.home.to_sim": int64(maxRecordCommands)}),
	}
	for name, body := range ok {
		if _, _, err := decodePage([]byte(body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]string{
		"bytes":             recordWith(t, "data.total", int64(maxRecordBytes)+1, false),
		"home bytes":        recordWith(t, "data.home.download", int64(maxRecordBytes)+1, false),
		"roaming bytes":     recordWith(t, "data.international_roaming.0.upload", int64(1)<<62, false),
		"commands":          recordWith(t, "commands.to_sim", int64(maxRecordCommands)+1, false),
		"national commands": recordWith(t, "commands.home.total", int64(1)<<62, false),
		"negative commands": recordWith(t, "commands.international_roaming.0.from_sim", -1, false),
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

// TestRequiredCountersFailClosed: a counter KORE declares required that is
// null or missing fails the read, naming the record's period and the field,
// where it used to count as 0.
func TestRequiredCountersFailClosed(t *testing.T) {
	fields := []string{
		"commands.total", "commands.to_sim", "commands.from_sim", "commands.billed",
		"commands.home.total", "commands.international_roaming.0.from_sim",
		"data.total", "data.upload", "data.download", "data.billed",
		"data.home.upload", "data.international_roaming.0.download",
	}
	for _, f := range fields {
		for _, remove := range []bool{false, true} {
			body := recordWith(t, f, nil, remove)
			_, _, err := decodePage([]byte(body))
			if !errors.Is(err, errVendorData) {
				t.Errorf("%s (removed %v): err = %v, want a vendor data error", f, remove, err)
				continue
			}
			for _, want := range []string{"2025-01-01T00:00:00Z", strings.ReplaceAll(f, ".0.", "[0].")} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %q does not name %q", f, err, want)
				}
			}
		}
	}
	for _, whole := range []string{"commands", "data"} {
		if _, _, err := decodePage([]byte(recordWith(t, whole, nil, false))); !errors.Is(err, errVendorData) {
			t.Errorf("%s null: err = %v", whole, err)
		}
	}
	// A breakdown KORE sends as null stays nil: that is an absent bucket.
	if _, _, err := decodePage([]byte(recordWith(t, "data.home", nil, false))); err != nil {
		t.Errorf("data.home null: %v", err)
	}
}

// TestPeriodsFailClosed: a record without a usable period is refused, where
// it used to be accepted at 0001-01-01T00:00:00Z.
func TestPeriodsFailClosed(t *testing.T) {
	cases := map[string]string{
		"no period":        recordWith(t, "period", nil, true),
		"null period":      recordWith(t, "period", nil, false),
		"no start":         recordWith(t, "period.start", nil, true),
		"no end":           recordWith(t, "period.end", nil, true),
		"empty start":      recordWith(t, "period.start", "", false),
		"unparsable start": recordWith(t, "period.start", "yesterday", false),
		"unparsable end":   recordWith(t, "period.end", "2025-13-01T00:00:00Z", false),
		"end before start": recordWith(t, "period.end", "2024-12-31T00:00:00Z", false),
	}
	for name, body := range cases {
		_, _, err := decodePage([]byte(body))
		if !errors.Is(err, errVendorData) || !strings.Contains(err.Error(), "record 0") {
			t.Errorf("%s: err = %v, want a vendor data error naming the record", name, err)
		}
	}
}

// TestPeriodsBelongToTheQuery: a record outside the range, twice, or
// overlapping another is refused by checkPeriods.
func TestPeriodsBelongToTheQuery(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	q := UsageQuery{Start: day, End: day.Add(48 * time.Hour), Granularity: GranularityDaily}
	rec := func(from, to time.Duration) UsageRecord {
		return UsageRecord{Period: Period{Start: day.Add(from), End: day.Add(to)}}
	}
	if err := checkPeriods([]UsageRecord{rec(0, 24*time.Hour), rec(24*time.Hour, 48*time.Hour)}, q); err != nil {
		t.Fatalf("two consecutive days: %v", err)
	}
	bad := map[string][]UsageRecord{
		"before the range": {rec(-48*time.Hour, -24*time.Hour)},
		"after the range":  {rec(72*time.Hour, 96*time.Hour)},
		"twice":            {rec(0, 24*time.Hour), rec(0, 24*time.Hour)},
		"overlapping":      {rec(0, 24*time.Hour), rec(12*time.Hour, 36*time.Hour)},
		"twice, unordered": {rec(24*time.Hour, 48*time.Hour), rec(0, 24*time.Hour), rec(24*time.Hour, 48*time.Hour)},
	}
	for name, recs := range bad {
		err := checkPeriods(recs, q)
		if !errors.Is(err, errVendorData) || !strings.Contains(err.Error(), "2025-01-0") {
			t.Errorf("%s: err = %v, want a vendor data error naming the period", name, err)
		}
	}
}

func TestSumsThatWouldOverflowAreVendorDataErrors(t *testing.T) {
	big := func(n int) []UsageRecord {
		recs := make([]UsageRecord, n)
		for i := range recs {
			recs[i].Data.Counts = DataCounts{Total: maxRecordBytes, Upload: maxRecordBytes / 2, Download: maxRecordBytes / 2}
		}
		return recs
	}
	// Each record adds 2^56; 2^63 - 1 holds 127 of them, not 128.
	if err := checkSums(t.Context(), big(127)); err != nil {
		t.Fatalf("127 records: %v", err)
	}
	if err := checkSums(t.Context(), big(128)); !errors.Is(err, errVendorData) {
		t.Fatalf("128 records: err = %v, want a vendor data error", err)
	}
}

// TestParseInt64 agrees with strconv on every JSON integer and refuses what
// JSON or 64 bits cannot hold.
func TestParseInt64(t *testing.T) {
	for _, s := range []string{"0", "7", "-7", "1000000", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "18446744073709551616", "", "-", "01", "1.5", "1e3", "+1", " 1"} {
		got, ok := parseInt64([]byte(s))
		want, err := strconv.ParseInt(s, 10, 64)
		strict := err == nil && (len(s) < 2 || s[0] != '0') && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "-0")
		if ok != strict || ok && got != want {
			t.Errorf("%q: got %d %v, want %d %v", s, got, ok, want, strict)
		}
	}
}

// TestDecodePageTopLevelNamesInAnyCase: the list and meta match in any case,
// as every other member does: a "Meta" holding the next page is followed,
// never taken for an unknown member and dropped (which ended a walk after
// its first page).
func TestDecodePageTopLevelNamesInAnyCase(t *testing.T) {
	recs, next, err := decodePage([]byte(`{"Usage_Records": [], "Meta": {"next_page_url": "/v1/UsageRecords?Page=1"}}`))
	if err != nil || recs == nil || next != "/v1/UsageRecords?Page=1" {
		t.Fatalf("records %v, next %q, err %v", recs, next, err)
	}
}
