# What a mock_provider with no mock_data makes up: every computed number is
# 0, every list empty, every bool false, every string random. The guardrails
# then see no usage at all and stay quiet, whatever their thresholds: a test
# like this one proves nothing about them.

mock_provider "usage" {}

variables {
  subscription = "sub_test"
}

run "a_bare_mock_is_always_under_the_line" {
  command = plan

  assert {
    condition     = data.usage_sims.fleet.total.data.total == 0 && length(data.usage_sims.fleet.sims) == 0
    error_message = "Expected no fleet usage and no SIMs from a bare mock."
  }

  assert {
    condition     = data.usage_sim.gateway.total.data.total == 0
    error_message = "Expected no gateway usage from a bare mock."
  }

  # Not null as the provider would say for a limit of 0, but 0; and
  # over_limit false where the provider would say true for any use of it.
  assert {
    condition     = data.usage_subscription.line.limits.data.limit == 0 && data.usage_subscription.line.limits.data.used_percent == 0 && data.usage_subscription.line.over_limit == false
    error_message = "Expected a limit of 0, used_percent 0 and over_limit false from a bare mock."
  }
}
