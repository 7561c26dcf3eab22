variable "statuses" {
  type        = list(string)
  default     = ["active"]
  description = "Statuses of the subscriptions to guard."
}

variable "plan" {
  type        = string
  default     = null
  description = "Only the subscriptions on this plan id (pln_…); null guards every plan."
}

variable "warn_at_percent" {
  type        = number
  default     = 80
  description = "Warn when a subscription has used this share of any allowance of its plan (data, voice, SMS) in its current period, in percent."
}

# Every subscription's usage is read and added to total, but subscriptions
# holds only those at or over warn_at_percent of an allowance, or past one
# (over_limit). The list embeds each plan, so include_limits costs no request;
# an unlimited allowance has no percentage and is never over.
data "usage_subscriptions" "near_allowance" {
  status         = var.statuses
  plan           = var.plan
  include_limits = true
  keep           = { used_percent = var.warn_at_percent }

  # Blocks the plan when a subscription is at or past an allowance (100%, or
  # any use of an allowance of 0). Every such subscription is kept.
  lifecycle {
    postcondition {
      condition     = length([for s in self.subscriptions : s if s.over_limit == true]) == 0
      error_message = "At or past an allowance of their plan this period: ${join(", ", [for s in self.subscriptions : format("%s (%s)", s.id, s.plan.name) if s.over_limit == true])}."
    }
  }
}

# Warns about every subscription kept (over warn_at_percent); the plan still succeeds.
check "subscriptions_near_allowances" {
  assert {
    condition = length(data.usage_subscriptions.near_allowance.subscriptions) == 0
    error_message = "${data.usage_subscriptions.near_allowance.kept_count} of ${data.usage_subscriptions.near_allowance.subscription_count} subscriptions over ${var.warn_at_percent}% of an allowance this period: ${join(", ", [
      for s in data.usage_subscriptions.near_allowance.subscriptions : format("%s (%.0f%%)", s.id, max([for l in values(s.limits) : coalesce(l.used_percent, 0)]...))
    ])}."
  }
}
