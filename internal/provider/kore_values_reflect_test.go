package provider

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// The reflection-based mapping the framework offers (tfsdk-tagged structs
// and types.ListValueFrom), kept here only as the baseline that
// BenchmarkKoreRecordsValue is measured against, and as a cross-check that the
// direct construction builds the same value.

type reflCommandCounts struct {
	Total        int64   `tfsdk:"total"`
	ToSim        int64   `tfsdk:"to_sim"`
	FromSim      int64   `tfsdk:"from_sim"`
	Billed       float64 `tfsdk:"billed"`
	BillingUnits string  `tfsdk:"billing_units"`
}

type reflIntlCommandCounts struct {
	reflCommandCounts
	CountryCode string `tfsdk:"country_code"`
}

type reflCommands struct {
	reflCommandCounts
	Home                 *reflCommandCounts      `tfsdk:"home"`
	NationalRoaming      *reflCommandCounts      `tfsdk:"national_roaming"`
	InternationalRoaming []reflIntlCommandCounts `tfsdk:"international_roaming"`
}

type reflDataCounts struct {
	Total        int64   `tfsdk:"total"`
	Upload       int64   `tfsdk:"upload"`
	Download     int64   `tfsdk:"download"`
	Units        string  `tfsdk:"units"`
	Billed       float64 `tfsdk:"billed"`
	BillingUnits string  `tfsdk:"billing_units"`
}

type reflIntlDataCounts struct {
	reflDataCounts
	CountryCode string `tfsdk:"country_code"`
}

type reflData struct {
	reflDataCounts
	Home                 *reflDataCounts      `tfsdk:"home"`
	NationalRoaming      *reflDataCounts      `tfsdk:"national_roaming"`
	InternationalRoaming []reflIntlDataCounts `tfsdk:"international_roaming"`
}

type reflPeriod struct {
	Start timetypes.RFC3339 `tfsdk:"start"`
	End   timetypes.RFC3339 `tfsdk:"end"`
}

type reflRecord struct {
	Period   reflPeriod   `tfsdk:"period"`
	Commands reflCommands `tfsdk:"commands"`
	Data     reflData     `tfsdk:"data"`
}

func reflectRecordsValue(records []kore.UsageRecord) (types.List, error) {
	cmd := func(c kore.CommandCounts) reflCommandCounts {
		return reflCommandCounts{c.Total, c.ToSim, c.FromSim, c.Billed, c.BillingUnits}
	}
	dat := func(d kore.DataCounts) reflDataCounts {
		return reflDataCounts{d.Total, d.Upload, d.Download, d.Units, d.Billed, d.BillingUnits}
	}
	models := make([]reflRecord, len(records))
	for i, r := range records {
		m := reflRecord{Period: reflPeriod{timetypes.NewRFC3339TimeValue(r.Period.Start), timetypes.NewRFC3339TimeValue(r.Period.End)}}
		m.Commands.reflCommandCounts = cmd(r.Commands.Counts)
		if r.Commands.Home != nil {
			h := cmd(*r.Commands.Home)
			m.Commands.Home = &h
		}
		if r.Commands.NationalRoaming != nil {
			n := cmd(*r.Commands.NationalRoaming)
			m.Commands.NationalRoaming = &n
		}
		m.Commands.InternationalRoaming = []reflIntlCommandCounts{}
		for _, ir := range r.Commands.InternationalRoaming {
			m.Commands.InternationalRoaming = append(m.Commands.InternationalRoaming, reflIntlCommandCounts{cmd(ir.Counts), ir.CountryCode})
		}
		m.Data.reflDataCounts = dat(r.Data.Counts)
		if r.Data.Home != nil {
			h := dat(*r.Data.Home)
			m.Data.Home = &h
		}
		if r.Data.NationalRoaming != nil {
			n := dat(*r.Data.NationalRoaming)
			m.Data.NationalRoaming = &n
		}
		m.Data.InternationalRoaming = []reflIntlDataCounts{}
		for _, ir := range r.Data.InternationalRoaming {
			m.Data.InternationalRoaming = append(m.Data.InternationalRoaming, reflIntlDataCounts{dat(ir.Counts), ir.CountryCode})
		}
		models[i] = m
	}
	v, diags := types.ListValueFrom(context.Background(), koreRecordType(), models)
	if diags.HasError() {
		return v, fmt.Errorf("%v", diags)
	}
	return v, nil
}

func TestDirectMappingEqualsReflection(t *testing.T) {
	ctx := context.Background()
	records := hourlyRecords(50)
	records[3].Commands.Home = nil
	records[4].Data.NationalRoaming = nil
	records[5].Data.InternationalRoaming = nil
	want, err := reflectRecordsValue(records)
	if err != nil {
		t.Fatal(err)
	}
	wantTF, err := want.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := newStateWriter(ctx)
	writeKoreRecords(w, records)
	state, err := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(wantTF.Type())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(wantTF) {
		t.Fatalf("the state written directly differs from the framework's reflection:\n%s\n%s", got, wantTF)
	}
}

// BenchmarkKoreRecordsValueReflection is the baseline: 10,000 hourly
// records through the framework's reflection.
func BenchmarkKoreRecordsValueReflection(b *testing.B) {
	records := hourlyRecords(10_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reflectRecordsValue(records); err != nil {
			b.Fatal(err)
		}
	}
}

// koreRecordType is the record object type, read off the schema.
func koreRecordType() types.ObjectType {
	return objectType(koreRecordsAttribute().NestedObject.Type())
}

// objectType reads an object type off a schema attribute.
func objectType(t attr.Type) types.ObjectType {
	o, ok := t.(types.ObjectType)
	if !ok {
		panic(fmt.Sprintf("schema type %T is not an object", t))
	}
	return o
}

// simRecordWriters are usage_sim's writers of a record and of the total,
// for the tests that write records without a read.
var simRecordWriters = sync.OnceValues(func() (*objectWriter[*kore.UsageRecord], *objectWriter[*koreTotal]) {
	var errs []error
	top := topOf(newSimDataSource, &errs)
	return koreRecordWriter(top.at("records")), koreTotalWriter(top.at("total"))
})

// writeKoreRecords writes records as usage_sim's records.
func writeKoreRecords(w *stateWriter, records []kore.UsageRecord) {
	record, _ := simRecordWriters()
	writeEach(w, record, records)
}

// writeKoreTotal writes the total of records as usage_sim's total.
func writeKoreTotal(w *stateWriter, records []kore.UsageRecord) {
	_, total := simRecordWriters()
	t, err := koreTotalOf(w.ctx, records)
	w.keep(err)
	total.write(w, t)
}
