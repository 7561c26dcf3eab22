package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// DefaultEndpoint is the Programmable Wireless API host.
const DefaultEndpoint = "https://programmable-wireless.api.korewireless.com"

// DefaultTokenURL is KORE's OAuth2 client-credentials token endpoint.
const DefaultTokenURL = "https://api.korewireless.com/api-services/v1/auth/token" //nolint:gosec // G101 matches "token" in the name; this is a public URL, not a credential

// Config holds what New needs. Empty Endpoint and TokenURL take the defaults.
type Config struct {
	Endpoint     string // default DefaultEndpoint when ""
	TokenURL     string // default DefaultTokenURL when ""
	ClientID     string
	ClientSecret string
	HTTP         httpx.Config // UserAgent, Logger (hclog), retries, timeouts, limits
	// Secrets is where the client registers its secret and every access
	// token it is issued, so that the caller's own text (its diagnostics,
	// its logs) is scrubbed of them too; nil keeps them to the client.
	Secrets *httpx.Redactor
}

// Client talks to one KORE account. It is safe for concurrent use.
type Client struct {
	endpoint *url.URL
	api      *httpx.API // authenticated GETs and paging, shared with the Gigs client
	tokens   *tokenCache

	// Identical questions share one answer for the Client's life; the
	// answers are handed out as copies (SimsUsage's, read only, as they are).
	usageAnswers httpx.RunCache[[]UsageRecord]
	simAnswers   httpx.RunCache[Sim]
	simLists     httpx.RunCache[[]Sim]

	ratePlans     httpx.RunCache[RatePlan]   // RatePlan, by request URL
	ratePlanLists httpx.RunCache[[]RatePlan] // RatePlans, by request URL
}

// New checks cfg and builds a Client. It makes no network call: the first
// token is fetched when a method first needs one.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	endpoint, err := parseBaseURL("endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	tokenURL, err := parseBaseURL("token URL", cfg.TokenURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, errors.New("KORE client ID is empty")
	}
	if strings.TrimSpace(cfg.ClientSecret) == "" {
		return nil, errors.New("KORE client secret is empty")
	}

	logger := cfg.HTTP.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	logger = logger.Named("kore")
	cfg.HTTP.Logger = logger
	cfg.HTTP.Vendor = vendor // a token request that gets no answer is KORE's too
	hc := httpx.NewClient(cfg.HTTP)

	secrets := cfg.Secrets
	if secrets == nil {
		secrets = new(httpx.Redactor)
	}
	c := &Client{endpoint: endpoint, tokens: newTokenCache(cfg.ClientID, cfg.ClientSecret, tokenURL.String(), hc, logger, secrets)}
	c.api = &httpx.API{
		Vendor:      vendor,
		Base:        endpoint,
		HTTP:        hc,
		Log:         logger,
		Secrets:     c.tokens.secrets,
		InFlight:    cfg.HTTP.InFlight(),
		Auth:        c.tokens,
		DecodeError: c.decodeAPIError,
	}
	return c, nil
}

// parseBaseURL accepts only absolute http(s) URLs without credentials, query
// or fragment, and drops a trailing slash so paths join cleanly.
func parseBaseURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("KORE %s is not a valid URL", what)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("KORE %s must be an absolute http or https URL, got scheme %q", what, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("KORE %s must be an absolute URL with a host", what)
	}
	if u.User != nil {
		return nil, fmt.Errorf("KORE %s must not carry user information", what)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("KORE %s must not have a query or fragment", what)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// tokenCache holds the one access token a Client shares across all calls.
// clientcredentials.Config fetches; this type decides when, so that a token
// the API rejects is dropped exactly once however many requests saw it fail.
type tokenCache struct {
	conf    clientcredentials.Config
	http    *http.Client
	log     hclog.Logger
	flights httpx.Flights[string]
	// fetching is true while a token request is in flight.
	fetching atomic.Bool

	mu      sync.Mutex
	current *oauth2.Token
	worked  bool // the current token has served a request
	holders int  // requests sending the current token now, whose answers are not in
	// secrets holds the client secret and every token handed to us, so that
	// error text can be scrubbed of them in any form a server echoes.
	secrets *httpx.Redactor
}

func newTokenCache(id, secret, tokenURL string, hc *http.Client, log hclog.Logger, secrets *httpx.Redactor) *tokenCache {
	t := &tokenCache{
		conf: clientcredentials.Config{
			ClientID:     id,
			ClientSecret: secret,
			TokenURL:     tokenURL,
			AuthStyle:    oauth2.AuthStyleInParams, // KORE reads client_id and client_secret from the form body
		},
		http:    hc,
		log:     log,
		secrets: secrets,
	}
	t.secrets.Add(secret, id)
	return t
}

// get returns a valid token, fetching one (once, for all concurrent callers)
// when none is cached.
func (t *tokenCache) get(ctx context.Context) (string, error) {
	if tok, ok := t.cached(); ok {
		return tok, nil
	}
	tok, err := t.flights.Do(ctx, "token", func(ctx context.Context) (string, error) {
		if tok, ok := t.cached(); ok {
			return tok, nil
		}
		return t.fetch(ctx)
	})
	return tok, t.stalled(ctx, err)
}

// stalled names the token endpoint in err when the caller gave up while a
// token was being fetched: a hanging token endpoint otherwise reads as
// "waiting for a shared request".
func (t *tokenCache) stalled(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || !t.fetching.Load() || strings.Contains(err.Error(), "token endpoint") {
		return err
	}
	return fmt.Errorf("waiting for the KORE token endpoint %s to issue an access token: %w", t.endpointName(), err)
}

func (t *tokenCache) cached() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != nil && t.current.Valid() {
		return t.current.AccessToken, true
	}
	return "", false
}

