variable "alert_at_percent" {
  type        = number
  default     = 80
  description = "Share of each rate plan limit at which a SIM's alert fires, in percent."
}

# Every active SIM, with its rate plan's limits.
data "usage_sims" "active" {
  status         = "active"
  include_limits = true
}

# One alert configuration per SIM, keyed by SID: a SIM added to the account
# gets its alert in the next plan, a SIM that leaves loses it.
# terraform_data stands in for the alert resource of your monitoring
# provider.
resource "terraform_data" "sim_alert" {
  for_each = { for s in data.usage_sims.active.sims : s.sid => s }

  # Only what stays put between plans: the SIM, its plan and thresholds
  # derived from the plan's limits. Usage (total, used, used_percent) changes
  # on every read and would update the alert in every apply.
  input = {
    sim       = coalesce(each.value.unique_name, each.key)
    rate_plan = each.value.rate_plan == null ? null : each.value.rate_plan.unique_name
    alert_bytes = each.value.limits == null ? {} : {
      for bucket, l in each.value.limits : bucket => floor(l.limit * var.alert_at_percent / 100)
      if l.limit != null
    }
  }
}

output "sim_alerts" {
  value = length(terraform_data.sim_alert)
}
