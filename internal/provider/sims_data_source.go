package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

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

// koreSimStatuses are the SIM statuses KORE's list filter takes.
var koreSimStatuses = []string{"new", "ready", "active", "suspended", "deactivated", "canceled", "scheduled", "updating"}

// simsDataSource reads every SIM of the account (GET /v1/Sims), then each
// one's usage over the range (GET /v1/Sims/{Sid}/UsageRecords, Granularity
// all), fanned out under the KORE client's in-flight cap.
type simsDataSource struct{ withProviderData }

// simsModel is usage_sims' configuration.
type simsModel struct {
	koreRangeModel
	meteringModel
	ID              types.String `tfsdk:"id"`
	Status          types.String `tfsdk:"status"`
	RatePlan        types.String `tfsdk:"rate_plan"`
	UniqueNameRegex types.String `tfsdk:"unique_name_regex"`
	IncludeLimits   types.Bool   `tfsdk:"include_limits"`
	Keep            types.Object `tfsdk:"keep"`
	Sims            types.List   `tfsdk:"sims"`
	SimCount        types.Int64  `tfsdk:"sim_count"`
	KeptCount       types.Int64  `tfsdk:"kept_count"`
	Total           types.Object `tfsdk:"total"`
}

// rng is the range; usage_sims has no granularity: one total per SIM.
func (m simsModel) rng() koreRange {
	return koreRange{koreRangeModel: m.koreRangeModel, MeteringDay: m.MeteringDay, Granularity: types.StringNull()}
}

var (
	_ stateWritingDataSource                  = (*simsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*simsDataSource)(nil)
)

func newSimsDataSource() datasource.DataSource { return &simsDataSource{} }

func (d *simsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sims"
}

func (d *simsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := koreRangeAttributes(ctx, true)
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Identifies the query: the filters and the resolved range."}
	attrs["status"] = schema.StringAttribute{
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(koreSimStatuses...)},
		MarkdownDescription: "Only SIMs in this status (KORE's `Status` filter): `new`, `ready`, `active`, `suspended`, `deactivated`, " +
			"`canceled`, `scheduled` or `updating`. Default: every status.",
	}
	attrs["rate_plan"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
		MarkdownDescription: "Only SIMs on this rate plan, given by SID (`WP…`) or unique name (KORE's `RatePlan` filter).",
	}
	attrs["unique_name_regex"] = schema.StringAttribute{
		Optional:   true,
		Validators: []validator.String{regexValidator{}},
		MarkdownDescription: "Only SIMs whose `unique_name` matches this regular expression (RE2 syntax, applied by the provider: KORE has no such filter). " +
			"Anchor it (`^tracker-`) to match a prefix.",
	}
	attrs["sims"] = schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "Every SIM read, ordered by `sid`, with its usage over the range; with `keep`, only the SIMs it keeps. " +
			"A SIM that disappears between the list and its usage read is left out, with a warning that names it.",
		NestedObject: schema.NestedAttributeObject{Attributes: fleetSimAttributes()},
	}
	attrs["keep"] = keepAttribute("SIM", "sims", "total.data.total", false)
	attrs["sim_count"] = schema.Int64Attribute{Computed: true,
		MarkdownDescription: "How many SIMs were read: those `total` adds up, with or without `keep`."}
	attrs["kept_count"] = schema.Int64Attribute{Computed: true,
		MarkdownDescription: "How many SIMs `sims` holds: those `keep` kept, or every SIM read without it."}
	attrs["include_limits"] = includeLimitsAttribute("With it, the rate plans cost `ceil(plans / 1000)` more requests (`GET /v1/RatePlans`).")
	attrs["total"] = withDescription(koreTotalAttribute(), "The sum over every SIM read (all of `sims`, and with `keep` those it left out too): every counter and `billed` added up, international roaming "+
		"merged per `country_code` (sorted). Use this in `check` blocks and postconditions.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Usage of every SIM of the KORE Programmable Wireless account in one data source: the list of SIMs " +
			"(`GET /v1/Sims`, filtered by status and rate plan), then each SIM's usage over the range, read concurrently under the " +
			"provider's `max_concurrent_requests`. Costs one token, `ceil(SIMs / 1000)` list pages and one usage request per SIM.",
		Attributes: attrs,
	}
}

