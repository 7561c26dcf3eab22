variable "subscription" {
  type        = string
  description = "The Gigs subscription to guard."
}

variable "warn_at_percent" {
  type        = number
  default     = 80
  description = "Warn when the subscription has used this share of any allowance of its plan, in percent."
}

# The latest subscription period against the plan's allowances (data, voice
# and SMS). Blocks the plan once the subscription is at or past one of them
# (over_limit); an unlimited allowance never blocks.
data "usage_subscription" "guarded" {
  subscription   = var.subscription
  include_limits = true

  lifecycle {
    postcondition {
      condition     = self.over_limit != true
      error_message = "${var.subscription} is at or past an allowance of plan ${self.plan.name} since ${self.start} (used of allowed: ${join(", ", [for name, l in self.limits : format("%s %d of %d", name, l.used, l.limit) if l.limit != null])}; data in bytes, voice in seconds)."
    }
  }
}

locals {
  # Each allowance that is not unlimited, and the share of it used.
  subscription_used_percent = {
    for name, l in data.usage_subscription.guarded.limits : name => l.used_percent if l.used_percent != null
  }
}

# Warns from 80% of any allowance on; the plan still succeeds.
check "subscription_near_allowances" {
  assert {
    condition     = alltrue([for p in values(local.subscription_used_percent) : p < var.warn_at_percent])
    error_message = "${var.subscription} has used ${join(", ", [for name, p in local.subscription_used_percent : format("%.0f%% of its %s allowance", p, name) if p >= var.warn_at_percent])} of plan ${data.usage_subscription.guarded.plan.name} since ${data.usage_subscription.guarded.start}."
  }
}
