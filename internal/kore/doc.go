// Package kore is a client for the KORE Programmable Wireless usage-record
// and SIM APIs. It knows HTTP and KORE, not Terraform.
//
// One Client holds one OAuth2 client-credentials token, shared by every call,
// and remembers every successful answer for its lifetime, so a Terraform run
// that asks the same question many times pays for it once. Results returned
// to callers are copies and may be changed freely.
//
// An hourly or daily query longer than one page is fetched as consecutive
// windows of one page each, a few at a time, and joined in order: the same
// records for the same number of requests, in fewer round trips.
package kore
