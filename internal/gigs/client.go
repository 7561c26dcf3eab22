package gigs

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// DefaultEndpoint is the Gigs API base URL used when Config.Endpoint is empty.
const DefaultEndpoint = "https://api.gigs.com"

// Config configures a Client.
type Config struct {
	// Endpoint is the API base URL; DefaultEndpoint when "".
	Endpoint string
	// APIKey is the project-scoped key sent as a bearer token.
	APIKey string
	// HTTP tunes retries, timeouts, limits, the User-Agent and the logger.
	HTTP httpx.Config
	// Secrets is where the client registers the API key, so that the
	// caller's own text is scrubbed of it too; nil keeps it to the client.
	Secrets *httpx.Redactor
}

// Client reads Gigs usage records. It is safe for concurrent use and caches
// successful results for its own lifetime, which in the provider is one
// Terraform run.
type Client struct {
	base *url.URL   // the endpoint, without a trailing slash
	api  *httpx.API // authenticated GETs and paging, shared with the KORE client
	log  hclog.Logger

	// secrets scrubs the API key, in every form a server can echo, from
	// vendor text before it reaches an error.
	secrets *httpx.Redactor

	// answers shares identical queries and keeps successes for the
	// Client's life; only copies are handed out.
	answers httpx.RunCache[[]UsageRecord]

	subscriptionLists httpx.RunCache[[]Subscription] // ListSubscriptions, by request URL
	subscriptions     httpx.RunCache[Subscription]   // Subscription, by request URL
	plans             httpx.RunCache[Plan]           // Plan, by request URL
}

// New validates cfg and builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	base, err := validEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if err := validAPIKey(cfg.APIKey); err != nil {
		return nil, err
	}

	logger := cfg.HTTP.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	logger = logger.Named("gigs")
	httpCfg := cfg.HTTP
	httpCfg.Logger = logger
	httpCfg.Vendor = vendor

	c := &Client{base: base, log: logger, secrets: cfg.Secrets}
	if c.secrets == nil {
		c.secrets = new(httpx.Redactor)
	}
	c.secrets.Add(cfg.APIKey)
	c.api = &httpx.API{
		Vendor:      vendor,
		Base:        base,
		HTTP:        httpx.NewClient(httpCfg),
		Log:         logger,
		Secrets:     c.secrets,
		InFlight:    httpCfg.InFlight(),
		Auth:        httpx.StaticToken(cfg.APIKey),
		DecodeError: c.decodeAPIError,
	}
	return c, nil
}

// validEndpoint accepts an absolute http(s) URL with a host and an optional
// base path. Credentials, queries and fragments have no place in it: the key
// travels in its own header, and anything else would be silently dropped.
func validEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// The raw value is not repeated: it might hold credentials.
		return nil, errors.New("gigs endpoint is not a valid URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("gigs endpoint %q must be an absolute http or https URL", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("gigs endpoint %q has no host", u.Redacted())
	case u.User != nil:
		return nil, errors.New("gigs endpoint must not carry user credentials; set the API key instead")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("gigs endpoint %q must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// validAPIKey rejects keys that could not be sent as a header. The error never
// repeats the key.
func validAPIKey(key string) error {
	if key == "" {
		return errors.New("gigs API key is empty")
	}
	for _, r := range key {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII {
			return errors.New("gigs API key contains whitespace, control or non-ASCII characters")
		}
	}
	return nil
}
