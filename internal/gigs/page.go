package gigs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// errTooManyRecords reports a page with more records than the read may
// still take; listAll turns it into a message that names the budget.
var errTooManyRecords = errors.New("too many records")

// decodePage decodes one list page: its records and the cursor of the next
// page (nil when there is none). It walks the items array one record at a
// time and stops before the record that would pass limit, so a page of
// hundreds of thousands of records never becomes that many structs. Unknown
// fields are ignored; the envelope's keys match as the vendor spells them.
func decodePage(body []byte, limit int) ([]UsageRecord, *string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, nil, err
	}
	var (
		object  string
		records []UsageRecord
		next    *string
		seen    = map[string]bool{}
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, decodeErr(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			// Unmarshal would keep the last copy; a second items array
			// is more likely an attempt to count usage twice.
			return nil, nil, fmt.Errorf("decoding usage list: key %q appears twice", key)
		}
		seen[key] = true
		switch key {
		case "object":
			if err := dec.Decode(&object); err != nil {
				return nil, nil, decodeErr(err)
			}
			if object != "list" {
				return nil, nil, errNotList
			}
		case "items":
			if records, err = decodeItems(dec, limit); err != nil {
				return nil, nil, err
			}
		case "moreItemsAfter":
			if err := dec.Decode(&next); err != nil {
				return nil, nil, decodeErr(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, nil, decodeErr(err)
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("decoding usage list: data after the list object")
	}
	if object != "list" {
		return nil, nil, errNotList
	}
	if records == nil {
		records = []UsageRecord{}
	}
	return records, next, nil
}

// decodeItems decodes the items array (null is an empty one) record by
// record, refusing more than limit.
func decodeItems(dec *json.Decoder, limit int) ([]UsageRecord, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, decodeErr(err)
	}
	if tok == nil {
		return []UsageRecord{}, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, errors.New("decoding usage list: items is not an array")
	}
	records := []UsageRecord{}
	for i := 0; dec.More(); i++ {
		if i >= limit {
			return nil, fmt.Errorf("%w: more than %d on one page", errTooManyRecords, limit)
		}
		var w wireRecord
		if err := dec.Decode(&w); err != nil {
			return nil, fmt.Errorf("usage record %d: %w", i, decodeErr(err))
		}
		r, err := w.record(i)
		if err != nil {
			return nil, err
		}
		records = append(records, r)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, err
	}
	return records, nil
}

// expectDelim reads the next token and fails unless it is d. A body that
// does not open with an object (null, an array, a number) is not a list.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return decodeErr(err)
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		if d == '{' {
			return errNotList
		}
		return fmt.Errorf("decoding usage list: want %q, got %v", d, tok)
	}
	return nil
}

// decodeErr names a syntax or type error; io.EOF inside a value is a
// truncated body.
func decodeErr(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("decoding usage list: %w", err)
}
