package provider

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/window"
)

// What both Gigs data sources (usage_subscription, usage_subscriptions)
// share, as kore_datasource.go is for KORE's: the project and its default,
// the date range and its checks, and the start of a read.

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// gigsRangeAttributes are project, start, end and window. resolved makes
// start and end computed too (usage_subscription writes the range it read);
// conflicts are the arguments the range conflicts with besides its own
// (usage_subscription's period).
func gigsRangeAttributes(startDesc string, resolved bool, conflicts ...string) map[string]schema.Attribute {
	windowConflicts := []path.Expression{path.MatchRoot("start"), path.MatchRoot("end")}
	for _, c := range conflicts {
		windowConflicts = append(windowConflicts, path.MatchRoot(c))
	}
	return map[string]schema.Attribute{
		"project": schema.StringAttribute{
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 64)},
			MarkdownDescription: "The Gigs project id. Defaults to the provider's `gigs.project` (or `GIGS_PROJECT`).",
		},
		"start": schema.StringAttribute{
			Optional:            true,
			Computed:            resolved,
			Validators:          gigsDateValidators("end", append([]string{"window"}, conflicts...)...),
			MarkdownDescription: startDesc,
		},
		"end": schema.StringAttribute{
			Optional:            true,
			Computed:            resolved,
			Validators:          gigsDateValidators("start", append([]string{"window"}, conflicts...)...),
			MarkdownDescription: "Last date (`YYYY-MM-DD`, **inclusive**, as Gigs documents). Requires `start`.",
		},
		"window": schema.StringAttribute{
			Optional: true,
			Validators: []validator.String{
				stringvalidator.OneOf(window.Names...),
				stringvalidator.ConflictsWith(windowConflicts...),
			},
			MarkdownDescription: "A named range resolved to UTC dates: `last_24_hours`, `last_7_days`, `last_30_days`, `month_to_date` or `previous_month`.",
		},
	}
}

// gigsDateValidators check a start or end date: its form, its partner
// other, and the arguments it conflicts with.
func gigsDateValidators(other string, conflicts ...string) []validator.String {
	exprs := make([]path.Expression, len(conflicts))
	for i, c := range conflicts {
		exprs[i] = path.MatchRoot(c)
	}
	return []validator.String{
		stringvalidator.RegexMatches(datePattern, "must be a date in the form YYYY-MM-DD"),
		stringvalidator.AlsoRequires(path.MatchRoot(other)),
		stringvalidator.ConflictsWith(exprs...),
	}
}

// gigsRange is the range arguments of a Gigs data source, as configured.
type gigsRange struct {
	Project  types.String   `tfsdk:"project"`
	Start    types.String   `tfsdk:"start"`
	End      types.String   `tfsdk:"end"`
	Window   types.String   `tfsdk:"window"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// validate is the ValidateConfig of the Gigs data sources: calendar dates,
// end not before start.
func (r gigsRange) validate(diags *diag.Diagnostics) {
	start := parseDate(r.Start, path.Root("start"), diags)
	end := parseDate(r.End, path.Root("end"), diags)
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		diags.AddAttributeError(path.Root("end"), "end is before start",
			fmt.Sprintf("end (%s) is before start (%s). end is inclusive, so use the same date for a single day.", r.End.ValueString(), r.Start.ValueString()))
	}
}

// parseDate checks a known date value; the regex validator reports the shape,
// this the calendar (2026-02-30).
func parseDate(v types.String, p path.Path, diags *diag.Diagnostics) time.Time {
	if v.IsNull() || v.IsUnknown() || !datePattern.MatchString(v.ValueString()) {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v.ValueString())
	if err != nil {
		diags.AddAttributeError(p, "Invalid date", fmt.Sprintf("%q is not a calendar date (YYYY-MM-DD).", v.ValueString()))
	}
	return t
}

// gigsRead is what both Gigs reads start from: the client, the project, the
// run's now, the dates of the range ("" for none) and the read's timeout.
type gigsRead struct {
	client     *gigs.Client
	project    string
	now        time.Time
	start, end string
	timeout    time.Duration
}

// begin resolves the project and the range and applies timeouts.read; ok
// is false when a diagnostic says why the read cannot go on. The caller
// must call cancel.
func (r gigsRange) begin(ctx context.Context, data *providerData, diags *diag.Diagnostics) (context.Context, context.CancelFunc, gigsRead, bool) {
	g := gigsRead{client: data.gigsClient(diags)}
	if diags.HasError() {
		return ctx, func() {}, g, false
	}
	g.project = cmp.Or(r.Project.ValueString(), data.gigsProject)
	if g.project == "" {
		diags.AddAttributeError(path.Root("project"), "No Gigs project",
			"Set project on the data source, gigs.project in the provider block, or the GIGS_PROJECT environment variable.")
		return ctx, func() {}, g, false
	}
	g.now = data.now()
	if diags.HasError() {
		return ctx, func() {}, g, false
	}
	switch {
	case !r.Window.IsNull():
		from, to, err := window.Resolve(r.Window.ValueString(), g.now)
		if err != nil {
			diags.AddAttributeError(path.Root("window"), "Invalid window", err.Error())
			return ctx, func() {}, g, false
		}
		g.start, g.end = window.Dates(from, to)
	case !r.Start.IsNull():
		g.start, g.end = r.Start.ValueString(), r.End.ValueString()
	}
	ctx, cancel, timeout := withReadTimeout(data.logReadsTo(ctx, "gigs"), r.Timeouts, diags)
	g.timeout = timeout
	return ctx, cancel, g, true
}
