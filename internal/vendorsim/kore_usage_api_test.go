package vendorsim

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestKoreHourlyQueryOf45DaysWalksTwoPagesExactlyOnce(t *testing.T) {
	h := newHarness(t)
	sim := h.sim.SIMs()[3]
	start, end := testNow.Truncate(time.Hour).AddDate(0, 0, -45), testNow.Truncate(time.Hour)
	first := "/v1/Sims/" + sim.Sid + "/UsageRecords" + usageQuery(start, end, "hourly", "PageSize", "1000")

	recs, pages := h.walkKore(first)
	if len(pages) != 2 || len(pages[0].UsageRecords) != 1000 || len(recs) != 45*24 {
		t.Fatalf("got %d pages, %d records; want 2 pages of 1000 and 80, 1080 records", len(pages), len(recs))
	}
	if want := h.sim.KoreRecords(sim.Sid, start, end, "hourly"); !reflect.DeepEqual(recs, want) {
		t.Fatal("walking next_page_url does not give exactly KoreRecords")
	}
	seen := map[string]bool{}
	for i, r := range recs {
		if seen[r.Period.Start] {
			t.Fatalf("record %s seen twice", r.Period.Start)
		}
		seen[r.Period.Start] = true
		if i > 0 && r.Period.Start <= recs[i-1].Period.Start {
			t.Fatal("records are not ascending by period start")
		}
	}

	m0, m1 := pages[0].Meta, pages[1].Meta
	if m0.Page != 0 || m0.PageSize != 1000 || m0.Key != "usage_records" || m0.PreviousPageURL != nil || m0.NextPageURL == nil {
		t.Fatalf("first meta %+v", m0)
	}
	if m1.Page != 1 || m1.NextPageURL != nil || m1.PreviousPageURL == nil || m1.FirstPageURL != m0.FirstPageURL {
		t.Fatalf("last meta %+v", m1)
	}
	next, err := url.Parse(*m0.NextPageURL)
	if err != nil {
		t.Fatal(err)
	}
	q := next.Query()
	if "http://"+next.Host != h.srv.URL || next.Path != "/v1/Sims/"+sim.Sid+"/UsageRecords" ||
		q.Get("Start") != start.Format(time.RFC3339) || q.Get("End") != end.Format(time.RFC3339) ||
		q.Get("Granularity") != "hourly" || q.Get("PageSize") != "1000" || q.Get("Page") != "1" || q.Get("PageToken") == "" {
		t.Fatalf("next_page_url %s must be absolute on this host and carry the filters, PageSize, Page and PageToken", next)
	}
	// previous_page_url leads back to the first page.
	r := h.kore(*m1.PreviousPageURL)
	var back KoreUsageList
	r.json(t, &back)
	if !reflect.DeepEqual(back.UsageRecords, pages[0].UsageRecords) {
		t.Fatal("previous_page_url does not lead back to the first page")
	}
}

func TestKoreAccountEndpointMatchesKoreRecords(t *testing.T) {
	h := newHarness(t)
	start, end := testNow.AddDate(0, 0, -3), testNow
	recs, pages := h.walkKore("/v1/UsageRecords" + usageQuery(start, end, "hourly"))
	if len(pages) < 2 || len(pages[0].UsageRecords) != 50 {
		t.Fatalf("default PageSize 50: got %d pages, first of %d", len(pages), len(pages[0].UsageRecords))
	}
	if !reflect.DeepEqual(recs, h.sim.KoreRecords("", start, end, "hourly")) {
		t.Fatal("account endpoint differs from KoreRecords")
	}
	for _, r := range recs {
		if r.SimSid != "" {
			t.Fatal("account records must not carry sim_sid")
		}
	}
}

func TestKoreWireRecordHasEveryField(t *testing.T) {
	h := newHarness(t)
	r := h.kore("/v1/Sims/" + h.sim.SIMs()[0].Sid + "/UsageRecords" + usageQuery(testNow.AddDate(0, 0, -2), testNow, "hourly", "PageSize", "1"))
	body := r.object(t)
	recs := field[[]any](t, body, "usage_records")
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	rec, ok := recs[0].(map[string]any)
	if !ok {
		t.Fatalf("record is %T, want an object", recs[0])
	}
	for _, k := range []string{"account_sid", "sim_sid", "period", "commands", "data"} {
		if _, ok := rec[k]; !ok {
			t.Fatalf("record lacks %q: %v", k, rec)
		}
	}
	for _, k := range []string{"total", "to_sim", "from_sim", "billed", "billing_units", "home", "national_roaming", "international_roaming"} {
		if _, ok := field[map[string]any](t, rec, "commands")[k]; !ok {
			t.Fatalf("commands lacks %q", k)
		}
	}
	for _, k := range []string{"total", "upload", "download", "units", "billed", "billing_units", "home", "national_roaming", "international_roaming"} {
		if _, ok := field[map[string]any](t, rec, "data")[k]; !ok {
			t.Fatalf("data lacks %q", k)
		}
	}
	if _, isArray := field[map[string]any](t, rec, "data")["international_roaming"].([]any); !isArray {
		t.Fatal("international_roaming must be an array, never null")
	}
	meta := field[map[string]any](t, body, "meta")
	for _, k := range []string{"page", "page_size", "first_page_url", "previous_page_url", "url", "next_page_url", "key"} {
		if _, ok := meta[k]; !ok {
			t.Fatalf("meta lacks %q", k)
		}
	}
}

