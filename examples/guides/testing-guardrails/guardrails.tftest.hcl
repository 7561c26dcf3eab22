# Each guardrail of main.tf, both ways, with no credentials and no vendor:
# mock_provider answers every read of the usage data sources itself.

mock_provider "usage" {
  # The defaults every read gets: usage well under every line.
  mock_data "usage_sims" {
    defaults = {
      total = { data = { total = 10737418240 } } # 10 GiB: 20% of the fleet's 50 GiB pool
    }
  }

  mock_data "usage_sim" {
    defaults = {
      total = { data = { total = 8589934592 } } # 8 GiB: 20% of the gateway's 40 GiB cap
    }
  }

  mock_data "usage_subscription" {
    defaults = {
      plan = { id = "pln_test", name = "Test plan" }
      limits = {
        data  = { limit = 10000000000, used = 3000000000, used_percent = 30 }
        voice = { limit = 6000, used = 600, used_percent = 10 }
        sms   = { limit = null, used = 42, used_percent = null } # unlimited
      }
      over_limit = false
    }
  }
}

variables {
  subscription = "sub_test"
}

# Under the line: no check fails and no postcondition stops the plan. In
# terraform test a check that fails unexpectedly fails the run, so the run
# passing is the assertion; the asserts prove the mocked usage reached the
# guardrails' expressions.
run "quiet_under_the_line" {
  command = plan

  assert {
    condition     = local.fleet_used_percent == 20
    error_message = "The fleet's mocked usage did not reach its check: ${local.fleet_used_percent}%."
  }

  assert {
    condition     = local.line_used_percent == { data = 30, voice = 10 }
    error_message = "The subscription's mocked allowances did not reach its check."
  }
}

run "fleet_warns_at_80_percent" {
  command = plan

  override_data {
    target = data.usage_sims.fleet
    values = {
      total = { data = { total = 42949672960 } } # 40 GiB of 50
    }
  }

  expect_failures = [check.fleet_pool]
}

run "gateway_warns_at_80_percent" {
  command = plan

  override_data {
    target = data.usage_sim.gateway
    values = {
      total = { data = { total = 34359738368 } } # 32 GiB of 40
    }
  }

  expect_failures = [check.gateway_near_cap]
}

run "gateway_blocked_at_its_cap" {
  command = plan

  override_data {
    target = data.usage_sim.gateway
    values = {
      total = { data = { total = 42949672960 } } # 40 GiB of 40
    }
  }

  expect_failures = [data.usage_sim.gateway]
}

run "subscription_warns_at_80_percent" {
  command = plan

  override_data {
    target = data.usage_subscription.line
    values = {
      limits = {
        data  = { limit = 10000000000, used = 8500000000, used_percent = 85 }
        voice = { limit = 6000, used = 600, used_percent = 10 }
        sms   = { limit = null, used = 42, used_percent = null }
      }
      over_limit = false
    }
  }

  expect_failures = [check.line_allowances]
}

run "subscription_blocked_when_an_allowance_is_used_up" {
  command = plan

  override_data {
    target = data.usage_subscription.line
    values = {
      plan = { id = "pln_test", name = "Test plan" }
      limits = {
        data  = { limit = 10000000000, used = 3000000000, used_percent = 30 }
        voice = { limit = 6000, used = 6000, used_percent = 100 }
        sms   = { limit = null, used = 42, used_percent = null }
      }
      over_limit = true
    }
  }

  expect_failures = [data.usage_subscription.line]
}
