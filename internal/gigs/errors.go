package gigs

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// APIError is an error object returned by Gigs ({"object":"error", ...}).
// Branch on Type and Code: Gigs says messages may change.
type APIError struct {
	Status        int
	Type          string
	Code          string
	Message       string
	Hint          string
	Documentation []string
	Method, Path  string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Gigs API error: %s %s: %s", e.Method, e.Path, statusText(e.Status))
	if e.Type != "" {
		fmt.Fprintf(&b, ": type %s", e.Type)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, " (hint: %s)", e.Hint)
	}
	return b.String()
}

// ErrorVendor names Gigs, for httpx.VendorOf.
func (e *APIError) ErrorVendor() string { return vendor }

// IsNotFound reports Gigs' own 404: its error object, of type notFound. A
// gateway's 404 ({"message":"Not Found"}) is a *ResponseError instead, and
// says nothing about whether the resource exists.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound && e.Type == "notFound"
}

// failed marks an error of this client as Gigs', whatever it wraps (a
// cancellation, say), so that no advice about KORE is given for it.
func failed(err error) error { return httpx.WithVendor(vendor, err) }

// Bounds on the vendor strings a client keeps: Gigs documents ids of at
// most 64 characters; names and statuses have no documented bound, and
// these are far past any true one.
const (
	maxIDLength     = 64
	maxNameLength   = 256
	maxStatusLength = 64
	// maxLabelLength bounds a usage record's labels: a country code, a
	// roaming state, a subscription id.
	maxLabelLength = 64
	// maxDocumentation bounds the links of an error object kept.
	maxDocumentation = 8
)

// vendorID checks an id taken from an answer before it can go into a URL:
// an empty or dot segment would change the request's path (a normalising
// proxy serves "/subscriptions/../usage" as another resource).
func vendorID(field, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%w: %s is empty", httpx.ErrVendorData, field)
	case !httpx.UsableSegment(v):
		return fmt.Errorf("%w: %s is %q, a dot segment that would change the path of any request it went into", httpx.ErrVendorData, field, v)
	}
	return httpx.CheckLength(field, v, maxIDLength)
}

// ResponseError is a response this client cannot use; see httpx.ResponseError.
type ResponseError = httpx.ResponseError

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// vendor names the API in errors.
const vendor = "Gigs"
