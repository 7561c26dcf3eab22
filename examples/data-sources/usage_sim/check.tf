variable "tracker_quota_mib" {
  type        = number
  default     = 50
  description = "Monthly data quota of tracker-01, in MiB."
}

data "usage_sim" "tracker" {
  unique_name = "tracker-01"
  window      = "month_to_date"
}

# Warns in every plan and apply while tracker-01 is over its monthly quota;
# the plan still succeeds.
check "tracker_quota" {
  assert {
    condition     = data.usage_sim.tracker.total.data.total <= var.tracker_quota_mib * 1024 * 1024
    error_message = "tracker-01 used ${format("%.1f", data.usage_sim.tracker.total.data.total / (1024 * 1024))} MiB this month, over its ${var.tracker_quota_mib} MiB quota."
  }
}
