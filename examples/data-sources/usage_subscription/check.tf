variable "subscription" {
  type        = string
  description = "The Gigs subscription to watch."
}

variable "data_cap_gib" {
  type        = number
  default     = 20
  description = "The subscription's data allowance per period, in GiB."
}

# The latest subscription period, in one record.
data "usage_subscription" "current" {
  subscription = var.subscription
  aggregation  = "period"
}

# Warns in every plan and apply while the line is over its allowance in the
# current period; the plan still succeeds.
check "subscription_data_cap" {
  assert {
    condition     = data.usage_subscription.current.total.data <= var.data_cap_gib * 1024 * 1024 * 1024
    error_message = "${var.subscription} used ${format("%.2f", data.usage_subscription.current.total.data / (1024 * 1024 * 1024))} GiB since ${data.usage_subscription.current.start}, over its ${var.data_cap_gib} GiB allowance."
  }
}
