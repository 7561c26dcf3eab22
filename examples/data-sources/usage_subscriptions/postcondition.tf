variable "data_cap_percent" {
  type        = number
  default     = 100
  description = "Share of its plan's data allowance any subscription may use in its current period, in percent."
}

variable "statuses" {
  type        = list(string)
  default     = ["active"]
  description = "Statuses of the subscriptions to guard."
}

# Stops the plan with an error when any active subscription has used its
# plan's data allowance in its current period. The list embeds each plan, so
# include_limits costs no request. An unlimited allowance has no percentage
# and never blocks; an empty selection would pass, so it blocks too.
data "usage_subscriptions" "active" {
  status         = var.statuses
  include_limits = true

  lifecycle {
    postcondition {
      condition     = length(self.subscriptions) > 0
      error_message = "No subscription in status ${join(", ", var.statuses)}: the allowance guardrail would pass on nothing."
    }
    postcondition {
      condition = alltrue([
        for s in self.subscriptions : coalesce(s.limits.data.used_percent, 0) < var.data_cap_percent
      ])
      error_message = "Over ${var.data_cap_percent}% of their data allowance this period: ${join(", ", [
        for s in self.subscriptions : format("%s (%.0f%% of %s)", s.id, s.limits.data.used_percent, s.plan.name)
        if coalesce(s.limits.data.used_percent, 0) >= var.data_cap_percent
      ])}."
    }
  }
}

output "data_used_percent" {
  value = {
    for s in data.usage_subscriptions.active.subscriptions : s.id => s.limits.data.used_percent
  }
}
