package provider

import (
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

// koreLimits is what include_limits writes for a KORE SIM: its rate plan
// and the data used against the plan's limits.
type koreLimits struct {
	plan                          kore.RatePlan
	home, national, international bucket
}

func (l *koreLimits) overLimit() *bool {
	return overLimit([]bucket{l.home, l.national, l.international})
}

// newKoreLimits puts data's buckets against plan's limits: home, national
// roaming, and international roaming summed over countries.
func newKoreLimits(plan kore.RatePlan, data kore.Data) *koreLimits {
	mb := func(v *int64) *int64 {
		if v == nil {
			return nil
		}
		b := *v * bytesPerMB
		return &b
	}
	l := &koreLimits{
		plan:          plan,
		home:          bucket{limit: mb(plan.DataLimitMB)},
		national:      bucket{limit: mb(plan.NationalRoamingDataLimitMB)},
		international: bucket{limit: mb(plan.InternationalRoamingDataLimitMB)},
	}
	if data.Home != nil {
		l.home.used = data.Home.Total
	}
	if data.NationalRoaming != nil {
		l.national.used = data.NationalRoaming.Total
	}
	for _, r := range data.InternationalRoaming {
		l.international.used += r.Counts.Total
	}
	return l
}

// koreLimitWriters write rate_plan, limits and over_limit of the object at
// at (koreLimitAttributes) from the limits of(v): all null without
// include_limits (nil).
func koreLimitWriters[T any](at objectAt, of func(T) *koreLimits) writers[T] {
	plan := newObjectWriter(at.at("rate_plan"), writers[*kore.RatePlan]{
		"sid":           func(w *stateWriter, p *kore.RatePlan) { w.str(p.Sid) },
		"unique_name":   func(w *stateWriter, p *kore.RatePlan) { w.optionalStr(p.UniqueName) },
		"friendly_name": func(w *stateWriter, p *kore.RatePlan) { w.optionalStr(p.FriendlyName) },
	})
	limits := bucketsWriter(at.at("limits"), map[string]func(*koreLimits) *bucket{
		"data_home":                  func(l *koreLimits) *bucket { return &l.home },
		"data_national_roaming":      func(l *koreLimits) *bucket { return &l.national },
		"data_international_roaming": func(l *koreLimits) *bucket { return &l.international },
	})
	return writers[T]{
		"rate_plan":  nullable(of, func(w *stateWriter, l *koreLimits) { plan.write(w, &l.plan) }),
		"limits":     nullable(of, limits.write),
		"over_limit": nullable(of, func(w *stateWriter, l *koreLimits) { w.optionalBool(l.overLimit()) }),
	}
}

// bucketsWriter builds the writer of a limits object at at: each bucket's
// object, from the bucket of(limits).
func bucketsWriter[L any](at objectAt, buckets map[string]func(*L) *bucket) *objectWriter[*L] {
	table := make(writers[*L], len(buckets))
	for name, of := range buckets {
		b := newObjectWriter(at.at(name), writers[*bucket]{
			"limit":        func(w *stateWriter, b *bucket) { w.optionalInt64(b.limit) },
			"used":         func(w *stateWriter, b *bucket) { w.int64(b.used) },
			"used_percent": func(w *stateWriter, b *bucket) { w.optionalFloat64(b.percent()) },
		})
		table[name] = func(w *stateWriter, l *L) { b.write(w, of(l)) }
	}
	return newObjectWriter(at, table)
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

// gigsLimits is what include_limits writes for a Gigs subscription: its
// plan and the usage against the plan's allowances.
type gigsLimits struct {
	plan             gigs.Plan
	data, voice, sms bucket
}

func (l *gigsLimits) overLimit() *bool { return overLimit([]bucket{l.data, l.voice, l.sms}) }

// newGigsLimits puts the usage summed in sums against plan's allowances.
func newGigsLimits(plan gigs.Plan, sums *gigsSums) *gigsLimits {
	return &gigsLimits{
		plan:  plan,
		data:  bucket{limit: plan.Allowances.DataBytes, used: sums.data()},
		voice: bucket{limit: plan.Allowances.VoiceSeconds, used: sums.voice()},
		sms:   bucket{limit: plan.Allowances.SMSMessages, used: sums.sms()},
	}
}

// gigsLimitWriters write plan, current_period, limits and over_limit of the
// object at at (gigsLimitAttributes): the limits of(v), null without
// include_limits (nil), and the period current(v).
func gigsLimitWriters[T any](at objectAt, of func(T) *gigsLimits, current func(T) *gigs.Period) writers[T] {
	plan := newObjectWriter(at.at("plan"), writers[*gigs.Plan]{
		"id":   func(w *stateWriter, p *gigs.Plan) { w.str(p.ID) },
		"name": func(w *stateWriter, p *gigs.Plan) { w.optionalStr(p.Name) },
	})
	limits := bucketsWriter(at.at("limits"), map[string]func(*gigsLimits) *bucket{
		"data":  func(l *gigsLimits) *bucket { return &l.data },
		"voice": func(l *gigsLimits) *bucket { return &l.voice },
		"sms":   func(l *gigsLimits) *bucket { return &l.sms },
	})
	period := newObjectWriter(at.at("current_period"), writers[*gigs.Period]{
		"number": func(w *stateWriter, p *gigs.Period) { w.int64(int64(p.Number)) },
		"start":  func(w *stateWriter, p *gigs.Period) { w.instant(p.Start) },
		"end":    func(w *stateWriter, p *gigs.Period) { w.instant(p.End) },
	})
	return writers[T]{
		"plan":           nullable(of, func(w *stateWriter, l *gigsLimits) { plan.write(w, &l.plan) }),
		"limits":         nullable(of, limits.write),
		"over_limit":     nullable(of, func(w *stateWriter, l *gigsLimits) { w.optionalBool(l.overLimit()) }),
		"current_period": nullable(current, period.write),
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
