package vendorsim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// writeJSON answers with a JSON body. Every value written is one of our own
// wire structs, so marshalling cannot fail.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal encoding error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeKoreError answers with KORE's UsageApiErrorResponse.
func writeKoreError(w http.ResponseWriter, status, code int, format string, args ...any) {
	writeJSON(w, status, koreError(status, code, fmt.Sprintf(format, args...)))
}

func koreError(status, code int, message string) *KoreError {
	return &KoreError{Code: code, Status: status, Message: message,
		MoreInfo: fmt.Sprintf("https://docs.korewireless.com/errors/%d", code)}
}

// KORE error codes used by the simulator.
const (
	koreCodeUnknownParameter = 20001
	koreCodeAuthentication   = 20003
	koreCodeMethodNotAllowed = 20004
	koreCodeAccessDenied     = 20006
	koreCodeNotFound         = 20404
	koreCodeTooManyRequests  = 20429
	koreCodeInternal         = 20500
	koreCodeGeneric          = 33000
	koreCodeUnavailable      = 33004
	koreCodeInvalidParameter = 33101
	koreCodeInvalidPaging    = 33103
	koreCodeGatewayBad       = 40502
	koreCodeGatewayTimeout   = 40504
)

// koreCodeFor picks the KORE code an injected failure of that status carries.
func koreCodeFor(status int) int {
	switch status {
	case http.StatusBadRequest:
		return koreCodeInvalidParameter
	case http.StatusUnauthorized:
		return koreCodeAuthentication
	case http.StatusForbidden:
		return koreCodeAccessDenied
	case http.StatusNotFound:
		return koreCodeNotFound
	case http.StatusMethodNotAllowed:
		return koreCodeMethodNotAllowed
	case http.StatusTooManyRequests:
		return koreCodeTooManyRequests
	case http.StatusInternalServerError:
		return koreCodeInternal
	case http.StatusBadGateway:
		return koreCodeGatewayBad
	case http.StatusServiceUnavailable:
		return koreCodeUnavailable
	case http.StatusGatewayTimeout:
		return koreCodeGatewayTimeout
	}
	return koreCodeGeneric
}

// GigsError is the Gigs error object. GigsRecords returns it as its error.
type GigsError struct {
	Status  int    `json:"-"`
	Object  string `json:"object"`
	Type    string `json:"type"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

func (e *GigsError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("gigs %d %s (%s): %s", e.Status, e.Type, e.Code, e.Message)
	}
	return fmt.Sprintf("gigs %d %s: %s", e.Status, e.Type, e.Message)
}

func gigsError(status int, typ, message string) *GigsError {
	return &GigsError{Status: status, Object: "error", Type: typ, Message: message}
}

// gigsInvalid is a 422 validation error with a code and a hint.
func gigsInvalid(code, message, hint string) *GigsError {
	e := gigsError(http.StatusUnprocessableEntity, "invalid", message)
	e.Code, e.Hint = code, hint
	return e
}

func writeGigsError(w http.ResponseWriter, e *GigsError) { writeJSON(w, e.Status, e) }

// gigsTypeFor picks the Gigs error type an injected failure of that status carries.
func gigsTypeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "malformed"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "permissionDenied"
	case http.StatusNotFound:
		return "notFound"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnprocessableEntity:
		return "invalid"
	case http.StatusTooManyRequests:
		return "tooManyRequests"
	case http.StatusServiceUnavailable:
		return "serviceUnavailable"
	}
	return "unknown"
}

// gatewayPage is what a load balancer in front of either API answers on a 502.
const gatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`
