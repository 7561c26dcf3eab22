variable "tracker_quota_mib" {
  type        = number
  default     = 100
  description = "Monthly data quota of every tracker SIM, in MiB."
}

variable "tracker_name_regex" {
  type        = string
  default     = "^tracker-"
  description = "Unique names of the tracker SIMs (RE2)."
}

# Every SIM whose unique name starts with "tracker-", this month. An empty
# selection (a typo in the regex, say) would make every check below pass, so
# the postcondition stops the plan instead.
data "usage_sims" "trackers" {
  unique_name_regex = var.tracker_name_regex
  window            = "month_to_date"

  lifecycle {
    postcondition {
      condition     = length(self.sims) > 0
      error_message = "No SIM matches ${var.tracker_name_regex}: the quota check below would pass on nothing."
    }
  }
}

locals {
  trackers_over_quota = [
    for s in data.usage_sims.trackers.sims : format("%s (%.1f MiB)", s.unique_name, s.total.data.total / (1024 * 1024))
    if s.total.data.total > var.tracker_quota_mib * 1024 * 1024
  ]
}

# One warning that names every tracker over its quota; the plan still
# succeeds.
check "tracker_quotas" {
  assert {
    condition     = length(local.trackers_over_quota) == 0
    error_message = "${length(local.trackers_over_quota)} of ${length(data.usage_sims.trackers.sims)} trackers are over their ${var.tracker_quota_mib} MiB monthly quota: ${join(", ", local.trackers_over_quota)}."
  }
}
