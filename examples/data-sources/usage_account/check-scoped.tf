variable "daily_commands_limit" {
  type        = number
  default     = 500
  description = "Commands the fleet may exchange in 24 hours."
}

# The data source sits inside the check block (a scoped data source), so
# even a failed read, such as KORE being unreachable, is only a warning and
# never stops the plan. The price: Terraform reads a scoped data source again
# during apply, so every plan lists it as "will be read during apply" and is
# never empty (terraform plan -detailed-exitcode returns 2).
check "fleet_commands_today" {
  data "usage_account" "last_24_hours" {
    window = "last_24_hours"
  }

  assert {
    condition     = data.usage_account.last_24_hours.total.commands.total <= var.daily_commands_limit
    error_message = "The fleet exchanged ${data.usage_account.last_24_hours.total.commands.total} commands in the last 24 hours, over the limit of ${var.daily_commands_limit}."
  }
}
