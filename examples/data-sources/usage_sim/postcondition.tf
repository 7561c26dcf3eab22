variable "gateway_cap_gib" {
  type        = number
  default     = 40
  description = "Hard monthly data cap of gateway-01, in GiB."
}

# Stops the plan with an error when gateway-01 is over its hard cap, so that
# nothing depending on this data source (here the output) is planned.
data "usage_sim" "gateway" {
  unique_name = "gateway-01"
  window      = "month_to_date"

  lifecycle {
    postcondition {
      condition     = self.total.data.total <= var.gateway_cap_gib * 1024 * 1024 * 1024
      error_message = "gateway-01 used ${format("%.2f", self.total.data.total / (1024 * 1024 * 1024))} GiB this month, over its ${var.gateway_cap_gib} GiB cap."
    }
  }
}

output "gateway_headroom_gib" {
  value = format("%.2f", var.gateway_cap_gib - data.usage_sim.gateway.total.data.total / (1024 * 1024 * 1024))
}
