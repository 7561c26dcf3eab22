package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/window"
)

var (
	subscriptionPattern = regexp.MustCompile(`^sub_[0-9A-Za-z]+$`)
	// gigsAggregations are the values Gigs documents for aggregation;
	// roaming is a Gigs preview.
	gigsAggregations = []string{
		"daily", "period", "country", "roaming",
		"daily,country", "daily,roaming", "period,country", "period,roaming",
		"country,daily", "country,period", "roaming,daily", "roaming,period",
	}
)

// subscriptionDataSource reads the usage records of one Gigs subscription.
type subscriptionDataSource struct{ withProviderData }

// subscriptionModel is usage_subscription's configuration.
type subscriptionModel struct {
	gigsRange
	ID            types.String `tfsdk:"id"`
	Subscription  types.String `tfsdk:"subscription"`
	Period        types.Int64  `tfsdk:"period"`
	Aggregation   types.String `tfsdk:"aggregation"`
	Complete      types.Bool   `tfsdk:"complete"`
	Records       types.List   `tfsdk:"records"`
	Total         types.Object `tfsdk:"total"`
	IncludeLimits types.Bool   `tfsdk:"include_limits"`
	Plan          types.Object `tfsdk:"plan"`
	CurrentPeriod types.Object `tfsdk:"current_period"`
	Limits        types.Object `tfsdk:"limits"`
	OverLimit     types.Bool   `tfsdk:"over_limit"`
}

var (
	_ stateWritingDataSource                  = (*subscriptionDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*subscriptionDataSource)(nil)
)

func newSubscriptionDataSource() datasource.DataSource { return &subscriptionDataSource{} }

func (d *subscriptionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscription"
}

func (d *subscriptionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Identifies the query: project, subscription and range."},
		"subscription": schema.StringAttribute{
			Required: true,
			Validators: []validator.String{
				stringvalidator.RegexMatches(subscriptionPattern, "must be a Gigs subscription id: \"sub_\" followed by letters and digits"),
				stringvalidator.LengthAtMost(64),
			},
			MarkdownDescription: "The subscription id, e.g. `sub_0SNlurA049MEWV2gSfSxi00xlPIi`.",
		},
		"period": schema.Int64Attribute{
			Optional: true,
			Validators: []validator.Int64{
				int64validator.AtLeast(1),
				int64validator.ConflictsWith(path.MatchRoot("start"), path.MatchRoot("end"), path.MatchRoot("window")),
			},
			MarkdownDescription: "Subscription period number (1 is the first billing period).",
		},
		"aggregation": schema.StringAttribute{
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(gigsAggregations...)},
			MarkdownDescription: "How Gigs groups records: `daily` (the vendor default), `period` (one record for the range), `country`, " +
				"`roaming` (Gigs preview) or the combinations Gigs documents, such as `daily,country`.",
		},
		"complete": schema.BoolAttribute{
			Computed:            true,
			MarkdownDescription: "True when the last record ended at least 48 hours ago, so carrier delays have most likely settled. False with no records.",
		},
		"records":  gigsRecordsAttribute(),
		"total":    gigsTotalAttribute(),
		"timeouts": readTimeoutAttribute(ctx),
	}
	maps.Copy(attrs, gigsRangeAttributes("First date (`YYYY-MM-DD`, inclusive). Requires `end`. Written to state as resolved: "+
		"from `window`, or from the records returned.", true, "period"))
	attrs["include_limits"] = includeLimitsAttribute("With it, the subscription costs one more request " +
		"(`GET /projects/{project}/subscriptions/{subscription}`), shared by every data source of the run.")
	maps.Copy(attrs, gigsLimitAttributes("The subscription's current period, with `include_limits`; null without it, or when the subscription has none (it is not active)."))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Usage of one Gigs subscription: data bytes, SMS and voice seconds per day (or as `aggregation` groups them) and in total, " +
			"with the preview split counters when Gigs reports them. Reads `GET /projects/{project}/subscriptions/{subscription}/usage`. " +
			"Choose at most one of `period`, `start` + `end` and `window`; with none, Gigs returns the latest subscription period.",
		Attributes: attrs,
	}
}

