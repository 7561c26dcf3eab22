package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// Environment variables that stand in for provider attributes. These are
// variable names, not credentials.
//
//nolint:gosec // G101 mistakes the names of secret-holding variables for secrets.
const (
	envKoreClientID     = "KORE_CLIENT_ID"
	envKoreClientSecret = "KORE_CLIENT_SECRET"
	envKoreEndpoint     = "KORE_ENDPOINT"
	envKoreTokenURL     = "KORE_TOKEN_URL"
	envGigsAPIKey       = "GIGS_API_KEY"
	envGigsProject      = "GIGS_PROJECT"
	envGigsEndpoint     = "GIGS_ENDPOINT"
	envMaxRetries       = "USAGE_MAX_RETRIES"
	envRetryWaitMin     = "USAGE_RETRY_WAIT_MIN"
	envRetryWaitMax     = "USAGE_RETRY_WAIT_MAX"
	envRequestTimeout   = "USAGE_REQUEST_TIMEOUT"
	envMaxConcurrent    = "USAGE_MAX_CONCURRENT_REQUESTS"
	envRateLimit        = "USAGE_RATE_LIMIT"
	envMaxFleetMembers  = "USAGE_MAX_FLEET_MEMBERS"
)

type providerModel struct {
	Kore                  *koreModel           `tfsdk:"kore"`
	Gigs                  *gigsModel           `tfsdk:"gigs"`
	MaxRetries            types.Int64          `tfsdk:"max_retries"`
	RetryWaitMin          timetypes.GoDuration `tfsdk:"retry_wait_min"`
	RetryWaitMax          timetypes.GoDuration `tfsdk:"retry_wait_max"`
	RequestTimeout        timetypes.GoDuration `tfsdk:"request_timeout"`
	MaxConcurrentRequests types.Int64          `tfsdk:"max_concurrent_requests"`
	RateLimit             types.Float64        `tfsdk:"rate_limit"`
	MaxFleetMembers       types.Int64          `tfsdk:"max_fleet_members"`
}

type koreModel struct {
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Endpoint     types.String `tfsdk:"endpoint"`
	TokenURL     types.String `tfsdk:"token_url"`
}

type gigsModel struct {
	APIKey   types.String `tfsdk:"api_key"`
	Project  types.String `tfsdk:"project"`
	Endpoint types.String `tfsdk:"endpoint"`
}

