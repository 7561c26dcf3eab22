variable "quotas_mib" {
  type        = map(number)
  description = "Monthly data quota per SIM unique name, in MiB."
  default = {
    "tracker-01" = 50
    "tracker-02" = 50
    "vehicle-01" = 1024
    "gateway-01" = 40960
  }
}

# One data source instance per SIM. Their reads run in parallel, up to the
# provider's max_concurrent_requests.
data "usage_sim" "fleet" {
  for_each = var.quotas_mib

  unique_name = each.key
  window      = "month_to_date"
}

locals {
  over_quota = {
    for name, sim in data.usage_sim.fleet : name => floor(sim.total.data.total / (1024 * 1024))
    if sim.total.data.total > var.quotas_mib[name] * 1024 * 1024
  }
}

# One warning that names every SIM over its quota.
check "fleet_quotas" {
  assert {
    condition     = length(local.over_quota) == 0
    error_message = "Over the monthly data quota: ${join(", ", [for name, mib in local.over_quota : "${name} (${mib} of ${var.quotas_mib[name]} MiB)"])}."
  }
}

output "fleet_data_mib" {
  value = { for name, sim in data.usage_sim.fleet : name => floor(sim.total.data.total / (1024 * 1024)) }
}
