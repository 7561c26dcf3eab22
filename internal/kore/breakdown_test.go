package kore

import (
	"reflect"
	"testing"
)

// TestTotalMergesInternationalRoamingPerCountry: the total has one entry
// per country, summed over the records, in country-code order whatever order
// the records list them in.
func TestTotalMergesInternationalRoamingPerCountry(t *testing.T) {
	data := func(country string, total, upload int64, billed float64) Roamed[DataCounts] {
		return Roamed[DataCounts]{CountryCode: country, Counts: DataCounts{
			Total: total, Upload: upload, Download: total - upload, Units: "bytes", Billed: billed, BillingUnits: "USD"}}
	}
	cmds := func(country string, toSim, fromSim int64, billed float64) Roamed[CommandCounts] {
		return Roamed[CommandCounts]{CountryCode: country, Counts: CommandCounts{
			Total: toSim + fromSim, ToSim: toSim, FromSim: fromSim, Billed: billed, BillingUnits: "USD"}}
	}
	records := []UsageRecord{
		{
			Commands: Commands{InternationalRoaming: []Roamed[CommandCounts]{cmds("US", 1, 0, 0.25), cmds("DE", 2, 1, 0.5)}},
			Data:     Data{InternationalRoaming: []Roamed[DataCounts]{data("FR", 10, 4, 0.125), data("DE", 100, 40, 0.5)}},
		},
		{
			Commands: Commands{InternationalRoaming: []Roamed[CommandCounts]{cmds("DE", 3, 0, 0.25)}},
			Data:     Data{InternationalRoaming: []Roamed[DataCounts]{data("DE", 200, 50, 0.75), data("AT", 5, 5, 0.0625)}},
		},
		{}, // a record that roamed nowhere changes nothing
	}
	c, d := Total(records)

	wantData := []Roamed[DataCounts]{data("AT", 5, 5, 0.0625), data("DE", 300, 90, 1.25), data("FR", 10, 4, 0.125)}
	if !reflect.DeepEqual(d.InternationalRoaming, wantData) {
		t.Errorf("data international_roaming\n got %+v\nwant %+v", d.InternationalRoaming, wantData)
	}
	wantCmds := []Roamed[CommandCounts]{cmds("DE", 5, 1, 0.75), cmds("US", 1, 0, 0.25)}
	if !reflect.DeepEqual(c.InternationalRoaming, wantCmds) {
		t.Errorf("commands international_roaming\n got %+v\nwant %+v", c.InternationalRoaming, wantCmds)
	}
}

// TestTotalKeepsAbsentBucketsNull: home and national roaming stay nil unless
// some record carries them, and then sum only the records that do.
func TestTotalKeepsAbsentBucketsNull(t *testing.T) {
	home := DataCounts{Total: 10, Upload: 4, Download: 6, Billed: 0.5, Units: "bytes", BillingUnits: "USD"}
	records := []UsageRecord{
		{Data: Data{Counts: home, Home: &home}},
		{Data: Data{Counts: home}},
		{Data: Data{Counts: home, Home: &home}},
	}
	c, d := Total(records)
	if c.Home != nil || c.NationalRoaming != nil || d.NationalRoaming != nil {
		t.Fatalf("absent buckets were filled: %+v %+v", c, d)
	}
	want := DataCounts{Total: 20, Upload: 8, Download: 12, Billed: 1, Units: "bytes", BillingUnits: "USD"}
	if d.Home == nil || *d.Home != want || d.Counts.Total != 30 {
		t.Fatalf("data total = %+v, home %+v", d.Counts, d.Home)
	}
	if records[0].Data.Home.Total != 10 {
		t.Fatal("Total changed a record it summed")
	}
}
