package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/kore"
	"github.com/simusage/terraform-provider-usage/internal/window"
)

// defaultReadTimeout bounds a whole read, retries included, unless the
// configuration sets timeouts.read.
const defaultReadTimeout = 5 * time.Minute

var koreGranularities = []string{"all", "daily", "hourly"}

// koreRangeAttributes are the attributes every KORE usage data source has:
// the range arguments and what they resolve to. withMetering adds the
// metering_period window and metering_day (usage_sim, usage_sims).
func koreRangeAttributes(ctx context.Context, withMetering bool) map[string]schema.Attribute {
	conflictsWithWindow := stringvalidator.ConflictsWith(path.MatchRoot("window"))
	windows := window.Names
	windowDesc := "A named range instead of `start`/`end`, resolved in UTC when the data source is read: " +
		"`last_24_hours`, `last_7_days`, `last_30_days`, `month_to_date` (from the first of this month until now) or " +
		"`previous_month` (the whole previous calendar month)"
	if withMetering {
		windows = append(slices.Clone(windows), window.MeteringPeriod)
		windowDesc += ", or `metering_period`: from the last `metering_day` of a month, 00:00 UTC, until now, the period " +
			"KORE's monthly data limits count"
	}
	attrs := map[string]schema.Attribute{
		"account_sid": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "SID of the KORE account (`AC…`) the usage belongs to; null when the vendor returned no record to read it from.",
		},
		"start": schema.StringAttribute{
			CustomType: timetypes.RFC3339Type{},
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{conflictsWithWindow},
			MarkdownDescription: "Only usage on or after this instant (RFC 3339, e.g. `2026-01-01T00:00:00Z`). " +
				"Defaults to one calendar month before `end`, as the vendor does. Always written to state, resolved, in UTC.",
		},
		"end": schema.StringAttribute{
			CustomType:          timetypes.RFC3339Type{},
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{conflictsWithWindow},
			MarkdownDescription: "Only usage before this instant (RFC 3339). Defaults to now. Always written to state, resolved, in UTC.",
		},
		"window": schema.StringAttribute{
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(windows...)},
			MarkdownDescription: windowDesc + ". Conflicts with `start` and `end`.",
		},
		"complete": schema.BoolAttribute{
			Computed: true,
			MarkdownDescription: "True when `end` is at least 48 hours in the past: KORE says usage is typically fully processed by then. " +
				"While false, the numbers may still grow.",
		},
		"timeouts": readTimeoutAttribute(ctx),
	}
	if withMetering {
		// A number, not an Int64: the framework cannot convert 14.5 into an
		// Int64 and fails before any validator ("always an error in the
		// provider"); as a number, the validator refuses it on the attribute.
		attrs["metering_day"] = schema.NumberAttribute{
			Optional:   true,
			Validators: []validator.Number{wholeNumberBetween{min: 1, max: 31}},
			MarkdownDescription: "The day of the month (1-31) the SIM's metering period starts: its activation day, which KORE's API " +
				"does not expose. A day past the month's end means its last day (31 in February is the 28th or 29th). " +
				"Required with `window = \"metering_period\"` and refused without it.",
		}
	}
	return attrs
}

// koreUsageAttributes are the attributes of usage_account and usage_sim: the
// range, the granularity, the records and their total.
func koreUsageAttributes(ctx context.Context, withMetering bool) map[string]schema.Attribute {
	attrs := koreRangeAttributes(ctx, withMetering)
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Identifies the query: the SIM or account, the resolved range and the granularity."}
	attrs["granularity"] = schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.OneOf(koreGranularities...)},
		MarkdownDescription: "`all` (default: one record for the whole range), `daily` (one record per UTC day) or `hourly` (one per hour).",
	}
	attrs["records"] = koreRecordsAttribute()
	attrs["total"] = koreTotalAttribute()
	return attrs
}

// The configuration of each KORE data source, read with one Get into its
// model: koreRangeModel is what every one has (koreRangeAttributes),
// koreUsageModel what usage_account and usage_sim add.

// koreRangeModel is the range arguments of a KORE usage data source and what
// they resolve to. MeteringDay is null where the schema has none.
type koreRangeModel struct {
	AccountSid types.String      `tfsdk:"account_sid"`
	Start      timetypes.RFC3339 `tfsdk:"start"`
	End        timetypes.RFC3339 `tfsdk:"end"`
	Window     types.String      `tfsdk:"window"`
	Complete   types.Bool        `tfsdk:"complete"`
	Timeouts   timeouts.Value    `tfsdk:"timeouts"`
}

// meteringModel is metering_day (usage_sim, usage_sims).
type meteringModel struct {
	MeteringDay types.Number `tfsdk:"metering_day"`
}

// koreUsageModel is what usage_account and usage_sim add to the range.
type koreUsageModel struct {
	ID          types.String `tfsdk:"id"`
	Granularity types.String `tfsdk:"granularity"`
	Records     types.List   `tfsdk:"records"`
	Total       types.Object `tfsdk:"total"`
}

