variable "subscription" {
  type        = string
  description = "The Gigs subscription to read, such as \"sub_0SNlurA049MEWV2gSfSxi00xlPIi\"."
}

# With no period, start/end or window: the latest subscription period, one
# record per day, in the provider's Gigs project.
data "usage_subscription" "current" {
  subscription = var.subscription
}

# The last 30 days, one record per country.
data "usage_subscription" "by_country" {
  subscription = var.subscription
  window       = "last_30_days"
  aggregation  = "country"
}

output "current_period" {
  value = {
    from      = data.usage_subscription.current.start
    to        = data.usage_subscription.current.end # inclusive, as Gigs counts
    data      = data.usage_subscription.current.total.data
    sms       = data.usage_subscription.current.total.sms
    voice_min = floor(data.usage_subscription.current.total.voice / 60)
  }
}

output "data_bytes_per_country" {
  value = { for r in data.usage_subscription.by_country.records : r.labels.country => r.data }
}
