package kore

import (
	"encoding/json"
	"errors"
	"fmt"
)

// pageSize is what every usage query asks for: KORE's maximum.
const pageSize = 1000

// errVendorData marks records whose numbers cannot be real usage.
var errVendorData = errors.New("vendor data error")

// decodePage reads one usage-records page: its records in order and the next
// page URL ("" on the last page, whether KORE sends null, "" or nothing).
// Unknown fields are ignored; structure and counters are checked.
func decodePage(body []byte) ([]UsageRecord, string, error) {
	return appendPage([]UsageRecord{}, body, pageSize) // an empty list is empty, not nil
}

// appendPage is decodePage appending to dst, for a page of at most limit
// records. encoding/json does the decoding: a 1000-record page costs a few
// milliseconds, noise beside the round trip that fetched it.
func appendPage(dst []UsageRecord, body []byte, limit int) ([]UsageRecord, string, error) {
	var p struct {
		Records *[]UsageRecord `json:"usage_records"`
		Meta    struct {
			NextPageURL *string `json:"next_page_url"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", decodeError{err}
	}
	if p.Records == nil {
		return nil, "", decodeError{errors.New("the page has no usage_records list")}
	}
	recs := *p.Records
	if len(recs) > limit {
		return nil, "", decodeError{fmt.Errorf("the page holds more than the PageSize of %d records", limit)}
	}
	for i := range recs {
		r := &recs[i]
		r.Period.Start, r.Period.End = r.Period.Start.UTC(), r.Period.End.UTC()
		if err := checkCounters(r); err != nil {
			return nil, "", decodeError{fmt.Errorf("record %d: %w", i, err)}
		}
	}
	next := ""
	if p.Meta.NextPageURL != nil {
		next = *p.Meta.NextPageURL
	}
	return append(dst, recs...), next, nil
}

// decodeError keeps what went wrong reachable for errors.Is while bounding
// its text: syntax errors quote the body's member names.
type decodeError struct{ err error }

func (e decodeError) Error() string { return "decoding usage records: " + clip(e.err.Error()) }
func (e decodeError) Unwrap() error { return e.err }