// koreRange is a configured range with the arguments that shape its query.
type koreRange struct {
	koreRangeModel
	MeteringDay types.Number // null without metering_day
	Granularity types.String // null without granularity: all
}

// readModel reads a data source's whole configuration into its model.
func readModel[M any](ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (M, bool) {
	var m M
	diags.Append(config.Get(ctx, &m)...)
	return m, !diags.HasError()
}

// validate is the ValidateConfig of the KORE data sources: a start that is
// not before end, and metering_day without metering_period or the other way
// round, are reported at plan time when known. metered says the data source
// has metering_day.
func (r koreRange) validate(metered bool, diags *diag.Diagnostics) {
	if metered && !r.Window.IsUnknown() && !r.MeteringDay.IsUnknown() {
		metering := r.Window.ValueString() == window.MeteringPeriod
		switch {
		case metering && r.MeteringDay.IsNull():
			diags.AddAttributeError(path.Root("metering_day"), "metering_day is required with metering_period",
				"window = \"metering_period\" counts from the day of the month the SIM's metering period starts (its activation day), "+
					"which KORE's API does not expose: set metering_day to that day (1-31).")
		case !metering && !r.MeteringDay.IsNull():
			diags.AddAttributeError(path.Root("metering_day"), "metering_day needs window = \"metering_period\"",
				"metering_day only says where a metering period starts. Set window = \"metering_period\", or remove metering_day.")
		}
	}
	if r.Start.IsNull() || r.Start.IsUnknown() || r.End.IsNull() || r.End.IsUnknown() {
		return
	}
	start, d1 := r.Start.ValueRFC3339Time()
	end, d2 := r.End.ValueRFC3339Time()
	if d1.HasError() || d2.HasError() {
		return // the type's own validation reports these
	}
	if !start.Before(end) {
		diags.AddAttributeError(path.Root("start"), "start must be before end",
			fmt.Sprintf("start (%s) is not before end (%s). Swap them or pick another range.", r.Start.ValueString(), r.End.ValueString()))
	}
}

// query resolves the window or start/end defaults against now.
func (m koreRange) query(now time.Time, diags *diag.Diagnostics) kore.UsageQuery {
	var q kore.UsageQuery
	switch {
	case m.Window.ValueString() == window.MeteringPeriod:
		day, ok := wholeNumberIn(m.MeteringDay.ValueBigFloat(), 1, 31)
		if !ok {
			diags.AddAttributeError(path.Root("metering_day"), "Invalid metering_day", meteringDayRule)
			return q
		}
		start, end, err := window.ResolveMetering(int(day), now)
		if err != nil {
			diags.AddAttributeError(path.Root("metering_day"), "Invalid metering_day", err.Error())
			return q
		}
		q.Start, q.End = start, end
	case !m.Window.IsNull():
		start, end, err := window.Resolve(m.Window.ValueString(), now)
		if err != nil {
			diags.AddAttributeError(path.Root("window"), "Invalid window", err.Error())
			return q
		}
		q.Start, q.End = start, end
	default:
		q.End = now.UTC().Truncate(time.Second)
		if !m.End.IsNull() {
			end, d := m.End.ValueRFC3339Time()
			diags.Append(d...)
			q.End = end.UTC()
		}
		q.Start = window.DefaultStart(q.End)
		if !m.Start.IsNull() {
			start, d := m.Start.ValueRFC3339Time()
			diags.Append(d...)
			q.Start = start.UTC()
		}
		if !q.Start.Before(q.End) {
			diags.AddAttributeError(path.Root("start"), "start must be before end",
				fmt.Sprintf("The resolved start (%s) is not before the resolved end (%s). Set both start and end, or use window.",
					q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339)))
		}
	}
	q.Granularity = kore.GranularityAll
	if !m.Granularity.IsNull() {
		q.Granularity = m.Granularity.ValueString()
	}
	return q
}

// koreState is what a KORE usage read writes (usage_account, usage_sim).
type koreState struct {
	id, accountSid string
	query          kore.UsageQuery
	complete       bool
	records        []kore.UsageRecord
	total          *koreTotal  // of records: writeKoreState sums them unless the read did
	sid            string      // usage_sim's SIM
	limits         *koreLimits // usage_sim's, with include_limits
}

