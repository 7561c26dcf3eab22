package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestAccFleetReads plans both fleet reads with limits through the real
// Terraform CLI: every SIM and every active subscription, each SIM's total
// as the simulator sums it, and a rate plan on the first SIM.
func TestAccFleetReads(t *testing.T) {
	e := newTestEnvWith(t, vendorsim.Options{SIMs: 30})
	sims := e.sim.SIMs()
	first := sims[0]
	for _, s := range sims {
		if s.Sid < first.Sid {
			first = s
		}
	}
	start, end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	all := e.sim.KoreRecords(first.Sid, start, end, "all")
	active := 0
	for _, s := range e.sim.Subscriptions() {
		if s.Status == "active" {
			active++
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_sims" "fleet" {
  start          = "2026-03-01T00:00:00Z"
  end            = "2026-03-31T00:00:00Z"
  include_limits = true
}
data "usage_subscriptions" "all" {
  include_limits = true
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.usage_sims.fleet", at("sims"), knownvalue.ListSizeExact(len(sims))),
				statecheck.ExpectKnownValue("data.usage_sims.fleet", at("sims").AtSliceIndex(0).AtMapKey("sid"), knownvalue.StringExact(first.Sid)),
				statecheck.ExpectKnownValue("data.usage_sims.fleet", at("sims").AtSliceIndex(0).AtMapKey("total"), expectKoreTotal(all[0])),
				statecheck.ExpectKnownValue("data.usage_sims.fleet", at("sims").AtSliceIndex(0).AtMapKey("rate_plan").AtMapKey("sid"),
					knownvalue.StringExact(first.RatePlanSid)),
				statecheck.ExpectKnownValue("data.usage_subscriptions.all", at("subscriptions"), knownvalue.ListSizeExact(active)),
			},
		}},
	})
}

// TestAccMeteringPeriod: window = "metering_period" counts from the last
// metering_day at 00:00 UTC; metering_day is required with it and refused
// without it, at plan time.
func TestAccMeteringPeriod(t *testing.T) {
	e := newTestEnv(t) // testNow is 2026-03-31T10:30:00Z
	sid := e.sim.SIMs()[0].Sid
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		// The refusals first: the last step's configuration is also the one destroyed.
		Steps: []resource.TestStep{
			{
				Config:      e.config("data \"usage_sim\" \"m\" {\n  sid    = %q\n  window = \"metering_period\"\n}\n", sid),
				ExpectError: regexp.MustCompile(`metering_day is required with metering_period`),
				PlanOnly:    true,
			},
			{
				Config:      e.config("data \"usage_sims\" \"m\" {\n  window       = \"last_7_days\"\n  metering_day = 3\n}\n"),
				ExpectError: regexp.MustCompile(`metering_day needs window = "metering_period"`),
				PlanOnly:    true,
			},
			{
				Config:      e.config(`data "usage_account" "a" { window = "metering_period" }`),
				ExpectError: regexp.MustCompile(`(?s)window.*value must be one of`),
				PlanOnly:    true,
			},
			{
				Config: e.config(`
data "usage_sim" "m" {
  sid          = %q
  window       = "metering_period"
  metering_day = 31
}
data "usage_sims" "m" {
  window       = "metering_period"
  metering_day = 15
}
`, sid),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.usage_sim.m", at("start"), knownvalue.StringExact("2026-03-31T00:00:00Z")),
					statecheck.ExpectKnownValue("data.usage_sim.m", at("end"), knownvalue.StringExact("2026-03-31T10:30:00Z")),
					statecheck.ExpectKnownValue("data.usage_sims.m", at("start"), knownvalue.StringExact("2026-03-15T00:00:00Z")),
				},
			},
		},
	})
}
