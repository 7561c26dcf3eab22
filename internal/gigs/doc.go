// Package gigs is a client for the Gigs API's subscriptions, plans and
// usage records. It knows HTTP and Gigs, not Terraform.
//
// One Client holds one project-scoped API key and remembers every successful
// answer for its lifetime, so a Terraform run that asks the same question
// many times pays for it once. Results returned to callers are copies and may
// be changed freely. The fan-out over a fleet (SubscriptionsUsage) is the
// exception: it shares answers without keeping them, and hands them out
// uncopied, to be read only (see fleet.go).
//
// It is a thin adapter on the JSON-API core in internal/httpx, shaped as the
// KORE client is: what is Gigs' here is its wire types (wire.go), query rules
// (query.go, usage.go, subscriptions.go, plans.go, budget.go), its list
// envelope and cursors (list.go), error shapes (errors.go, apierror.go),
// credentials (client.go), the checks that vendor data can be true (vet.go),
// and the fan-out over many subscriptions (fleet.go). A usage record is
// record.go's.
package gigs
