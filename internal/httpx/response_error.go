package httpx

import (
	"fmt"
	"strings"
)

// ResponseError is a response a vendor client cannot use: not the vendor's
// JSON, too large, an impossible page, pagination that would loop or leave
// the endpoint's host, or counters no meter can produce. Both clients return
// it (as kore.ResponseError and gigs.ResponseError).
type ResponseError struct {
	Vendor      string // "KORE" or "Gigs"
	Status      int    // HTTP status; 0 when the problem is not tied to one response
	ContentType string // as the server declared it
	Method      string
	Path        string // URL path, never the query
	Snippet     string // a short printable excerpt of the body, if useful
	Err         error  // what was wrong
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("unexpected response from " + e.Vendor)
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, " to %s %s", e.Method, e.Path)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, "; body starts %q", e.Snippet)
	}
	return b.String()
}

func (e *ResponseError) Unwrap() error { return e.Err }
