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

# Every SIM's usage is read and added to total, but sims holds only those at
# or over warn_at_percent of a limit, or past one (over_limit): the state, and
# Terraform's memory, follow the SIMs over the line, not the fleet.
data "usage_sims" "near_limit" {
  unique_name_regex = var.name_regex
  window            = "metering_period"
  metering_day      = var.metering_day
  include_limits    = true
  keep              = { used_percent = var.warn_at_percent }

  # Blocks the plan when a SIM is at or past a limit (100%, or any use of a
  # limit of 0). Every such SIM is kept, whatever warn_at_percent.
  lifecycle {
    postcondition {
      condition     = length([for s in self.sims : s if s.over_limit == true]) == 0
      error_message = "At or past a limit of their rate plan: ${join(", ", [for s in self.sims : coalesce(s.unique_name, s.sid) if s.over_limit == true])}."
    }
  }
}

# Warns about every SIM kept (over warn_at_percent); the plan still succeeds.
check "fleet_near_plan_limits" {
  assert {
    condition = length(data.usage_sims.near_limit.sims) == 0
    error_message = "${data.usage_sims.near_limit.kept_count} of ${data.usage_sims.near_limit.sim_count} SIMs over ${var.warn_at_percent}% of their rate plan since day ${var.metering_day}: ${join(", ", [
      for s in data.usage_sims.near_limit.sims : format("%s (%.0f%%)", coalesce(s.unique_name, s.sid), max([for l in values(s.limits) : coalesce(l.used_percent, 0)]...))
    ])}."
  }
}
