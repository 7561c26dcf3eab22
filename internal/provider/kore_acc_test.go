package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func at(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// koreChecks compares a KORE data source's whole state with the
// simulator's records for the same query, and its total with the
// simulator's own sum.
func (e *testEnv) koreChecks(address, sid string, start, end time.Time, granularity string) []statecheck.StateCheck {
	records := e.sim.KoreRecords(sid, start, end, granularity)
	all := e.sim.KoreRecords(sid, start, end, "all")
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, at("start"), knownvalue.StringExact(rfc(start))),
		statecheck.ExpectKnownValue(address, at("end"), knownvalue.StringExact(rfc(end))),
		statecheck.ExpectKnownValue(address, at("granularity"), knownvalue.StringExact(granularity)),
		statecheck.ExpectKnownValue(address, at("account_sid"), knownvalue.StringExact(e.sim.AccountSid())),
		statecheck.ExpectKnownValue(address, at("records"), expectKoreRecords(records)),
		statecheck.ExpectKnownValue(address, at("total"), expectKoreTotal(all[0])),
	}
}

func TestAccAccount_dailyExplicitRange(t *testing.T) {
	e := newTestEnv(t)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_account" "week" {
  start       = %q
  end         = %q
  granularity = "daily"
}`, rfc(start), rfc(end)),
			ConfigStateChecks: append(e.koreChecks("data.usage_account.week", "", start, end, "daily"),
				statecheck.ExpectKnownValue("data.usage_account.week", at("complete"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.usage_account.week", at("records"), knownvalue.ListSizeExact(8)),
			),
		}},
	})
}

func TestAccAccount_defaultRangeIsOneCalendarMonth(t *testing.T) {
	e := newTestEnv(t)
	// 31 March minus one calendar month is 28 February, not 3 March.
	start := time.Date(2026, 2, 28, 10, 30, 0, 0, time.UTC)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`data "usage_account" "default" {}`),
			ConfigStateChecks: append(e.koreChecks("data.usage_account.default", "", start, testNow, "all"),
				statecheck.ExpectKnownValue("data.usage_account.default", at("complete"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.usage_account.default", at("window"), knownvalue.Null()),
			),
		}},
	})
}

func TestAccSim_selectorsAndGranularities(t *testing.T) {
	e := newTestEnv(t)
	sims := e.sim.SIMs()
	bySid, byName, byICCID := sims[0], sims[1], sims[2]
	monthStart := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	prevStart := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	last24 := testNow.Add(-24 * time.Hour)

	checks := e.koreChecks("data.usage_sim.by_sid", bySid.Sid, prevStart, monthStart, "daily")
	checks = append(checks, e.koreChecks("data.usage_sim.by_name", byName.Sid, monthStart, testNow, "hourly")...)
	checks = append(checks, e.koreChecks("data.usage_sim.by_iccid", byICCID.Sid, last24, testNow, "all")...)
	checks = append(checks,
		statecheck.ExpectKnownValue("data.usage_sim.by_name", at("sid"), knownvalue.StringExact(byName.Sid)),
		statecheck.ExpectKnownValue("data.usage_sim.by_iccid", at("sid"), knownvalue.StringExact(byICCID.Sid)),
		statecheck.ExpectKnownValue("data.usage_sim.by_sid", at("complete"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.usage_sim.by_name", at("complete"), knownvalue.Bool(false)),
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_sim" "by_sid" {
  sid         = %q
  window      = "previous_month"
  granularity = "daily"
}
data "usage_sim" "by_name" {
  unique_name = %q
  window      = "month_to_date"
  granularity = "hourly"
}
data "usage_sim" "by_iccid" {
  iccid  = %q
  window = "last_24_hours"
}`, bySid.Sid, byName.UniqueName, byICCID.ICCID),
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccKore_requestCounts checks that every plan costs one token and the
// minimum of usage requests: each terraform command configures the provider
// afresh, so the counts are compared per token.
func TestAccKore_requestCounts(t *testing.T) {
	e := newTestEnv(t)
	sims := e.sim.SIMs()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_account" "a" { window = "last_7_days" }
data "usage_sim" "s1" {
  sid    = %q
  window = "last_7_days"
}
data "usage_sim" "s2" {
  unique_name = %q
  window      = "last_7_days"
}
data "usage_sim" "s3" {
  iccid  = %q
  window = "last_7_days"
}
# The same question twice costs one request.
data "usage_sim" "s3_again" {
  sid    = data.usage_sim.s3.sid
  window = "last_7_days"
}`, sims[0].Sid, sims[1].UniqueName, sims[2].ICCID),
			Check: func(*terraform.State) error {
				tokens := e.sim.Requests("kore.token")
				if tokens == 0 {
					return fmt.Errorf("no token requests")
				}
				want := map[string]int{
					"kore.usage.account": tokens,
					"kore.usage.sim":     3 * tokens,
					"kore.sims.get":      tokens,
					"kore.sims.list":     tokens,
				}
				for route, n := range want {
					if got := e.sim.Requests(route); got != n {
						return fmt.Errorf("%s: %d requests for %d plans (tokens), want %d", route, got, tokens, n)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccKore_validationFailsBeforeAnyRequest(t *testing.T) {
	e := newTestEnv(t)
	cases := []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"bad sid", `data "usage_sim" "x" { sid = "DE123" }`, regexp.MustCompile(`(?s)sid.*DE.*32\s+hexadecimal`)},
		{"two selectors", fmt.Sprintf(`data "usage_sim" "x" {
  sid         = %q
  unique_name = "tracker-01"
}`, e.sim.SIMs()[0].Sid), regexp.MustCompile(`(?s)Invalid\s+Attribute\s+Combination.*sid.*unique_name`)},
		{"no selector", `data "usage_sim" "x" {}`, regexp.MustCompile(`(?s)Exactly\s+one\s+of\s+these\s+attributes\s+must\s+be\s+configured.*sid,unique_name,iccid`)},
		{"bad granularity", `data "usage_account" "x" { granularity = "weekly" }`, regexp.MustCompile(`(?s)granularity.*all.*daily.*hourly`)},
		{"bad window", `data "usage_account" "x" { window = "last_year" }`, regexp.MustCompile(`(?s)window.*last_24_hours`)},
		{"start after end", `data "usage_account" "x" {
  start = "2026-03-02T00:00:00Z"
  end   = "2026-03-01T00:00:00Z"
}`, regexp.MustCompile(`(?s)start\s+must\s+be\s+before\s+end`)},
		{"window with start", `data "usage_account" "x" {
  window = "last_7_days"
  start  = "2026-03-01T00:00:00Z"
}`, regexp.MustCompile(`(?s)Invalid\s+Attribute\s+Combination.*window`)},
		{"bad timestamp", `data "usage_account" "x" { start = "yesterday" }`, regexp.MustCompile(`(?s)not\s+valid\s+RFC3339`)},
		{"bad iccid", `data "usage_sim" "x" { iccid = "89-01" }`, regexp.MustCompile(`(?s)iccid.*18\s+to\s+22\s+digits`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.providerBlock() + tc.config,
					ExpectError: tc.want,
				}},
			})
			if n := len(e.sim.Counts()); n != 0 {
				t.Fatalf("validation error still sent requests: %v", e.sim.Counts())
			}
		})
	}
}

func TestAccKore_vendorErrors(t *testing.T) {
	e := newTestEnv(t)
	c := e.sim.Credentials()
	cases := []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"unknown unique name", `data "usage_sim" "x" { unique_name = "no-such-sim" }`,
			regexp.MustCompile(`(?s)not\s+found.*unique_name\s+"no-such-sim".*HTTP\s+404`)},
		{"unknown iccid", `data "usage_sim" "x" { iccid = "8900000000000000000" }`,
			regexp.MustCompile(`(?s)iccid\s+"8900000000000000000".*404`)},
		{"unknown sid", `data "usage_sim" "x" { sid = "DE00000000000000000000000000000000" }`,
			regexp.MustCompile(`(?s)SIM\s+DE00000000000000000000000000000000.*HTTP\s+404,\s+code\s+\d+`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{{Config: e.providerBlock() + tc.config, ExpectError: tc.want}},
			})
		})
	}

	t.Run("refused credentials", func(t *testing.T) {
		config := fmt.Sprintf(`
provider "usage" {
  kore = {
    client_id     = %q
    client_secret = "not-the-secret"
    endpoint      = %q
    token_url     = %q
  }
}
data "usage_account" "x" {}`, c.KoreClientID, e.url, e.url+"/api-services/v1/auth/token")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)KORE\s+refused\s+the\s+client\s+credentials.*HTTP\s+401.*KORE_CLIENT_SECRET`),
			}},
		})
	})

	t.Run("not configured", func(t *testing.T) {
		t.Setenv("KORE_CLIENT_ID", "")
		t.Setenv("KORE_CLIENT_SECRET", "")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      `data "usage_account" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)KORE\s+is\s+not\s+configured.*kore.client_id.*KORE_CLIENT_ID`),
			}},
		})
	})
}
