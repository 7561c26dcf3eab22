package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrTooManyItems reports a page holding more items than the caller allows.
var ErrTooManyItems = errors.New("too many items on one page")

// ErrNotObject reports a body that is not a JSON object at all.
var ErrNotObject = errors.New("the body is not a JSON object")

// DecodeList walks a JSON object holding one list, element by element, so
// that a page of a hundred thousand records fails at the first record past
// limit instead of after all of them became structs. For the member named
// list (an array, or null for none) it calls item with each element's
// index; for every other member it calls member, which must consume the
// value (or skip it with SkipValue). A member that appears twice is refused:
// a decoder keeping the last copy would hide an attempt to count usage twice.
// It reports whether the list member was there.
func DecodeList(body []byte, list string, limit int, item func(dec *json.Decoder, index int) error,
	member func(dec *json.Decoder, name string) error) (found bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		return false, fmt.Errorf("%w: %w", ErrNotObject, err)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false, listError(err)
		}
		name, ok := tok.(string)
		if !ok {
			return false, errors.New("a member name was expected")
		}
		if seen[name] {
			return false, fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		if name != list {
			if err := member(dec, name); err != nil {
				return false, err
			}
			continue
		}
		found = true
		if err := decodeItems(dec, list, limit, item); err != nil {
			return false, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return false, errors.New("the body has data after its closing brace")
	}
	return found, nil
}

func decodeItems(dec *json.Decoder, list string, limit int, item func(*json.Decoder, int) error) error {
	tok, err := dec.Token()
	if err != nil {
		return listError(err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s is not a list", list)
	}
	for i := 0; dec.More(); i++ {
		if i == limit {
			return fmt.Errorf("%w: more than %d", ErrTooManyItems, limit)
		}
		if err := item(dec, i); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

// SkipValue consumes the next value, whatever it is.
func SkipValue(dec *json.Decoder) error {
	var skip json.RawMessage
	return listError(dec.Decode(&skip))
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return listError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%q was expected in the JSON", want)
	}
	return nil
}

// listError names a syntax or type error; io.EOF inside a value is a
// truncated body.
func listError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("decoding the list: %w", err)
}
