package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ErrVendorData marks answers whose content cannot be true: counters no
// meter produces, records outside the query, more records than the query
// can have. A guardrail must never pass on them, so the read fails.
var ErrVendorData = errors.New("vendor data error")

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

// vendorError is the vendor's typed error for a non-2xx answer, or a
// *ResponseError when the body is not the vendor's (an HTML 502, say).
func (a *API) vendorError(u *url.URL, r Response) error {
	if isJSONType(r.ContentType) && a.DecodeError != nil {
		if err := a.DecodeError(r.Status, http.MethodGet, u.EscapedPath(), r.Body); err != nil {
			return err
		}
	}
	return a.ResponseError(u, r, fmt.Errorf("the error body is not %s's JSON", a.Vendor))
}

// ResponseError describes an answer to GET u that cannot be used, with a
// scrubbed excerpt of its body.
func (a *API) ResponseError(u *url.URL, r Response, err error) *ResponseError {
	const head = 64 << 10 // far more than a snippet shows, far less than a page
	body := r.Body
	if len(body) > head {
		body = body[:head]
	}
	return &ResponseError{Vendor: a.Vendor,
		Status:      r.Status,
		ContentType: Clip(r.ContentType),
		Method:      http.MethodGet,
		Path:        u.EscapedPath(),
		// Scrubbed before it is cut, so that half a secret cannot slip through.
		Snippet: Snippet([]byte(a.Secrets.Redact(string(body)))),
		Err:     a.Secrets.RedactError(err),
	}
}