// fleetSimAttributes describe one SIM of usage_sims.
func fleetSimAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"sid":           schema.StringAttribute{Computed: true, MarkdownDescription: "SID of the SIM (`DE…`)."},
		"unique_name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Unique name of the SIM; null when it has none."},
		"iccid":         schema.StringAttribute{Computed: true, MarkdownDescription: "ICCID of the SIM."},
		"status":        schema.StringAttribute{Computed: true, MarkdownDescription: "Status of the SIM, as KORE reports it."},
		"rate_plan_sid": schema.StringAttribute{Computed: true, MarkdownDescription: "SID of the SIM's rate plan (`WP…`); null when it has none."},
		"total":         withDescription(koreTotalAttribute(), "The SIM's usage over the range, with the shape of `usage_sim.total`."),
	}
	maps.Copy(attrs, koreLimitAttributes())
	return attrs
}

func (d *simsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if m, ok := readModel[simsModel](ctx, req.Config, &resp.Diagnostics); ok {
		m.rng().validate(true, &resp.Diagnostics)
		validateKeep(m.Keep, m.IncludeLimits, koreKeepNames, &resp.Diagnostics)
	}
}

func (d *simsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req, resp)
}

// fleetSim is one SIM of the fleet and what was read of it.
type fleetSim struct {
	sim      *kore.Sim // in the listed SIMs
	commands kore.Commands
	data     kore.Data
	plan     *kore.RatePlan // its rate plan, with include_limits
	limits   *koreLimits    // nil without include_limits
}

// fleetTotal adds up the SIMs' totals. Each SIM's read checked its own
// sums; the fleet's are checked here, and an error names the SIM at which
// they went past a bound, with the range.
func fleetTotal(ctx context.Context, fleet []fleetSim, q kore.UsageQuery) (kore.Commands, kore.Data, error) {
	totals := make([]kore.UsageRecord, len(fleet))
	for i, f := range fleet {
		totals[i] = kore.UsageRecord{SimSid: f.sim.Sid, Period: kore.Period{Start: q.Start, End: q.End},
			Commands: f.commands, Data: f.data}
	}
	return kore.CheckedTotalContext(ctx, totals)
}

// simFilters names the filters of a SIM selection, for diagnostics.
func simFilters(f kore.SimFilter, nameRegex string) string {
	var parts []string
	for _, p := range [][2]string{{"status", f.Status}, {"rate_plan", f.RatePlan}, {"unique_name_regex", nameRegex}} {
		if p[1] != "" {
			parts = append(parts, fmt.Sprintf("%s = %q", p[0], p[1]))
		}
	}
	if len(parts) == 0 {
		return "no filters"
	}
	return "filters " + strings.Join(parts, ", ")
}

// ratePlanExists tells an empty list filtered by a rate plan that does not
// exist (a typo: the read fails) from a plan with no SIMs (a warning
// follows), with one GET /v1/RatePlans/{rate_plan}.
func ratePlanExists(ctx context.Context, r koreRead, plan string, diags *diag.Diagnostics) bool {
	_, err := r.client.RatePlan(ctx, plan)
	switch {
	case err == nil:
		return true
	case koreNotFound(err):
		diags.AddAttributeError(path.Root("rate_plan"), "No such rate plan",
			fmt.Sprintf("rate_plan = %q names no rate plan of this KORE account (GET /v1/RatePlans/%s answered 404), so no SIM could be "+
				"selected. Check its SID (WP…) or unique name.", plan, plan))
	default:
		readFailure(ctx, diags, fmt.Sprintf("Checking that rate plan %q exists (the SIM list filtered by it is empty)", plan), err, r.timeout, "")
	}
	return false
}

