# One SIM, found by its unique name. Exactly one of unique_name, iccid and
# sid is required; sid is filled in whichever you use.
data "usage_sim" "tracker" {
  unique_name = "tracker-01"
  window      = "last_7_days"
  granularity = "daily"
}

output "tracker" {
  value = {
    sid = data.usage_sim.tracker.sid
    # Bytes per UTC day, uploads and downloads together.
    data_bytes_per_day = {
      for r in data.usage_sim.tracker.records : substr(r.period.start, 0, 10) => r.data.total
    }
    commands = data.usage_sim.tracker.total.commands.total
  }
}

# Another SIM over the whole previous calendar month, in one record, with
# its data split between the home network and roaming.
data "usage_sim" "vehicle" {
  unique_name = "vehicle-01"
  window      = "previous_month"
}

output "vehicle_last_month" {
  value = {
    home_bytes             = try(data.usage_sim.vehicle.total.data.home.total, 0)
    national_roaming_bytes = try(data.usage_sim.vehicle.total.data.national_roaming.total, 0)
    abroad_bytes           = sum(concat([0], data.usage_sim.vehicle.total.data.international_roaming[*].total))
  }
}
