package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

var (
	simSidPattern = regexp.MustCompile(`^DE[0-9a-fA-F]{32}$`)
	iccidPattern  = regexp.MustCompile(`^[0-9]{18,22}$`)
)

// simDataSource reads GET /v1/Sims/{Sid}/UsageRecords for one SIM, found by
// SID, unique name or ICCID.
type simDataSource struct{ withProviderData }

// simModel is usage_sim's configuration.
type simModel struct {
	koreRangeModel
	meteringModel
	koreUsageModel
	Sid           types.String `tfsdk:"sid"`
	UniqueName    types.String `tfsdk:"unique_name"`
	ICCID         types.String `tfsdk:"iccid"`
	IncludeLimits types.Bool   `tfsdk:"include_limits"`
	RatePlan      types.Object `tfsdk:"rate_plan"`
	Limits        types.Object `tfsdk:"limits"`
	OverLimit     types.Bool   `tfsdk:"over_limit"`
}

func (m simModel) rng() koreRange {
	return koreRange{koreRangeModel: m.koreRangeModel, MeteringDay: m.MeteringDay, Granularity: m.Granularity}
}

var (
	_ stateWritingDataSource                    = (*simDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*simDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig   = (*simDataSource)(nil)
)

func newSimDataSource() datasource.DataSource { return &simDataSource{} }

func (d *simDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sim"
}

func (d *simDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := koreUsageAttributes(ctx, true)
	attrs["include_limits"] = includeLimitsAttribute("With it, a SIM named by `sid` costs one more request (`GET /v1/Sims/{Sid}`; " +
		"`unique_name` and `iccid` lookups return the plan already), and each distinct rate plan one (`GET /v1/RatePlans/{Sid}`), " +
		"shared by every data source of the run.")
	maps.Copy(attrs, koreLimitAttributes())
	attrs["sid"] = schema.StringAttribute{
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.RegexMatches(simSidPattern, "must be a KORE SIM SID: \"DE\" followed by 32 hexadecimal digits")},
		MarkdownDescription: "SID of the SIM (`DE` + 32 hex digits). Exactly one of `sid`, `unique_name` and `iccid` is required; " +
			"`sid` is always filled in, whichever you used.",
	}
	attrs["unique_name"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
		MarkdownDescription: "Unique name of the SIM. Costs one extra request to resolve to a SID.",
	}
	attrs["iccid"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(iccidPattern, "must be an ICCID: 18 to 22 digits")},
		MarkdownDescription: "ICCID of the SIM (18 to 22 digits). Costs one extra request to resolve to a SID.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Usage of one KORE Programmable Wireless SIM over a time range: data bytes and commands, per period and in total, " +
			"split by home network, national roaming and international roaming per country. Reads `GET /v1/Sims/{Sid}/UsageRecords`.",
		Attributes: attrs,
	}
}

func (d *simDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("sid"), path.MatchRoot("unique_name"), path.MatchRoot("iccid")),
	}
}

func (d *simDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if m, ok := readModel[simModel](ctx, req.Config, &resp.Diagnostics); ok {
		m.rng().validate(true, &resp.Diagnostics)
	}
}

func (d *simDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req, resp)
}

func (d *simDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte {
	m, ok := readModel[simModel](ctx, config, diags)
	if !ok {
		return nil
	}
	sidArg, uniqueName, iccid, includeLimits := m.Sid, m.UniqueName, m.ICCID, m.IncludeLimits
	ctx, cancel, r, ok := m.rng().beginRead(ctx, d.data, diags)
	defer cancel()
	if !ok {
		return nil
	}
	client := r.client

	sid, what := sidArg.ValueString(), fmt.Sprintf("SIM %s", sidArg.ValueString())
	var lookup func() (kore.Sim, error)
	switch {
	case !uniqueName.IsNull():
		what = fmt.Sprintf("SIM with unique_name %q", uniqueName.ValueString())
		lookup = func() (kore.Sim, error) { return client.SimByUniqueName(ctx, uniqueName.ValueString()) }
	case !iccid.IsNull():
		what = fmt.Sprintf("SIM with iccid %q", iccid.ValueString())
		lookup = func() (kore.Sim, error) { return client.SimByICCID(ctx, iccid.ValueString()) }
	case includeLimits.ValueBool():
		// Only the SIM resource names its rate plan (KORE accepts a SID where a unique name goes).
		lookup = func() (kore.Sim, error) { return client.SimByUniqueName(ctx, sid) }
	}
	notFound := fmt.Sprintf("No %s exists in this KORE account. Check the value, and that the API client belongs to the SIM's account.", what)
	var sim kore.Sim
	if lookup != nil {
		var err error
		if sim, err = lookup(); err != nil {
			readFailure(ctx, diags, "Looking up the "+what, err, r.timeout, notFound)
			return nil
		}
		sid = sim.Sid
	}

	records, err := client.SimUsage(ctx, sid, r.query)
	if err != nil {
		readFailure(ctx, diags, "Reading the usage records of the "+what, err, r.timeout, notFound)
		return nil
	}
	var limits *koreLimits
	var total *koreTotal
	if includeLimits.ValueBool() && sim.RatePlanSid != "" {
		plan, err := client.RatePlan(ctx, sim.RatePlanSid)
		if err != nil {
			readFailure(ctx, diags, "Reading the rate plan of the "+what, err, r.timeout, "")
			return nil
		}
		if total, err = koreTotalOf(ctx, records); err != nil {
			readFailure(ctx, diags, "Adding up the usage of the "+what, err, r.timeout, "")
			return nil
		}
		limits = newKoreLimits(plan, total.data)
	}
	state, err := writeKoreState(ctx, config, stateWriters().sim, "sim/"+sid, r.query, r.now,
		koreState{accountSid: sim.AccountSid, records: records, total: total, sid: sid, limits: limits})
	if err != nil {
		readFailure(ctx, diags, "Writing the usage of the "+what, err, r.timeout, "")
	}
	return state
}

// simWriters write usage_sim's state: usage_account's, its SID and, with
// include_limits, its rate plan and limits.
func simWriters(top objectAt) writers[*koreState] {
	table := koreUsageWriters(top)
	table["sid"] = func(w *stateWriter, s *koreState) { w.str(s.sid) }
	maps.Copy(table, koreLimitWriters(top, func(s *koreState) *koreLimits { return s.limits }))
	return table
}
