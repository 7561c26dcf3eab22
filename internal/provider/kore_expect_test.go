package provider

import (
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// Expected state values built from the simulator's own records, so that an
// acceptance test checks every attribute the provider writes.

func expectKoreRecords(records []vendorsim.KoreUsageRecord) knownvalue.Check {
	checks := make([]knownvalue.Check, len(records))
	for i, r := range records {
		checks[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"period": knownvalue.ObjectExact(map[string]knownvalue.Check{
				"start": expectInstant(r.Period.Start),
				"end":   expectInstant(r.Period.End),
			}),
			"commands": expectCommands(r.Commands),
			"data":     expectData(r.Data),
		})
	}
	return knownvalue.ListExact(checks)
}

func expectInstant(s string) knownvalue.Check {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return knownvalue.StringExact("unparseable simulator time " + s)
	}
	return knownvalue.StringExact(t.UTC().Format(time.RFC3339))
}

func expectCommandCounts(c vendorsim.KoreCommandsCounts, extra map[string]knownvalue.Check) map[string]knownvalue.Check {
	m := map[string]knownvalue.Check{
		"total":         knownvalue.Int64Exact(c.Total),
		"to_sim":        knownvalue.Int64Exact(c.ToSim),
		"from_sim":      knownvalue.Int64Exact(c.FromSim),
		"billed":        knownvalue.Float64Exact(c.Billed),
		"billing_units": knownvalue.StringExact(c.BillingUnits),
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func expectDataCounts(d vendorsim.KoreDataCounts, extra map[string]knownvalue.Check) map[string]knownvalue.Check {
	m := map[string]knownvalue.Check{
		"total":         knownvalue.Int64Exact(d.Total),
		"upload":        knownvalue.Int64Exact(d.Upload),
		"download":      knownvalue.Int64Exact(d.Download),
		"units":         knownvalue.StringExact(d.Units),
		"billed":        knownvalue.Float64Exact(d.Billed),
		"billing_units": knownvalue.StringExact(d.BillingUnits),
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func expectOptionalCommandCounts(c *vendorsim.KoreCommandsCounts) knownvalue.Check {
	if c == nil {
		return knownvalue.Null()
	}
	return knownvalue.ObjectExact(expectCommandCounts(*c, nil))
}

func expectOptionalDataCounts(d *vendorsim.KoreDataCounts) knownvalue.Check {
	if d == nil {
		return knownvalue.Null()
	}
	return knownvalue.ObjectExact(expectDataCounts(*d, nil))
}

func expectCommands(c vendorsim.KoreCommandsUsage) knownvalue.Check {
	intl := make([]knownvalue.Check, len(c.InternationalRoaming))
	for i, r := range c.InternationalRoaming {
		intl[i] = knownvalue.ObjectExact(expectCommandCounts(r.KoreCommandsCounts, map[string]knownvalue.Check{"country_code": knownvalue.StringExact(r.CountryCode)}))
	}
	return knownvalue.ObjectExact(expectCommandCounts(c.KoreCommandsCounts, map[string]knownvalue.Check{
		"home":                  expectOptionalCommandCounts(c.Home),
		"national_roaming":      expectOptionalCommandCounts(c.NationalRoaming),
		"international_roaming": knownvalue.ListExact(intl),
	}))
}

func expectData(d vendorsim.KoreDataUsage) knownvalue.Check {
	intl := make([]knownvalue.Check, len(d.InternationalRoaming))
	for i, r := range d.InternationalRoaming {
		intl[i] = knownvalue.ObjectExact(expectDataCounts(r.KoreDataCounts, map[string]knownvalue.Check{"country_code": knownvalue.StringExact(r.CountryCode)}))
	}
	return knownvalue.ObjectExact(expectDataCounts(d.KoreDataCounts, map[string]knownvalue.Check{
		"home":                  expectOptionalDataCounts(d.Home),
		"national_roaming":      expectOptionalDataCounts(d.NationalRoaming),
		"international_roaming": knownvalue.ListExact(intl),
	}))
}

// expectKoreTotal is the simulator's own sum for a range: its single
// granularity=all record, whose international roaming it already merges per
// country.
func expectKoreTotal(all vendorsim.KoreUsageRecord) knownvalue.Check {
	// The provider sorts merged countries by code; the simulator need not.
	all.Commands.InternationalRoaming = slices.Clone(all.Commands.InternationalRoaming)
	slices.SortFunc(all.Commands.InternationalRoaming, func(a, b vendorsim.KoreInternationalCommandsCounts) int {
		return strings.Compare(a.CountryCode, b.CountryCode)
	})
	all.Data.InternationalRoaming = slices.Clone(all.Data.InternationalRoaming)
	slices.SortFunc(all.Data.InternationalRoaming, func(a, b vendorsim.KoreInternationalDataCounts) int {
		return strings.Compare(a.CountryCode, b.CountryCode)
	})
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"commands": expectCommands(all.Commands),
		"data":     expectData(all.Data),
	})
}
