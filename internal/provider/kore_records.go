package provider

import (
	"context"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// The KORE records and total: their schema and their state writers. Both are
// derived from one table of counters per kind of usage (commands, data) and
// one breakdown (home, national and international roaming) written once for
// both kinds; the writers are built against the schema (newObjectWriter).

// counterField is one counter of a kind: its attribute and how to read it.
// Exactly one reader is set: a whole-number count, an amount, or a text.
type counterField[C any] struct {
	name, desc string
	count      func(*C) int64
	amount     func(*C) float64
	text       func(*C) string
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

// writer writes the counter of a counter set.
func (f counterField[C]) writer() func(*stateWriter, *C) {
	switch count, amount, text := f.count, f.amount, f.text; {
	case count != nil:
		return func(w *stateWriter, c *C) { w.int64(count(c)) }
	case amount != nil:
		return func(w *stateWriter, c *C) { w.float64(amount(c)) }
	default:
		return func(w *stateWriter, c *C) { w.str(text(c)) }
	}
}

const billingUnitsDesc = "Currency of `billed` (ISO 4217, e.g. `USD`)."

var commandFields = []counterField[kore.CommandCounts]{
	{name: "total", desc: "Commands sent and received (count).", count: func(c *kore.CommandCounts) int64 { return c.Total }},
	{name: "to_sim", desc: "Commands sent to the SIM (count).", count: func(c *kore.CommandCounts) int64 { return c.ToSim }},
	{name: "from_sim", desc: "Commands sent by the SIM (count).", count: func(c *kore.CommandCounts) int64 { return c.FromSim }},
	{name: "billed", desc: "Amount billed for these commands, in `billing_units`.", amount: func(c *kore.CommandCounts) float64 { return c.Billed }},
	{name: "billing_units", desc: billingUnitsDesc, text: func(c *kore.CommandCounts) string { return c.BillingUnits }},
}

var dataFields = []counterField[kore.DataCounts]{
	{name: "total", desc: "Data uploaded and downloaded, in bytes.", count: func(d *kore.DataCounts) int64 { return d.Total }},
	{name: "upload", desc: "Data sent by the SIM, in bytes.", count: func(d *kore.DataCounts) int64 { return d.Upload }},
	{name: "download", desc: "Data received by the SIM, in bytes.", count: func(d *kore.DataCounts) int64 { return d.Download }},
	{name: "units", desc: "Unit of the data counters as the vendor names it (`bytes`).", text: func(d *kore.DataCounts) string { return d.Units }},
	{name: "billed", desc: "Amount billed for this data, in `billing_units`.", amount: func(d *kore.DataCounts) float64 { return d.Billed }},
	{name: "billing_units", desc: billingUnitsDesc, text: func(d *kore.DataCounts) string { return d.BillingUnits }},
}

// usageKind is one kind of usage as the schema shows it: its counters and
// what it is called.
type usageKind[C any, P kore.Counters[C]] struct {
	fields []counterField[C]
	what   string // "commands", "data"
}

var (
	commandsKind = usageKind[kore.CommandCounts, *kore.CommandCounts]{fields: commandFields, what: "commands"}
	dataKind     = usageKind[kore.DataCounts, *kore.DataCounts]{fields: dataFields, what: "data"}
)

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

// countsWriters write the counters of a counter set.
func (k usageKind[C, P]) countsWriters() writers[*C] {
	table := make(writers[*C], len(k.fields))
	for _, f := range k.fields {
		table[f.name] = f.writer()
	}
	return table
}

// writer builds the writer of the kind's object at at: its counters and
// their breakdown.
func (k usageKind[C, P]) writer(at objectAt) *objectWriter[*kore.Breakdown[C, P]] {
	counts := k.countsWriters()
	home := newObjectWriter(at.at("home"), counts)
	national := newObjectWriter(at.at("national_roaming"), counts)
	roamedTable := writers[*kore.Roamed[C]]{"country_code": func(w *stateWriter, r *kore.Roamed[C]) { w.str(r.CountryCode) }}
	table := writers[*kore.Breakdown[C, P]]{
		"home":             func(w *stateWriter, b *kore.Breakdown[C, P]) { writeOrNull(w, home, b.Home) },
		"national_roaming": func(w *stateWriter, b *kore.Breakdown[C, P]) { writeOrNull(w, national, b.NationalRoaming) },
	}
	for name, write := range counts {
		roamedTable[name] = func(w *stateWriter, r *kore.Roamed[C]) { write(w, &r.Counts) }
		table[name] = func(w *stateWriter, b *kore.Breakdown[C, P]) { write(w, &b.Counts) }
	}
	roamed := newObjectWriter(at.at("international_roaming"), roamedTable)
	table["international_roaming"] = func(w *stateWriter, b *kore.Breakdown[C, P]) { writeEach(w, roamed, b.InternationalRoaming) }
	return newObjectWriter(at, table)
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

// koreRecordWriter builds the writer of a record of the records at at.
func koreRecordWriter(at objectAt) *objectWriter[*kore.UsageRecord] {
	commands := commandsKind.writer(at.at("commands"))
	data := dataKind.writer(at.at("data"))
	period := newObjectWriter(at.at("period"), writers[*kore.Period]{
		"start": func(w *stateWriter, p *kore.Period) { w.instant(p.Start) },
		"end":   func(w *stateWriter, p *kore.Period) { w.instant(p.End) },
	})
	return newObjectWriter(at, writers[*kore.UsageRecord]{
		"period":   func(w *stateWriter, r *kore.UsageRecord) { period.write(w, &r.Period) },
		"commands": func(w *stateWriter, r *kore.UsageRecord) { commands.write(w, &r.Commands) },
		"data":     func(w *stateWriter, r *kore.UsageRecord) { data.write(w, &r.Data) },
	})
}

// koreTotal is a total of commands and data.
type koreTotal struct {
	commands kore.Commands
	data     kore.Data
}

// koreTotalOf adds records up, stopping when ctx ends.
func koreTotalOf(ctx context.Context, records []kore.UsageRecord) (*koreTotal, error) {
	var t koreTotal
	var err error
	t.commands, t.data, err = kore.TotalContext(ctx, records)
	return &t, err
}

// koreTotalWriter builds the writer of the total at at.
func koreTotalWriter(at objectAt) *objectWriter[*koreTotal] {
	commands := commandsKind.writer(at.at("commands"))
	data := dataKind.writer(at.at("data"))
	return newObjectWriter(at, writers[*koreTotal]{
		"commands": func(w *stateWriter, t *koreTotal) { commands.write(w, &t.commands) },
		"data":     func(w *stateWriter, t *koreTotal) { data.write(w, &t.data) },
	})
}
