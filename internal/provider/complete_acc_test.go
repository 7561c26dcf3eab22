package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The tests below pin `complete` at its boundary: a range that ended 48 hours
// ago or earlier is complete, one that ended later is not. Gigs records end at
// midnight UTC, so each test puts its clock where a midnight is exactly 36 or
// exactly 48 hours back.

// TestAccComplete_36HoursAgoIsNotComplete: the vendors may still add usage to
// a range that ended 36 hours ago, so no data source calls it complete.
func TestAccComplete_36HoursAgoIsNotComplete(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	e := newTestEnvAt(t, now)
	end := now.Add(-36 * time.Hour) // 30 March, 00:00
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_account" "a" {
  start = %[1]q
  end   = %[2]q
}
data "usage_sim" "s" {
  sid   = %[3]q
  start = %[1]q
  end   = %[2]q
}
# 29 March inclusive: the record ends at %[2]s.
data "usage_subscription" "g" {
  subscription = %[4]q
  start        = "2026-03-29"
  end          = "2026-03-29"
}`, rfc(end.Add(-24*time.Hour)), rfc(end), e.sim.SIMs()[0].Sid, e.sim.Subscriptions()[0].ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.usage_account.a", at("complete"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.usage_sim.s", at("complete"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("records"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("records").AtSliceIndex(0).AtMapKey("end"), expectInstant(rfc(end))),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("complete"), knownvalue.Bool(false)),
			},
		}},
	})
}

// TestAccComplete_exactly48HoursAgoIsComplete: 48 hours is the vendors' own
// bound, and it is inclusive; one second less is not complete.
func TestAccComplete_exactly48HoursAgoIsComplete(t *testing.T) {
	now := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	e := newTestEnvAt(t, now)
	end := now.Add(-48 * time.Hour) // 29 March, 00:00
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_account" "a" {
  start = %[1]q
  end   = %[2]q
}
data "usage_sim" "s" {
  sid   = %[3]q
  start = %[1]q
  end   = %[2]q
}
data "usage_sim" "one_second_short" {
  sid   = %[3]q
  start = %[1]q
  end   = %[5]q
}
# 28 March inclusive: the record ends at %[2]s.
data "usage_subscription" "g" {
  subscription = %[4]q
  start        = "2026-03-28"
  end          = "2026-03-28"
}`, rfc(end.Add(-24*time.Hour)), rfc(end), e.sim.SIMs()[0].Sid, e.sim.Subscriptions()[0].ID, rfc(end.Add(time.Second))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.usage_account.a", at("complete"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.usage_sim.s", at("complete"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.usage_sim.one_second_short", at("complete"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("records"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("records").AtSliceIndex(0).AtMapKey("end"), expectInstant(rfc(end))),
				statecheck.ExpectKnownValue("data.usage_subscription.g", at("complete"), knownvalue.Bool(true)),
			},
		}},
	})
}
