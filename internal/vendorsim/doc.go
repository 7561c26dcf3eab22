// Package vendorsim simulates the two vendor APIs the provider reads: KORE
// Programmable Wireless (OAuth2 token endpoint, SIM and rate plan resources,
// account and SIM usage records) and Gigs (subscriptions with their embedded
// plans, and subscription usage records). It is an http.Handler with a
// deterministic data set generated on the fly from a seed and scaled by
// Options.SIMs and Options.Subscriptions, strict parameter checking in each
// vendor's error format, fault injection, hostile pagination modes and
// request counters.
//
// The wire formats follow the vendors' published field names, envelopes and
// error bodies, so a client that works against the simulator should work
// against the vendors too. Both vendors are served from one host: KORE under
// /api-services and /v1, Gigs under /projects.
package vendorsim
