variable "name_regex" {
  type        = string
  default     = "^tracker-"
  description = "The SIMs to guard, by unique name: SIMs activated on the same day of the month, so that one metering_day fits them all."
}

variable "metering_day" {
  type        = number
  default     = 14
  description = "Day of the month those SIMs were activated: their rate plan limits reset on it."
}

variable "warn_at_percent" {
  type        = number
  default     = 80
  description = "Warn when a SIM has used this share of any limit of its rate plan, in percent."
}

# Blocks the plan when any SIM is at or past a limit of its rate plan
# (over_limit): 100% of a limit, or any use of a limit of 0.
data "usage_sims" "fleet" {
  unique_name_regex = var.name_regex
  window            = "metering_period"
  metering_day      = var.metering_day
  include_limits    = true

  lifecycle {
    postcondition {
      condition     = alltrue([for s in self.sims : s.over_limit != true])
      error_message = "At or past a limit of their rate plan: ${join(", ", [for s in self.sims : coalesce(s.unique_name, s.sid) if s.over_limit == true])}."
    }
  }
}

locals {
  # The highest share of a limit each SIM has used, in percent. A limit the
  # plan does not set (or of 0) has no percentage; a SIM without a rate plan
  # has no limits and is left out.
  plan_used_percent = {
    for s in data.usage_sims.fleet.sims : coalesce(s.unique_name, s.sid) => max([for l in values(s.limits) : coalesce(l.used_percent, 0)]...)
    if s.limits != null
  }
  near_limit = { for name, p in local.plan_used_percent : name => p if p >= var.warn_at_percent }
}

# Warns about every SIM over 80% of its plan; the plan still succeeds.
check "fleet_near_plan_limits" {
  assert {
    condition     = length(local.near_limit) == 0
    error_message = "Over ${var.warn_at_percent}% of their rate plan since day ${var.metering_day}: ${join(", ", [for name, p in local.near_limit : format("%s (%.0f%%)", name, p)])}."
  }
}
