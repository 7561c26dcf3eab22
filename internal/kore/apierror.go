package kore

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// tokenRejected reports a response that says the bearer token is no good.
func tokenRejected(status int, body []byte) bool {
	switch status {
	case http.StatusUnauthorized:
		return true
	case http.StatusForbidden:
		var gw struct {
			Error string `json:"error"`
		}
		return httpx.Unmarshal(body, &gw) == nil && strings.Contains(strings.ToLower(gw.Error), "token")
	}
	return false
}

// wireError covers both error shapes KORE's API host uses: its own
// {code,status,message,more_info} and the gateway's {message,error}.
type wireError struct {
	Code     json.RawMessage `json:"code"`
	Message  string          `json:"message"`
	MoreInfo string          `json:"more_info"`
	Error    string          `json:"error"`
}

// decodeAPIError decodes a non-2xx JSON body into *APIError, or returns nil
// when the body is not a KORE error at all.
func (c *Client) decodeAPIError(status int, method, path string, body []byte) error {
	var w wireError
	if httpx.Unmarshal(body, &w) != nil {
		return nil //nolint:nilerr // not KORE's error shape: the core reports the body as it is
	}
	code, codeOK := parseCode(w.Code)
	if w.Message == "" && w.Error == "" && !codeOK {
		return nil
	}
	msg := w.Message
	if w.Error != "" {
		// The gateway's shape: both texts matter ("not authorized" + "expired token").
		code = 0
		if msg == "" {
			msg = w.Error
		} else {
			msg = msg + " (" + w.Error + ")"
		}
	}
	return &APIError{
		Status:   status,
		Code:     code,
		Message:  httpx.Clip(c.tokens.redact(msg)),
		MoreInfo: httpx.Clip(c.tokens.redact(w.MoreInfo)),
		Method:   method,
		Path:     path,
	}
}

// parseCode accepts the error code as a JSON number or a numeric string.
func parseCode(raw json.RawMessage) (int, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil || i < -1<<31 || i > 1<<31-1 {
		return 0, false
	}
	return int(i), true
}

// errorBodyMessage pulls a human message out of a token endpoint error body
// that does not use the OAuth2 fields ({code,message} on 400).
func errorBodyMessage(body []byte) string {
	var w wireError
	if httpx.Unmarshal(body, &w) != nil {
		return ""
	}
	return w.Message
}
