# OpenTofu's copy of guardrails.tftest.hcl, which OpenTofu reads instead of
# it: OpenTofu wants every attribute of a mocked object (a partial total is
# refused), where Terraform 1.11 cannot take a list of objects in a mock at
# all, so each CLI gets the form it accepts. The runs are the same.
#
# Each guardrail of main.tf, both ways, with no credentials and no vendor:
# mock_provider answers every read of the usage data sources itself.

mock_provider "usage" {
  # The defaults every read gets: usage well under every line.
  mock_data "usage_sims" {
    defaults = {
      # 10 GiB: 20% of the fleet's 50 GiB pool
      total = {
        commands = {
          total                 = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD"
          home                  = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          international_roaming = null
        }
        data = {
          total                 = 10737418240, upload = 0, download = 10737418240, units = "bytes", billed = 0, billing_units = "USD"
          home                  = { total = 10737418240, upload = 0, download = 10737418240, units = "bytes", billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, upload = 0, download = 0, units = "bytes", billed = 0, billing_units = "USD" }
          international_roaming = null
        }
      }
    }
  }

  mock_data "usage_sim" {
    defaults = {
      # 8 GiB: 20% of the gateway's 40 GiB cap
      total = {
        commands = {
          total                 = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD"
          home                  = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          international_roaming = null
        }
        data = {
          total                 = 8589934592, upload = 0, download = 8589934592, units = "bytes", billed = 0, billing_units = "USD"
          home                  = { total = 8589934592, upload = 0, download = 8589934592, units = "bytes", billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, upload = 0, download = 0, units = "bytes", billed = 0, billing_units = "USD" }
          international_roaming = null
        }
      }
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
      # 40 GiB of 50
      total = {
        commands = {
          total                 = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD"
          home                  = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          international_roaming = null
        }
        data = {
          total                 = 42949672960, upload = 0, download = 42949672960, units = "bytes", billed = 0, billing_units = "USD"
          home                  = { total = 42949672960, upload = 0, download = 42949672960, units = "bytes", billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, upload = 0, download = 0, units = "bytes", billed = 0, billing_units = "USD" }
          international_roaming = null
        }
      }
    }
  }

  expect_failures = [check.fleet_pool]
}

run "gateway_warns_at_80_percent" {
  command = plan

  override_data {
    target = data.usage_sim.gateway
    values = {
      # 32 GiB of 40
      total = {
        commands = {
          total                 = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD"
          home                  = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          international_roaming = null
        }
        data = {
          total                 = 34359738368, upload = 0, download = 34359738368, units = "bytes", billed = 0, billing_units = "USD"
          home                  = { total = 34359738368, upload = 0, download = 34359738368, units = "bytes", billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, upload = 0, download = 0, units = "bytes", billed = 0, billing_units = "USD" }
          international_roaming = null
        }
      }
    }
  }

  expect_failures = [check.gateway_near_cap]
}

run "gateway_blocked_at_its_cap" {
  command = plan

  override_data {
    target = data.usage_sim.gateway
    values = {
      # 40 GiB of 40
      total = {
        commands = {
          total                 = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD"
          home                  = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, to_sim = 0, from_sim = 0, billed = 0, billing_units = "USD" }
          international_roaming = null
        }
        data = {
          total                 = 42949672960, upload = 0, download = 42949672960, units = "bytes", billed = 0, billing_units = "USD"
          home                  = { total = 42949672960, upload = 0, download = 42949672960, units = "bytes", billed = 0, billing_units = "USD" }
          national_roaming      = { total = 0, upload = 0, download = 0, units = "bytes", billed = 0, billing_units = "USD" }
          international_roaming = null
        }
      }
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