// Token is the current access token, held until its answer is in; see
// httpx.Auth.
func (t *tokenCache) Token(ctx context.Context) (string, error) {
	tok, err := t.get(ctx)
	if err == nil {
		t.mu.Lock()
		if t.current != nil && t.current.AccessToken == tok {
			t.holders++
		}
		t.mu.Unlock()
	}
	return tok, err
}

// Rejected drops tok when KORE's answer says it is no good; see httpx.Auth.
func (t *tokenCache) Rejected(tok string, status int, body []byte) (rejected, fresh bool) {
	t.Done(tok)
	if !tokenRejected(status, body) {
		return false, false
	}
	return true, t.invalidate(tok)
}

// Served notes that tok worked, so that its later rejection reads as a
// revocation rather than a token the API never accepts.
func (t *tokenCache) Served(tok string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != nil && t.current.AccessToken == tok {
		t.worked = true
	}
	t.release(tok)
}

// Done ends a use of tok that got no answer.
func (t *tokenCache) Done(tok string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.release(tok)
}

// release ends one use of tok, if it is the current token; t.mu is held.
func (t *tokenCache) release(tok string) {
	if t.current != nil && t.current.AccessToken == tok && t.holders > 0 {
		t.holders--
	}
}

// invalidate drops the cached token only if it is the one that failed. It
// reports a fresh token refused: one this call dropped that never served a
// request and that no other request is still sending (its answer might yet
// show that the token worked, and was used up by others). When a refresh
// already replaced (or is replacing) the token, or the token worked before
// being revoked, the caller simply picks up the next.
func (t *tokenCache) invalidate(failed string) (freshRefused bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != nil && t.current.AccessToken == failed {
		freshRefused = !t.worked && t.holders == 0
		t.current, t.worked, t.holders = nil, false, 0
	}
	return freshRefused
}

func (t *tokenCache) fetch(ctx context.Context) (string, error) {
	t.fetching.Store(true)
	defer t.fetching.Store(false)
	t.log.Debug("requesting KORE access token", "token_path", t.tokenPath())
	tok, err := t.conf.Token(context.WithValue(ctx, oauth2.HTTPClient, t.http))
	if err != nil {
		return "", t.tokenError(err)
	}
	t.secrets.Add(tok.AccessToken) // before anyone can send it, so no echo of it escapes
	t.mu.Lock()
	t.current, t.worked, t.holders = tok, false, 0
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
			return &AuthError{Status: status, Code: httpx.Clip(t.redact(re.ErrorCode)), Description: httpx.Clip(t.redact(desc))}
		}
		return &ResponseError{Vendor: vendor,
			Status:      status,
			ContentType: re.Response.Header.Get("Content-Type"),
			Method:      http.MethodPost,
			Path:        t.tokenPath(),
			Snippet:     httpx.Snippet([]byte(t.redact(string(re.Body)))),
			Err:         errors.New("the KORE token endpoint did not issue a token"),
		}
	}
	var redirect *httpx.RedirectError
	if errors.As(err, &redirect) {
		return fmt.Errorf("requesting a KORE access token from %s: %w", t.endpointName(), redirect)
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Transport failure or cancellation: keep the cause reachable for errors.Is.
		return fmt.Errorf("requesting a KORE access token: %w", err)
	}
	// A 2xx the library could not use: no access_token, or a body that is not JSON.
	return &ResponseError{Vendor: vendor, Method: http.MethodPost, Path: t.tokenPath(), Err: errors.New(t.redact(err.Error()))}
}

// endpointName is the token URL without any query: scheme, host and path.
func (t *tokenCache) endpointName() string {
	if u, err := url.Parse(t.conf.TokenURL); err == nil {
		return u.Scheme + "://" + u.Host + u.Path
	}
	return "(token URL)"
}

func (t *tokenCache) tokenPath() string {
	if u, err := url.Parse(t.conf.TokenURL); err == nil {
		return u.Path
	}
	return ""
}

// redact removes the client secret and every token issued so far from s.
func (t *tokenCache) redact(s string) string { return t.secrets.Redact(s) }
