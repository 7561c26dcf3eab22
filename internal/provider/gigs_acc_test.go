package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// expectGigsCounters checks the nine counters; the preview ones must be null
// exactly where the simulator omitted them, whichever name it used.
func expectGigsCounters(r vendorsim.GigsUsageRecord) map[string]knownvalue.Check {
	opt := func(vs ...*int64) knownvalue.Check {
		for _, v := range vs {
			if v != nil {
				return knownvalue.Int64Exact(*v)
			}
		}
		return knownvalue.Null()
	}
	return map[string]knownvalue.Check{
		"data":                        knownvalue.Int64Exact(r.Data),
		"sms":                         knownvalue.Int64Exact(r.Sms),
		"voice":                       knownvalue.Int64Exact(r.Voice),
		"data_device_bytes":           opt(r.DataDeviceBytes),
		"data_tethering_bytes":        opt(r.DataTetheringBytes, r.DataTethering),
		"sms_international_messages":  opt(r.SmsInternationalMessages, r.SmsInternational),
		"sms_local_messages":          opt(r.SmsLocalMessages),
		"voice_international_seconds": opt(r.VoiceInternationalSeconds),
		"voice_local_seconds":         opt(r.VoiceLocalSeconds),
	}
}

func expectGigsRecords(records []vendorsim.GigsUsageRecord) knownvalue.Check {
	label := func(s string) knownvalue.Check {
		if s == "" {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(s)
	}
	checks := make([]knownvalue.Check, len(records))
	for i, r := range records {
		m := expectGigsCounters(r)
		m["start"] = expectInstant(r.Start)
		m["end"] = expectInstant(r.End)
		m["updated_at"] = expectInstant(r.UpdatedAt)
		m["labels"] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"country":      label(r.Labels.Country),
			"roaming":      label(r.Labels.Roaming),
			"subscription": label(r.Labels.Subscription),
		})
		checks[i] = knownvalue.ObjectExact(m)
	}
	return knownvalue.ListExact(checks)
}

// gigsChecks compares the records with the simulator's and the total with
// the simulator's own period aggregation of the same range.
func (e *testEnv) gigsChecks(t *testing.T, address string, sub vendorsim.Subscription, q vendorsim.GigsQuery) []statecheck.StateCheck {
	t.Helper()
	records, err := e.sim.GigsRecords(sub.Project, sub.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	q.Aggregation = "period"
	sum, err := e.sim.GigsRecords(sub.Project, sub.ID, q)
	if err != nil || len(sum) != 1 {
		t.Fatalf("period aggregation: %v, %d records", err, len(sum))
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, at("records"), expectGigsRecords(records)),
		statecheck.ExpectKnownValue(address, at("total"), knownvalue.ObjectExact(expectGigsCounters(sum[0]))),
		statecheck.ExpectKnownValue(address, at("project"), knownvalue.StringExact(sub.Project)),
	}
}

// subscriptionsByKind picks a preview, a plain and a legacy-named one.
func subscriptionsByKind(t *testing.T, subs []vendorsim.Subscription) (preview, plain, legacy vendorsim.Subscription) {
	t.Helper()
	var havePreview, havePlain, haveLegacy bool
	for _, s := range subs {
		switch {
		case s.LegacyPreviewNames && !haveLegacy:
			legacy, haveLegacy = s, true
		case s.Preview && !s.LegacyPreviewNames && !havePreview:
			preview, havePreview = s, true
		case !s.Preview && !havePlain:
			plain, havePlain = s, true
		}
	}
	if !havePreview || !havePlain || !haveLegacy {
		t.Fatalf("the simulator lacks a kind of subscription: %+v", subs)
	}
	return preview, plain, legacy
}

