package kore

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
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
}

// Client talks to one KORE account. It is safe for concurrent use.
type Client struct {
	endpoint *url.URL
	api      *httpx.API // authenticated GETs and paging, shared with the Gigs client
	tokens   *tokenCache

	// Identical questions share one answer for the Client's life; the
	// answers are never handed out directly, only copies.
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
	hc := httpx.NewClient(cfg.HTTP)

	c := &Client{endpoint: endpoint, tokens: newTokenCache(cfg.ClientID, cfg.ClientSecret, tokenURL.String(), hc, logger)}
	c.api = &httpx.API{
		Vendor:      vendor,
		Base:        endpoint,
		HTTP:        hc,
		Log:         logger,
		Secrets:     &c.tokens.secrets,
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
