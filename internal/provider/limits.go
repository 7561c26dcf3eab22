package provider

import (
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// Limits: usage against the limits the vendor itself holds (KORE rate plans,
// Gigs plan allowances), written when include_limits is true and null
// otherwise, at no request.

// bucket is one limit and the usage it caps.
type bucket struct {
	limit *int64 // nil: the plan sets none
	used  int64
}

// percent is 100 × used / limit, or nil when there is no limit or it is 0.
func (b bucket) percent() *float64 {
	if b.limit == nil || *b.limit == 0 {
		return nil
	}
	p := 100 * float64(b.used) / float64(*b.limit)
	return &p
}

// over reports a bucket at or past its limit: at or above 100%, or any use
// of a limit of 0 (a plan that allows none).
func (b bucket) over() bool {
	if b.limit == nil {
		return false
	}
	if *b.limit == 0 {
		return b.used > 0
	}
	return b.used >= *b.limit
}

// overLimit is true when any bucket is at or past its limit, false when
// none is, and nil when no bucket has a limit.
func overLimit(buckets []bucket) *bool {
	var limited, over bool
	for _, b := range buckets {
		if b.limit != nil {
			limited = true
			over = over || b.over()
		}
	}
	if !limited {
		return nil
	}
	return &over
}

// limitAttribute is one bucket's limit; null says what a null limit means
// for the vendor.
func limitAttribute(what, unit, null string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: what + ".",
		Attributes: map[string]schema.Attribute{
			"limit": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "The limit, in " + unit + "; null " + null + " (see the guide on limits)."},
			"used": schema.Int64Attribute{Computed: true, MarkdownDescription: "The usage it caps over the range, in " + unit + "."},
			"used_percent": schema.Float64Attribute{Computed: true,
				MarkdownDescription: "100 × `used` / `limit`; null when `limit` is null or 0."},
		},
	}
}

func overLimitAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true,
		MarkdownDescription: "True when any limit is reached: a `used_percent` at or above 100, or any use of a limit of 0. " +
			"False when none is; null when nothing has a limit, or without `include_limits`."}
}

func includeLimitsAttribute(requests string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true,
		MarkdownDescription: "Also read the vendor's own limits and compare the usage with them (`limits`, `over_limit`). " +
			"Default false: those attributes are null and no request is spent on them. " + requests}
}

func (w *stateWriter) bucket(b *bucket) {
	if b == nil {
		w.null()
		return
	}
	w.mapLen(3) // limit, used, used_percent
	w.key("limit")
	w.optionalInt64(b.limit)
	w.key("used")
	w.int64(b.used)
	w.key("used_percent")
	if p := b.percent(); p != nil {
		w.float64(*p)
	} else {
		w.null()
	}
}

func (w *stateWriter) optionalBool(b *bool) {
	if b == nil {
		w.null()
		return
	}
	w.boolean(*b)
}

// What a null limit means: KORE's rate plan sets none; Gigs' allowance is
// unlimited.
const (
	koreNullLimit = "when the rate plan sets none"
	gigsNullLimit = "when the allowance is unlimited"
)

// bytesPerMB is how KORE's megabytes are read: decimal, as its billing in
// 100 KB steps at a tenth of the MB price implies (the binary reading is
// unconfirmed; see the guide).
const bytesPerMB = 1_000_000

// planLimits is what include_limits writes for one SIM or subscription:
// its plan (as the object its schema shows) and its buckets, by name.
type planLimits struct {
	plan    func(w *stateWriter)
	buckets map[string]bucket
}

// writeLimit writes one of the plan attribute (rate_plan, plan), limits and
// over_limit; all are null without include_limits (l nil).
func writeLimit(w *stateWriter, name string, l *planLimits) {
	switch {
	case l == nil:
		w.null()
	case name == "limits":
		names := slices.Sorted(maps.Keys(l.buckets))
		w.mapLen(len(names))
		for _, n := range names {
			w.key(n)
			b := l.buckets[n]
			w.bucket(&b)
		}
	case name == "over_limit":
		w.optionalBool(overLimit(slices.Collect(maps.Values(l.buckets))))
	default:
		l.plan(w)
	}
}

// newKoreLimits puts data's buckets against plan's limits: home, national
// roaming, and international roaming summed over countries.
func newKoreLimits(plan kore.RatePlan, data kore.Data) *planLimits {
	mb := func(v *int64) *int64 {
		if v == nil {
			return nil
		}
		b := *v * bytesPerMB
		return &b
	}
	home := bucket{limit: mb(plan.DataLimitMB)}
	if data.Home != nil {
		home.used = data.Home.Total
	}
	national := bucket{limit: mb(plan.NationalRoamingDataLimitMB)}
	if data.NationalRoaming != nil {
		national.used = data.NationalRoaming.Total
	}
	international := bucket{limit: mb(plan.InternationalRoamingDataLimitMB)}
	for _, r := range data.InternationalRoaming {
		international.used += r.Counts.Total
	}
	return &planLimits{
		plan: func(w *stateWriter) { // friendly_name, sid, unique_name
			w.mapLen(3)
			w.key("friendly_name")
			w.optionalStr(plan.FriendlyName)
			w.key("sid")
			w.str(plan.Sid)
			w.key("unique_name")
			w.optionalStr(plan.UniqueName)
		},
		buckets: map[string]bucket{"data_home": home, "data_national_roaming": national, "data_international_roaming": international},
	}
}