func (p *usageProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	urlValidators := []validator.String{stringvalidator.RegexMatches(httpURL, "must be an absolute http:// or https:// URL")}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads usage records (data bytes, commands, SMS, voice seconds) from KORE Wireless " +
			"Programmable Wireless and Gigs. Every attribute is optional and falls back to an environment variable; " +
			"a vendor that is not configured is only an error when a data source of that vendor is used.",
		Attributes: map[string]schema.Attribute{
			"kore": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "KORE Wireless Programmable Wireless (OAuth 2.0 client credentials of an API Client). Used by `usage_account`, `usage_sim` and `usage_sims`.",
				Attributes: map[string]schema.Attribute{
					"client_id": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Client ID of the KORE API Client. Environment variable `" + envKoreClientID + "`.",
					},
					"client_secret": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "Client secret of the KORE API Client. Environment variable `" + envKoreClientSecret + "`.",
					},
					"endpoint": schema.StringAttribute{
						Optional:            true,
						Validators:          urlValidators,
						MarkdownDescription: "Base URL of the Programmable Wireless API, without `/v1`. Environment variable `" + envKoreEndpoint + "`. Default `" + kore.DefaultEndpoint + "`.",
					},
					"token_url": schema.StringAttribute{
						Optional:            true,
						Validators:          urlValidators,
						MarkdownDescription: "Full URL of the OAuth 2.0 token endpoint. Environment variable `" + envKoreTokenURL + "`. Default `" + kore.DefaultTokenURL + "`.",
					},
				},
			},
			"gigs": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Gigs (project-scoped API key). Used by `usage_subscription` and `usage_subscriptions`.",
				Attributes: map[string]schema.Attribute{
					"api_key": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "Gigs API key of the project. Environment variable `" + envGigsAPIKey + "`.",
					},
					"project": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Default Gigs project id (a slug such as `my-project`) for `usage_subscription`. Environment variable `" + envGigsProject + "`.",
					},
					"endpoint": schema.StringAttribute{
						Optional:            true,
						Validators:          urlValidators,
						MarkdownDescription: "Base URL of the Gigs API. Environment variable `" + envGigsEndpoint + "`. Default `" + gigs.DefaultEndpoint + "`.",
					},
				},
			},
			"max_retries": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
				MarkdownDescription: fmt.Sprintf("Retries after the first attempt of a request that failed with a connection error, a timeout, "+
					"HTTP 429 or a 5xx other than 501. Environment variable `%s`. Default %d.", envMaxRetries, httpx.DefaultMaxRetries),
			},
			"retry_wait_min": durationSetting("Shortest wait before a retry (a Go duration such as `500ms`); waits grow exponentially with jitter.",
				envRetryWaitMin, httpx.DefaultRetryWaitMin),
			"retry_wait_max": durationSetting("Longest wait before a retry, also the cap on a vendor's `Retry-After`.",
				envRetryWaitMax, httpx.DefaultRetryWaitMax),
			"request_timeout": durationSetting("Timeout of each HTTP attempt (a Go duration). A data source's own `timeouts.read` bounds the whole read, retries included.",
				envRequestTimeout, httpx.DefaultRequestTimeout),
			"max_concurrent_requests": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, httpx.MaxConcurrentLimit)},
				MarkdownDescription: fmt.Sprintf("Requests in flight at once, per vendor, across all data sources of this provider. "+
					"Environment variable `%s`. Default %d (Terraform's default parallelism).", envMaxConcurrent, httpx.DefaultMaxConcurrent),
			},
			"rate_limit": schema.Float64Attribute{
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
				MarkdownDescription: "Client-side limit in requests per second, per vendor; `0` means no limit. " +
					"Environment variable `" + envRateLimit + "`. Default 0.",
			},
			"max_fleet_members": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxFleetMembersCeiling)},
				MarkdownDescription: fmt.Sprintf("The most SIMs (`usage_sims`) or subscriptions (`usage_subscriptions`) one data source "+
					"writes into state. A read that selects more fails after the list, before any usage request, naming the count and the "+
					"filters that narrow it. Terraform holds about 27 KB of memory per member, so the default keeps it near 700 MB. "+
					"Environment variable `%s`. Default %d.", envMaxFleetMembers, defaultMaxFleetMembers),
			},
		},
	}
}

