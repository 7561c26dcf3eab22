package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// The KORE records and total: their schema and their state values. Both are
// derived from one table of counters per kind of usage (commands, data) and
// one breakdown (home, national and international roaming) written once for
// both kinds, so that schema and values cannot drift apart.

// counterField is one counter of a kind: its attribute and how to read it.
type counterField[C any] struct {
	name  string
	attr  schema.Attribute
	value func(C) attr.Value
}

var commandFields = []counterField[kore.CommandCounts]{
	{"total", int64Counter("Commands sent and received (count)."), func(c kore.CommandCounts) attr.Value { return types.Int64Value(c.Total) }},
	{"to_sim", int64Counter("Commands sent to the SIM (count)."), func(c kore.CommandCounts) attr.Value { return types.Int64Value(c.ToSim) }},
	{"from_sim", int64Counter("Commands sent by the SIM (count)."), func(c kore.CommandCounts) attr.Value { return types.Int64Value(c.FromSim) }},
	{"billed", billedAttr("these commands"), func(c kore.CommandCounts) attr.Value { return types.Float64Value(c.Billed) }},
	{"billing_units", billingUnitsAttr(), func(c kore.CommandCounts) attr.Value { return types.StringValue(c.BillingUnits) }},
}

var dataFields = []counterField[kore.DataCounts]{
	{"total", int64Counter("Data uploaded and downloaded, in bytes."), func(d kore.DataCounts) attr.Value { return types.Int64Value(d.Total) }},
	{"upload", int64Counter("Data sent by the SIM, in bytes."), func(d kore.DataCounts) attr.Value { return types.Int64Value(d.Upload) }},
	{"download", int64Counter("Data received by the SIM, in bytes."), func(d kore.DataCounts) attr.Value { return types.Int64Value(d.Download) }},
	{"units", schema.StringAttribute{Computed: true, MarkdownDescription: "Unit of the data counters as the vendor names it (`bytes`)."},
		func(d kore.DataCounts) attr.Value { return types.StringValue(d.Units) }},
	{"billed", billedAttr("this data"), func(d kore.DataCounts) attr.Value { return types.Float64Value(d.Billed) }},
	{"billing_units", billingUnitsAttr(), func(d kore.DataCounts) attr.Value { return types.StringValue(d.BillingUnits) }},
}

func int64Counter(desc string) schema.Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func billedAttr(what string) schema.Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: "Amount billed for " + what + ", in `billing_units`."}
}

func billingUnitsAttr() schema.Attribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: "Currency of `billed` (ISO 4217, e.g. `USD`)."}
}

// usageKind is one kind of usage as the schema shows it: its counters, what
// it is called, and the object types read off its schema.
type usageKind[C any, P kore.Counters[C]] struct {
	fields                  []counterField[C]
	what                    string // "commands", "data"
	object, counts, roaming types.ObjectType
}

func newUsageKind[C any, P kore.Counters[C]](fields []counterField[C], what string) usageKind[C, P] {
	k := usageKind[C, P]{fields: fields, what: what}
	k.object = objectType(k.attribute("").GetType())
	k.counts = objectType(k.object.AttrTypes["home"])
	k.roaming = objectType(elemType(k.object.AttrTypes["international_roaming"]))
	return k
}

var (
	commandsKind = newUsageKind[kore.CommandCounts](commandFields, "commands")
	dataKind     = newUsageKind[kore.DataCounts](dataFields, "data")
)

// countsAttributes are the counters of the kind, with a country code for
// international roaming.
func (k usageKind[C, P]) countsAttributes(withCountry bool) map[string]schema.Attribute {
	a := make(map[string]schema.Attribute, len(k.fields)+1)
	for _, f := range k.fields {
		a[f.name] = f.attr
	}
	if withCountry {
		a["country_code"] = schema.StringAttribute{Computed: true,
			MarkdownDescription: "Country of the visited network, as KORE reports it (ISO 3166-1 alpha-2 in practice)."}
	}
	return a
}

// attribute is the kind's object: its counters and their breakdown.
func (k usageKind[C, P]) attribute(desc string) schema.SingleNestedAttribute {
	top := k.countsAttributes(false)
	top["home"] = schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          k.countsAttributes(false),
		MarkdownDescription: "The " + k.what + " on the SIM's home network; null when the vendor reports none.",
	}
	top["national_roaming"] = schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          k.countsAttributes(false),
		MarkdownDescription: "The " + k.what + " while roaming on another network in the home country; null when the vendor reports none.",
	}
	top["international_roaming"] = schema.ListNestedAttribute{
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: k.countsAttributes(true)},
		MarkdownDescription: "The " + k.what + " while roaming abroad, one entry per country. Home, national and international roaming add up to the top-level counters.",
	}
	return schema.SingleNestedAttribute{Computed: true, Attributes: top, MarkdownDescription: desc}
}

