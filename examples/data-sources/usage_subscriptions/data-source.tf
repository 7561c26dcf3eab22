# Every active subscription of the provider's Gigs project, each over its own
# current period: one list request per 200 subscriptions, then one usage
# request per subscription.
data "usage_subscriptions" "active" {}

output "project_current_periods" {
  value = {
    subscriptions = length(data.usage_subscriptions.active.subscriptions)
    data_gb       = format("%.2f", data.usage_subscriptions.active.total.data / 1e9)
    sms           = data.usage_subscriptions.active.total.sms
    voice_min     = floor(data.usage_subscriptions.active.total.voice / 60)
  }
}

output "data_gb_per_subscription" {
  value = {
    for s in data.usage_subscriptions.active.subscriptions : s.id => {
      period  = try(s.current_period.number, null)
      data_gb = format("%.2f", s.total.data / 1e9)
    }
  }
}

# Active and ended subscriptions over the whole previous calendar month (UTC
# dates; end inclusive, as Gigs counts).
data "usage_subscriptions" "last_month" {
  status = ["active", "ended"]
  window = "previous_month"
}

output "last_month_data_gb" {
  value = format("%.2f", data.usage_subscriptions.last_month.total.data / 1e9)
}
