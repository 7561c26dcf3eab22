package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

var httpURL = regexp.MustCompile(`^https?://[^\s/]+`)

// providerData is what Configure hands every data source: the clients, built
// once, and the reason a vendor is missing when it is.
type providerData struct {
	kore        *kore.Client
	koreMissing string
	gigs        *gigs.Client
	gigsProject string
	gigsMissing string
	now         func() time.Time

	// The credentials each vendor's read logs are masked for.
	koreSecret, gigsKey string
	// secrets scrubs both credentials, in every form, from what a read
	// reports: diagnostics carry vendor text such as SIM names.
	secrets httpx.Redactor

	// maxFleetMembers bounds the members a fleet read writes into state.
	maxFleetMembers int
}

// logReadsTo returns ctx carrying a logger for vendor's clients bound to
// this read's context (and its RPC in TF_LOG), with the vendor's credential
// and any bearer token masked, as on the logger the client was built with.
func (d *providerData) logReadsTo(ctx context.Context, vendor string) context.Context {
	secret := d.koreSecret
	if vendor == "gigs" {
		secret = d.gigsKey
	}
	return httpx.WithLogger(ctx, newTflogLogger(maskSecrets(ctx, secret), vendor, &d.secrets))
}

// withProviderData gives a data source the provider data through the
// framework's Configure call.
type withProviderData struct{ data *providerData }

func (d *withProviderData) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req, &resp.Diagnostics)
}

func (d *withProviderData) providerData() *providerData { return d.data }

// configureData takes the provider data in a data source's Configure. It is
// nil before the provider is configured (validation runs then).
func configureData(req datasource.ConfigureRequest, diags *diag.Diagnostics) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", req.ProviderData))
		return nil
	}
	return data
}

func (d *providerData) koreClient(diags *diag.Diagnostics) *kore.Client {
	if d == nil || d.kore == nil {
		missing := "the provider is not configured"
		if d != nil && d.koreMissing != "" {
			missing = d.koreMissing
		}
		diags.AddError("KORE is not configured",
			"This data source reads KORE Programmable Wireless, but "+missing+". Set kore.client_id and kore.client_secret in the provider block, "+
				"or the KORE_CLIENT_ID and KORE_CLIENT_SECRET environment variables.")
		return nil
	}
	return d.kore
}

func (d *providerData) gigsClient(diags *diag.Diagnostics) *gigs.Client {
	if d == nil || d.gigs == nil {
		missing := "the provider is not configured"
		if d != nil && d.gigsMissing != "" {
			missing = d.gigsMissing
		}
		diags.AddError("Gigs is not configured",
			"This data source reads Gigs, but "+missing+". Set gigs.api_key in the provider block, or the GIGS_API_KEY environment variable.")
		return nil
	}
	return d.gigs
}
