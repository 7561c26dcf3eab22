package kore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// pageSize is what every usage query asks for: KORE's maximum.
const pageSize = 1000

// errVendorData marks records whose numbers cannot be real usage.
var errVendorData = httpx.ErrVendorData

// decodePage reads one usage-records page: its records in order and the next
// page URL ("" on the last page, whether KORE sends null, "" or nothing).
// Unknown fields are ignored; structure, required counters and counter
// bounds are checked.
func decodePage(body []byte) ([]UsageRecord, string, error) {
	return appendPage([]UsageRecord{}, body, pageSize) // an empty list is empty, not nil
}

// appendPage is decodePage appending to dst, for a page of at most limit
// records. The records are decoded one at a time, so a page that holds more
// than limit fails at record limit+1 rather than after the whole body has
// been turned into records.
func appendPage(dst []UsageRecord, body []byte, limit int) ([]UsageRecord, string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, "", decodeError{err}
	}
	var (
		next       string
		sawRecords bool
	)
	for dec.More() {
		name, err := memberName(dec)
		if err != nil {
			return nil, "", decodeError{err}
		}
		switch {
		case strings.EqualFold(name, "usage_records"):
			sawRecords = true
			if dst, err = appendRecords(dst, dec, limit); err != nil {
				return nil, "", err
			}
		case strings.EqualFold(name, "meta"):
			var meta struct {
				NextPageURL *string `json:"next_page_url"`
			}
			if err := dec.Decode(&meta); err != nil {
				return nil, "", decodeError{err}
			}
			if meta.NextPageURL != nil {
				next = *meta.NextPageURL
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, "", decodeError{err}
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, "", decodeError{err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "", decodeError{errors.New("the page has data after its closing brace")}
	}
	if !sawRecords {
		return nil, "", decodeError{errors.New("the page has no usage_records list")}
	}
	return dst, next, nil
}

// appendRecords decodes the usage_records array element by element.
func appendRecords(dst []UsageRecord, dec *json.Decoder, limit int) ([]UsageRecord, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, decodeError{err}
	}
	if tok == nil {
		return nil, decodeError{errors.New("the page has no usage_records list")}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, decodeError{errors.New("usage_records is not a list")}
	}
	for i := 0; dec.More(); i++ {
		if i == limit {
			return nil, decodeError{fmt.Errorf("the page holds more than the PageSize of %d records", limit)}
		}
		var w wireRecord
		if err := dec.Decode(&w); err != nil {
			return nil, decodeError{err}
		}
		r, err := w.record(i)
		if err != nil {
			return nil, err
		}
		if err := checkCounters(&r); err != nil {
			return nil, err
		}
		dst = append(dst, r)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, decodeError{err}
	}
	return dst, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q in the page's JSON", want)
	}
	return nil
}

func memberName(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	name, ok := tok.(string)
	if !ok {
		return "", errors.New("expected a member name in the page's JSON")
	}
	return name, nil
}

// decodeError keeps what went wrong reachable for errors.Is while bounding
// its text: syntax errors quote the body's member names.
type decodeError struct{ err error }

func (e decodeError) Error() string { return "decoding usage records: " + httpx.Clip(e.err.Error()) }
func (e decodeError) Unwrap() error { return e.err }