// koreUsageWriters write usage_account's state, and what usage_sim's has
// of it.
func koreUsageWriters(top objectAt) writers[*koreState] {
	record := koreRecordWriter(top.at("records"))
	total := koreTotalWriter(top.at("total"))
	return writers[*koreState]{
		"id":          func(w *stateWriter, s *koreState) { w.str(s.id) },
		"account_sid": func(w *stateWriter, s *koreState) { w.optionalStr(s.accountSid) },
		"start":       func(w *stateWriter, s *koreState) { w.instant(s.query.Start) },
		"end":         func(w *stateWriter, s *koreState) { w.instant(s.query.End) },
		"granularity": func(w *stateWriter, s *koreState) { w.str(s.query.Granularity) },
		"complete":    func(w *stateWriter, s *koreState) { w.boolean(s.complete) },
		"records":     func(w *stateWriter, s *koreState) { writeEach(w, record, s.records) },
		"total":       func(w *stateWriter, s *koreState) { total.write(w, s.total) },
	}
}

// writeKoreState writes the state of a KORE read of subject with top, its
// data source's writer: the configured arguments as they were, the resolved
// range, and s: the records and their total, and usage_sim's sid and
// limits. The account is s's, or else the first record's.
func writeKoreState(ctx context.Context, config tfsdk.Config, top *objectWriter[*koreState], subject string,
	q kore.UsageQuery, now time.Time, s koreState) ([]byte, error) {
	for _, r := range s.records {
		if s.accountSid != "" {
			break
		}
		s.accountSid = r.AccountSid
	}
	s.id = strings.Join([]string{subject, q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), q.Granularity}, "/")
	s.query = q
	s.complete = !q.End.After(now.Add(-completeAfter))
	if s.total == nil {
		var err error
		if s.total, err = koreTotalOf(ctx, s.records); err != nil {
			return nil, err
		}
	}
	return writeState(ctx, config, top, &s, 0)
}

// koreRead is what both KORE reads start from: the client, the run's now,
// the resolved query and the read's timeout.
type koreRead struct {
	client  *kore.Client
	now     time.Time
	query   kore.UsageQuery
	timeout time.Duration
}

// beginRead resolves the query and applies timeouts.read; ok is false when
// a diagnostic says why the read cannot go on. The caller must call cancel.
func (m koreRange) beginRead(ctx context.Context, data *providerData, diags *diag.Diagnostics) (context.Context, context.CancelFunc, koreRead, bool) {
	r := koreRead{client: data.koreClient(diags)}
	if diags.HasError() {
		return ctx, func() {}, r, false
	}
	r.now = data.now()
	r.query = m.query(r.now, diags)
	if diags.HasError() {
		return ctx, func() {}, r, false
	}
	ctx, cancel, timeout := withReadTimeout(data.logReadsTo(ctx, "kore"), m.Timeouts, diags)
	r.timeout = timeout
	return ctx, cancel, r, true
}

// withReadTimeout bounds a whole read, retries included, by timeouts.read.
func withReadTimeout(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	timeout, d := t.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout
}

// readTimeoutAttribute is the timeouts = { read } attribute, described.
func readTimeoutAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("How long the whole read may take, retries included (a Go duration such as `30s` or `10m`). Default `%s`.", defaultReadTimeout),
	})
	if nested, ok := a.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Timeouts of this data source."
		// The package's own validator only parses, so "0s" or "-5m" would
		// end every read at once and "1000000h" would never end one.
		if read, ok := nested.Attributes["read"].(schema.StringAttribute); ok {
			read.Validators = []validator.String{readTimeoutValidator{}}
			nested.Attributes = map[string]schema.Attribute{"read": read}
		}
		return nested
	}
	return a
}

// maxReadTimeout bounds timeouts.read: a read that may take longer is a
// mistake in units, not a plan anyone waits for.
const maxReadTimeout = 24 * time.Hour

// readTimeoutValidator accepts a Go duration more than 0 and at most
// maxReadTimeout.
type readTimeoutValidator struct{}

func (readTimeoutValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a Go duration more than 0 and at most %s, such as \"30s\" or \"10m\"", strings.TrimSuffix(maxReadTimeout.String(), "0m0s"))
}

func (v readTimeoutValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v readTimeoutValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(s)
	if err == nil && d > 0 && d <= maxReadTimeout {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
		fmt.Sprintf("%s %s; got %q.", req.Path, v.Description(ctx), s))
}

// meteringDayRule is what a metering_day must be.
const meteringDayRule = "metering_day must be a whole number from 1 to 31: the day of the month the SIM's metering period starts."

// wholeNumberBetween accepts a whole number from min to max.
type wholeNumberBetween struct{ min, max int64 }

func (v wholeNumberBetween) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from %d to %d", v.min, v.max)
}

func (v wholeNumberBetween) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberBetween) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	if _, ok := wholeNumberIn(f, v.min, v.max); !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%s must be a whole number from %d to %d, got %s.", req.Path, v.min, v.max, f.Text('g', 10)))
	}
}

// wholeNumberIn is f as an int64 when it is a whole number from lo to hi.
func wholeNumberIn(f *big.Float, lo, hi int64) (int64, bool) {
	if f == nil || !f.IsInt() {
		return 0, false
	}
	n, acc := f.Int64()
	return n, acc == big.Exact && n >= lo && n <= hi
}
