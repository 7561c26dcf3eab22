package kore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// response is a successful, fully read API response.
type response struct {
	status      int
	contentType string
	body        []byte
}

// maxFreshTokensRefused is how many freshly issued tokens one request may
// see refused before it gives up: an API that accepts none of the tokens the
// token endpoint issues would otherwise keep it going forever. Tokens that
// served requests and were then revoked do not count: under a vendor that
// revokes tokens again and again with many reads in flight, a request may
// see many of those, and each retry is still worth making.
const maxFreshTokensRefused = 3

// getJSON performs an authenticated GET and returns a 2xx JSON response. A
// 401, or a gateway 403 about the token, drops that token and retries with
// the next. A rejected token that another request has already replaced
// costs nothing: the retry simply takes the current token.
func (c *Client) getJSON(ctx context.Context, u *url.URL) (response, error) {
	refused := 0
	for {
		tok, err := c.tokens.get(ctx)
		if err != nil {
			return response{}, err
		}
		resp, err := c.send(ctx, u, tok)
		if err != nil {
			return response{}, err
		}
		if resp.status >= 200 && resp.status < 300 {
			c.tokens.served(tok)
			if !isJSON(resp.contentType) {
				return response{}, c.responseError(u, resp, errors.New("KORE answered with something other than JSON"))
			}
			return resp, nil
		}
		if !tokenRejected(resp) {
			return response{}, c.apiError(u, resp)
		}
		if c.tokens.invalidate(tok) {
			if refused++; refused == maxFreshTokensRefused {
				return response{}, fmt.Errorf("KORE refused %d freshly issued access tokens in a row for this request; giving up: %w",
					refused, c.apiError(u, resp))
			}
		}
		c.log.Debug("KORE rejected the access token; retrying with the next one", "status", resp.status, "path", u.EscapedPath())
	}
}

func (c *Client) send(ctx context.Context, u *url.URL, token string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return response{}, fmt.Errorf("building KORE request for %s: %w", u.EscapedPath(), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("KORE GET %s: %w", u.EscapedPath(), stripURL(err))
	}
	// ReadBody closes the body too; closing here as well keeps that true
	// on every path through this function, whatever is added to it.
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type")}
	r.body, err = httpx.ReadBody(resp, httpx.MaxBodyBytes)
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		return response{}, c.responseError(u, r, err)
	}
	if err != nil {
		return response{}, fmt.Errorf("reading KORE response to GET %s: %w", u.EscapedPath(), err)
	}
	return r, nil
}

// stripURL drops the URL a *url.Error prints (our query strings carry no
// secret, but a next_page_url is the vendor's text and need not be echoed).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// tokenRejected reports a response that says the bearer token is no good.
func tokenRejected(r response) bool {
	switch r.status {
	case http.StatusUnauthorized:
		return true
	case http.StatusForbidden:
		var gw struct {
			Error string `json:"error"`
		}
		return json.Unmarshal(r.body, &gw) == nil && strings.Contains(strings.ToLower(gw.Error), "token")
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

// apiError decodes a non-2xx response into *APIError, or a *ResponseError
// when the body is not a KORE error at all (an HTML 502 page, for one).
func (c *Client) apiError(u *url.URL, r response) error {
	var w wireError
	if !isJSON(r.contentType) || json.Unmarshal(r.body, &w) != nil {
		return c.responseError(u, r, errors.New("the error body is not KORE's JSON"))
	}
	code, codeOK := parseCode(w.Code)
	if w.Message == "" && w.Error == "" && !codeOK {
		return c.responseError(u, r, errors.New("the error body has neither a code nor a message"))
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
		Status:   r.status,
		Code:     code,
		Message:  clip(c.redact(msg)),
		MoreInfo: clip(c.redact(w.MoreInfo)),
		Method:   http.MethodGet,
		Path:     u.EscapedPath(),
	}
}

func (c *Client) responseError(u *url.URL, r response, err error) *ResponseError {
	return &ResponseError{Vendor: vendor,
		Status:      r.status,
		ContentType: clip(r.contentType),
		Method:      http.MethodGet,
		Path:        u.EscapedPath(),
		Snippet:     snippet(r.body, c.redact),
		Err:         err,
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
	if json.Unmarshal(body, &w) != nil {
		return ""
	}
	return w.Message
}

func isJSON(contentType string) bool {
	return contentType == "" || strings.Contains(strings.ToLower(contentType), "json")
}

// clip bounds vendor text copied into an error so a diagnostic stays readable.
func clip(s string) string {
	const n = 300
	s = strings.ToValidUTF8(s, "�")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// snippet is a short excerpt of body for an error, scrubbed of secrets
// before it is cut, so that half a token cannot slip through.
func snippet(body []byte, redact func(string) string) string {
	const head = 64 << 10 // far more than a snippet shows, far less than a page
	if len(body) > head {
		body = body[:head]
	}
	return httpx.Snippet([]byte(redact(string(body))))
}
