// Package kore is a client for the KORE Programmable Wireless usage-record
// and SIM APIs. It knows HTTP and KORE, not Terraform.
//
// One Client holds one OAuth2 client-credentials token, shared by every call,
// and remembers every successful answer for its lifetime, so a Terraform run
// that asks the same question many times pays for it once. Results returned
// to callers are copies and may be changed freely. The fan-out over a fleet
// (SimsUsage) is the exception: it shares answers without keeping them, and
// hands them out uncopied, to be read only (see fleet.go).
//
// It is a thin adapter on the JSON-API core in internal/httpx: what is
// KORE's here is its wire types (wire.go), query rules (usage.go, sims.go,
// rateplans.go), error shapes (errors.go, apierror.go), credentials
// (client.go), the checks that vendor data can be true (counters.go,
// fetch.go), and the fan-out over many SIMs (fleet.go). Usage is one
// Breakdown per kind (breakdown.go).
package kore
