package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// Direct construction of the KORE state values. A month of hourly records is
// hundreds of objects each holding dozens of attributes, so this avoids the
// framework's reflection-based conversion on the read path.

func koreRecordsValue(records []kore.UsageRecord) types.List {
	elems := make([]attr.Value, len(records))
	for i, r := range records {
		elems[i] = types.ObjectValueMust(koreTypes.record.AttrTypes, map[string]attr.Value{
			"period": types.ObjectValueMust(koreTypes.period.AttrTypes, map[string]attr.Value{
				"start": timetypes.NewRFC3339TimeValue(r.Period.Start.UTC()),
				"end":   timetypes.NewRFC3339TimeValue(r.Period.End.UTC()),
			}),
			"commands": commandsValue(r.Commands),
			"data":     dataValue(r.Data),
		})
	}
	return types.ListValueMust(koreTypes.record, elems)
}

func koreTotalValue(c kore.Commands, d kore.Data) types.Object {
	return types.ObjectValueMust(koreTypes.total.AttrTypes, map[string]attr.Value{
		"commands": commandsValue(c),
		"data":     dataValue(d),
	})
}

func commandsValue(c kore.Commands) types.Object {
	m := commandCountsMap(c.CommandCounts)
	m["home"] = optionalCommandCounts(c.Home)
	m["national_roaming"] = optionalCommandCounts(c.NationalRoaming)
	intl := make([]attr.Value, len(c.InternationalRoaming))
	for i, r := range c.InternationalRoaming {
		cm := commandCountsMap(r.CommandCounts)
		cm["country_code"] = types.StringValue(r.CountryCode)
		intl[i] = types.ObjectValueMust(koreTypes.intlCmd.AttrTypes, cm)
	}
	m["international_roaming"] = types.ListValueMust(koreTypes.intlCmd, intl)
	return types.ObjectValueMust(koreTypes.commands.AttrTypes, m)
}

func dataValue(d kore.Data) types.Object {
	m := dataCountsMap(d.DataCounts)
	m["home"] = optionalDataCounts(d.Home)
	m["national_roaming"] = optionalDataCounts(d.NationalRoaming)
	intl := make([]attr.Value, len(d.InternationalRoaming))
	for i, r := range d.InternationalRoaming {
		dm := dataCountsMap(r.DataCounts)
		dm["country_code"] = types.StringValue(r.CountryCode)
		intl[i] = types.ObjectValueMust(koreTypes.intlData.AttrTypes, dm)
	}
	m["international_roaming"] = types.ListValueMust(koreTypes.intlData, intl)
	return types.ObjectValueMust(koreTypes.data.AttrTypes, m)
}

func optionalCommandCounts(c *kore.CommandCounts) types.Object {
	if c == nil {
		return types.ObjectNull(koreTypes.commandCounts.AttrTypes)
	}
	return types.ObjectValueMust(koreTypes.commandCounts.AttrTypes, commandCountsMap(*c))
}

func optionalDataCounts(d *kore.DataCounts) types.Object {
	if d == nil {
		return types.ObjectNull(koreTypes.dataCounts.AttrTypes)
	}
	return types.ObjectValueMust(koreTypes.dataCounts.AttrTypes, dataCountsMap(*d))
}

func commandCountsMap(c kore.CommandCounts) map[string]attr.Value {
	return map[string]attr.Value{
		"total":         types.Int64Value(c.Total),
		"to_sim":        types.Int64Value(c.ToSim),
		"from_sim":      types.Int64Value(c.FromSim),
		"billed":        types.Float64Value(c.Billed),
		"billing_units": types.StringValue(c.BillingUnits),
	}
}

func dataCountsMap(d kore.DataCounts) map[string]attr.Value {
	return map[string]attr.Value{
		"total":         types.Int64Value(d.Total),
		"upload":        types.Int64Value(d.Upload),
		"download":      types.Int64Value(d.Download),
		"units":         types.StringValue(d.Units),
		"billed":        types.Float64Value(d.Billed),
		"billing_units": types.StringValue(d.BillingUnits),
	}
}
