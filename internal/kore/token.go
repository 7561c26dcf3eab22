package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// tokenCache holds the one access token a Client shares across all calls.
// clientcredentials.Config fetches; this type decides when, so that a token
// the API rejects is dropped exactly once however many requests saw it fail.
type tokenCache struct {
	conf    clientcredentials.Config
	http    *http.Client
	log     hclog.Logger
	flights httpx.Flights[string]

	mu      sync.Mutex
	current *oauth2.Token
	issued  []string // every token handed to us, so error text can be scrubbed of them
}

func newTokenCache(id, secret, tokenURL string, hc *http.Client, log hclog.Logger) *tokenCache {
	return &tokenCache{
		conf: clientcredentials.Config{
			ClientID:     id,
			ClientSecret: secret,
			TokenURL:     tokenURL,
			AuthStyle:    oauth2.AuthStyleInParams, // KORE reads client_id and client_secret from the form body
		},
		http: hc,
		log:  log,
	}
}

// get returns a valid token, fetching one (once, for all concurrent callers)
// when none is cached.
func (t *tokenCache) get(ctx context.Context) (string, error) {
	if tok, ok := t.cached(); ok {
		return tok, nil
	}
	return t.flights.Do(ctx, "token", func(ctx context.Context) (string, error) {
		if tok, ok := t.cached(); ok {
			return tok, nil
		}
		return t.fetch(ctx)
	})
}

func (t *tokenCache) cached() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != nil && t.current.Valid() {
		return t.current.AccessToken, true
	}
	return "", false
}

// invalidate drops the cached token only if it is the one that failed; when a
// refresh already replaced it, the caller simply picks up the new one.
func (t *tokenCache) invalidate(failed string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != nil && t.current.AccessToken == failed {
		t.current = nil
	}
}

func (t *tokenCache) fetch(ctx context.Context) (string, error) {
	t.log.Debug("requesting KORE access token", "token_path", t.tokenPath())
	tok, err := t.conf.Token(context.WithValue(ctx, oauth2.HTTPClient, t.http))
	if err != nil {
		return "", t.tokenError(err)
	}
	t.mu.Lock()
	t.current = tok
	t.issued = append(t.issued, tok.AccessToken)
	t.mu.Unlock()
	t.log.Debug("KORE access token issued", "expires_in_seconds", tok.ExpiresIn)
	return tok.AccessToken, nil
}

// tokenError turns what the oauth2 library reports into our typed errors,
// keeping the raw body (which might echo anything) out of the message.
func (t *tokenCache) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		status := re.Response.StatusCode
		refused := status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden ||
			(status < 300 && re.ErrorCode != "")
		if refused {
			desc := re.ErrorDescription
			if desc == "" {
				desc = errorBodyMessage(re.Body)
			}
			return &AuthError{Status: status, Code: clip(t.redact(re.ErrorCode)), Description: clip(t.redact(desc))}
		}
		return &ResponseError{Vendor: vendor,
			Status:      status,
			ContentType: re.Response.Header.Get("Content-Type"),
			Method:      http.MethodPost,
			Path:        t.tokenPath(),
			Snippet:     snippet(re.Body, t.redact),
			Err:         errors.New("the KORE token endpoint did not issue a token"),
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Transport failure or cancellation: keep the cause reachable for errors.Is.
		return fmt.Errorf("requesting a KORE access token: %w", err)
	}
	// A 2xx the library could not use: no access_token, or a body that is not JSON.
	return &ResponseError{Vendor: vendor, Method: http.MethodPost, Path: t.tokenPath(), Err: errors.New(t.redact(err.Error()))}
}

func (t *tokenCache) tokenPath() string {
	if u, err := url.Parse(t.conf.TokenURL); err == nil {
		return u.Path
	}
	return ""
}

// redact removes the client secret and every token issued so far from s.
func (t *tokenCache) redact(s string) string {
	t.mu.Lock()
	secrets := append([]string{t.conf.ClientSecret}, t.issued...)
	t.mu.Unlock()
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}
