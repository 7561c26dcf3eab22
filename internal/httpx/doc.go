// Package httpx holds what both vendor clients share, a concern a file:
// client.go, the HTTP client (retries with backoff that honour Retry-After,
// a named per-attempt timeout, a cap on requests in flight, an optional rate
// limit, no redirects, the User-Agent, request logging that never shows a
// header); api.go, one JSON API's authenticated GET; walk.go and budget.go,
// its page walker and what one read may cost; decodelist.go, a list decoded
// one element at a time; errors.go, answers a client cannot use;
// runcache.go, identical questions answered once per run; fanout.go, one
// bounded concurrent fetch for fleet reads; redact.go and body.go, secrets
// kept out of vendor text, bounded bodies; vendor.go, which vendor an error
// came from.
package httpx
