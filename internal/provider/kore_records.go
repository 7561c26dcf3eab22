package provider

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// The KORE records and total: their schema and their state values. Both are
// derived from one table of counters per kind of usage (commands, data) and
// one breakdown (home, national and international roaming) written once for
// both kinds, so that schema and values cannot drift apart.

// counterField is one counter of a kind: its attribute and how to read it.
// Exactly one reader is set: a whole-number count, an amount, or a text.
type counterField[C any] struct {
	name, desc string
	count      func(C) int64
	amount     func(C) float64
	text       func(C) string
}

func (f counterField[C]) attribute() schema.Attribute {
	switch {
	case f.count != nil:
		return schema.Int64Attribute{Computed: true, MarkdownDescription: f.desc}
	case f.amount != nil:
		return schema.Float64Attribute{Computed: true, MarkdownDescription: f.desc}
	}
	return schema.StringAttribute{Computed: true, MarkdownDescription: f.desc}
}

func (f counterField[C]) write(w *stateWriter, c C) {
	switch {
	case f.count != nil:
		w.int64(f.count(c))
	case f.amount != nil:
		w.float64(f.amount(c))
	default:
		w.str(f.text(c))
	}
}

const billingUnitsDesc = "Currency of `billed` (ISO 4217, e.g. `USD`)."

var commandFields = []counterField[kore.CommandCounts]{
	{name: "total", desc: "Commands sent and received (count).", count: func(c kore.CommandCounts) int64 { return c.Total }},
	{name: "to_sim", desc: "Commands sent to the SIM (count).", count: func(c kore.CommandCounts) int64 { return c.ToSim }},
	{name: "from_sim", desc: "Commands sent by the SIM (count).", count: func(c kore.CommandCounts) int64 { return c.FromSim }},
	{name: "billed", desc: "Amount billed for these commands, in `billing_units`.", amount: func(c kore.CommandCounts) float64 { return c.Billed }},
	{name: "billing_units", desc: billingUnitsDesc, text: func(c kore.CommandCounts) string { return c.BillingUnits }},
}

var dataFields = []counterField[kore.DataCounts]{
	{name: "total", desc: "Data uploaded and downloaded, in bytes.", count: func(d kore.DataCounts) int64 { return d.Total }},
	{name: "upload", desc: "Data sent by the SIM, in bytes.", count: func(d kore.DataCounts) int64 { return d.Upload }},
	{name: "download", desc: "Data received by the SIM, in bytes.", count: func(d kore.DataCounts) int64 { return d.Download }},
	{name: "units", desc: "Unit of the data counters as the vendor names it (`bytes`).", text: func(d kore.DataCounts) string { return d.Units }},
	{name: "billed", desc: "Amount billed for this data, in `billing_units`.", amount: func(d kore.DataCounts) float64 { return d.Billed }},
	{name: "billing_units", desc: billingUnitsDesc, text: func(d kore.DataCounts) string { return d.BillingUnits }},
}

// usageKind is one kind of usage as the schema shows it: its counters (in
// the order state writes them), what it is called, and its attributes.
type usageKind[C any, P kore.Counters[C]] struct {
	fields []counterField[C] // sorted by name
	what   string            // "commands", "data"
	slots  []slot            // the breakdown object's attributes, in state order
	abroad []slot            // an international roaming entry's attributes, in state order
}

// slot is one attribute of a breakdown object: a counter (field >= 0) or
// one of home, national_roaming and international_roaming.
type slot struct {
	name  string
	field int
}

func newUsageKind[C any, P kore.Counters[C]](fields []counterField[C], what string) usageKind[C, P] {
	sorted := slices.SortedFunc(slices.Values(fields), func(a, b counterField[C]) int { return cmp.Compare(a.name, b.name) })
	k := usageKind[C, P]{fields: sorted, what: what}
	k.slots = k.slotsOf(k.attribute("").Attributes)
	k.abroad = k.slotsOf(k.countsAttributes(true))
	return k
}

var (
	commandsKind = newUsageKind[kore.CommandCounts](commandFields, "commands")
	dataKind     = newUsageKind[kore.DataCounts](dataFields, "data")
)

// slotsOf lays out an object's attributes in state order, each a counter or
// a named special.
func (k usageKind[C, P]) slotsOf(attrs map[string]schema.Attribute) []slot {
	var slots []slot
	for _, name := range shapeOf(attrs).names {
		field := slices.IndexFunc(k.fields, func(f counterField[C]) bool { return f.name == name })
		slots = append(slots, slot{name: name, field: field})
	}
	return slots
}

// countsAttributes are the counters of the kind, with a country code for
// international roaming.
func (k usageKind[C, P]) countsAttributes(withCountry bool) map[string]schema.Attribute {
	a := make(map[string]schema.Attribute, len(k.fields)+1)
	for _, f := range k.fields {
		a[f.name] = f.attribute()
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

// writeCounts writes a counter set: home, national roaming, or (with its
// country) abroad.
func (k usageKind[C, P]) writeCounts(w *stateWriter, c C, country *string) {
	slots := k.abroad
	if country == nil {
		slots = k.slots
	}
	n := len(k.fields)
	if country != nil {
		n++
	}
	w.mapLen(n)
	for _, sl := range slots {
		switch {
		case sl.field >= 0:
			w.key(sl.name)
			k.fields[sl.field].write(w, c)
		case sl.name == "country_code":
			w.key(sl.name)
			w.str(*country)
		}
	}
}

func (k usageKind[C, P]) writeOptional(w *stateWriter, c *C) {
	if c == nil {
		w.null()
		return
	}
	k.writeCounts(w, *c, nil)
}

// write writes one breakdown in the schema's attribute order.
func (k usageKind[C, P]) write(w *stateWriter, b kore.Breakdown[C, P]) {
	w.mapLen(len(k.slots))
	for _, sl := range k.slots {
		w.key(sl.name)
		switch sl.name {
		case "home":
			k.writeOptional(w, b.Home)
		case "national_roaming":
			k.writeOptional(w, b.NationalRoaming)
		case "international_roaming":
			w.listLen(len(b.InternationalRoaming))
			for i := range b.InternationalRoaming {
				k.writeCounts(w, b.InternationalRoaming[i].Counts, &b.InternationalRoaming[i].CountryCode)
			}
		default:
			if sl.field < 0 {
				w.keep(fmt.Errorf("writing state: no counter %s", sl.name))
				continue
			}
			k.fields[sl.field].write(w, b.Counts)
		}
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

// writeKoreRecords writes the records, one object each.
func writeKoreRecords(w *stateWriter, records []kore.UsageRecord) {
	w.listLen(len(records))
	for i := range records {
		r := &records[i]
		w.mapLen(3)
		w.key("commands")
		commandsKind.write(w, r.Commands)
		w.key("data")
		dataKind.write(w, r.Data)
		w.key("period") // end, then start, as the schema sorts them
		w.mapLen(2)
		w.key("end")
		w.instant(r.Period.End)
		w.key("start")
		w.instant(r.Period.Start)
	}
}

// writeKoreTotal writes the total of records.
func writeKoreTotal(w *stateWriter, records []kore.UsageRecord) {
	c, d, err := kore.TotalContext(w.ctx, records)
	w.keep(err)
	writeKoreTotalOf(w, c, d)
}

// writeKoreTotalOf writes a total of commands and data.
func writeKoreTotalOf(w *stateWriter, c kore.Commands, d kore.Data) {
	w.mapLen(2)
	w.key("commands")
	commandsKind.write(w, c)
	w.key("data")
	dataKind.write(w, d)
}
