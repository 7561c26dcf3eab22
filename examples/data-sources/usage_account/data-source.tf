# Every SIM of the KORE account, from the first of this month until now
# (UTC), summed into one record.
data "usage_account" "this_month" {
  window = "month_to_date"
}

# The whole previous calendar month, one record per UTC day.
data "usage_account" "last_month" {
  window      = "previous_month"
  granularity = "daily"
}

output "this_month" {
  value = {
    data_bytes = data.usage_account.this_month.total.data.total
    commands   = data.usage_account.this_month.total.commands.total
    # Data and commands are billed separately, in billing_units (e.g. USD).
    billed = data.usage_account.this_month.total.data.billed + data.usage_account.this_month.total.commands.billed
    # Countries the fleet roamed in, from the per-country breakdown.
    roamed_in = data.usage_account.this_month.total.data.international_roaming[*].country_code
  }
}

output "last_month_data_bytes_per_day" {
  value = {
    for r in data.usage_account.last_month.records : substr(r.period.start, 0, 10) => r.data.total
  }
}

# false while the range ends less than 48 hours ago: KORE may still be
# adding usage, so the numbers can grow.
output "last_month_is_final" {
  value = data.usage_account.last_month.complete
}
