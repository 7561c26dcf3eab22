# Every active SIM of the KORE account, from the first of this month until
# now (UTC): one list request per 1,000 SIMs, then one usage request per SIM,
# each summed into one total.
data "usage_sims" "active" {
  status = "active"
  window = "month_to_date"
}

output "fleet_this_month" {
  value = {
    sims     = length(data.usage_sims.active.sims)
    data_gib = format("%.2f", data.usage_sims.active.total.data.total / (1024 * 1024 * 1024))
    commands = data.usage_sims.active.total.commands.total
  }
}

# MiB per SIM, by unique name (a SIM without one is shown by its SID).
output "data_mib_per_sim" {
  value = {
    for s in data.usage_sims.active.sims : coalesce(s.unique_name, s.sid) => floor(s.total.data.total / (1024 * 1024))
  }
}

# Only the SIMs on one rate plan (filtered by KORE) whose unique name starts
# with "vehicle-" (filtered by the provider), over the last 7 days.
data "usage_sims" "vehicles" {
  rate_plan         = "iot-roaming-global"
  unique_name_regex = "^vehicle-"
  window            = "last_7_days"
}

output "vehicles_roaming_bytes" {
  value = {
    for s in data.usage_sims.vehicles.sims : s.unique_name => {
      national      = try(s.total.data.national_roaming.total, 0)
      international = sum(concat([0], s.total.data.international_roaming[*].total))
    }
  }
}
