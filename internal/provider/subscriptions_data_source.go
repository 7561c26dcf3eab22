package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
)

// gigsSubscriptionStatuses are the statuses Gigs documents for subscriptions.
var gigsSubscriptionStatuses = []string{"pending", "initiated", "active", "ended"}

// subscriptionsDataSource reads every subscription of a Gigs project (GET
// /projects/{project}/subscriptions), then each one's usage, fanned out
// under the Gigs client's in-flight cap.
type subscriptionsDataSource struct{ withProviderData }

var (
	_ stateWritingDataSource                  = (*subscriptionsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*subscriptionsDataSource)(nil)
)

func newSubscriptionsDataSource() datasource.DataSource { return &subscriptionsDataSource{} }

func (d *subscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscriptions"
}

func (d *subscriptionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	subscription := map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The subscription id (`sub_…`)."},
		"status":  schema.StringAttribute{Computed: true, MarkdownDescription: "The subscription's status: `pending`, `initiated`, `active` or `ended`."},
		"plan_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The id of the subscription's plan (`pln_…`)."},
		"total":   withDescription(gigsTotalAttribute(), "The subscription's usage over the range, with the shape of `usage_subscription.total`."),
	}
	maps.Copy(subscription, gigsLimitAttributes("The subscription's current period, from the list (no request); null when it has none (it is not active)."))
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Identifies the query: project, filters and range."},
		"status": schema.ListAttribute{
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.OneOf(gigsSubscriptionStatuses...)),
			},
			MarkdownDescription: "Only subscriptions in these statuses (Gigs' `status` filter): `pending`, `initiated`, `active`, `ended`. Default `[\"active\"]`.",
		},
		"plan": schema.StringAttribute{
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 64)},
			MarkdownDescription: "Only subscriptions on this plan id (`pln_…`; Gigs' `plan` filter).",
		},
		"include_limits": includeLimitsAttribute("The list embeds each subscription's plan, so this costs no request."),
		"subscriptions": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Every subscription read, ordered by `id`, with its usage over the range; with `keep`, only the subscriptions it keeps.",
			NestedObject:        schema.NestedAttributeObject{Attributes: subscription},
		},
		"keep": keepAttribute("subscription", "subscriptions", "total.data", true),
		"subscription_count": schema.Int64Attribute{Computed: true,
			MarkdownDescription: "How many subscriptions were read: those `total` adds up, with or without `keep`."},
		"kept_count": schema.Int64Attribute{Computed: true,
			MarkdownDescription: "How many subscriptions `subscriptions` holds: those `keep` kept, or every subscription read without it."},
		"total":    withDescription(gigsTotalAttribute(), "The sum over every subscription read (all of `subscriptions`, and with `keep` those it left out too). Use this in `check` blocks and postconditions."),
		"timeouts": readTimeoutAttribute(ctx),
	}
	maps.Copy(attrs, gigsRangeAttributes("First date (`YYYY-MM-DD`, inclusive) of the range for every subscription. Requires `end`.", false))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Usage of every subscription of a Gigs project in one data source: the list of subscriptions " +
			"(`GET /projects/{project}/subscriptions`, filtered by status and plan), then each one's usage, read concurrently under " +
			"the provider's `max_concurrent_requests`. With no range, each subscription's own current period. Costs " +
			"`ceil(subscriptions / 200)` list pages and one usage request per subscription; the list embeds each plan, so limits cost nothing more.",
		Attributes: attrs,
	}
}

func (d *subscriptionsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if m, ok := readModel[subscriptionsModel](ctx, req.Config, &resp.Diagnostics); ok {
		m.validate(&resp.Diagnostics)
		validateKeep(m.Keep, m.IncludeLimits, gigsKeepNames, &resp.Diagnostics)
	}
}

// subscriptionsModel is usage_subscriptions' configuration.
type subscriptionsModel struct {
	gigsRange
	ID                types.String `tfsdk:"id"`
	Status            types.List   `tfsdk:"status"`
	Plan              types.String `tfsdk:"plan"`
	IncludeLimits     types.Bool   `tfsdk:"include_limits"`
	Keep              types.Object `tfsdk:"keep"`
	Subscriptions     types.List   `tfsdk:"subscriptions"`
	SubscriptionCount types.Int64  `tfsdk:"subscription_count"`
	KeptCount         types.Int64  `tfsdk:"kept_count"`
	Total             types.Object `tfsdk:"total"`
}

