package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Threshold selection: a fleet read's keep object narrows sims /
// subscriptions to the members at or over any of its thresholds, after every
// member's usage was read (and added to total). Requests do not change.

// keepThresholds are the thresholds of a known keep object; nil: not set.
type keepThresholds struct {
	usedPercent           *float64
	data, voiceSecs, smsN *int64
}

// keepNames are the thresholds of each data source's keep, in schema order.
var (
	koreKeepNames = []string{"used_percent", "data_bytes"}
	gigsKeepNames = []string{"used_percent", "data_bytes", "voice_seconds", "sms"}
)

// keepAttribute is the keep argument of a fleet data source: what (SIM,
// subscription), the list it narrows, and the thresholds it takes (names).
func keepAttribute(what, list, dataTotal string, gigs bool) schema.SingleNestedAttribute {
	attrs := map[string]schema.Attribute{
		"used_percent": schema.Float64Attribute{
			Optional:   true,
			Validators: []validator.Float64{float64validator.AtLeast(0)},
			MarkdownDescription: fmt.Sprintf("Keep a %s any of whose `limits` has a `used_percent` at or over this (80 for 80%%), or whose "+
				"`over_limit` is true. Needs `include_limits = true`.", what),
		},
		"data_bytes": schema.Int64Attribute{
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
			MarkdownDescription: fmt.Sprintf("Keep a %s whose `%s` is at or over this many bytes.", what, dataTotal),
		},
	}
	if gigs {
		attrs["voice_seconds"] = schema.Int64Attribute{
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
			MarkdownDescription: fmt.Sprintf("Keep a %s whose `total.voice` is at or over this many seconds.", what),
		}
		attrs["sms"] = schema.Int64Attribute{
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
			MarkdownDescription: fmt.Sprintf("Keep a %s whose `total.sms` is at or over this many messages.", what),
		}
	}
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Keep in `%s` only the %ss at or over any of these thresholds (set at least one). Every %s "+
			"read still counts in `total` and in `%s_count`; `kept_count` says how many were kept. The requests are the same "+
			"with or without it; what it saves is state: Terraform holds about 27 KB of memory per member written, and "+
			"`max_fleet_members` bounds the members kept, not those read.", list, what, what, strings.ToLower(what)),
		Attributes: attrs,
	}
}

// validateKeep reports, when known, a keep with no threshold set and
// used_percent without include_limits.
func validateKeep(keep types.Object, includeLimits types.Bool, names []string, diags *diag.Diagnostics) {
	if keep.IsNull() || keep.IsUnknown() {
		return
	}
	attrs := keep.Attributes()
	set := false // an unknown threshold is not null: set, to be known at apply
	for _, n := range names {
		if v, ok := attrs[n]; ok {
			set = set || !v.IsNull()
		}
	}
	if !set {
		diags.AddAttributeError(path.Root("keep"), "keep needs a threshold",
			fmt.Sprintf("keep sets no threshold, so it would keep nothing. Set at least one of %v, or remove keep to keep every member.", names))
	}
	if up, ok := attrs["used_percent"]; ok && !up.IsNull() && !includeLimits.IsUnknown() && !includeLimits.ValueBool() {
		diags.AddAttributeError(path.Root("keep").AtName("used_percent"), "keep.used_percent needs include_limits",
			"keep.used_percent compares usage with the vendor's limits, which are read only with include_limits = true. "+
				"Set include_limits = true, or use keep.data_bytes instead.")
	}
}

// thresholds reads a known keep object; nil when keep is null.
func thresholds(keep types.Object) *keepThresholds {
	if keep.IsNull() {
		return nil
	}
	attrs := keep.Attributes()
	t := &keepThresholds{}
	if v, ok := attrs["used_percent"].(types.Float64); ok {
		t.usedPercent = v.ValueFloat64Pointer()
	}
	whole := func(name string) *int64 {
		if v, ok := attrs[name].(types.Int64); ok {
			return v.ValueInt64Pointer()
		}
		return nil
	}
	t.data, t.voiceSecs, t.smsN = whole("data_bytes"), whole("voice_seconds"), whole("sms")
	return t
}

// atOrOver is whether v is at or over the threshold t (never for no threshold).
func atOrOver(v int64, t *int64) bool { return t != nil && v >= *t }

// overPercent is whether any bucket's used_percent is at or over the
// threshold, or any bucket is over its limit (over_limit).
func (k *keepThresholds) overPercent(buckets ...bucket) bool {
	if k.usedPercent == nil {
		return false
	}
	for _, b := range buckets {
		if b.over() {
			return true
		}
		if p := b.percent(); p != nil && *p >= *k.usedPercent {
			return true
		}
	}
	return false
}

// keepOf is the members of fleet that keep(member) keeps, in order.
func keepOf[T any](fleet []T, keep func(*T) bool) []T {
	var kept []T
	for i := range fleet {
		if keep(&fleet[i]) {
			kept = append(kept, fleet[i])
		}
	}
	return kept
}

// checkKeptBound fails a read whose keep selects more members than
// max_fleet_members allows in state: with keep, the bound is on those kept,
// known only after every usage read.
func checkKeptBound(diags *diag.Diagnostics, kept, read, bound int, what string) bool {
	if kept <= bound {
		return true
	}
	diags.AddError(fmt.Sprintf("Too many %ss kept for one data source", what),
		fmt.Sprintf("keep selects %d of the %d %ss read, %s Raise keep's thresholds, "+
			"narrow the selection with the filters, or raise max_fleet_members in the provider block if the machine running Terraform "+
			"has the memory.", kept, read, what, pastTheBound(kept, bound)))
	return false
}
