package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrTooManyItems reports a page holding more items than the caller allows.
var ErrTooManyItems = errors.New("too many items on one page")

// ErrNotObject reports a body that is not a JSON object at all.
var ErrNotObject = errors.New("the body is not a JSON object")

// ListDecoder reads one list page a value at a time. It is encoding/json
// v2's decoder (from the module that mirrors the standard library's
// encoding/json/v2), about twice as fast as encoding/json's on a fleet's
// small pages, and strict where a usage answer must be: an object that
// names a member twice, at any depth, is refused, where encoding/json keeps
// the last copy and would hide an attempt to count usage twice.
type ListDecoder = jsontext.Decoder

// vendorJSON is what the decoders accept beyond that, as encoding/json
// did: member names in any case ("Total" is total; with "total" beside it,
// a member twice), and text that is not UTF-8, mangled to U+FFFD.
var vendorJSON = jsonv2.JoinOptions(jsonv2.MatchCaseInsensitiveNames(true), jsontext.AllowInvalidUTF8(true))

// Decode reads the next value of dec into v, as encoding/json/v2 does (a
// type's UnmarshalJSON method included).
func Decode(dec *ListDecoder, v any) error {
	return twice(jsonv2.UnmarshalDecode(dec, v, vendorJSON))
}

// Unmarshal is Decode of a whole body.
func Unmarshal(body []byte, v any) error {
	return twice(jsonv2.Unmarshal(body, v, vendorJSON))
}

// twice says a member named twice in the words every decoding error of
// the provider uses, naming where (a JSON pointer); other errors pass as
// they are.
func twice(err error) error {
	if named, ok := namedTwice(err); ok {
		return named
	}
	return err
}

func namedTwice(err error) (error, bool) {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) && errors.Is(err, jsontext.ErrDuplicateName) {
		return fmt.Errorf("member %s appears twice", se.JSONPointer), true
	}
	return nil, false
}

// decoders are reused from page to page: a decoder's state (its string
// cache, its stacks for objects and names) is a few kilobytes, as much as a
// fleet's whole page of usage.
var decoders = sync.Pool{New: func() any { return new(ListDecoder) }}

// DecodeList walks a JSON object holding one list, element by element, so
// that a page of a hundred thousand records fails at the first record past
// limit instead of after all of them became structs. For the member named
// list (an array, or null for none) it calls item with each element's
// index; for every other member it calls member, which must consume the
// value (with Decode, or SkipValue). Names match in any case, and a member
// that appears twice, in any case, is refused.
// It reports whether the list member was there.
func DecodeList(body []byte, list string, limit int, item func(dec *ListDecoder, index int) error,
	member func(dec *ListDecoder, name string) error) (found bool, err error) {
	dec, ok := decoders.Get().(*ListDecoder)
	if !ok { // the pool holds nothing else; a fresh one if it ever did
		dec = new(ListDecoder)
	}
	defer func() {
		dec.Reset(bytes.NewBuffer(nil)) // let go of body
		decoders.Put(dec)
	}()
	// From a bytes.Buffer, the decoder parses the body in place, uncopied.
	dec.Reset(bytes.NewBuffer(body), vendorJSON)
	if err := expectKind(dec, '{'); err != nil {
		return false, fmt.Errorf("%w: %w", ErrNotObject, err)
	}
	// The decoder refuses a name twice as written; names match in any case
	// (vendorJSON), so "Usage_Records" beside "usage_records" is twice too.
	var seen []string
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return false, memberError(err)
		}
		if tok.Kind() != '"' {
			return false, errors.New("a member name was expected")
		}
		name := tok.String()
		if slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, name) }) {
			return false, fmt.Errorf("member %q appears twice", name)
		}
		seen = append(seen, name)
		if !strings.EqualFold(name, list) {
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
	if err := expectKind(dec, '}'); err != nil {
		return false, err
	}
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return false, errors.New("the body has data after its closing brace")
	}
	return found, nil
}

func decodeItems(dec *ListDecoder, list string, limit int, item func(*ListDecoder, int) error) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return listError(err)
	case '[':
	default:
		if _, err := dec.ReadToken(); err != nil { // a syntax error says so
			return memberError(err)
		}
		return fmt.Errorf("%s is not a list", list)
	}
	if _, err := dec.ReadToken(); err != nil {
		return memberError(err)
	}
	for i := 0; dec.PeekKind() != ']'; i++ {
		if i == limit {
			return fmt.Errorf("%w: more than %d", ErrTooManyItems, limit)
		}
		if err := item(dec, i); err != nil {
			return err
		}
	}
	return expectKind(dec, ']')
}

// SkipValue consumes the next value, whatever it is.
func SkipValue(dec *ListDecoder) error {
	return listError(dec.SkipValue())
}

// expectKind reads the next token, which must be the delimiter want.
func expectKind(dec *ListDecoder, want jsontext.Kind) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return memberError(err)
	}
	if tok.Kind() != want {
		return fmt.Errorf("%q was expected in the JSON", want.String())
	}
	return nil
}

// memberError is listError, with a member named twice said as twice does.
func memberError(err error) error {
	if named, ok := namedTwice(err); ok {
		return named
	}
	return listError(err)
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