func (d *subscriptionDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if m, ok := readModel[subscriptionModel](ctx, req.Config, &resp.Diagnostics); ok {
		m.validate(&resp.Diagnostics)
	}
}

func (d *subscriptionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req, resp)
}

func (d *subscriptionDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte {
	m, ok := readModel[subscriptionModel](ctx, config, diags)
	if !ok {
		return nil
	}
	ctx, cancel, g, ok := m.begin(ctx, d.data, diags)
	defer cancel()
	if !ok {
		return nil
	}
	client, project, now, timeout := g.client, g.project, g.now, g.timeout
	q := gigs.UsageQuery{Aggregation: m.Aggregation.ValueString(), Start: g.start, End: g.end}
	form := "latest"
	if !m.Period.IsNull() {
		q.Period = int(m.Period.ValueInt64())
		form = "period-" + strconv.Itoa(q.Period)
	}
	if q.Start != "" {
		form = q.Start + ".." + q.End
	}

	subscription := m.Subscription.ValueString()
	records, err := client.SubscriptionUsage(ctx, project, subscription, q)
	if err != nil {
		notFound := fmt.Sprintf("Check that project %q exists and that subscription %q belongs to it; the API key must be one of that project.", project, subscription)
		readFailure(ctx, diags, fmt.Sprintf("Reading the usage of subscription %s in project %s", subscription, project), err, timeout, notFound)
		return nil
	}

	start, end := q.Start, q.End
	if start == "" && len(records) > 0 {
		start, end = window.Dates(records[0].Start, records[len(records)-1].End)
	}
	complete := len(records) > 0 && !lastEnd(records).After(now.Add(-completeAfter))
	sums := gigsSumsOf(records)
	var limits *gigsLimits
	var current *gigs.Period
	if m.IncludeLimits.ValueBool() {
		sub, err := client.Subscription(ctx, project, subscription)
		if err != nil {
			readFailure(ctx, diags, fmt.Sprintf("Reading subscription %s in project %s", subscription, project), err, timeout, "")
			return nil
		}
		limits, current = newGigsLimits(sub.Plan, sums), sub.CurrentPeriod
	}
	state, err := writeState(ctx, config, stateWriters().subscription, &subscriptionState{
		id: strings.Join([]string{project, subscription, form}, "/"), project: project, start: start, end: end,
		complete: complete, records: records, sums: sums, limits: limits, current: current}, 0)
	if err != nil {
		readFailure(ctx, diags, fmt.Sprintf("Writing the usage of subscription %s", subscription), err, timeout, "")
	}
	return state
}

// subscriptionState is what a usage_subscription read writes.
type subscriptionState struct {
	id, project, start, end string
	complete                bool
	records                 []gigs.UsageRecord
	sums                    *gigsSums    // of records
	limits                  *gigsLimits  // with include_limits
	current                 *gigs.Period // with include_limits
}

// subscriptionWriters write usage_subscription's state.
func subscriptionWriters(top objectAt) writers[*subscriptionState] {
	record := gigsRecordWriter(top.at("records"))
	total := gigsTotalWriter(top.at("total"))
	table := writers[*subscriptionState]{
		"id":       func(w *stateWriter, s *subscriptionState) { w.str(s.id) },
		"project":  func(w *stateWriter, s *subscriptionState) { w.str(s.project) },
		"start":    func(w *stateWriter, s *subscriptionState) { w.optionalStr(s.start) },
		"end":      func(w *stateWriter, s *subscriptionState) { w.optionalStr(s.end) },
		"complete": func(w *stateWriter, s *subscriptionState) { w.boolean(s.complete) },
		"records":  func(w *stateWriter, s *subscriptionState) { writeEach(w, record, s.records) },
		"total":    func(w *stateWriter, s *subscriptionState) { total.write(w, s.sums) },
	}
	maps.Copy(table, gigsLimitWriters(top, func(s *subscriptionState) *gigsLimits { return s.limits },
		func(s *subscriptionState) *gigs.Period { return s.current }))
	return table
}

func lastEnd(records []gigs.UsageRecord) time.Time {
	var t time.Time
	for _, r := range records {
		if r.End.After(t) {
			t = r.End
		}
	}
	return t
}
