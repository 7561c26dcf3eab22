package kore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// These tests cover numbers that cannot be true: a usage tree that does not
// add up, a country listed twice or past the bound, a billed amount that is
// not finite or past its bound.

func wantVendorData(t *testing.T, name string, err error, mentions ...string) {
	t.Helper()
	if !errors.Is(err, httpx.ErrVendorData) {
		t.Errorf("%s: err = %v, want a vendor data error", name, err)
		return
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("%s: %q does not mention %q", name, err, m)
		}
	}
}

// TestUsageTreeMustAddUp: home + national_roaming + international_roaming is
// the whole, counter by counter, and in every set the total is the sum of
// the other two counters. The error names the record, the field and values.
func TestUsageTreeMustAddUp(t *testing.T) {
	type set = map[string]any
	bad := map[string]struct {
		values set
		want   string
	}{
		"the issue's record": {set{"data.home.total": 5000000000, "data.home.download": 5000000000},
			"data: home.total 5000000000 + national_roaming.total 0 + international_roaming total 0 = 5000000000, but total is 0"},
		"a part's own total": {set{"data.home.total": 7},
			"data.home: upload 0 + download 0 = 0, but total is 7"},
		"the whole's total": {set{"data.total": 7, "data.home.total": 7, "data.home.upload": 7},
			"data: upload 0 + download 0 = 0, but total is 7"},
		"split differently": {set{"data.total": 10, "data.upload": 5, "data.download": 5,
			"data.home.total": 10, "data.home.upload": 4, "data.home.download": 6},
			"data: home.upload 4 + national_roaming.upload 0 + international_roaming upload 0 = 4, but upload is 5"},
		"a country short": {set{"commands.total": 3, "commands.from_sim": 3,
			"commands.home.total": 1, "commands.home.from_sim": 1,
			"commands.international_roaming.0.total": 1, "commands.international_roaming.0.from_sim": 1},
			"commands: home.total 1 + national_roaming.total 0 + international_roaming total 1 = 2, but total is 3"},
		"no parts, whole wrong": {set{"commands.home": nil, "commands.international_roaming": nil, "commands.total": 2, "commands.to_sim": 1},
			"commands: to_sim 1 + from_sim 0 = 1, but total is 2"},
		"a country twice": {set{"data.international_roaming": []any{
			set{"country_code": "DE", "total": 0, "upload": 0, "download": 0, "billed": 0},
			set{"country_code": "FR", "total": 0, "upload": 0, "download": 0, "billed": 0},
			set{"country_code": "DE", "total": 0, "upload": 0, "download": 0, "billed": 0}}},
			`data.international_roaming lists country "DE" twice`},
		"a country without a code": {set{"commands.international_roaming.0.country_code": ""},
			"commands.international_roaming[0] has no country_code"},
		"a country with a null code": {set{"commands.international_roaming.0.country_code": nil},
			"commands.international_roaming[0] has no country_code"},
	}
	for name, c := range bad {
		_, _, err := decodePage([]byte(recordWithAll(t, c.values)))
		if !errors.Is(err, errVendorData) {
			t.Errorf("%s: err = %v, want a vendor data error", name, err)
			continue
		}
		for _, want := range []string{"2025-01-01T00:00:00Z to 2025-01-01T01:00:00Z", c.want} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", name, err, want)
			}
		}
	}
	good := map[string]set{
		// KORE may send no breakdown at all: the whole stands alone.
		"no parts": {"data.home": nil, "data.international_roaming": nil, "data.total": 10, "data.upload": 4, "data.download": 6},
		"no parts, empty list": {"commands.home": nil, "commands.international_roaming": []any{},
			"commands.total": 3, "commands.to_sim": 2, "commands.from_sim": 1},
		// Once a part is there, a missing one is 0.
		"national only": {"data.home": nil, "data.total": 10, "data.upload": 4, "data.download": 6,
			"data.national_roaming": set{"total": 10, "upload": 4, "download": 6, "billed": 0}},
		"every part": {"data.total": 17, "data.upload": 7, "data.download": 10,
			"data.home.total": 10, "data.home.upload": 4, "data.home.download": 6,
			"data.national_roaming":              set{"total": 5, "upload": 2, "download": 3, "billed": 0},
			"data.international_roaming.0.total": 2, "data.international_roaming.0.upload": 1, "data.international_roaming.0.download": 1},
	}
	for name, values := range good {
		if _, _, err := decodePage([]byte(recordWithAll(t, values))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSimulatorUsageAddsUp: every record the simulator serves, for the
// account and every SIM, over its whole retention, passes the checks.
func TestSimulatorUsageAddsUp(t *testing.T) {
	e := newEnv(t)
	start := simNow.AddDate(0, -18, 0)
	for _, g := range []string{GranularityAll, GranularityDaily} {
		q := UsageQuery{Start: start, End: simNow, Granularity: g}
		if n := len(e.expected(t, "", q)); n == 0 {
			t.Fatalf("%s: no account records", g)
		}
		for _, s := range e.sim.SIMs() {
			e.expected(t, s.Sid, q) // fails on any record the checks refuse
		}
	}
	q := UsageQuery{Start: simNow.AddDate(0, 0, -21), End: simNow, Granularity: GranularityHourly}
	for _, s := range e.sim.SIMs() {
		e.expected(t, s.Sid, q)
	}
}

// TestBilledIsFiniteAndBounded: a billed amount past MaxRecordBilled (like
// 1.7e308, which two records would sum to +Inf), past float64 (1e309) or
// negative fails the read, naming the record and field.
func TestBilledIsFiniteAndBounded(t *testing.T) {
	cases := map[string]struct {
		field, literal, want string
	}{
		"huge":           {"data.billed", "1.7e308", "data.billed 1.7e+308 is above 1e+12"},
		"past float64":   {"commands.home.billed", "1e309", "commands.home.billed out of the range of a 64-bit float"},
		"negative float": {"data.international_roaming.0.billed", "-1e309", "data.international_roaming[0].billed out of the range of a 64-bit float"},
		"negative":       {"commands.billed", "-0.5", "commands.billed -0.5 is negative"},
		"a part":         {"data.home.billed", "1000000000001", "data.home.billed 1.000000000001e+12 is above 1e+12"},
	}
	for name, c := range cases {
		const mark = 1234.5
		body := strings.Replace(recordWith(t, c.field, mark, false), "1234.5", c.literal, 1)
		_, _, err := decodePage([]byte(body))
		if !errors.Is(err, errVendorData) {
			t.Errorf("%s: err = %v, want a vendor data error", name, err)
			continue
		}
		for _, want := range []string{"2025-01-01T00:00:00Z", c.want} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", name, err, want)
			}
		}
	}
	at := recordWithAll(t, map[string]any{"data.billed": MaxRecordBilled, "data.home.billed": MaxRecordBilled, "commands.billed": 0.0})
	if _, _, err := decodePage([]byte(at)); err != nil {
		t.Fatalf("billed at the bound: %v", err)
	}
}

