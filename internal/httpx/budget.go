package httpx

import (
	"fmt"
	"math"
	"sync/atomic"
	"unicode/utf8"

	"github.com/simusage/terraform-provider-usage/internal/bytesize"
)

// Budget bounds what one read may cost. A query's range bounds how many
// records can be true, and so how many pages: a server that sends more is
// broken or hostile, and the read stops there instead of filling memory.
type Budget struct {
	MaxPages, MaxRecords int64
	// MaxBytes bounds the bytes of all the pages together; 0 takes
	// DefaultMaxReadBytes, or DefaultBytesPerRecord for each record allowed
	// when that is more (see ByteBound).
	MaxBytes int64
	// Query names the query in the error, with what bounds it.
	Query                 string
	pages, records, bytes atomic.Int64
}

// The bound on the bytes of one read's list pages, when Budget.MaxBytes is
// 0. Every page is also at most MaxBodyBytes.
const (
	// DefaultMaxReadBytes is the least any list may take: hundreds of times
	// a month of usage records, whose countries make them the largest.
	DefaultMaxReadBytes = 64 << 20
	// DefaultBytesPerRecord lets a long list take more: four times the
	// largest list item measured (a KORE SIM is about 1 KB, a Gigs
	// subscription with its plan 1.5 KB), so a list of 1,000,000 SIMs may
	// take up to 4 GiB, while a server that pads its pages fails long
	// before the record budget runs out.
	DefaultBytesPerRecord = 4 << 10
)

// NewBudget allows maxRecords records in full pages of perPage, plus a last
// page that may be partial or empty.
func NewBudget(maxRecords, perPage int64, query string) *Budget {
	return &Budget{MaxRecords: maxRecords, MaxPages: (maxRecords+perPage-1)/perPage + 1, Query: query}
}

// ByteBound is the most bytes the pages may hold together: MaxBytes when
// set, else the larger of DefaultMaxReadBytes and DefaultBytesPerRecord for
// each record of MaxRecords.
func (b *Budget) ByteBound() int64 {
	if b.MaxBytes > 0 {
		return b.MaxBytes
	}
	if b.MaxRecords > math.MaxInt64/DefaultBytesPerRecord {
		return math.MaxInt64
	}
	return max(DefaultMaxReadBytes, b.MaxRecords*DefaultBytesPerRecord)
}

func (b *Budget) takePage() error {
	if b.pages.Add(1) > b.MaxPages {
		return b.exceeded(fmt.Sprintf("more than %d pages", b.MaxPages))
	}
	return nil
}

// addBytes counts a page of n bytes, failing once the pages pass ByteBound.
func (b *Budget) addBytes(n int) error {
	bound := b.ByteBound()
	if b.bytes.Add(int64(n)) <= bound {
		return nil
	}
	size := bytesize.Format(uint64(max(bound, 0))) //nolint:gosec // max keeps it non-negative
	return fmt.Errorf("%w: the pages of %s passed %s (%d bytes) in all by page %d, the bound on one read's list pages; "+
		"this looks like a broken or hostile server, so the read stops here",
		ErrVendorData, b.Query, size, bound, b.pages.Load())
}

// AddRecords counts n more records, failing once they pass the budget.
func (b *Budget) AddRecords(n int) error {
	if b.records.Add(int64(n)) > b.MaxRecords {
		return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
	}
	return nil
}

// Overflow is the error of a page that holds more records than are Left.
func (b *Budget) Overflow() error {
	return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
}

// Left is how many records may still come.
func (b *Budget) Left() int64 { return max(0, b.MaxRecords-b.records.Load()) }

func (b *Budget) exceeded(what string) error {
	return fmt.Errorf("%w: the server sent %s, past the budget of %d records and %d pages derived from %s; "+
		"this looks like a broken or hostile server, so the read stops here", ErrVendorData, what, b.MaxRecords, b.MaxPages, b.Query)
}

// CheckLength refuses vendor text longer than limit characters: an id or name
// past any true length is a broken or hostile answer, and kept it would make
// one list hold gigabytes. The error names field and the bound, never the
// text.
func CheckLength(field, s string, limit int) error {
	if len(s) <= limit { // bytes are never fewer than characters
		return nil
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Errorf("%w: %s is %d characters long, past the bound of %d", ErrVendorData, field, n, limit)
	}
	return nil
}
