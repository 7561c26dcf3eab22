package kore

import (
	"fmt"
	"strings"
)

// APIError is an error KORE's API host answered with: its UsageApiErrorResponse
// ({code,status,message,more_info}) or its gateway body ({message,error}, Code 0).
type APIError struct {
	Status   int    // HTTP status
	Code     int    // KORE error code; 0 when the body had none
	Message  string // KORE's message
	MoreInfo string // usually a link to KORE's page for Code
	Method   string
	Path     string // URL path, never the query
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "KORE API error: HTTP %d", e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, ", code %d", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	fmt.Fprintf(&b, " (%s %s)", e.Method, e.Path)
	if e.MoreInfo != "" {
		fmt.Fprintf(&b, "; see %s", e.MoreInfo)
	}
	return b.String()
}

// AuthError means KORE's token endpoint refused the client credentials. It is
// final: retrying with the same credentials cannot help.
type AuthError struct {
	Status      int    // HTTP status from the token endpoint
	Code        string // OAuth2 "error", e.g. unauthorized_client
	Description string // OAuth2 "error_description"
}

func (e *AuthError) Error() string {
	msg := fmt.Sprintf("KORE token endpoint refused the client credentials (HTTP %d", e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg + "); check the KORE client ID and client secret"
}

// ResponseError is a response this client cannot use: not KORE's JSON, too
// large, an impossible page, pagination that would loop or leave the
// endpoint's host, or counters no meter can produce.
type ResponseError struct {
	Status      int    // HTTP status; 0 when the problem is not tied to one response
	ContentType string // as the server declared it
	Method      string
	Path        string // URL path, never the query
	Snippet     string // a short printable excerpt of the body, if useful
	Err         error  // what was wrong
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("unexpected response from KORE")
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
