terraform {
  required_providers {
    usage = {
      source = "simusage/usage"
    }
  }
}

# Every argument is optional and falls back to an environment variable, so in
# CI this block can be empty and the credentials come from KORE_CLIENT_ID,
# KORE_CLIENT_SECRET, GIGS_API_KEY and GIGS_PROJECT. Configure only the
# vendors you read: the other one needs no credentials.
provider "usage" {
  # KORE Programmable Wireless: the OAuth 2.0 client credentials of an API
  # Client. Used by usage_account, usage_sim and usage_sims.
  kore = {
    client_id     = var.kore_client_id
    client_secret = var.kore_client_secret
  }

  # Gigs: a project API key, and the project usage_subscription and
  # usage_subscriptions read by default.
  gigs = {
    api_key = var.gigs_api_key
    project = var.gigs_project
  }
}

variable "kore_client_id" {
  type        = string
  description = "Client ID of the KORE API Client."
}

variable "kore_client_secret" {
  type        = string
  sensitive   = true
  description = "Client secret of the KORE API Client."
}

variable "gigs_api_key" {
  type        = string
  sensitive   = true
  description = "API key of the Gigs project."
}

variable "gigs_project" {
  type        = string
  description = "Gigs project id, such as \"my-project\"."
}
