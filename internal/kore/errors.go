package kore

import (
	"fmt"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
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

// ResponseError is a response this client cannot use; see httpx.ResponseError.
type ResponseError = httpx.ResponseError

// vendor names the API in errors.
const vendor = "KORE"
