package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// accountDataSource reads GET /v1/UsageRecords: all SIMs of the account.
type accountDataSource struct{ withProviderData }

var (
	_ stateWritingDataSource                  = (*accountDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*accountDataSource)(nil)
)

func newAccountDataSource() datasource.DataSource { return &accountDataSource{} }

func (d *accountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (d *accountDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Usage of all SIMs of the KORE Programmable Wireless account over a time range: data bytes and commands, " +
			"per period and in total, split by home network, national roaming and international roaming per country. " +
			"Reads `GET /v1/UsageRecords`.",
		Attributes: koreUsageAttributes(ctx, false),
	}
}

// accountModel is usage_account's configuration.
type accountModel struct {
	koreRangeModel
	koreUsageModel
}

func (m accountModel) rng() koreRange {
	return koreRange{koreRangeModel: m.koreRangeModel, MeteringDay: types.NumberNull(), Granularity: m.Granularity}
}

func (d *accountDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if m, ok := readModel[accountModel](ctx, req.Config, &resp.Diagnostics); ok {
		m.rng().validate(false, &resp.Diagnostics)
	}
}

func (d *accountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req, resp)
}

func (d *accountDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte {
	m, ok := readModel[accountModel](ctx, config, diags)
	if !ok {
		return nil
	}
	ctx, cancel, r, ok := m.rng().beginRead(ctx, d.data, diags)
	defer cancel()
	if !ok {
		return nil
	}
	records, err := r.client.AccountUsage(ctx, r.query)
	if err != nil {
		readFailure(ctx, diags, "Reading the account's usage records", err, r.timeout, "")
		return nil
	}
	state, err := writeKoreState(ctx, config, stateWriters().account, "account", r.query, r.now, koreState{records: records})
	if err != nil {
		readFailure(ctx, diags, "Writing the account's usage", err, r.timeout, "")
	}
	return state
}