func (p *usageProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	httpCfg, diags := httpSettings(cfg)
	resp.Diagnostics.Append(diags...)
	maxFleet := defaultMaxFleetMembers
	if n, set := numberSetting(int64Value{cfg.MaxFleetMembers}, envMaxFleetMembers, "max_fleet_members", 1, maxFleetMembersCeiling, &resp.Diagnostics); set {
		maxFleet = int(n)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	httpCfg.UserAgent = fmt.Sprintf("terraform-provider-usage/%s terraform/%s", p.version, req.TerraformVersion)

	// One instant per configured provider (one Terraform run): every window
	// resolves against the same now, so identical windows are identical
	// queries and share one request.
	clock := p.now
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	data := &providerData{now: func() time.Time { return now }, maxFleetMembers: maxFleet}
	// One redactor for every credential, the access tokens KORE issues
	// included: the clients register theirs in it, and the diagnostics and
	// logs are scrubbed with it.
	data.kore, data.koreMissing, data.koreSecret = configureKore(ctx, cfg.Kore, httpCfg, &data.secrets, &resp.Diagnostics)
	data.gigs, data.gigsProject, data.gigsMissing, data.gigsKey = configureGigs(ctx, cfg.Gigs, httpCfg, &data.secrets, &resp.Diagnostics)
	resp.DataSourceData = data
	p.configured.Store(data)
}

// setting resolves one string attribute: its configured value, else the
// environment variable. An unknown value (known only after apply) is reported
// instead of silently falling back to the environment or a default.
func setting(v types.String, env string, attr path.Path, diags *diag.Diagnostics) string {
	if v.IsUnknown() {
		diags.AddAttributeError(attr, "Provider setting unknown at plan time",
			fmt.Sprintf("%s depends on a value that is known only after apply, so the provider cannot be configured during plan. "+
				"Set it to a value known at plan time, use the %s environment variable, or apply the resource it depends on first (-target).", attr, env))
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// configureKore builds the KORE client, or says which setting is missing; it
// also returns the secret, for masking the read logs.
func configureKore(ctx context.Context, m *koreModel, httpCfg httpx.Config, secrets *httpx.Redactor, diags *diag.Diagnostics) (*kore.Client, string, string) {
	if m == nil {
		m = &koreModel{}
	}
	root := path.Root("kore")
	id := setting(m.ClientID, envKoreClientID, root.AtName("client_id"), diags)
	secret := setting(m.ClientSecret, envKoreClientSecret, root.AtName("client_secret"), diags)
	endpoint := setting(m.Endpoint, envKoreEndpoint, root.AtName("endpoint"), diags)
	tokenURL := setting(m.TokenURL, envKoreTokenURL, root.AtName("token_url"), diags)
	if diags.HasError() {
		return nil, "", ""
	}
	switch {
	case id == "" && secret == "":
		return nil, "kore.client_id (or " + envKoreClientID + ") and kore.client_secret (or " + envKoreClientSecret + ") are not set", ""
	case id == "":
		return nil, "kore.client_id (or " + envKoreClientID + ") is not set", ""
	case secret == "":
		return nil, "kore.client_secret (or " + envKoreClientSecret + ") is not set", ""
	}
	ctx = maskSecrets(ctx, secret)
	secrets.Add(secret)
	httpCfg.Logger = newTflogLogger(ctx, "kore", secrets)
	client, err := kore.New(kore.Config{Endpoint: endpoint, TokenURL: tokenURL, ClientID: id, ClientSecret: secret, HTTP: httpCfg, Secrets: secrets})
	if err != nil {
		diags.AddAttributeError(root, "Invalid KORE configuration", err.Error())
		return nil, "", ""
	}
	return client, "", secret
}

// configureGigs builds the Gigs client and returns it with the project, the
// missing setting if any, and the API key (for masking the read logs).
func configureGigs(ctx context.Context, m *gigsModel, httpCfg httpx.Config, secrets *httpx.Redactor, diags *diag.Diagnostics) (*gigs.Client, string, string, string) {
	if m == nil {
		m = &gigsModel{}
	}
	root := path.Root("gigs")
	key := setting(m.APIKey, envGigsAPIKey, root.AtName("api_key"), diags)
	project := setting(m.Project, envGigsProject, root.AtName("project"), diags)
	endpoint := setting(m.Endpoint, envGigsEndpoint, root.AtName("endpoint"), diags)
	if diags.HasError() {
		return nil, "", "", ""
	}
	if key == "" {
		return nil, project, "gigs.api_key (or " + envGigsAPIKey + ") is not set", ""
	}
	ctx = maskSecrets(ctx, key)
	secrets.Add(key)
	httpCfg.Logger = newTflogLogger(ctx, "gigs", secrets)
	client, err := gigs.New(gigs.Config{Endpoint: endpoint, APIKey: key, HTTP: httpCfg, Secrets: secrets})
	if err != nil {
		diags.AddAttributeError(root, "Invalid Gigs configuration", err.Error())
		return nil, "", "", ""
	}
	return client, project, "", key
}

// bearerToken matches an Authorization header value wherever it might
// appear; the clients never log one, and this mask makes sure of it.
var bearerToken = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9\-._~+/]+=*`)

// maskSecrets registers tflog masks for a credential and for any bearer
// token on the logger the clients will write through.
func maskSecrets(ctx context.Context, secret string) context.Context {
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secret)
	ctx = tflog.MaskMessageStrings(ctx, secret)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, bearerToken)
	return tflog.MaskMessageRegexes(ctx, bearerToken)
}

// httpSettings reads the retry, timeout and concurrency knobs, each from its
// attribute or else its environment variable.
func httpSettings(cfg providerModel) (httpx.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	unknown := func(name, env string) { unknownSetting(&diags, name, env) }
	number := func(v attrValue, env, name string, lo, hi float64) (float64, bool) {
		return numberSetting(v, env, name, lo, hi, &diags)
	}
	duration := func(v timetypes.GoDuration, env, name string) time.Duration {
		s, src := v.ValueString(), name
		switch {
		case v.IsUnknown():
			unknown(name, env)
			return 0
		case v.IsNull():
			s, src = os.Getenv(env), env
		}
		if s == "" {
			return 0
		}
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root(name), "Invalid duration",
				fmt.Sprintf("%s=%q is not a positive Go duration such as \"500ms\", \"30s\" or \"2m\".", src, s))
		}
		return d
	}

	var out httpx.Config
	if n, set := number(int64Value{cfg.MaxRetries}, envMaxRetries, "max_retries", 0, 20); set {
		out.MaxRetries = int(n)
		if n == 0 {
			out.MaxRetries = -1 // httpx reads 0 as "default"; the user asked for none
		}
	}
	out.RetryWaitMin = duration(cfg.RetryWaitMin, envRetryWaitMin, "retry_wait_min")
	out.RetryWaitMax = duration(cfg.RetryWaitMax, envRetryWaitMax, "retry_wait_max")
	out.RequestTimeout = duration(cfg.RequestTimeout, envRequestTimeout, "request_timeout")
	n, _ := number(int64Value{cfg.MaxConcurrentRequests}, envMaxConcurrent, "max_concurrent_requests", 1, httpx.MaxConcurrentLimit)
	out.MaxConcurrent = int(n)
	out.RateLimit, _ = number(float64Value{cfg.RateLimit}, envRateLimit, "rate_limit", 0, 1e6)
	return out, diags
}

// maxFleetMembersCeiling is the highest max_fleet_members: past it the lists
// themselves stop (1,000,000 SIMs or subscriptions).
const maxFleetMembersCeiling = 1_000_000

func unknownSetting(diags *diag.Diagnostics, name, env string) {
	diags.AddAttributeError(path.Root(name), "Provider setting unknown at plan time",
		fmt.Sprintf("%s depends on a value known only after apply. Set it to a value known at plan time or use the %s environment variable.", name, env))
}

// numberSetting reads a numeric setting from its attribute or else its
// environment variable, and reports whether it was set at all.
func numberSetting(v attrValue, env, name string, lo, hi float64, diags *diag.Diagnostics) (float64, bool) {
	switch {
	case v.IsUnknown():
		unknownSetting(diags, name, env)
		return 0, false
	case !v.IsNull():
		return v.number(), true
	}
	s := strings.TrimSpace(os.Getenv(env))
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi {
		diags.AddAttributeError(path.Root(name), "Invalid environment variable",
			fmt.Sprintf("%s=%q is not a number between %g and %g.", env, s, lo, hi))
		return 0, false
	}
	return f, true
}

// attrValue lets one helper read Int64 and Float64 settings alike.
type attrValue interface {
	IsNull() bool
	IsUnknown() bool
	number() float64
}

type int64Value struct{ types.Int64 }

func (v int64Value) number() float64 { return float64(v.ValueInt64()) }

type float64Value struct{ types.Float64 }

func (v float64Value) number() float64 { return v.ValueFloat64() }

// durationSetting is a provider setting given as a Go duration, with its
// environment variable and default in its description.
func durationSetting(desc, env string, def time.Duration) schema.StringAttribute {
	return schema.StringAttribute{
		CustomType:          timetypes.GoDurationType{},
		Optional:            true,
		MarkdownDescription: fmt.Sprintf("%s Environment variable `%s`. Default `%s`.", desc, env, def),
	}
}