func TestAccSubscription_forms(t *testing.T) {
	e := newTestEnv(t)
	preview, plain, legacy := subscriptionsByKind(t, e.sim.Subscriptions())
	latest := vendorsim.GigsQuery{}
	period1 := vendorsim.GigsQuery{Period: 1}
	dates := vendorsim.GigsQuery{Start: "2026-03-01", End: "2026-03-07"}
	window := vendorsim.GigsQuery{Start: "2026-03-01", End: "2026-03-31"}

	checks := e.gigsChecks(t, "data.usage_subscription.latest", preview, latest)
	checks = append(checks, e.gigsChecks(t, "data.usage_subscription.first_period", plain, period1)...)
	checks = append(checks, e.gigsChecks(t, "data.usage_subscription.week", legacy, dates)...)
	checks = append(checks, e.gigsChecks(t, "data.usage_subscription.mtd", preview, window)...)
	checks = append(checks, e.gigsChecks(t, "data.usage_subscription.by_country", preview, vendorsim.GigsQuery{Start: "2026-02-01", End: "2026-02-28", Aggregation: "country"})...)
	checks = append(checks,
		// The end date is inclusive: seven days, the 7th included.
		statecheck.ExpectKnownValue("data.usage_subscription.week", at("records"), knownvalue.ListSizeExact(7)),
		statecheck.ExpectKnownValue("data.usage_subscription.week", at("complete"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.usage_subscription.mtd", at("start"), knownvalue.StringExact("2026-03-01")),
		statecheck.ExpectKnownValue("data.usage_subscription.mtd", at("end"), knownvalue.StringExact("2026-03-31")),
		statecheck.ExpectKnownValue("data.usage_subscription.mtd", at("complete"), knownvalue.Bool(false)),
		// No preview field on a plain subscription: null totals, not 0.
		statecheck.ExpectKnownValue("data.usage_subscription.first_period", at("total").AtMapKey("data_device_bytes"), knownvalue.Null()),
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_subscription" "latest" {
  subscription = %[1]q
}
data "usage_subscription" "first_period" {
  subscription = %[2]q
  project      = %[4]q
  period       = 1
}
data "usage_subscription" "week" {
  subscription = %[3]q
  start        = "2026-03-01"
  end          = "2026-03-07"
}
data "usage_subscription" "mtd" {
  subscription = %[1]q
  window       = "month_to_date"
}
data "usage_subscription" "by_country" {
  subscription = %[1]q
  start        = "2026-02-01"
  end          = "2026-02-28"
  aggregation  = "country"
}`, preview.ID, plain.ID, legacy.ID, plain.Project),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccSubscription_validationFailsBeforeAnyRequest(t *testing.T) {
	e := newTestEnv(t)
	sub := e.sim.Subscriptions()[0].ID
	cases := []struct {
		name, body string
		want       string
	}{
		{"bad id", `subscription = "0SNlurA049"`, `(?s)subscription.*sub_`},
		{"too long id", `subscription = "sub_` + fmt.Sprintf("%070d", 0) + `"`, `(?s)subscription.*at most 64`},
		{"period zero", `period = 0`, `(?s)period.*at least 1`},
		{"start without end", `start = "2026-03-01"`, `(?s)end.*must be specified|(?s)Missing Attribute`},
		{"period with window", "period = 2\nwindow = \"last_7_days\"", `(?s)Invalid Attribute Combination`},
		{"end before start", "start = \"2026-03-05\"\nend = \"2026-03-01\"", `(?s)end is before start`},
		{"not a date", "start = \"2026-02-30\"\nend = \"2026-03-01\"", `(?s)not a calendar date`},
		{"date time", "start = \"2026-03-01T00:00:00Z\"\nend = \"2026-03-02\"", `(?s)YYYY-MM-DD`},
		{"bad aggregation", `aggregation = "weekly"`, `(?s)aggregation.*daily.*period`},
		{"bad window", `window = "yesterday"`, `(?s)window.*month_to_date`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if tc.name != "bad id" && tc.name != "too long id" {
				body = fmt.Sprintf("subscription = %q\n%s", sub, body)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.providerBlock() + "data \"usage_subscription\" \"x\" {\n" + body + "\n}",
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if n := len(e.sim.Counts()); n != 0 {
				t.Fatalf("validation error still sent requests: %v", e.sim.Counts())
			}
		})
	}
}

func TestAccSubscription_vendorErrors(t *testing.T) {
	e := newTestEnv(t)
	sub := e.sim.Subscriptions()[0]
	c := e.sim.Credentials()
	step := func(config, want string) resource.TestCase {
		return resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps:                    []resource.TestStep{{Config: config, ExpectError: regexp.MustCompile(want)}},
		}
	}
	t.Run("unknown subscription", func(t *testing.T) {
		resource.UnitTest(t, step(e.config(`data "usage_subscription" "x" { subscription = "sub_doesnotexist" }`),
			`(?s)Gigs:\s+not\s+found.*HTTP\s+404.*notFound.*[Ss]ubscription.*sub_doesnotexist`))
	})
	t.Run("unknown project", func(t *testing.T) {
		resource.UnitTest(t, step(e.config(`
data "usage_subscription" "x" {
  subscription = %q
  project      = "no-such-project"
}`, sub.ID), `(?s)HTTP\s+404.*notFound.*[Pp]roject.*no-such-project`))
	})
	t.Run("refused key", func(t *testing.T) {
		resource.UnitTest(t, step(fmt.Sprintf(`
provider "usage" {
  gigs = {
    api_key  = "not-the-key"
    project  = %q
    endpoint = %q
  }
}
data "usage_subscription" "x" { subscription = %q }`, c.GigsProject, e.url, sub.ID),
			`(?s)Gigs\s+refused\s+the\s+API\s+key.*HTTP\s+401.*unauthenticated`))
	})
	t.Run("not configured", func(t *testing.T) {
		t.Setenv("GIGS_API_KEY", "")
		resource.UnitTest(t, step(fmt.Sprintf(`data "usage_subscription" "x" { subscription = %q }`, sub.ID),
			`(?s)Gigs\s+is\s+not\s+configured.*gigs.api_key.*GIGS_API_KEY`))
	})
	t.Run("no project", func(t *testing.T) {
		t.Setenv("GIGS_PROJECT", "")
		resource.UnitTest(t, step(fmt.Sprintf(`
provider "usage" {
  gigs = {
    api_key  = %q
    endpoint = %q
  }
}
data "usage_subscription" "x" { subscription = %q }`, c.GigsAPIKey, e.url, sub.ID),
			`(?s)No\s+Gigs\s+project.*GIGS_PROJECT`))
	})
}
