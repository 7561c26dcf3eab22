terraform {
  required_providers {
    usage = {
      source = "simusage/usage"
    }
  }
}

variable "subscription" {
  type        = string
  description = "The Gigs subscription to guard."
}

variable "fleet_pool_gib" {
  type        = number
  default     = 50
  description = "The data the tracker fleet shares each month, in GiB."
}

variable "gateway_cap_gib" {
  type        = number
  default     = 40
  description = "The data gateway-01 may use each month, in GiB."
}

variable "warn_at_percent" {
  type        = number
  default     = 80
  description = "Warn from this share of a pool, cap or allowance on, in percent."
}

locals {
  gib = 1024 * 1024 * 1024
}

# The tracker fleet's data this month, summed over its SIMs (total).
data "usage_sims" "fleet" {
  unique_name_regex = "^tracker-"
  window            = "month_to_date"
}

locals {
  fleet_used_percent = 100 * data.usage_sims.fleet.total.data.total / (var.fleet_pool_gib * local.gib)
}

# Warns from 80% of the fleet's pool on; the plan goes on.
check "fleet_pool" {
  assert {
    condition     = local.fleet_used_percent < var.warn_at_percent
    error_message = "The trackers have used ${format("%.0f", local.fleet_used_percent)}% of their ${var.fleet_pool_gib} GiB pool this month."
  }
}

# One SIM with a fixed cap: warns from 80% on (check), blocks the plan at
# 100% (postcondition).
data "usage_sim" "gateway" {
  unique_name = "gateway-01"
  window      = "month_to_date"

  lifecycle {
    postcondition {
      condition     = self.total.data.total < var.gateway_cap_gib * local.gib
      error_message = "gateway-01 has used its ${var.gateway_cap_gib} GiB cap this month."
    }
  }
}

check "gateway_near_cap" {
  assert {
    condition     = data.usage_sim.gateway.total.data.total < var.warn_at_percent / 100 * var.gateway_cap_gib * local.gib
    error_message = "gateway-01 has used ${format("%.2f", data.usage_sim.gateway.total.data.total / local.gib)} of its ${var.gateway_cap_gib} GiB cap this month."
  }
}

# One Gigs subscription against the allowances of its plan: warns from 80%
# of any allowance on (check), blocks once one is used up (postcondition).
data "usage_subscription" "line" {
  subscription   = var.subscription
  include_limits = true

  lifecycle {
    postcondition {
      condition     = self.over_limit != true
      error_message = "${var.subscription} has used up an allowance of plan ${self.plan.name}."
    }
  }
}

locals {
  # Each allowance that is not unlimited, and the share of it used.
  line_used_percent = {
    for name, l in data.usage_subscription.line.limits : name => l.used_percent if l.used_percent != null
  }
}

check "line_allowances" {
  assert {
    condition     = alltrue([for p in values(local.line_used_percent) : p < var.warn_at_percent])
    error_message = "${var.subscription} has used ${join(", ", [for name, p in local.line_used_percent : format("%.0f%% of its %s allowance", p, name) if p >= var.warn_at_percent])}."
  }
}