// TestBilledSumsStayFinite: CheckedTotal refuses records whose billed
// amounts are not finite, negative, or add up past MaxBilledSum, so no NaN
// or infinity comes out of a fleet total.
func TestBilledSumsStayFinite(t *testing.T) {
	rec := func(billed float64) UsageRecord {
		return UsageRecord{Data: Data{Counts: DataCounts{Billed: billed}, InternationalRoaming: []Roamed[DataCounts]{
			{CountryCode: "DE", Counts: DataCounts{Billed: billed}}}}}
	}
	cases := map[string][]UsageRecord{
		"two huge":       {rec(1.7e308), rec(1.7e308)},
		"infinities":     {rec(math.Inf(1)), rec(math.Inf(-1))},
		"NaN":            {rec(math.NaN())},
		"negative":       {rec(-1)},
		"past the bound": {rec(MaxBilledSum / 4), rec(MaxBilledSum / 4), rec(MaxBilledSum / 4)},
	}
	for name, recs := range cases {
		c, d, err := CheckedTotal(recs)
		if !errors.Is(err, errVendorData) {
			t.Errorf("%s: err = %v (total %v %v), want a vendor data error", name, err, c.Counts.Billed, d.Counts.Billed)
		}
	}
	// At the bound: each amount counted in its whole and its part.
	_, d, err := CheckedTotal([]UsageRecord{rec(MaxBilledSum / 4), rec(MaxBilledSum / 4)})
	if err != nil || d.Counts.Billed != MaxBilledSum/2 || d.InternationalRoaming[0].Counts.Billed != MaxBilledSum/2 {
		t.Fatalf("at the bound: %v %+v", err, d)
	}
}

