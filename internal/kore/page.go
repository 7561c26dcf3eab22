package kore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// pageSize is what every usage query asks for: KORE's maximum.
const pageSize = 1000

// errVendorData marks records whose numbers cannot be real usage.
var errVendorData = errors.New("vendor data error")

type wirePage struct {
	Records *[]UsageRecord `json:"usage_records"`
	Meta    struct {
		NextPageURL *string `json:"next_page_url"`
	} `json:"meta"`
}

// decodePage reads one usage-records page: its records in order and the next
// page URL ("" on the last page, whether KORE sends null, "" or nothing).
// Unknown fields are ignored; structure and counters are checked.
func decodePage(body []byte) ([]UsageRecord, string, error) {
	var p wirePage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", fmt.Errorf("decoding usage records: %w", err)
	}
	if p.Records == nil {
		return nil, "", errors.New("the page has no usage_records list")
	}
	recs := *p.Records
	if len(recs) > pageSize {
		return nil, "", fmt.Errorf("the page holds %d records, more than the PageSize of %d", len(recs), pageSize)
	}
	for i := range recs {
		if err := checkCounters(&recs[i]); err != nil {
			return nil, "", fmt.Errorf("record %d: %w", i, err)
		}
	}
	next := ""
	if p.Meta.NextPageURL != nil {
		next = *p.Meta.NextPageURL
	}
	return recs, next, nil
}

// checkCounters rejects negative counters: no meter counts backwards, and a
// negative total would silently corrupt every sum built on it.
func checkCounters(r *UsageRecord) error {
	bad := negCommands(&r.Commands.CommandCounts) || negCommands(r.Commands.Home) || negCommands(r.Commands.NationalRoaming)
	for i := range r.Commands.InternationalRoaming {
		bad = bad || negCommands(&r.Commands.InternationalRoaming[i].CommandCounts)
	}
	bad = bad || negData(&r.Data.DataCounts) || negData(r.Data.Home) || negData(r.Data.NationalRoaming)
	for i := range r.Data.InternationalRoaming {
		bad = bad || negData(&r.Data.InternationalRoaming[i].DataCounts)
	}
	if bad {
		return fmt.Errorf("%w: a negative counter in the period starting %s", errVendorData, r.Period.Start.Format(time.RFC3339))
	}
	return nil
}

func negCommands(c *CommandCounts) bool {
	return c != nil && (c.Total < 0 || c.ToSim < 0 || c.FromSim < 0)
}

func negData(d *DataCounts) bool {
	return d != nil && (d.Total < 0 || d.Upload < 0 || d.Download < 0)
}
