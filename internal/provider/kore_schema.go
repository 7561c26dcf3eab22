package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The KORE record schema. The attribute types used to build values are taken
// from these schema attributes (see koreTypes), so schema and values cannot
// drift apart.

func commandCountsAttributes(withCountry bool) map[string]schema.Attribute {
	a := map[string]schema.Attribute{
		"total":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Commands sent and received (count)."},
		"to_sim":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Commands sent to the SIM (count)."},
		"from_sim":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Commands sent by the SIM (count)."},
		"billed":        schema.Float64Attribute{Computed: true, MarkdownDescription: "Amount billed for these commands, in `billing_units`."},
		"billing_units": schema.StringAttribute{Computed: true, MarkdownDescription: "Currency of `billed` (ISO 4217, e.g. `USD`)."},
	}
	if withCountry {
		a["country_code"] = countryCodeAttribute()
	}
	return a
}

func dataCountsAttributes(withCountry bool) map[string]schema.Attribute {
	a := map[string]schema.Attribute{
		"total":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Data uploaded and downloaded, in bytes."},
		"upload":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Data sent by the SIM, in bytes."},
		"download":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Data received by the SIM, in bytes."},
		"units":         schema.StringAttribute{Computed: true, MarkdownDescription: "Unit of the data counters as the vendor names it (`bytes`)."},
		"billed":        schema.Float64Attribute{Computed: true, MarkdownDescription: "Amount billed for this data, in `billing_units`."},
		"billing_units": schema.StringAttribute{Computed: true, MarkdownDescription: "Currency of `billed` (ISO 4217, e.g. `USD`)."},
	}
	if withCountry {
		a["country_code"] = countryCodeAttribute()
	}
	return a
}

func countryCodeAttribute() schema.Attribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: "Country of the visited network, as KORE reports it (ISO 3166-1 alpha-2 in practice)."}
}

// withBreakdown adds home, national_roaming and international_roaming to a
// counter set.
func withBreakdown(top map[string]schema.Attribute, counts func(bool) map[string]schema.Attribute, what string) map[string]schema.Attribute {
	top["home"] = schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          counts(false),
		MarkdownDescription: "The " + what + " on the SIM's home network; null when the vendor reports none.",
	}
	top["national_roaming"] = schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          counts(false),
		MarkdownDescription: "The " + what + " while roaming on another network in the home country; null when the vendor reports none.",
	}
	top["international_roaming"] = schema.ListNestedAttribute{
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: counts(true)},
		MarkdownDescription: "The " + what + " while roaming abroad, one entry per country. Home, national and international roaming add up to the top-level counters.",
	}
	return top
}

func commandsAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          withBreakdown(commandCountsAttributes(false), commandCountsAttributes, "commands"),
		MarkdownDescription: desc,
	}
}

func dataAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		Attributes:          withBreakdown(dataCountsAttributes(false), dataCountsAttributes, "data"),
		MarkdownDescription: desc,
	}
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
			"commands": commandsAttribute("Machine-to-machine commands (SMS-based) in this period."),
			"data":     dataAttribute("Data in this period."),
		}},
	}
}

func koreTotalAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "The sum of all records: every counter and `billed` added up, international roaming merged per `country_code` " +
			"(sorted). Use this in `check` blocks and postconditions.",
		Attributes: map[string]schema.Attribute{
			"commands": commandsAttribute("Commands over the whole range."),
			"data":     dataAttribute("Data over the whole range."),
		},
	}
}

// koreTypes holds the object types of the KORE values, read off the schema.
type koreTypeSet struct {
	record, period, total            types.ObjectType
	commands, commandCounts, intlCmd types.ObjectType
	data, dataCounts, intlData       types.ObjectType
}

var koreTypes = func() koreTypeSet {
	rec := objectType(koreRecordsAttribute().NestedObject.Type())
	cmd := objectType(rec.AttrTypes["commands"])
	dat := objectType(rec.AttrTypes["data"])
	return koreTypeSet{
		record:        rec,
		period:        objectType(rec.AttrTypes["period"]),
		total:         objectType(koreTotalAttribute().GetType()),
		commands:      cmd,
		commandCounts: objectType(cmd.AttrTypes["home"]),
		intlCmd:       objectType(elemType(cmd.AttrTypes["international_roaming"])),
		data:          dat,
		dataCounts:    objectType(dat.AttrTypes["home"]),
		intlData:      objectType(elemType(dat.AttrTypes["international_roaming"])),
	}
}()

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
