package vendorsim

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGigsAuthComesFirst(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0].ID
	for _, auth := range []string{"", "Bearer wrong", "Basic " + h.sim.Credentials().GigsAPIKey} {
		r := h.get(h.gigsUsagePath(sub, nil), auth)
		e := expectGigsError(t, r, 401, "unauthenticated", "")
		if e.Message != "Invalid authorization token" {
			t.Fatalf("message %q", e.Message)
		}
	}
	// Before the path and the parameters are looked at.
	expectGigsError(t, h.get("/projects/nope/subscriptions/sub_x/usage?period=x", ""), 401, "unauthenticated", "")
	// A KORE token is not a Gigs key.
	expectGigsError(t, h.get(h.gigsUsagePath(sub, nil), "Bearer "+h.newToken()), 401, "unauthenticated", "")
}

func TestGigsUnknownProjectOrSubscription(t *testing.T) {
	h := newHarness(t)
	e := expectGigsError(t, h.gigs("/projects/other-project/subscriptions/"+h.sim.Subscriptions()[0].ID+"/usage?period=x"), 404, "notFound", "")
	if !strings.Contains(e.Message, "other-project") {
		t.Fatalf("the message must name the project: %q", e.Message)
	}
	e = expectGigsError(t, h.gigs(h.gigsUsagePath("sub_0000000000000000000000000000", nil)), 404, "notFound", "")
	if !strings.Contains(e.Message, "sub_0000000000000000000000000000") {
		t.Fatalf("the message must name the subscription: %q", e.Message)
	}
}

func TestGigsRejectsBadParameters(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0].ID
	cases := []struct {
		name, query, code string
	}{
		{"period with start and end", "period=1&start=2026-01-01&end=2026-01-31", "incompatibleParameters"},
		{"period with start", "period=1&start=2026-01-01", "incompatibleParameters"},
		{"start without end", "start=2026-01-01", "missingParameter"},
		{"end without start", "end=2026-01-01", "missingParameter"},
		{"empty value", "aggregation=", "emptyParameter"},
		{"unknown parameter", "limit=10", "unknownParameter"},
		{"names are case-sensitive", "Period=1", "unknownParameter"},
		{"after without paging", "after=cur_x", "unknownParameter"},
		{"repeated parameter", "period=1&period=2", "duplicateParameter"},
		{"date-time instead of date", "start=2026-01-01T00:00:00Z&end=2026-01-31T00:00:00Z", "invalidDate"},
		{"bad date", "start=2026-02-30&end=2026-03-01", "invalidDate"},
		{"start after end", "start=2026-02-02&end=2026-02-01", "invalidDateRange"},
		{"unknown aggregation", "aggregation=weekly", "invalidAggregation"},
		{"aggregation of two dimensions", "aggregation=country,roaming", "invalidAggregation"},
		{"period zero", "period=0", "invalidPeriod"},
		{"period not a number", "period=first", "invalidPeriod"},
		{"period that does not exist", "period=99", "periodNotFound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectGigsError(t, h.gigs(h.gigsUsagePath(sub, nil)+"?"+c.query), 422, "invalid", c.code)
		})
	}
}

func TestGigsDefaultIsDailyRecordsOfTheLatestPeriod(t *testing.T) {
	h := newHarness(t)
	for _, sub := range h.sim.Subscriptions() {
		latest := sub.Periods[len(sub.Periods)-1]
		if !latest.Start.After(testNow) && !testNow.Before(latest.End) {
			t.Fatalf("the latest period %+v does not hold now", latest)
		}
		r := h.gigs(h.gigsUsagePath(sub.ID, nil))
		var list gigsList
		r.json(t, &list)
		raw := r.object(t)
		if r.status != 200 || list.Object != "list" || raw["moreItemsAfter"] != nil || raw["moreItemsBefore"] != nil {
			t.Fatalf("%s: %d %s", sub.ID, r.status, r.body)
		}
		if _, ok := raw["moreItemsAfter"]; !ok {
			t.Fatal("moreItemsAfter must be present, as null")
		}
		// One record per day from the period start through today (which has begun).
		days := int(testNow.Truncate(24*time.Hour).Sub(latest.Start)/(24*time.Hour)) + 1
		if testNow.Truncate(time.Hour).Equal(latest.Start) {
			days = 0
		}
		if len(list.Items) != days {
			t.Fatalf("%s: %d daily records, want %d", sub.ID, len(list.Items), days)
		}
		for i, it := range list.Items {
			start, err1 := time.Parse(time.RFC3339, it.Start)
			end, err2 := time.Parse(time.RFC3339, it.End)
			if _, err3 := time.Parse(time.RFC3339, it.UpdatedAt); err1 != nil || err2 != nil || err3 != nil {
				t.Fatalf("timestamps %q %q %q are not RFC 3339", it.Start, it.End, it.UpdatedAt)
			}
			if !start.Equal(latest.Start.AddDate(0, 0, i)) || end.Sub(start) != 24*time.Hour {
				t.Fatalf("record %d covers %s..%s", i, it.Start, it.End)
			}
			if it.Object != "usageRecord" || it.Labels.Subscription != sub.ID || it.Labels.Country != "" || it.Labels.Roaming != "" {
				t.Fatalf("record %+v", it)
			}
		}
		if want, _ := h.sim.GigsRecords(sub.Project, sub.ID, GigsQuery{}); !reflect.DeepEqual(list.Items, want) {
			t.Fatalf("%s: HTTP differs from GigsRecords", sub.ID)
		}
	}
}

