variable "monthly_budget" {
  type        = number
  default     = 5000
  description = "What the whole fleet may be billed per month, in the account's billing currency."
}

data "usage_account" "this_month" {
  window = "month_to_date"
}

locals {
  # Data and commands are billed separately.
  billed_this_month = (
    data.usage_account.this_month.total.data.billed +
    data.usage_account.this_month.total.commands.billed
  )
}

# Warns in every plan and apply while this month's bill is over budget. A
# check never blocks: the plan still succeeds.
check "account_monthly_budget" {
  assert {
    condition = local.billed_this_month <= var.monthly_budget
    error_message = format(
      "The fleet has been billed %.2f %s this month, over its budget of %.2f.",
      local.billed_this_month, data.usage_account.this_month.total.data.billing_units, var.monthly_budget,
    )
  }
}
