package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// gigsCounters names the Gigs counters in state order with their wire
// meaning; the preview ones are null, never 0, when Gigs omits them.
var gigsCounters = []struct {
	name, desc string
	preview    bool
}{
	{"data", "Data used, in bytes.", false},
	{"sms", "SMS messages sent and received (count).", false},
	{"voice", "Voice call time, in seconds.", false},
	{"data_device_bytes", "Data used on the device itself, in bytes. Gigs preview field: null when Gigs does not report it.", true},
	{"data_tethering_bytes", "Data used through tethering (hotspot), in bytes. Gigs preview field: null when Gigs does not report it.", true},
	{"sms_international_messages", "International SMS messages (count). Gigs preview field: null when Gigs does not report it.", true},
	{"sms_local_messages", "Local SMS messages (count). Gigs preview field: null when Gigs does not report it.", true},
	{"voice_international_seconds", "International voice call time, in seconds. Gigs preview field: null when Gigs does not report it.", true},
	{"voice_local_seconds", "Local voice call time, in seconds. Gigs preview field: null when Gigs does not report it.", true},
}

func gigsCounterAttributes() map[string]schema.Attribute {
	a := make(map[string]schema.Attribute, len(gigsCounters))
	for _, c := range gigsCounters {
		a[c.name] = schema.Int64Attribute{Computed: true, MarkdownDescription: c.desc}
	}
	return a
}

func gigsRecordsAttribute() schema.ListNestedAttribute {
	attrs := gigsCounterAttributes()
	attrs["start"] = schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: "Start of the aggregation period, inclusive (RFC 3339)."}
	attrs["end"] = schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: "End of the aggregation period, exclusive (RFC 3339)."}
	attrs["updated_at"] = schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: "When Gigs last updated this aggregation (RFC 3339); null when not reported."}
	attrs["labels"] = schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: "What the record is grouped by; each label is null when Gigs does not send it for the chosen aggregation.",
		Attributes: map[string]schema.Attribute{
			"country":      schema.StringAttribute{Computed: true, MarkdownDescription: "Country of the usage (ISO 3166-1 alpha-2)."},
			"roaming":      schema.StringAttribute{Computed: true, MarkdownDescription: "Roaming kind: `none`, `domestic` or `international` (Gigs preview)."},
			"subscription": schema.StringAttribute{Computed: true, MarkdownDescription: "The subscription id (`sub_…`)."},
		},
	}
	return schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: "Usage records in ascending order of `start`, as grouped by `aggregation`. Gigs notes that usage data is delayed by a time that varies between carriers.",
		NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
	}
}

func gigsTotalAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "The sum of all records. A preview counter's total is null when no record carried it. " +
			"Use this in `check` blocks and postconditions.",
		Attributes: gigsCounterAttributes(),
	}
}
