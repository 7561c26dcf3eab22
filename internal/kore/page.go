package kore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// PageSize is the PageSize every list asks KORE for (usage records, SIMs,
// rate plans): KORE's maximum. A list of n items takes ceil(n/PageSize)
// pages, and at least one.
const PageSize = 1000

// errVendorData marks records whose numbers cannot be real usage.
var errVendorData = httpx.ErrVendorData

// decodePage reads one usage-records page: its records in order and the next
// page URL ("" on the last page, whether KORE sends null, "" or nothing).
// Unknown fields are ignored; structure, required counters and counter
// bounds are checked.
func decodePage(body []byte) ([]UsageRecord, string, error) {
	return appendPage([]UsageRecord{}, body, PageSize) // an empty list is empty, not nil
}

// appendPage is decodePage appending to dst, for a page of at most limit
// records, decoded one at a time (httpx.DecodeList).
func appendPage(dst []UsageRecord, body []byte, limit int) ([]UsageRecord, string, error) {
	var next string
	found, err := httpx.DecodeList(body, "usage_records", limit,
		func(dec *httpx.ListDecoder, i int) error {
			var w wireRecord
			if err := httpx.Decode(dec, &w); err != nil {
				return decodeError{err}
			}
			r, err := w.record(i)
			if err != nil {
				return err
			}
			if err := checkCounters(&r); err != nil {
				return err
			}
			dst = append(dst, r)
			return nil
		},
		func(dec *httpx.ListDecoder, name string) error {
			if !strings.EqualFold(name, "meta") { // in any case, as every member name
				return httpx.SkipValue(dec)
			}
			var meta struct {
				NextPageURL *string `json:"next_page_url"`
			}
			if err := httpx.Decode(dec, &meta); err != nil {
				return decodeError{err}
			}
			if meta.NextPageURL != nil {
				next = *meta.NextPageURL
			}
			return nil
		})
	switch {
	case errors.Is(err, httpx.ErrTooManyItems):
		return nil, "", decodeError{fmt.Errorf("the page holds more than the PageSize of %d records", limit)}
	case err != nil:
		var de decodeError
		if errors.As(err, &de) || errors.Is(err, errVendorData) {
			return nil, "", err
		}
		return nil, "", decodeError{err}
	case !found:
		return nil, "", decodeError{errors.New("the page has no usage_records list")}
	}
	return dst, next, nil
}

// decodeError keeps what went wrong reachable for errors.Is while bounding
// its text: syntax errors quote the body's member names.
type decodeError struct{ err error }

func (e decodeError) Error() string { return "decoding usage records: " + httpx.Clip(e.err.Error()) }
func (e decodeError) Unwrap() error { return e.err }
