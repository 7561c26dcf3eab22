# The offline demo: `make demo` plans this configuration against the built-in
# simulator of KORE and Gigs. Credentials and endpoints come from the
# environment (KORE_*, GIGS_*), exactly as they would in CI.
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    usage = {
      source = "simusage/usage"
    }
  }
}

provider "usage" {}

variable "subscription" {
  type        = string
  description = "Gigs subscription to watch (the demo passes one of the simulator's)."
}

locals {
  gib = 1024 * 1024 * 1024
  # Monthly data quota per SIM, in bytes.
  sim_quotas = {
    "tracker-01" = 0.05 * local.gib
    "vehicle-01" = 4 * local.gib
    "gateway-01" = 1 * local.gib
  }
}

# The whole account this month, every counter, in total.
data "usage_account" "this_month" {
  window = "month_to_date"
}

# Three SIMs by unique name, daily records for the month so far.
data "usage_sim" "fleet" {
  for_each = local.sim_quotas

  unique_name = each.key
  window      = "month_to_date"
  granularity = "daily"
}

# A warning in every plan while a SIM is over its quota.
check "sim_data_quota" {
  assert {
    condition = alltrue([
      for name, sim in data.usage_sim.fleet : sim.total.data.total <= local.sim_quotas[name]
    ])
    error_message = "Over the monthly data quota: ${join(", ", [
      for name, sim in data.usage_sim.fleet :
      format("%s used %.2f GiB of %.2f GiB", name, sim.total.data.total / local.gib, local.sim_quotas[name] / local.gib)
      if sim.total.data.total > local.sim_quotas[name]
    ])}."
  }
}

# Every active SIM of the account in one data source, with its rate plan's
# limits: one list request, then one usage request per SIM, read
# concurrently, and one request for the rate plans.
data "usage_sims" "active" {
  status         = "active"
  window         = "month_to_date"
  include_limits = true
}

locals {
  # The highest share of a rate plan limit each SIM has used, in percent
  # (limits the plan does not set have none).
  plan_used_percent = {
    for s in data.usage_sims.active.sims : coalesce(s.unique_name, s.sid) => max([for l in values(s.limits) : coalesce(l.used_percent, 0)]...)
    if s.limits != null
  }
}

# A warning in every plan while a SIM is at or past a limit of its plan.
check "fleet_plan_limits" {
  assert {
    condition = alltrue([for s in data.usage_sims.active.sims : s.over_limit != true])
    error_message = "At or past a limit of their rate plan this month: ${join(", ", [
      for s in data.usage_sims.active.sims : coalesce(s.unique_name, s.sid) if s.over_limit == true
    ])}."
  }
}

# The Gigs subscription's latest billing period, per day, against its plan's
# allowances.
data "usage_subscription" "line" {
  subscription   = var.subscription
  include_limits = true
}

check "subscription_allowances" {
  assert {
    condition     = data.usage_subscription.line.over_limit != true
    error_message = "Subscription ${var.subscription} used up an allowance of its plan ${data.usage_subscription.line.plan.name} this period."
  }
}

locals {
  # Data and commands are billed separately; the sum is shown in cents, as
  # the vendor bills, not with the float noise of a sum of doubles.
  billed_this_month = data.usage_account.this_month.total.data.billed + data.usage_account.this_month.total.commands.billed
}

output "account_this_month" {
  description = "The account's usage this month."
  value = {
    data_gib      = format("%.3f", data.usage_account.this_month.total.data.total / local.gib)
    commands      = data.usage_account.this_month.total.commands.total
    billed        = format("%.2f %s", local.billed_this_month, data.usage_account.this_month.total.data.billing_units)
    roaming_in    = [for c in data.usage_account.this_month.total.data.international_roaming : c.country_code]
    final_numbers = data.usage_account.this_month.complete
  }
}

output "sims" {
  description = "Each SIM's data this month against its quota."
  value = {
    for name, sim in data.usage_sim.fleet : name => {
      sid       = sim.sid
      data_mib  = format("%.1f", sim.total.data.total / 1048576)
      quota_mib = format("%.1f", local.sim_quotas[name] / 1048576)
      days      = length(sim.records)
    }
  }
}

output "fleet" {
  description = "Every active SIM this month, in one read, against its rate plan."
  value = {
    sims            = length(data.usage_sims.active.sims)
    data_gib        = format("%.3f", data.usage_sims.active.total.data.total / local.gib)
    over_80_percent = sort([for name, p in local.plan_used_percent : name if p >= 80])
  }
}

output "subscription" {
  description = "The Gigs subscription's latest period against its plan."
  value = {
    from      = data.usage_subscription.line.start
    to        = data.usage_subscription.line.end
    plan      = data.usage_subscription.line.plan.name
    data_mib  = format("%.1f", data.usage_subscription.line.total.data / 1048576)
    sms       = data.usage_subscription.line.total.sms
    voice_min = format("%.1f", data.usage_subscription.line.total.voice / 60)
    used_percent = {
      for name, l in data.usage_subscription.line.limits : name => format("%.0f", l.used_percent) if l.used_percent != null
    }
  }
}