// attachRatePlans gives each SIM its rate plan from the account's list; a
// SIM whose plan the list lacks fails the read.
func (d *simsDataSource) attachRatePlans(ctx context.Context, r koreRead, fleet []fleetSim, diags *diag.Diagnostics) bool {
	plans, err := r.client.RatePlans(ctx)
	if err != nil {
		readFailure(ctx, diags, "Reading the account's rate plans", err, r.timeout, "")
		return false
	}
	bySid := make(map[string]*kore.RatePlan, len(plans))
	for i := range plans {
		bySid[plans[i].Sid] = &plans[i]
	}
	for i := range fleet {
		planSid := fleet[i].sim.RatePlanSid
		if planSid == "" {
			continue // no rate plan, no limits: null
		}
		p, ok := bySid[planSid]
		if !ok {
			// A guardrail must not pass a SIM quietly because its plan is missing.
			diags.AddError("A SIM's rate plan is not in the account's list",
				fmt.Sprintf("SIM %s is on rate plan %s, which GET /v1/RatePlans does not list, so its limits cannot be read. "+
					"This is a vendor data error; try again later, or read the SIM without include_limits.", fleet[i].sim.Sid, planSid))
			return false
		}
		fleet[i].plan = p
	}
	return true
}

func (d *simsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte {
	m, ok := readModel[simsModel](ctx, config, diags)
	if !ok {
		return nil
	}
	status, ratePlan, nameRegex, includeLimits := m.Status, m.RatePlan, m.UniqueNameRegex, m.IncludeLimits
	var nameFilter *regexp.Regexp
	if !nameRegex.IsNull() {
		var err error
		if nameFilter, err = regexp.Compile(nameRegex.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("unique_name_regex"), "Invalid regular expression", err.Error())
			return nil
		}
	}
	// usage_sims has no granularity: one total per SIM, granularity all.
	ctx, cancel, r, ok := m.rng().beginRead(ctx, d.data, diags)
	defer cancel()
	if !ok {
		return nil
	}
	filter := kore.SimFilter{Status: status.ValueString(), RatePlan: ratePlan.ValueString()}
	filters := simFilters(filter, nameRegex.ValueString())
	listed, err := r.client.ListSims(ctx, filter)
	if err != nil {
		readFailure(ctx, diags, "Listing the account's SIMs", err, r.timeout, "")
		return nil
	}
	// The list is the client's copy: filtered and sorted in place, and each
	// member points into it rather than copying its SIM again.
	nListed := len(listed)
	sims := listed
	if nameFilter != nil {
		sims = slices.DeleteFunc(listed, func(s kore.Sim) bool { return !nameFilter.MatchString(s.UniqueName) })
	}
	slices.SortFunc(sims, func(a, b kore.Sim) int { return cmp.Compare(a.Sid, b.Sid) })
	fleet := make([]fleetSim, len(sims))
	for i := range sims {
		fleet[i].sim = &sims[i]
	}
	if nListed == 0 && filter.RatePlan != "" && !ratePlanExists(ctx, r, filter.RatePlan, diags) {
		return nil
	}
	keep := thresholds(m.Keep)
	// With keep, the bound is on the SIMs kept, known after the usage reads.
	if keep == nil && !checkFleetBound(diags, len(fleet), d.data.maxFleetMembers, "SIM", "status, rate_plan or unique_name_regex") {
		return nil
	}
	// Rate plans first: a broken plan list costs no usage request.
	if includeLimits.ValueBool() && !d.attachRatePlans(ctx, r, fleet, diags) {
		return nil
	}

	vanished := make([]bool, len(fleet))
	failures := r.client.SimsUsage(ctx, sims, r.query, func(ctx context.Context, i int, records []kore.UsageRecord, err error) error {
		if err != nil {
			vanished[i], err = goneOrFailed(ctx, err, koreNotFound, func(ctx context.Context) error {
				_, err := r.client.SimByUniqueName(ctx, sims[i].Sid)
				return err
			})
			return err
		}
		fleet[i].commands, fleet[i].data, err = kore.TotalContext(ctx, records)
		return err
	})
	if len(failures) > 0 {
		fleetFailure(ctx, diags, "KORE", failures, func(i int) string { return fleet[i].sim.Sid }, "SIM", r.timeout)
		return nil
	}
	fleet = leaveOutGone(diags, fleet, vanished, func(f *fleetSim) string { return fmt.Sprintf("%s (%q)", f.sim.Sid, f.sim.UniqueName) },
		memberKind{what: "SIM", attr: "sims", vendor: "KORE"})
	if len(fleet) == 0 {
		emptySelection(diags, "SIM", "sims", filters, nListed)
	}
	if includeLimits.ValueBool() {
		for i := range fleet {
			if p := fleet[i].plan; p != nil {
				fleet[i].limits = newKoreLimits(*p, fleet[i].data)
			}
		}
	}

	accountSid := ""
	for _, f := range fleet {
		accountSid = cmp.Or(accountSid, f.sim.AccountSid)
	}
	commands, data, err := fleetTotal(ctx, fleet, r.query)
	if err != nil {
		readFailure(ctx, diags, "Adding up the fleet's usage", err, r.timeout, "")
		return nil
	}
	kept := fleet
	if keep != nil {
		kept = keepOf(fleet, func(f *fleetSim) bool {
			if atOrOver(f.data.Counts.Total, keep.data) {
				return true
			}
			return f.limits != nil && keep.overPercent(f.limits.home, f.limits.national, f.limits.international)
		})
		if !checkKeptBound(diags, len(kept), len(fleet), d.data.maxFleetMembers, "SIM") {
			return nil
		}
	}
	q := r.query
	id := strings.Join([]string{"sims", "status=" + filter.Status, "rate_plan=" + filter.RatePlan,
		"unique_name_regex=" + nameRegex.ValueString(), q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339)}, "/")
	state, err := writeState(ctx, config, stateWriters().sims, &simsState{id: id, accountSid: accountSid, query: q,
		complete: !q.End.After(r.now.Add(-completeAfter)), fleet: kept, read: len(fleet), total: koreTotal{commands: commands, data: data}}, len(kept)*memberStateBytes)
	if err != nil {
		readFailure(ctx, diags, "Writing the fleet's usage", err, r.timeout, "")
	}
	return state
}

