package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-hclog"
)

// API is one vendor's JSON API as both clients use it: an authenticated GET
// that fails the same way whoever the vendor is, and a page walker (Walk).
// A vendor client is a thin adapter: its wire types, its query rules, its
// error shape (DecodeError) and its credentials (Auth).
type API struct {
	Vendor  string       // "KORE" or "Gigs", as errors name it
	Base    *url.URL     // the configured endpoint; pages never leave its origin
	HTTP    *http.Client // from NewClient: retries, limits, no redirects
	Log     hclog.Logger
	Secrets *Redactor // scrubs every credential from vendor text
	// InFlight is the client's cap on requests in flight, for FanOut.
	InFlight int
	Auth     Auth
	// DecodeError turns a non-2xx JSON body into the vendor's typed error,
	// or returns nil when the body is not the vendor's error object. Vendor
	// text in it must go through Secrets.
	DecodeError func(status int, method, path string, body []byte) error
}

// Auth supplies the bearer credential of each request.
type Auth interface {
	// Token returns the credential to send now.
	Token(ctx context.Context) (string, error)
	// Rejected ends a use of token with a non-2xx answer: it reports whether
	// the answer refused token (rather than the request), dropping it, and
	// whether the token was a fresh one: one that never served a request, as
	// opposed to one revoked after use.
	Rejected(token string, status int, body []byte) (rejected, fresh bool)
	// Served ends a use of token that worked.
	Served(token string)
	// Done ends a use of token that got no answer.
	Done(token string)
}

// StaticToken is an Auth whose one key never changes (an API key): a
// refusal is final, for the vendor's error to explain.
type StaticToken string

func (k StaticToken) Token(context.Context) (string, error)   { return string(k), nil }
func (StaticToken) Rejected(string, int, []byte) (bool, bool) { return false, false }
func (StaticToken) Served(string)                             {}
func (StaticToken) Done(string)                               {}

// UsableSegment reports whether an id may be one segment of a request's
// path: "", "." and ".." are path steps to anything that cleans URLs
// ("/v1/Sims/../UsageRecords" is the whole account's usage), so an id taken
// from an answer or a configuration must pass this before it goes into URL.
func UsableSegment(id string) bool { return id != "" && id != "." && id != ".." }

// URL is the endpoint joined with path segments, each escaped on its own (an
// id holding "/" or "?" stays one segment), and query.
func (a *API) URL(query url.Values, segments ...string) *url.URL {
	u := *a.Base
	raw := u.EscapedPath()
	for _, s := range segments {
		raw += "/" + url.PathEscape(s)
	}
	u.Path, _ = url.PathUnescape(raw) // raw came from PathEscape, so it always unescapes
	u.RawPath = raw
	u.RawQuery = query.Encode()
	return &u
}

// Response is a successful, fully read JSON answer.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// maxFreshTokensRefused is how many freshly issued tokens one request may
// see refused before it gives up: an API that accepts none of the tokens its
// token endpoint issues would otherwise keep it going forever. Tokens that
// served requests and were then revoked do not count: under a vendor that
// revokes tokens again and again with many reads in flight, a request may
// see many of those, and each retry is still worth making.
const maxFreshTokensRefused = 3

// Get performs an authenticated GET of u and returns its 2xx JSON answer.
// Everything else is an error: the vendor's typed error, a *ResponseError for
// an answer nobody can use, a refused redirect, or a transport failure whose
// text names the path, never the URL.
func (a *API) Get(ctx context.Context, u *url.URL) (Response, error) {
	refused := 0
	for {
		tok, err := a.Auth.Token(ctx)
		if err != nil {
			return Response{}, err
		}
		resp, err := a.send(ctx, u, tok)
		if err != nil {
			a.Auth.Done(tok)
			return Response{}, err
		}
		if resp.Status >= 200 && resp.Status < 300 {
			a.Auth.Served(tok)
			if !isJSONType(resp.ContentType) {
				return Response{}, a.ResponseError(u, resp, fmt.Errorf("%s answered with a body that is not JSON", a.Vendor))
			}
			return resp, nil
		}
		rejected, fresh := a.Auth.Rejected(tok, resp.Status, resp.Body)
		if !rejected {
			return Response{}, a.vendorError(u, resp)
		}
		if fresh {
			if refused++; refused == maxFreshTokensRefused {
				return Response{}, fmt.Errorf("%s refused %d freshly issued access tokens in a row for this request; giving up: %w",
					a.Vendor, refused, a.vendorError(u, resp))
			}
		}
		Logger(ctx, a.Log).Debug("the access token was refused; retrying with the next one", "status", resp.Status, "path", u.EscapedPath())
	}
}

func (a *API) send(ctx context.Context, u *url.URL, token string) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, fmt.Errorf("building the %s request for %s: %w", a.Vendor, u.EscapedPath(), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.HTTP.Do(req)
	var conn *ConnectionError
	if errors.As(err, &conn) {
		named := *conn
		named.Vendor = a.Vendor
		named.Err = a.Secrets.RedactError(conn.Err)
		return Response{}, &named
	}
	if err != nil {
		return Response{}, fmt.Errorf("%s GET %s: %w", a.Vendor, u.EscapedPath(), a.Secrets.RedactError(stripURL(err)))
	}
	defer resp.Body.Close()
	r := Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type")}
	r.Body, err = ReadBody(resp, MaxBodyBytes)
	if errors.Is(err, ErrBodyTooLarge) {
		return Response{}, a.ResponseError(u, r, err)
	}
	if err != nil {
		return Response{}, fmt.Errorf("reading the %s response to GET %s: %w", a.Vendor, u.EscapedPath(), a.Secrets.RedactError(err))
	}
	return r, nil
}

// stripURL drops the URL a *url.Error prints: a next page's URL is the
// vendor's text and need not be echoed.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
