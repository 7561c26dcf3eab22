package gigs

import (
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