func (d *subscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req, resp)
}

// fleetSubscription is one subscription of the project and what was read.
type fleetSubscription struct {
	sub     *gigs.Subscription // in the listed subscriptions
	records []gigs.UsageRecord
	sums    *gigsSums   // of records, summed once for keep, limits and state
	limits  *gigsLimits // nil without include_limits
}

func (d *subscriptionsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte {
	m, ok := readModel[subscriptionsModel](ctx, config, diags)
	if !ok {
		return nil
	}
	filter := gigs.SubscriptionFilter{Status: []string{"active"}, Plan: m.Plan.ValueString()}
	if !m.Status.IsNull() {
		filter.Status = nil
		diags.Append(m.Status.ElementsAs(ctx, &filter.Status, false)...)
	}
	includeLimits := m.IncludeLimits
	ctx, cancel, g, ok := m.begin(ctx, d.data, diags)
	defer cancel()
	if !ok {
		return nil
	}
	client, projectID, timeout := g.client, g.project, g.timeout
	q := gigs.UsageQuery{Start: g.start, End: g.end}
	listed, err := client.ListSubscriptions(ctx, projectID, filter)
	if err != nil {
		readFailure(ctx, diags, fmt.Sprintf("Listing the subscriptions of project %s", projectID), err, timeout, "")
		return nil
	}
	// The list is the client's copy: sorted in place, and each member points
	// into it rather than copying its subscription again.
	subs := listed
	slices.SortFunc(subs, func(a, b gigs.Subscription) int { return cmp.Compare(a.ID, b.ID) })
	fleet := make([]fleetSubscription, len(subs))
	for i := range subs {
		fleet[i].sub = &subs[i]
	}
	filters := subscriptionFilters(filter)
	if len(fleet) == 0 && filter.Plan != "" && !planExists(ctx, client, projectID, filter.Plan, timeout, diags) {
		return nil
	}
	keep := thresholds(m.Keep)
	// With keep, the bound is on the subscriptions kept, known after the usage reads.
	if keep == nil && !checkFleetBound(diags, len(fleet), d.data.maxFleetMembers, "subscription", "status or plan") {
		return nil
	}
	vanished := make([]bool, len(fleet))
	// With no dates, each subscription is read for its own current period.
	failures := client.SubscriptionsUsage(ctx, projectID, subs, q, func(ctx context.Context, i int, records []gigs.UsageRecord, err error) error {
		if err != nil {
			vanished[i], err = goneOrFailed(ctx, err, gigs.IsNotFound, func(ctx context.Context) error {
				_, err := client.Subscription(ctx, projectID, subs[i].ID)
				return err
			})
			return err
		}
		fleet[i].records, fleet[i].sums = records, gigsSumsOf(records)
		return nil
	})
	if len(failures) > 0 {
		fleetFailure(ctx, diags, "Gigs", failures, func(i int) string { return fleet[i].sub.ID }, "subscription", timeout)
		return nil
	}
	fleet = leaveOutGone(diags, fleet, vanished, func(f *fleetSubscription) string { return f.sub.ID },
		memberKind{what: "subscription", attr: "subscriptions", vendor: "Gigs"})
	if len(fleet) == 0 {
		emptySelection(diags, "subscription", "subscriptions", filters, len(listed))
	}
	var all []gigs.UsageRecord
	for i := range fleet {
		all = append(all, fleet[i].records...)
		if includeLimits.ValueBool() {
			fleet[i].limits = newGigsLimits(fleet[i].sub.Plan, fleet[i].sums)
		}
	}
	// Each subscription's read checked its own sums; the project's is checked here.
	if err := gigs.CheckSums(all); err != nil {
		readFailure(ctx, diags, fmt.Sprintf("Adding up the usage of project %s", projectID), err, timeout, "")
		return nil
	}
	kept := fleet
	if keep != nil {
		kept = keepOf(fleet, func(f *fleetSubscription) bool {
			if atOrOver(f.sums.data(), keep.data) || atOrOver(f.sums.voice(), keep.voiceSecs) || atOrOver(f.sums.sms(), keep.smsN) {
				return true
			}
			return f.limits != nil && keep.overPercent(f.limits.data, f.limits.voice, f.limits.sms)
		})
		if !checkKeptBound(diags, len(kept), len(fleet), d.data.maxFleetMembers, "subscription") {
			return nil
		}
	}
	form := "current"
	if q.Start != "" {
		form = q.Start + ".." + q.End
	}
	id := strings.Join([]string{projectID, "status=" + strings.Join(filter.Status, ","), "plan=" + filter.Plan, form}, "/")
	state, err := writeState(ctx, config, stateWriters().subscriptions, &subscriptionsState{id: id, project: projectID, fleet: kept, read: len(fleet), all: all}, len(kept)*memberStateBytes)
	if err != nil {
		readFailure(ctx, diags, "Writing the subscriptions' usage", err, timeout, "")
	}
	return state
}

// subscriptionFilters names the filters of a subscription selection.
func subscriptionFilters(f gigs.SubscriptionFilter) string {
	s := fmt.Sprintf("filters status = [%s]", strings.Join(f.Status, ", "))
	if f.Plan != "" {
		s += fmt.Sprintf(", plan = %q", f.Plan)
	}
	return s
}

// planExists tells an empty list filtered by a plan that does not exist (a
// typo) from a plan without subscriptions, with one
// GET /projects/{project}/plans/{plan}. That path is known only from
// third-party copies of Gigs' spec, so only Gigs' own 404 fails the read;
// any other failure is a warning naming the plan.
func planExists(ctx context.Context, client *gigs.Client, project, plan string, timeout time.Duration, diags *diag.Diagnostics) bool {
	_, err := client.Plan(ctx, project, plan)
	switch {
	case err == nil:
		return true
	case gigs.IsNotFound(err):
		diags.AddAttributeError(path.Root("plan"), "No such plan",
			fmt.Sprintf("plan = %q names no plan of Gigs project %s (GET /projects/%s/plans/%s answered Gigs' 404), so no subscription "+
				"could be selected. Check the plan id (pln_…).", plan, project, project, plan))
		return false
	case ctx.Err() != nil:
		readFailure(ctx, diags, fmt.Sprintf("Checking that plan %q exists", plan), err, timeout, "")
		return false
	}
	diags.AddWarning("Could not check the plan filter",
		fmt.Sprintf("The subscriptions filtered by plan = %q are none, and looking the plan up failed, so the provider cannot tell a "+
			"plan without subscriptions from a mistyped plan id: %s", plan, err))
	return true
}

// subscriptionsState is what a usage_subscriptions read writes.
type subscriptionsState struct {
	id, project string
	fleet       []fleetSubscription // the subscriptions kept
	read        int                 // how many subscriptions were read
	all         []gigs.UsageRecord  // every subscription's records
}

// subscriptionsWriters write usage_subscriptions' state.
func subscriptionsWriters(top objectAt) writers[*subscriptionsState] {
	subscription := fleetSubscriptionWriter(top.at("subscriptions"))
	total := gigsTotalWriter(top.at("total"))
	return writers[*subscriptionsState]{
		"id":                 func(w *stateWriter, s *subscriptionsState) { w.str(s.id) },
		"project":            func(w *stateWriter, s *subscriptionsState) { w.str(s.project) },
		"subscriptions":      func(w *stateWriter, s *subscriptionsState) { writeEach(w, subscription, s.fleet) },
		"subscription_count": func(w *stateWriter, s *subscriptionsState) { w.int64(int64(s.read)) },
		"kept_count":         func(w *stateWriter, s *subscriptionsState) { w.int64(int64(len(s.fleet))) },
		"total":              func(w *stateWriter, s *subscriptionsState) { total.write(w, gigsSumsOf(s.all)) },
	}
}

// fleetSubscriptionWriter builds the writer of a subscription of the
// subscriptions at at.
func fleetSubscriptionWriter(at objectAt) *objectWriter[*fleetSubscription] {
	total := gigsTotalWriter(at.at("total"))
	table := writers[*fleetSubscription]{
		"id":      func(w *stateWriter, f *fleetSubscription) { w.str(f.sub.ID) },
		"status":  func(w *stateWriter, f *fleetSubscription) { w.optionalStr(f.sub.Status) },
		"plan_id": func(w *stateWriter, f *fleetSubscription) { w.optionalStr(f.sub.Plan.ID) },
		"total":   func(w *stateWriter, f *fleetSubscription) { total.write(w, f.sums) },
	}
	maps.Copy(table, gigsLimitWriters(at, func(f *fleetSubscription) *gigsLimits { return f.limits },
		func(f *fleetSubscription) *gigs.Period { return f.sub.CurrentPeriod }))
	return newObjectWriter(at, table)
}
