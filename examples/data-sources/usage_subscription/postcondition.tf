variable "subscription" {
  type        = string
  description = "The Gigs subscription to guard."
}

variable "max_voice_minutes" {
  type        = number
  default     = 3000
  description = "Voice minutes allowed in the last 30 days."
}

# Stops the plan with an error when the line's calls over the last 30 days
# exceed the limit.
data "usage_subscription" "recent" {
  subscription = var.subscription
  window       = "last_30_days"
  aggregation  = "period"

  lifecycle {
    postcondition {
      condition     = self.total.voice <= var.max_voice_minutes * 60
      error_message = "${var.subscription} made ${floor(self.total.voice / 60)} minutes of calls in the last 30 days, over the limit of ${var.max_voice_minutes}."
    }
  }
}

output "voice_minutes_last_30_days" {
  value = floor(data.usage_subscription.recent.total.voice / 60)
}
