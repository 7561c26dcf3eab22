# Point the provider somewhere else than the vendors' public APIs: an egress
# proxy, a sandbox, or the simulator that `make demo` runs. The defaults of
# these variables are the provider's own defaults.
provider "usage" {
  kore = {
    endpoint  = var.kore_endpoint
    token_url = var.kore_token_url
  }
  gigs = {
    endpoint = var.gigs_endpoint
  }
}

variable "kore_endpoint" {
  type        = string
  default     = "https://programmable-wireless.api.korewireless.com"
  description = "Base URL of the KORE Programmable Wireless API, without /v1 (KORE_ENDPOINT)."
}

variable "kore_token_url" {
  type        = string
  default     = "https://api.korewireless.com/api-services/v1/auth/token"
  description = "Full URL of KORE's OAuth 2.0 token endpoint (KORE_TOKEN_URL)."
}

variable "gigs_endpoint" {
  type        = string
  default     = "https://api.gigs.com"
  description = "Base URL of the Gigs API (GIGS_ENDPOINT)."
}
