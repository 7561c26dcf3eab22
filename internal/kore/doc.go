// Package kore is a client for the KORE Programmable Wireless usage-record
// and SIM APIs. It knows HTTP and KORE, not Terraform.
//
// One Client holds one OAuth2 client-credentials token, shared by every call,
// and remembers every successful answer for its lifetime, so a Terraform run
// that asks the same question many times pays for it once. Results returned
// to callers are copies and may be changed freely.
package kore
