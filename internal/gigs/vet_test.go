package gigs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// pagedServer serves pages (JSON arrays of records, without brackets) in
// order, linking each to the next with a cursor.
func pagedServer(t *testing.T, pages ...string) *Client {
	t.Helper()
	c := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		i := 0
		if a := r.URL.Query().Get("after"); a != "" {
			i, _ = strconv.Atoi(strings.TrimPrefix(a, "c"))
		}
		next := "null"
		if i+1 < len(pages) {
			next = fmt.Sprintf(`"c%d"`, i+1)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","items":[%s],"moreItemsAfter":%s,"moreItemsBefore":null}`, pages[i], next)
	})
	return c
}

// rec is a record of day start..end (YYYY-MM-DD or full timestamps) with
// extra JSON fields.
func rec(start, end, extra string) string {
	if len(start) == 10 {
		start += "T00:00:00Z"
	}
	if len(end) == 10 {
		end += "T00:00:00Z"
	}
	if extra != "" && !strings.HasPrefix(extra, ",") {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"object":"usageRecord","start":%q,"end":%q%s}`, start, end, extra)
}

const counts = `"data":100,"sms":1,"voice":60`

// wantVendorDataError checks that err is a ResponseError for vendor data
// that names every part of want.
func wantVendorDataError(t *testing.T, name string, err error, want ...string) {
	t.Helper()
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Errorf("%s: error %v, want a ResponseError", name, err)
		return
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not name %q", name, err, w)
		}
	}
}

func TestRequiredCountersMissingOrNullFailTheRead(t *testing.T) {
	for _, field := range []string{"data", "sms", "voice"} {
		fields := map[string]string{"data": `"data":5`, "sms": `"sms":1`, "voice": `"voice":60`}
		for _, form := range []string{"missing", "null"} {
			fields[field] = ""
			if form == "null" {
				fields[field] = fmt.Sprintf("%q:null", field)
			}
			var parts []string
			for _, k := range []string{"data", "sms", "voice"} {
				if fields[k] != "" {
					parts = append(parts, fields[k])
				}
			}
			good := rec("2024-01-01", "2024-01-02", counts)
			bad := rec("2024-01-02", "2024-01-03", strings.Join(parts, ",")+`,"labels":{"country":"FR"}`)
			c := pagedServer(t, good+","+bad)
			_, err := c.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
			wantVendorDataError(t, field+" "+form, err,
				"counter "+field+" is missing or null", `usage record 1 (2024-01-02T00:00:00Z to 2024-01-03T00:00:00Z, country "FR"): counter `)
		}
	}
}

func TestRecordsCountedTwiceFailTheRead(t *testing.T) {
	day1 := rec("2024-01-01", "2024-01-02", counts)
	day2 := rec("2024-01-02", "2024-01-03", counts)
	cases := map[string]struct {
		pages []string
		want  []string
	}{
		"the same day twice": {[]string{day1 + "," + day2 + "," + day1},
			[]string{"2024-01-01T00:00:00Z to 2024-01-02T00:00:00Z repeats the one for 2024-01-01T00:00:00Z to 2024-01-02T00:00:00Z", "count usage twice"}},
		"the same day on two pages": {[]string{day1, day2, day2},
			[]string{"2024-01-02T00:00:00Z to 2024-01-03T00:00:00Z repeats"}},
		"a range over a day": {[]string{day1 + "," + day2, rec("2024-01-01", "2024-01-03", counts)},
			[]string{"2024-01-01T00:00:00Z to 2024-01-03T00:00:00Z overlaps the one for 2024-01-01T00:00:00Z to 2024-01-02T00:00:00Z"}},
		"shifted days": {[]string{day1 + "," + rec("2024-01-01T12:00:00Z", "2024-01-02T12:00:00Z", counts)},
			[]string{"2024-01-01T12:00:00Z to 2024-01-02T12:00:00Z overlaps"}},
		"same labels": {[]string{rec("2024-01-01", "2024-01-02", counts+`,"labels":{"country":"US","roaming":"none"}`),
			rec("2024-01-01", "2024-01-02", counts+`,"labels":{"country":"US","roaming":"none"}`)},
			[]string{`, country "US", roaming "none" repeats`}},
	}
	for name, c := range cases {
		client := pagedServer(t, c.pages...)
		_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Start: "2024-01-01", End: "2024-01-02"})
		wantVendorDataError(t, name, err, c.want...)
	}
}

func TestRecordsOfOnePeriodThatDifferByLabelsPass(t *testing.T) {
	client := pagedServer(t,
		rec("2024-01-01", "2024-01-02", counts+`,"labels":{"country":"US","roaming":"none"}`)+","+
			rec("2024-01-01", "2024-01-02", counts+`,"labels":{"country":"US","roaming":"domestic"}`),
		rec("2024-01-01", "2024-01-02", counts+`,"labels":{"country":"MX","roaming":"international"}`)+","+
			rec("2024-01-01", "2024-01-03", counts+`,"labels":{"country":"CA"}`)+","+
			rec("2024-01-02", "2024-01-03", counts+`,"labels":{"country":"US","roaming":"none"}`))
	got, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Start: "2024-01-01", End: "2024-01-02"})
	if err != nil || len(got) != 5 {
		t.Fatalf("got %d records, %v", len(got), err)
	}
}

func TestRecordsOutsideTheRangeFailTheRead(t *testing.T) {
	q := UsageQuery{Start: "2024-01-01", End: "2024-01-02"} // [Jan 1, Jan 3)
	cases := map[string]string{
		"the day before":        rec("2023-12-31", "2024-01-01", counts),
		"the day after the end": rec("2024-01-03", "2024-01-04", counts),
		"past the end":          rec("2024-01-02T12:00:00Z", "2024-01-03T12:00:00Z", counts),
		"before the start":      rec("2023-12-31T23:59:59Z", "2024-01-01T12:00:00Z", counts),
	}
	for name, r := range cases {
		client := pagedServer(t, rec("2024-01-01", "2024-01-02", counts)+","+r)
		_, err := client.SubscriptionUsage(context.Background(), "p", "s", q)
		wantVendorDataError(t, name, err, "lies outside the requested range 2024-01-01T00:00:00Z to 2024-01-03T00:00:00Z")
	}

	// The end date is inclusive: its whole day belongs to the range.
	client := pagedServer(t, rec("2024-01-01", "2024-01-02", counts)+","+rec("2024-01-02", "2024-01-03", counts))
	if _, err := client.SubscriptionUsage(context.Background(), "p", "s", q); err != nil {
		t.Errorf("the last day of an inclusive range: %v", err)
	}
	// With period=N the client does not know the range, so nothing is refused.
	client = pagedServer(t, cases["the day before"])
	if _, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Period: 2}); err != nil {
		t.Errorf("period query: %v", err)
	}
}

func TestEndNotAfterStartFailsTheRead(t *testing.T) {
	for name, r := range map[string]string{
		"empty":    rec("2024-01-02", "2024-01-02", counts),
		"backward": rec("2024-01-02", "2024-01-01", counts),
	} {
		client := pagedServer(t, r)
		_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
		wantVendorDataError(t, name, err, "end is not after start", "usage record 0 (2024-01-02T00:00:00Z to ")
	}
}

func TestCounterSumsPastInt64FailTheRead(t *testing.T) {
	// 2 × 9e18 wraps to -446744073709551616 in an int64 total.
	const huge = "9000000000000000000"
	cases := map[string][]string{
		"data": {rec("2024-01-01", "2024-01-02", `"data":`+huge+`,"sms":0,"voice":0`),
			rec("2024-01-02", "2024-01-03", `"data":`+huge+`,"sms":0,"voice":0`)},
		"voiceLocalSeconds": {rec("2024-01-01", "2024-01-02", counts+`,"voiceLocalSeconds":`+huge),
			rec("2024-01-02", "2024-01-03", counts+`,"voiceLocalSeconds":`+huge)},
		"smsInternationalMessages": {rec("2024-01-01", "2024-01-02", counts+`,"smsInternational":`+huge),
			rec("2024-01-02", "2024-01-03", counts+`,"smsInternationalMessages":`+huge)},
	}
	for field, pages := range cases {
		client := pagedServer(t, pages...)
		_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
		wantVendorDataError(t, field, err, "the "+field+" counters add up past what a 64-bit total can hold",
			"2024-01-02T00:00:00Z to 2024-01-03T00:00:00Z")
	}
	// The largest sum that fits passes.
	client := pagedServer(t, rec("2024-01-01", "2024-01-02", `"data":9223372036854775806,"sms":0,"voice":0`),
		rec("2024-01-02", "2024-01-03", `"data":1,"sms":0,"voice":0`))
	if _, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{}); err != nil {
		t.Errorf("a sum of exactly MaxInt64: %v", err)
	}
}

// TestRecordsOfAnotherSubscriptionFailTheRead: a record labelled with
// another subscription than the one asked is not this subscription's usage
// (a fleet would count it under the wrong one); one with its own label, or
// none, is.
func TestRecordsOfAnotherSubscriptionFailTheRead(t *testing.T) {
	q := UsageQuery{Start: "2024-01-01", End: "2024-01-02"}
	client := pagedServer(t, rec("2024-01-01", "2024-01-02", counts+`,"labels":{"subscription":"s"}`)+","+
		rec("2024-01-02", "2024-01-03", counts+`,"labels":{"subscription":"other"}`))
	_, err := client.SubscriptionUsage(context.Background(), "p", "s", q)
	wantVendorDataError(t, "another subscription", err, `asked for the usage of subscription "s"`, `is subscription "other"'s`)

	client = pagedServer(t, rec("2024-01-01", "2024-01-02", counts+`,"labels":{"subscription":"s"}`)+","+
		rec("2024-01-02", "2024-01-03", counts))
	if _, err := client.SubscriptionUsage(context.Background(), "p", "s", q); err != nil {
		t.Errorf("its own label, or none: %v", err)
	}
}
