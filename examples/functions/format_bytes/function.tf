data "usage_account" "fleet" {
  window      = "month_to_date"
  granularity = "daily"
}

# For example "412.37 GiB".
output "fleet_data_this_month" {
  description = "Data used by every SIM of the account this month."
  value       = provider::usage::format_bytes(data.usage_account.fleet.total.data.total)
}

# One record per day, so this is the daily average. It can be fractional;
# format_bytes rounds it down to whole bytes.
output "fleet_data_per_day" {
  value = provider::usage::format_bytes(
    data.usage_account.fleet.total.data.total / length(data.usage_account.fleet.records)
  )
}
