package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
)

// gigsCounterValues returns the counters of r in gigsCounters order.
func gigsCounterValues(r gigs.UsageRecord) []*int64 {
	return []*int64{
		&r.Data, &r.SMS, &r.Voice,
		r.DataDeviceBytes, r.DataTetheringBytes,
		r.SMSInternationalMessages, r.SMSLocalMessages,
		r.VoiceInternationalSeconds, r.VoiceLocalSeconds,
	}
}

func counterMap(values []*int64, size int) map[string]attr.Value {
	m := make(map[string]attr.Value, size)
	for i, c := range gigsCounters {
		if values[i] == nil {
			m[c.name] = types.Int64Null()
		} else {
			m[c.name] = types.Int64Value(*values[i])
		}
	}
	return m
}

func gigsRecordsValue(records []gigs.UsageRecord) types.List {
	elems := make([]attr.Value, len(records))
	for i, r := range records {
		m := counterMap(gigsCounterValues(r), len(gigsTypes.record.AttrTypes))
		m["start"] = timetypes.NewRFC3339TimeValue(r.Start.UTC())
		m["end"] = timetypes.NewRFC3339TimeValue(r.End.UTC())
		m["updated_at"] = timetypes.NewRFC3339Null()
		if r.UpdatedAt != nil {
			m["updated_at"] = timetypes.NewRFC3339TimeValue(r.UpdatedAt.UTC())
		}
		m["labels"] = types.ObjectValueMust(gigsTypes.labels.AttrTypes, map[string]attr.Value{
			"country":      optionalString(r.Labels.Country),
			"roaming":      optionalString(r.Labels.Roaming),
			"subscription": optionalString(r.Labels.Subscription),
		})
		elems[i] = types.ObjectValueMust(gigsTypes.record.AttrTypes, m)
	}
	return types.ListValueMust(gigsTypes.record, elems)
}

// gigsTotalValue sums each counter; a preview total stays null unless some
// record carried that counter.
func gigsTotalValue(records []gigs.UsageRecord) types.Object {
	sums := make([]*int64, len(gigsCounters))
	for i := range 3 {
		sums[i] = new(int64) // data, sms and voice are always present
	}
	for _, r := range records {
		for i, v := range gigsCounterValues(r) {
			if v == nil {
				continue
			}
			if sums[i] == nil {
				sums[i] = new(int64)
			}
			*sums[i] += *v
		}
	}
	return types.ObjectValueMust(gigsTypes.total.AttrTypes, counterMap(sums, len(gigsCounters)))
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
