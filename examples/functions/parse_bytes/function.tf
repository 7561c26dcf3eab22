# The data plan is written the way the contract states it; the data source
# counts bytes, so parse_bytes makes the two comparable.
locals {
  sim_data_quota = provider::usage::parse_bytes("5 GiB") # 5368709120
}

data "usage_sim" "tracker" {
  unique_name = "tracker-01"
  window      = "month_to_date"
}

check "tracker_within_data_plan" {
  assert {
    condition     = data.usage_sim.tracker.total.data.total <= local.sim_data_quota
    error_message = "SIM tracker-01 used more than its 5 GiB monthly data plan."
  }
}
