package gigs

import (
	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// wireError is the Gigs error object.
type wireError struct {
	Object        string   `json:"object"`
	Type          string   `json:"type"`
	Message       string   `json:"message"`
	Code          string   `json:"code"`
	Hint          string   `json:"hint"`
	Documentation []string `json:"documentation"`
}

// decodeAPIError is the Gigs error object in body, or nil when the body is
// not one (a gateway's {"message":"Not Found"}, say). Its text is scrubbed of
// the key, then cleaned and cut like KORE's (httpx.Clip).
func (c *Client) decodeAPIError(status int, method, path string, body []byte) error {
	var e wireError
	if err := httpx.Unmarshal(body, &e); err != nil || e.Object != "error" {
		return nil //nolint:nilerr // not Gigs' error object: the core reports the body as it is
	}
	text := func(s string) string { return httpx.Clip(c.secrets.Redact(s)) }
	docs := make([]string, 0, min(len(e.Documentation), maxDocumentation))
	for _, d := range e.Documentation[:cap(docs)] {
		docs = append(docs, text(d))
	}
	return &APIError{
		Status: status, Type: text(e.Type), Code: text(e.Code),
		Message: text(e.Message), Hint: text(e.Hint), Documentation: docs,
		Method: method, Path: path,
	}
}
