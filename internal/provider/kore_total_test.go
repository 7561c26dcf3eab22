package provider

import (
	"reflect"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// TestKoreTotalMergesInternationalRoamingPerCountry: the total has one entry
// per country, summed over the records, in country-code order whatever order
// the records list them in.
func TestKoreTotalMergesInternationalRoamingPerCountry(t *testing.T) {
	data := func(country string, total, upload int64, billed float64) kore.IntlDataCounts {
		return kore.IntlDataCounts{CountryCode: country, DataCounts: kore.DataCounts{
			Total: total, Upload: upload, Download: total - upload, Units: "bytes", Billed: billed, BillingUnits: "USD"}}
	}
	cmds := func(country string, toSim, fromSim int64, billed float64) kore.IntlCommandCounts {
		return kore.IntlCommandCounts{CountryCode: country, CommandCounts: kore.CommandCounts{
			Total: toSim + fromSim, ToSim: toSim, FromSim: fromSim, Billed: billed, BillingUnits: "USD"}}
	}
	records := []kore.UsageRecord{
		{
			Commands: kore.Commands{InternationalRoaming: []kore.IntlCommandCounts{cmds("US", 1, 0, 0.25), cmds("DE", 2, 1, 0.5)}},
			Data:     kore.Data{InternationalRoaming: []kore.IntlDataCounts{data("FR", 10, 4, 0.125), data("DE", 100, 40, 0.5)}},
		},
		{
			Commands: kore.Commands{InternationalRoaming: []kore.IntlCommandCounts{cmds("DE", 3, 0, 0.25)}},
			Data:     kore.Data{InternationalRoaming: []kore.IntlDataCounts{data("DE", 200, 50, 0.75), data("AT", 5, 5, 0.0625)}},
		},
		{}, // a record that roamed nowhere changes nothing
	}
	c, d := koreTotal(records)

	wantData := []kore.IntlDataCounts{data("AT", 5, 5, 0.0625), data("DE", 300, 90, 1.25), data("FR", 10, 4, 0.125)}
	if !reflect.DeepEqual(d.InternationalRoaming, wantData) {
		t.Errorf("data international_roaming\n got %+v\nwant %+v", d.InternationalRoaming, wantData)
	}
	wantCmds := []kore.IntlCommandCounts{cmds("DE", 5, 1, 0.75), cmds("US", 1, 0, 0.25)}
	if !reflect.DeepEqual(c.InternationalRoaming, wantCmds) {
		t.Errorf("commands international_roaming\n got %+v\nwant %+v", c.InternationalRoaming, wantCmds)
	}
}