// gigsTotal sums records' counters, the preview ones under both spellings.
func gigsTotal(recs []GigsUsageRecord) map[string]int64 {
	m := map[string]int64{}
	for _, r := range recs {
		m["data"] += r.Data
		m["sms"] += r.Sms
		m["voice"] += r.Voice
		for k, p := range map[string]*int64{"device": r.DataDeviceBytes, "tethering": r.DataTetheringBytes, "tetheringOld": r.DataTethering,
			"smsIntl": r.SmsInternationalMessages, "smsIntlOld": r.SmsInternational, "smsLocal": r.SmsLocalMessages,
			"voiceIntl": r.VoiceInternationalSeconds, "voiceLocal": r.VoiceLocalSeconds} {
			if p != nil {
				m[k] += *p
			}
		}
	}
	for k, v := range m { // absent and zero are the same sum
		if v == 0 {
			delete(m, k)
		}
	}
	return m
}

func TestGigsAggregationsAddUp(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	project := s.Credentials().GigsProject
	get := func(sub string, q GigsQuery) []GigsUsageRecord {
		t.Helper()
		recs, err := s.GigsRecords(project, sub, q)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	sawAbroad, sawDomestic, sawSplitDay := false, false, false
	for _, sub := range s.Subscriptions() {
		queries := []GigsQuery{{Start: "2025-06-01", End: "2025-08-31"}}
		for _, p := range sub.Periods {
			queries = append(queries, GigsQuery{Period: p.Number})
		}
		for _, q := range queries {
			daily := get(sub.ID, q)
			q.Aggregation = "period"
			period := get(sub.ID, q)
			if len(period) != 1 || !reflect.DeepEqual(gigsTotal(period), gigsTotal(daily)) {
				t.Fatalf("%s %+v: period total %v != sum of daily %v", sub.ID, q, gigsTotal(period), gigsTotal(daily))
			}
			for _, agg := range []string{"country", "roaming", "period,country", "roaming,period", "daily,country", "roaming,daily"} {
				q.Aggregation = agg
				recs := get(sub.ID, q)
				if !reflect.DeepEqual(gigsTotal(recs), gigsTotal(period)) {
					t.Fatalf("%s %s: %v != %v", sub.ID, agg, gigsTotal(recs), gigsTotal(period))
				}
				for _, r := range recs {
					byCountry, byRoaming := strings.Contains(agg, "country"), strings.Contains(agg, "roaming")
					if (r.Labels.Country != "") != byCountry || (r.Labels.Roaming != "") != byRoaming {
						t.Fatalf("%s: labels %+v", agg, r.Labels)
					}
					sawAbroad = sawAbroad || r.Labels.Roaming == "international"
					sawDomestic = sawDomestic || r.Labels.Roaming == "domestic"
				}
				if agg == "daily,country" {
					perDay := map[string]int{}
					for _, r := range recs {
						perDay[r.Start]++
						sawSplitDay = sawSplitDay || perDay[r.Start] > 1
					}
				}
			}
		}
	}
	if !sawAbroad || !sawDomestic || !sawSplitDay {
		t.Fatalf("the data set must roam abroad (%v), domestically (%v) and split days between countries (%v)", sawAbroad, sawDomestic, sawSplitDay)
	}
}

func TestGigsPreviewCounters(t *testing.T) {
	h := newHarness(t)
	var preview, plain, legacy int
	for _, sub := range h.sim.Subscriptions() {
		r := h.gigs(h.gigsUsagePath(sub.ID, url.Values{"start": {"2026-01-01"}, "end": {"2026-02-28"}}))
		var raw struct{ Items []map[string]any }
		r.json(t, &raw)
		var list gigsList
		r.json(t, &list)
		if len(list.Items) == 0 {
			continue
		}
		for i, it := range list.Items {
			keys := raw.Items[i]
			has := func(k string) bool { _, ok := keys[k]; return ok }
			switch {
			case !sub.Preview:
				for _, k := range []string{"dataDeviceBytes", "dataTetheringBytes", "dataTethering", "smsInternationalMessages",
					"smsInternational", "smsLocalMessages", "voiceInternationalSeconds", "voiceLocalSeconds"} {
					if has(k) {
						t.Fatalf("%s is not a preview subscription but sends %s", sub.ID, k)
					}
				}
			case sub.LegacyPreviewNames:
				if !has("dataTethering") || !has("smsInternational") || has("dataTetheringBytes") || has("smsInternationalMessages") {
					t.Fatalf("legacy subscription keys %v", keys)
				}
				if *it.DataDeviceBytes+*it.DataTethering != it.Data || *it.SmsLocalMessages+*it.SmsInternational != it.Sms {
					t.Fatalf("legacy split does not add up: %+v", it)
				}
			default:
				if *it.DataDeviceBytes+*it.DataTetheringBytes != it.Data || *it.SmsLocalMessages+*it.SmsInternationalMessages != it.Sms {
					t.Fatalf("preview split does not add up: %+v", it)
				}
			}
			if sub.Preview && *it.VoiceLocalSeconds+*it.VoiceInternationalSeconds != it.Voice {
				t.Fatalf("voice split does not add up: %+v", it)
			}
		}
		switch {
		case sub.LegacyPreviewNames:
			legacy++
		case sub.Preview:
			preview++
		default:
			plain++
		}
	}
	if preview == 0 || plain == 0 || legacy != 1 {
		t.Fatalf("want preview, plain and exactly one legacy-named subscription: %d %d %d", preview, plain, legacy)
	}
}

func TestGigsSubscriptionsAndTimestamps(t *testing.T) {
	h := newHarness(t)
	subs := h.sim.Subscriptions()
	if len(subs) < 5 || len(subs) > 8 {
		t.Fatalf("%d subscriptions", len(subs))
	}
	fractional := false
	for _, sub := range subs {
		if !strings.HasPrefix(sub.ID, "sub_") || len(sub.ID) != 32 || sub.Project != h.sim.Credentials().GigsProject {
			t.Fatalf("subscription %q of %q", sub.ID, sub.Project)
		}
		for i, p := range sub.Periods {
			if p.Number != i+1 || !p.End.Equal(p.Start.AddDate(0, 1, 0)) || (i > 0 && !p.Start.Equal(sub.Periods[i-1].End)) {
				t.Fatalf("periods of %s: %+v", sub.ID, sub.Periods)
			}
		}
		recs, _ := h.sim.GigsRecords(sub.Project, sub.ID, GigsQuery{Aggregation: "period"})
		if strings.HasSuffix(recs[0].Start, ".0Z") {
			fractional = true
		}
		updated, err := time.Parse(time.RFC3339, recs[0].UpdatedAt)
		if err != nil || updated.After(testNow) {
			t.Fatalf("updatedAt %q", recs[0].UpdatedAt)
		}
	}
	if !fractional {
		t.Fatal("no subscription sends fractional-second timestamps")
	}
	var notFound *GigsError
	if _, err := h.sim.GigsRecords("nope", subs[0].ID, GigsQuery{}); !errors.As(err, &notFound) || notFound.Type != "notFound" {
		t.Fatalf("unknown project: %v", err)
	}
	if _, err := h.sim.GigsRecords(subs[0].Project, subs[0].ID, GigsQuery{Aggregation: "hourly"}); err == nil {
		t.Fatal("unknown aggregation accepted")
	}
}

func TestGigsUsageNeverAfterNow(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0]
	recs, _ := h.sim.GigsRecords(sub.Project, sub.ID, GigsQuery{Start: "2026-03-14", End: "2026-12-31"})
	if len(recs) != 2 || recs[1].Start != "2026-03-15T00:00:00Z" {
		t.Fatalf("want yesterday and today only: %+v", recs)
	}
	// Later in the day, today has more usage; earlier days do not change.
	h.clock.Advance(6 * time.Hour)
	later, _ := h.sim.GigsRecords(sub.Project, sub.ID, GigsQuery{Start: "2026-03-14", End: "2026-12-31"})
	if !reflect.DeepEqual(later[0], recs[0]) {
		t.Fatalf("yesterday changed as the clock moved: %+v, then %+v", recs[0], later[0])
	}
	if later[1].Data < recs[1].Data {
		t.Fatalf("today shrank from %d to %d", recs[1].Data, later[1].Data)
	}
}
