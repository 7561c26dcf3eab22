package gigs

import (
	"fmt"
	"net/http"
	"strings"
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

// ResponseError is a response that is not what Gigs documents: not its JSON,
// too large, a cursor loop, or impossible values such as negative counters.
type ResponseError struct {
	Status       int
	ContentType  string
	Method, Path string
	// Snippet is a short, printable excerpt of the body, if one helps.
	Snippet string
	Err     error
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Gigs: unexpected response to %s %s: %s", e.Method, e.Path, statusText(e.Status))
	if e.ContentType != "" {
		fmt.Fprintf(&b, ", content type %q", e.ContentType)
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

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}