func (k usageKind[C, P]) countsMap(c C, extra int) map[string]attr.Value {
	m := make(map[string]attr.Value, len(k.fields)+extra)
	for _, f := range k.fields {
		m[f.name] = f.value(c)
	}
	return m
}

func (k usageKind[C, P]) optional(c *C) types.Object {
	if c == nil {
		return types.ObjectNull(k.counts.AttrTypes)
	}
	return types.ObjectValueMust(k.counts.AttrTypes, k.countsMap(*c, 0))
}

// value is the state value of one breakdown.
func (k usageKind[C, P]) value(b kore.Breakdown[C, P]) types.Object {
	m := k.countsMap(b.Counts, 3)
	m["home"] = k.optional(b.Home)
	m["national_roaming"] = k.optional(b.NationalRoaming)
	intl := make([]attr.Value, len(b.InternationalRoaming))
	for i, r := range b.InternationalRoaming {
		cm := k.countsMap(r.Counts, 1)
		cm["country_code"] = types.StringValue(r.CountryCode)
		intl[i] = types.ObjectValueMust(k.roaming.AttrTypes, cm)
	}
	m["international_roaming"] = types.ListValueMust(k.roaming, intl)
	return types.ObjectValueMust(k.object.AttrTypes, m)
}

func koreRecordsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "Usage records in ascending order of period: one for `granularity = \"all\"`, one per UTC day for `daily`, " +
			"one per hour for `hourly`. Records are not real time: usage can take up to 24 hours to appear and is typically complete within 48 hours.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"period": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The time span this record covers.",
				Attributes: map[string]schema.Attribute{
					"start": schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: "Start of the period (RFC 3339, UTC)."},
					"end":   schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: "End of the period (RFC 3339, UTC)."},
				},
			},
			"commands": commandsKind.attribute("Machine-to-machine commands (SMS-based) in this period."),
			"data":     dataKind.attribute("Data in this period."),
		}},
	}
}

func koreTotalAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "The sum of all records: every counter and `billed` added up, international roaming merged per `country_code` " +
			"(sorted). Use this in `check` blocks and postconditions.",
		Attributes: map[string]schema.Attribute{
			"commands": commandsKind.attribute("Commands over the whole range."),
			"data":     dataKind.attribute("Data over the whole range."),
		},
	}
}

// The record, period and total object types, read off the schema.
var (
	koreRecordType = objectType(koreRecordsAttribute().NestedObject.Type())
	korePeriodType = objectType(koreRecordType.AttrTypes["period"])
	koreTotalType  = objectType(koreTotalAttribute().GetType())
)

// koreRecordsValue builds the records directly: a month of hourly records is
// hundreds of objects of dozens of attributes each, and the framework's
// reflection costs fifty times as much.
func koreRecordsValue(records []kore.UsageRecord) types.List {
	elems := make([]attr.Value, len(records))
	for i, r := range records {
		elems[i] = types.ObjectValueMust(koreRecordType.AttrTypes, map[string]attr.Value{
			"period": types.ObjectValueMust(korePeriodType.AttrTypes, map[string]attr.Value{
				"start": timetypes.NewRFC3339TimeValue(r.Period.Start.UTC()),
				"end":   timetypes.NewRFC3339TimeValue(r.Period.End.UTC()),
			}),
			"commands": commandsKind.value(r.Commands),
			"data":     dataKind.value(r.Data),
		})
	}
	return types.ListValueMust(koreRecordType, elems)
}

// koreTotalValue is the total of records.
func koreTotalValue(records []kore.UsageRecord) types.Object {
	c, d := kore.Total(records)
	return types.ObjectValueMust(koreTotalType.AttrTypes, map[string]attr.Value{
		"commands": commandsKind.value(c),
		"data":     dataKind.value(d),
	})
}

// objectType and elemType read the types off schema attributes at init; a
// mismatch is a programming error caught by every test.
func objectType(t attr.Type) types.ObjectType {
	o, ok := t.(types.ObjectType)
	if !ok {
		panic(fmt.Sprintf("schema type %T is not an object", t))
	}
	return o
}

func elemType(t attr.Type) attr.Type {
	l, ok := t.(types.ListType)
	if !ok {
		panic(fmt.Sprintf("schema type %T is not a list", t))
	}
	return l.ElemType
}