// koreLimitAttributes are rate_plan, limits and over_limit of a KORE SIM.
func koreLimitAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"rate_plan": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The SIM's rate plan, with `include_limits`; null without it, or when the SIM has none.",
			Attributes: map[string]schema.Attribute{
				"sid":           schema.StringAttribute{Computed: true, MarkdownDescription: "SID of the rate plan (`WP…`)."},
				"unique_name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Unique name of the rate plan."},
				"friendly_name": schema.StringAttribute{Computed: true, MarkdownDescription: "Friendly name of the rate plan."},
			},
		},
		"limits": schema.SingleNestedAttribute{
			Computed: true,
			MarkdownDescription: "The rate plan's monthly data limits against the data used in the range, per network, with " +
				"`include_limits`; null without it, or when the SIM has no rate plan. KORE gives limits in megabytes, read as " +
				"1,000,000 bytes each; its months start on the SIM's activation day (see `window = \"metering_period\"`).",
			Attributes: map[string]schema.Attribute{
				"data_home":                  limitAttribute("Data on the home network against the plan's `data_limit`", "bytes", koreNullLimit),
				"data_national_roaming":      limitAttribute("Data roaming in the home country against `national_roaming_data_limit`", "bytes", koreNullLimit),
				"data_international_roaming": limitAttribute("Data roaming abroad, summed over countries, against `international_roaming_data_limit`", "bytes", koreNullLimit),
			},
		},
		"over_limit": overLimitAttribute(),
	}
}

// newGigsLimits puts the usage of records against plan's allowances.
func newGigsLimits(plan gigs.Plan, records []gigs.UsageRecord) *planLimits {
	data := bucket{limit: plan.Allowances.DataBytes}
	voice := bucket{limit: plan.Allowances.VoiceSeconds}
	sms := bucket{limit: plan.Allowances.SMSMessages}
	for i := range records {
		data.used += records[i].Data
		voice.used += records[i].Voice
		sms.used += records[i].SMS
	}
	return &planLimits{
		plan: func(w *stateWriter) { // id, name
			w.mapLen(2)
			w.key("id")
			w.str(plan.ID)
			w.key("name")
			w.optionalStr(plan.Name)
		},
		buckets: map[string]bucket{"data": data, "voice": voice, "sms": sms},
	}
}

// gigsLimitAttributes are plan, current_period, limits and over_limit of a
// Gigs subscription.
func gigsLimitAttributes(currentPeriodDesc string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"plan": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The subscription's plan, with `include_limits`; null without it.",
			Attributes: map[string]schema.Attribute{
				"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The plan id (`pln_…`)."},
				"name": schema.StringAttribute{Computed: true, MarkdownDescription: "The plan's name."},
			},
		},
		"current_period": currentPeriodAttribute(currentPeriodDesc),
		"limits": schema.SingleNestedAttribute{
			Computed: true,
			MarkdownDescription: "The plan's allowances against the usage in the range, with `include_limits`; null without it. " +
				"A null `limit` is an unlimited allowance. Top-up add-ons are not counted.",
			Attributes: map[string]schema.Attribute{
				"data":  limitAttribute("Data against the plan's `allowances.dataBytes`", "bytes", gigsNullLimit),
				"voice": limitAttribute("Voice against the plan's `allowances.voiceSeconds`", "seconds", gigsNullLimit),
				"sms":   limitAttribute("SMS against the plan's `allowances.smsMessages`", "messages", gigsNullLimit),
			},
		},
		"over_limit": overLimitAttribute(),
	}
}

func currentPeriodAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"number": schema.Int64Attribute{Computed: true, MarkdownDescription: "The period number (1 is the first)."},
			"start":  schema.StringAttribute{Computed: true, MarkdownDescription: "When the period started (RFC 3339)."},
			"end":    schema.StringAttribute{Computed: true, MarkdownDescription: "When the period ends (RFC 3339)."},
		},
	}
}

func (w *stateWriter) period(p *gigs.Period) {
	if p == nil {
		w.null()
		return
	}
	w.mapLen(3) // end, number, start
	w.key("end")
	w.instant(p.End)
	w.key("number")
	w.int64(int64(p.Number))
	w.key("start")
	w.instant(p.Start)
}
