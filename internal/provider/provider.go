// Package provider is the Terraform face of the usage provider: its
// configuration, data sources and functions. It knows Terraform, not HTTP; the
// vendor clients in internal/kore and internal/gigs do the talking.
package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// New returns the provider factory. main serves Server instead, which
// answers the usage reads without the framework's state conversion.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &usageProvider{version: version, now: time.Now}
	}
}

// usageProvider carries the build version and the clock: the clock is
// injected so that windows such as month_to_date are testable.
type usageProvider struct {
	version string
	now     func() time.Time
	// configured is what Configure handed the data sources, for Server's
	// direct reads.
	configured atomic.Pointer[providerData]
}

// completeAfter is how long the vendors take to process all usage: KORE says
// usage is typically complete within 48 hours, Gigs that it is delayed by a
// carrier-dependent time.
const completeAfter = 48 * time.Hour

var (
	_ provider.Provider              = (*usageProvider)(nil)
	_ provider.ProviderWithFunctions = (*usageProvider)(nil)
)

func (p *usageProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "usage"
	resp.Version = p.version
}

// Resources is empty: the provider only reads.
func (p *usageProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *usageProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newAccountDataSource,
		newSimDataSource,
		newSimsDataSource,
		newSubscriptionDataSource,
		newSubscriptionsDataSource,
	}
}

func (p *usageProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewParseBytesFunction,
		NewFormatBytesFunction,
	}
}
