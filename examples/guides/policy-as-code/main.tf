# A fleet read for a policy engine: plan it with `terraform plan -out`, render
# the plan with `terraform show -json`, and let OPA/Conftest (usage.rego) or
# Sentinel decide whether the run may go on.
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    usage = {
      source = "simusage/usage"
    }
  }
}

provider "usage" {}

variable "name_regex" {
  type        = string
  default     = null
  description = "The SIMs to read, by unique name; null reads every SIM of the account."
}

# Every SIM with its usage since the 1st of the month and the limits of its
# rate plan. No postcondition: a failed one would stop the plan before the
# policy sees it, and the policy is what blocks here.
data "usage_sims" "fleet" {
  unique_name_regex = var.name_regex
  window            = "metering_period"
  metering_day      = 1
  include_limits    = true
}

# The same test as the policy's over_limit rule, as a warning in the plan
# output; its result is in the plan JSON's checks[] too.
check "fleet_within_plan_limits" {
  assert {
    condition     = alltrue([for s in data.usage_sims.fleet.sims : s.over_limit != true])
    error_message = "At or past a limit of their rate plan: ${join(", ", [for s in data.usage_sims.fleet.sims : coalesce(s.unique_name, s.sid) if s.over_limit == true])}."
  }
}
