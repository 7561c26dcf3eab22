package bytesize

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Reasons a string is rejected; a *ParseError wraps exactly one of them.
var (
	ErrEmpty    = errors.New("empty")
	ErrSyntax   = errors.New("not a number followed by an optional unit")
	ErrUnit     = errors.New("unknown unit")
	ErrNegative = errors.New("must not be negative")
	ErrRange    = errors.New("exceeds 9223372036854775807 bytes (8 EiB), the largest supported size")
)

// ParseError says which input was rejected and why.
type ParseError struct {
	Input string // the rejected text, shortened to keep messages readable
	Err   error  // one of ErrEmpty, ErrSyntax, ErrUnit, ErrNegative, ErrRange
	Hint  string // extra guidance, may be empty
}

func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid byte size %q: %v", e.Input, e.Err)
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
	}
	// Only format mistakes need the list; a negative or huge size is well formed.
	if errors.Is(e.Err, ErrEmpty) || errors.Is(e.Err, ErrSyntax) || errors.Is(e.Err, ErrUnit) {
		b.WriteString(". Accepted units: ")
		b.WriteString(AcceptedUnits)
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

const maxQuotedInput = 40

func newParseError(input string, reason error, hint string) *ParseError {
	return &ParseError{Input: shorten(input), Err: reason, Hint: hint}
}

// shorten cuts long input at a rune boundary so an error never echoes a
// whole file that was passed by mistake.
func shorten(s string) string {
	if len(s) <= maxQuotedInput {
		return s
	}
	cut := maxQuotedInput
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// unitHint explains the common near-misses: the ambiguous KB and wrong case.
func unitHint(name string) string {
	if strings.EqualFold(name, "kb") || strings.EqualFold(name, "k") {
		return fmt.Sprintf("%q is ambiguous (the SI kilo is a lowercase k); write \"kB\" for 1000 bytes or \"KiB\" for 1024 bytes", name)
	}
	for _, u := range parseUnits {
		if strings.EqualFold(u.name, name) {
			return fmt.Sprintf("%q is not accepted because units are case-sensitive; did you mean %q?", name, u.name)
		}
	}
	return fmt.Sprintf("%q is not one of the accepted units", name)
}
