package provider

import (
	"context"
	"fmt"
	"maps"
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

// koreUsageModel is what usage_account and usage_sim share.
type koreUsageModel struct {
	ID          types.String      `tfsdk:"id"`
	AccountSid  types.String      `tfsdk:"account_sid"`
	Start       timetypes.RFC3339 `tfsdk:"start"`
	End         timetypes.RFC3339 `tfsdk:"end"`
	Window      types.String      `tfsdk:"window"`
	Granularity types.String      `tfsdk:"granularity"`
	Complete    types.Bool        `tfsdk:"complete"`
	Records     types.List        `tfsdk:"records"`
	Total       types.Object      `tfsdk:"total"`
	Timeouts    timeouts.Value    `tfsdk:"timeouts"`
}

func koreUsageAttributes(ctx context.Context) map[string]schema.Attribute {
	conflictsWithWindow := stringvalidator.ConflictsWith(path.MatchRoot("window"))
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Identifies the query: the SIM or account, the resolved range and the granularity."},
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
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(window.Names...)},
			MarkdownDescription: "A named range instead of `start`/`end`, resolved in UTC when the data source is read: " +
				"`last_24_hours`, `last_7_days`, `last_30_days`, `month_to_date` (from the first of this month until now) or " +
				"`previous_month` (the whole previous calendar month). Conflicts with `start` and `end`.",
		},
		"granularity": schema.StringAttribute{
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf(koreGranularities...)},
			MarkdownDescription: "`all` (default: one record for the whole range), `daily` (one record per UTC day) or `hourly` (one per hour).",
		},
		"complete": schema.BoolAttribute{
			Computed: true,
			MarkdownDescription: "True when `end` is at least 48 hours in the past: KORE says usage is typically fully processed by then. " +
				"While false, the numbers may still grow.",
		},
		"records":  koreRecordsAttribute(),
		"total":    koreTotalAttribute(),
		"timeouts": readTimeoutAttribute(ctx),
	}
}

// validateKoreRange is the ValidateConfig of both KORE data sources: it
// reports a start that is not before end, when both are known.
func validateKoreRange(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var m koreUsageModel
	diags.Append(config.GetAttribute(ctx, path.Root("start"), &m.Start)...)
	diags.Append(config.GetAttribute(ctx, path.Root("end"), &m.End)...)
	if diags.HasError() || m.Start.IsNull() || m.Start.IsUnknown() || m.End.IsNull() || m.End.IsUnknown() {
		return
	}
	start, d1 := m.Start.ValueRFC3339Time()
	end, d2 := m.End.ValueRFC3339Time()
	if d1.HasError() || d2.HasError() {
		return // the type's own validation reports these
	}
	if !start.Before(end) {
		diags.AddAttributeError(path.Root("start"), "start must be before end",
			fmt.Sprintf("start (%s) is not before end (%s). Swap them or pick another range.", m.Start.ValueString(), m.End.ValueString()))
	}
}

// query resolves the window or start/end defaults against now.
func (m *koreUsageModel) query(now time.Time, diags *diag.Diagnostics) kore.UsageQuery {
	var q kore.UsageQuery
	switch {
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
	q.Granularity = "all"
	if !m.Granularity.IsNull() {
		q.Granularity = m.Granularity.ValueString()
	}
	return q
}

// writeKoreState writes the state of a KORE read: the configured arguments
// as they were, the resolved range, and the records and their total. more
// adds what one data source writes besides (usage_sim's sid).
func writeKoreState(ctx context.Context, config tfsdk.Config, subject, accountSid string, q kore.UsageQuery, now time.Time,
	records []kore.UsageRecord, more map[string]func(*stateWriter)) ([]byte, error) {
	if accountSid == "" {
		for _, r := range records {
			if r.AccountSid != "" {
				accountSid = r.AccountSid
				break
			}
		}
	}
	id := strings.Join([]string{subject, q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), q.Granularity}, "/")
	computed := map[string]func(*stateWriter){
		"id":          func(w *stateWriter) { w.str(id) },
		"account_sid": func(w *stateWriter) { w.optionalStr(accountSid) },
		"start":       func(w *stateWriter) { w.instant(q.Start) },
		"end":         func(w *stateWriter) { w.instant(q.End) },
		"granularity": func(w *stateWriter) { w.str(q.Granularity) },
		"complete":    func(w *stateWriter) { w.boolean(!q.End.After(now.Add(-completeAfter))) },
		"records":     func(w *stateWriter) { writeKoreRecords(w, records) },
		"total":       func(w *stateWriter) { writeKoreTotal(w, records) },
	}
	maps.Copy(computed, more)
	return writeState(ctx, config, computed)
}

// koreRead is what both KORE reads start from: the client, the run's now,
// the resolved query and the read's timeout.
type koreRead struct {
	client  *kore.Client
	now     time.Time
	query   kore.UsageQuery
	timeout time.Duration
}

// beginRead resolves the query and applies timeouts.read; ok is false when a
// diagnostic says why the read cannot go on. The caller must call cancel.
func (m *koreUsageModel) beginRead(ctx context.Context, data *providerData, diags *diag.Diagnostics) (context.Context, context.CancelFunc, koreRead, bool) {
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
		return nested
	}
	return a
}