// simsState is what a usage_sims read writes.
type simsState struct {
	id, accountSid string
	query          kore.UsageQuery
	complete       bool
	fleet          []fleetSim // the SIMs kept
	read           int        // how many SIMs were read
	total          koreTotal
}

// simsWriters write usage_sims' state.
func simsWriters(top objectAt) writers[*simsState] {
	sim := fleetSimWriter(top.at("sims"))
	total := koreTotalWriter(top.at("total"))
	return writers[*simsState]{
		"id":          func(w *stateWriter, s *simsState) { w.str(s.id) },
		"account_sid": func(w *stateWriter, s *simsState) { w.optionalStr(s.accountSid) },
		"start":       func(w *stateWriter, s *simsState) { w.instant(s.query.Start) },
		"end":         func(w *stateWriter, s *simsState) { w.instant(s.query.End) },
		"complete":    func(w *stateWriter, s *simsState) { w.boolean(s.complete) },
		"sims":        func(w *stateWriter, s *simsState) { writeEach(w, sim, s.fleet) },
		"sim_count":   func(w *stateWriter, s *simsState) { w.int64(int64(s.read)) },
		"kept_count":  func(w *stateWriter, s *simsState) { w.int64(int64(len(s.fleet))) },
		"total":       func(w *stateWriter, s *simsState) { total.write(w, &s.total) },
	}
}

// fleetSimWriter builds the writer of a SIM of the sims at at.
func fleetSimWriter(at objectAt) *objectWriter[*fleetSim] {
	total := koreTotalWriter(at.at("total"))
	table := writers[*fleetSim]{
		"sid":           func(w *stateWriter, f *fleetSim) { w.str(f.sim.Sid) },
		"unique_name":   func(w *stateWriter, f *fleetSim) { w.optionalStr(f.sim.UniqueName) },
		"iccid":         func(w *stateWriter, f *fleetSim) { w.optionalStr(f.sim.ICCID) },
		"status":        func(w *stateWriter, f *fleetSim) { w.optionalStr(f.sim.Status) },
		"rate_plan_sid": func(w *stateWriter, f *fleetSim) { w.optionalStr(f.sim.RatePlanSid) },
		"total":         func(w *stateWriter, f *fleetSim) { total.write(w, &koreTotal{commands: f.commands, data: f.data}) },
	}
	maps.Copy(table, koreLimitWriters(at, func(f *fleetSim) *koreLimits { return f.limits }))
	return newObjectWriter(at, table)
}

// regexValidator accepts RE2 regular expressions.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a regular expression in RE2 syntax"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%q is not a regular expression in RE2 syntax: %s", req.ConfigValue.ValueString(), err))
	}
}

// withDescription is a nested attribute with another description.
func withDescription(a schema.SingleNestedAttribute, desc string) schema.SingleNestedAttribute {
	a.MarkdownDescription = desc
	return a
}
