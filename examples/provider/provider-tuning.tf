# Credentials come from KORE_CLIENT_ID, KORE_CLIENT_SECRET, GIGS_API_KEY and
# GIGS_PROJECT. The values below are an example, not the defaults.
provider "usage" {
  # Retry connection errors, timeouts, HTTP 429 and 5xx (except 501) up to 6
  # times. Waits start at 1s and grow exponentially, with jitter, to at most
  # 1m; a vendor's Retry-After is honoured up to that 1m as well.
  max_retries    = 6
  retry_wait_min = "1s"
  retry_wait_max = "1m"

  # Each attempt may take 30s; a timed-out attempt is retried. A data
  # source's timeouts.read bounds the whole read, retries included.
  request_timeout = "30s"

  # Per vendor, across every data source in the configuration: at most 4
  # requests in flight and at most 2 requests per second.
  max_concurrent_requests = 4
  rate_limit              = 2
}
