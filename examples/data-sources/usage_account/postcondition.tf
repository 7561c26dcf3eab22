variable "pool_gib" {
  type        = number
  default     = 200
  description = "Data pool all SIMs of the account share per month, in GiB."
}

# Stops the plan with an error once the fleet has used its data pool this
# month: nothing that depends on this data source is planned until someone
# raises the pool or the month turns.
data "usage_account" "pool" {
  window = "month_to_date"

  lifecycle {
    postcondition {
      condition     = self.total.data.total <= var.pool_gib * 1024 * 1024 * 1024
      error_message = "The fleet used ${format("%.1f", self.total.data.total / (1024 * 1024 * 1024))} GiB this month, over its ${var.pool_gib} GiB pool."
    }
  }
}

output "pool_used_percent" {
  value = floor(100 * data.usage_account.pool.total.data.total / (var.pool_gib * 1024 * 1024 * 1024))
}