// TestCountriesPerRecordAreBounded: a record listing more than MaxCountries
// countries fails naming the record and the bound, and is refused while
// decoding: 20,000 entries are not all allocated first.
func TestCountriesPerRecordAreBounded(t *testing.T) {
	countries := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"country_code": fmt.Sprintf("C%05d", i), "total": 0, "upload": 0, "download": 0, "billed": 0}
		}
		return out
	}
	if _, _, err := decodePage([]byte(recordWithAll(t, map[string]any{"data.international_roaming": countries(MaxCountries)}))); err != nil {
		t.Fatalf("%d countries: %v", MaxCountries, err)
	}
	body := []byte(recordWithAll(t, map[string]any{"data.international_roaming": countries(MaxCountries + 1)}))
	_, _, err := decodePage(body)
	wantVendorData(t, "one too many", err, "2025-01-01T00:00:00Z", "more than 300", "data.international_roaming")

	body = []byte(recordWithAll(t, map[string]any{"commands.international_roaming": countries(20_000)}))
	allocs := testing.AllocsPerRun(1, func() {
		if _, _, err := decodePage(body); !errors.Is(err, errVendorData) {
			t.Fatalf("20,000 countries: %v", err)
		}
	})
	if allocs > 5_000 {
		t.Fatalf("refusing 20,000 countries took %.0f allocations: they were decoded first", allocs)
	}
}

// TestTotalMergesManyCountriesInLinearTime: 600 records roaming in 300
// countries each, all different (180,000 countries), merge in well under a
// second; inserting each into a sorted list took minutes.
func TestTotalMergesManyCountriesInLinearTime(t *testing.T) {
	const recs, per = 600, MaxCountries
	records := make([]UsageRecord, recs)
	for i := range records {
		roamed := make([]Roamed[DataCounts], per)
		for j := range roamed {
			// Descending codes: each one lands at the front of a sorted list.
			roamed[j] = Roamed[DataCounts]{CountryCode: fmt.Sprintf("%08d", recs*per-(i*per+j)), Counts: DataCounts{Total: 1}}
		}
		records[i].Data.InternationalRoaming = roamed
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	done := make(chan Data, 1)
	go func() {
		_, d, _ := TotalContext(ctx, records)
		done <- d
	}()
	select {
	case d := <-done:
		if len(d.InternationalRoaming) != recs*per || d.InternationalRoaming[0].CountryCode != "00000001" ||
			d.InternationalRoaming[recs*per-1].CountryCode != fmt.Sprintf("%08d", recs*per) {
			t.Fatalf("%d countries, from %s", len(d.InternationalRoaming), d.InternationalRoaming[0].CountryCode)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("merging 180,000 countries took more than 10 s")
	}
}

// TestSumsStopWhenCancelled: a sum over many records ends with the
// context's error once it is done.
func TestSumsStopWhenCancelled(t *testing.T) {
	records := make([]UsageRecord, 3*checkEvery)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := TotalContext(ctx, records); !errors.Is(err, context.Canceled) {
		t.Errorf("TotalContext: %v", err)
	}
	if _, _, err := CheckedTotalContext(ctx, records); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckedTotalContext: %v", err)
	}
	if _, _, err := CheckedTotalContext(t.Context(), records); err != nil {
		t.Errorf("not cancelled: %v", err)
	}
}

// TestAddMergesSortedByCountry: Breakdown.Add keeps one entry per country in
// code order, whatever order either side lists them in, and leaves o alone.
func TestAddMergesSortedByCountry(t *testing.T) {
	r := func(code string, n int64) Roamed[CommandCounts] {
		return Roamed[CommandCounts]{CountryCode: code, Counts: CommandCounts{Total: n, ToSim: n}}
	}
	var b Commands
	b.Add(Commands{InternationalRoaming: []Roamed[CommandCounts]{r("US", 1), r("DE", 2)}})
	o := Commands{InternationalRoaming: []Roamed[CommandCounts]{r("FR", 4), r("AT", 8), r("US", 16)}}
	b.Add(o)
	want := []Roamed[CommandCounts]{r("AT", 8), r("DE", 2), r("FR", 4), r("US", 17)}
	if fmt.Sprint(b.InternationalRoaming) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", b.InternationalRoaming, want)
	}
	if o.InternationalRoaming[0].CountryCode != "FR" {
		t.Fatal("Add reordered its argument")
	}
}
