package provider

import (
	"sort"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// koreTotal sums every counter and billed amount of the records. home and
// national_roaming stay nil unless some record carries them; international
// roaming is merged per country and sorted by country code.
func koreTotal(records []kore.UsageRecord) (kore.Commands, kore.Data) {
	var c kore.Commands
	var d kore.Data
	cmdIntl := map[string]*kore.CommandCounts{}
	dataIntl := map[string]*kore.DataCounts{}
	for _, r := range records {
		addCommandCounts(&c.CommandCounts, r.Commands.CommandCounts)
		c.Home = addOptionalCommandCounts(c.Home, r.Commands.Home)
		c.NationalRoaming = addOptionalCommandCounts(c.NationalRoaming, r.Commands.NationalRoaming)
		for _, ir := range r.Commands.InternationalRoaming {
			if cmdIntl[ir.CountryCode] == nil {
				cmdIntl[ir.CountryCode] = &kore.CommandCounts{}
			}
			addCommandCounts(cmdIntl[ir.CountryCode], ir.CommandCounts)
		}

		addDataCounts(&d.DataCounts, r.Data.DataCounts)
		d.Home = addOptionalDataCounts(d.Home, r.Data.Home)
		d.NationalRoaming = addOptionalDataCounts(d.NationalRoaming, r.Data.NationalRoaming)
		for _, ir := range r.Data.InternationalRoaming {
			if dataIntl[ir.CountryCode] == nil {
				dataIntl[ir.CountryCode] = &kore.DataCounts{}
			}
			addDataCounts(dataIntl[ir.CountryCode], ir.DataCounts)
		}
	}
	for _, cc := range sortedKeys(cmdIntl) {
		c.InternationalRoaming = append(c.InternationalRoaming, kore.IntlCommandCounts{CountryCode: cc, CommandCounts: *cmdIntl[cc]})
	}
	for _, cc := range sortedKeys(dataIntl) {
		d.InternationalRoaming = append(d.InternationalRoaming, kore.IntlDataCounts{CountryCode: cc, DataCounts: *dataIntl[cc]})
	}
	return c, d
}

func addCommandCounts(sum *kore.CommandCounts, c kore.CommandCounts) {
	sum.Total += c.Total
	sum.ToSim += c.ToSim
	sum.FromSim += c.FromSim
	sum.Billed += c.Billed
	if sum.BillingUnits == "" {
		sum.BillingUnits = c.BillingUnits
	}
}

func addDataCounts(sum *kore.DataCounts, d kore.DataCounts) {
	sum.Total += d.Total
	sum.Upload += d.Upload
	sum.Download += d.Download
	sum.Billed += d.Billed
	if sum.Units == "" {
		sum.Units = d.Units
	}
	if sum.BillingUnits == "" {
		sum.BillingUnits = d.BillingUnits
	}
}

func addOptionalCommandCounts(sum, c *kore.CommandCounts) *kore.CommandCounts {
	if c == nil {
		return sum
	}
	if sum == nil {
		sum = &kore.CommandCounts{}
	}
	addCommandCounts(sum, *c)
	return sum
}

func addOptionalDataCounts(sum, d *kore.DataCounts) *kore.DataCounts {
	if d == nil {
		return sum
	}
	if sum == nil {
		sum = &kore.DataCounts{}
	}
	addDataCounts(sum, *d)
	return sum
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
