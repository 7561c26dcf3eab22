variable "sim" {
  type        = string
  default     = "tracker-01"
  description = "Unique name of the SIM to guard."
}

variable "metering_day" {
  type        = number
  default     = 14
  description = "Day of the month the SIM was activated: its rate plan limits reset on it."
}

variable "warn_at_percent" {
  type        = number
  default     = 80
  description = "Warn when the SIM has used this share of any limit of its rate plan, in percent."
}

# The SIM's usage since its limits last reset, against its rate plan's
# limits. Blocks the plan once the SIM is at or past one of them
# (over_limit): 100% of a limit, or any use of a limit of 0.
data "usage_sim" "guarded" {
  unique_name    = var.sim
  window         = "metering_period"
  metering_day   = var.metering_day
  include_limits = true

  lifecycle {
    postcondition {
      condition     = self.over_limit != true
      error_message = "${var.sim} is at or past a limit of rate plan ${self.rate_plan.unique_name} since ${self.start} (used of allowed: ${join(", ", [for name, l in self.limits : format("%s %.1f of %.1f MB", name, l.used / 1e6, l.limit / 1e6) if l.limit != null])})."
    }
  }
}

locals {
  # Each limit the plan sets (not null, not 0), and the share of it used.
  sim_used_percent = {
    for name, l in data.usage_sim.guarded.limits : name => l.used_percent if l.used_percent != null
  }
}

# Warns from 80% of any limit on; the plan still succeeds.
check "sim_near_plan_limits" {
  assert {
    condition     = alltrue([for p in values(local.sim_used_percent) : p < var.warn_at_percent])
    error_message = "${var.sim} has used ${join(", ", [for name, p in local.sim_used_percent : format("%.0f%% of %s", p, name) if p >= var.warn_at_percent])} of rate plan ${data.usage_sim.guarded.rate_plan.unique_name} since ${data.usage_sim.guarded.start}."
  }
}