func TestKoreDefaultsAreOneMonthToNowAll(t *testing.T) {
	h := newHarness(t)
	r := h.kore("/v1/UsageRecords")
	var list KoreUsageList
	r.json(t, &list)
	want := KorePeriod{Start: koreTime(testNow.AddDate(0, -1, 0)), End: koreTime(testNow)}
	if r.status != 200 || len(list.UsageRecords) != 1 || list.UsageRecords[0].Period != want || list.Meta.PageSize != 50 {
		t.Fatalf("defaults: %d %+v, want one record over %+v", r.status, list.Meta, want)
	}
	r = h.kore("/v1/UsageRecords?End=2026-02-01T00:00:00Z")
	r.json(t, &list)
	if list.UsageRecords[0].Period.Start != "2026-01-01T00:00:00Z" {
		t.Fatalf("Start must default to one calendar month before End: %+v", list.UsageRecords[0].Period)
	}
}

func TestKoreRejectsBadParameters(t *testing.T) {
	h := newHarness(t)
	sid := h.sim.SIMs()[0].Sid
	cases := []struct {
		name, path   string
		status, code int
	}{
		{"unknown parameter", "/v1/UsageRecords?Foo=1", 400, 20001},
		{"parameter names are case-sensitive", "/v1/UsageRecords?start=2026-03-01T00:00:00Z", 400, 20001},
		{"bad granularity", "/v1/UsageRecords?Granularity=weekly", 400, 33101},
		{"granularity is case-sensitive", "/v1/UsageRecords?Granularity=Daily", 400, 33101},
		{"date-only Start", "/v1/UsageRecords?Start=2026-03-01", 400, 33101},
		{"garbage End", "/v1/UsageRecords?End=yesterday", 400, 33101},
		{"Start after End", "/v1/UsageRecords?Start=2026-03-02T00:00:00Z&End=2026-03-01T00:00:00Z", 400, 33101},
		{"PageSize 0", "/v1/UsageRecords?PageSize=0", 400, 33101},
		{"PageSize 1001", "/v1/UsageRecords?PageSize=1001", 400, 33101},
		{"PageSize not a number", "/v1/UsageRecords?PageSize=ten", 400, 33101},
		{"negative Page", "/v1/UsageRecords?Page=-1", 400, 33101},
		{"empty value", "/v1/UsageRecords?Granularity=", 400, 33101},
		{"repeated parameter", "/v1/UsageRecords?Granularity=all&Granularity=daily", 400, 33101},
		{"malformed query", "/v1/UsageRecords?Start=%zz", 400, 33101},
		{"foreign PageToken", "/v1/UsageRecords?PageToken=PTAAAAAAAAAAAA", 400, 33103},
		{"unknown SIM", "/v1/Sims/DE00000000000000000000000000000000/UsageRecords", 404, 20404},
		{"unique name is not a SID here", "/v1/Sims/tracker-01/UsageRecords", 404, 20404},
		{"SIM endpoint checks params too", "/v1/Sims/" + sid + "/UsageRecords?Granularity=minute", 400, 33101},
		{"unknown path", "/v1/Nothing", 404, 20404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectKoreError(t, h.kore(c.path), c.status, c.code)
		})
	}
}

func TestKorePageTokenIsBoundToItsQuery(t *testing.T) {
	h := newHarness(t)
	start, end := testNow.AddDate(0, 0, -5), testNow
	r := h.kore("/v1/UsageRecords" + usageQuery(start, end, "hourly", "PageSize", "10"))
	var list KoreUsageList
	r.json(t, &list)
	next, _ := url.Parse(*list.Meta.NextPageURL)
	token := next.Query().Get("PageToken")
	// The same token with another PageSize or window is refused, not misread.
	expectKoreError(t, h.kore("/v1/UsageRecords"+usageQuery(start, end, "hourly", "PageSize", "20", "PageToken", token)), 400, 33103)
	expectKoreError(t, h.kore("/v1/UsageRecords"+usageQuery(start.Add(time.Hour), end, "hourly", "PageSize", "10", "PageToken", token)), 400, 33103)
}

func TestKoreUsageRefusesOtherMethods(t *testing.T) {
	h := newHarness(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+"/v1/UsageRecords", strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer "+h.newToken())
	expectKoreError(t, h.do(req), 405, 20004)
}
