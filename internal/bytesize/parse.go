package bytesize

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// maxInputLen bounds the work Parse does; real sizes are far shorter.
const maxInputLen = 64

// Parse reads a byte size such as "5 GiB", "1.5GB" or "1024" and returns the
// whole number of bytes it stands for, rounded down. The rules are in the
// package documentation. Every error is a *ParseError.
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, newParseError(s, ErrEmpty, "")
	}
	if len(t) > maxInputLen {
		return 0, newParseError(s, ErrSyntax, "longer than "+strconv.Itoa(maxInputLen)+" characters")
	}
	if t[0] == '-' {
		return 0, newParseError(s, ErrNegative, "")
	}

	whole, rest := leadingDigits(t)
	if whole == "" {
		return 0, newParseError(s, ErrSyntax, "")
	}
	var frac string
	if strings.HasPrefix(rest, ".") {
		frac, rest = leadingDigits(rest[1:])
		if frac == "" {
			return 0, newParseError(s, ErrSyntax, "a decimal point must be followed by digits")
		}
	}
	name := strings.TrimLeft(rest, " \t")
	if !isLetters(name) {
		return 0, newParseError(s, ErrSyntax, "")
	}

	factor := uint64(1)
	if name != "" {
		var ok bool
		if factor, ok = lookupUnit(name); !ok {
			return 0, newParseError(s, ErrUnit, unitHint(name))
		}
	}

	n, ok := scale(whole, frac, factor)
	if !ok {
		return 0, newParseError(s, ErrRange, "")
	}
	return n, nil
}

// scale returns floor(whole.frac × factor) and whether it fits in an int64.
func scale(whole, frac string, factor uint64) (int64, bool) {
	if frac == "" {
		// Fast path for the common whole-number case; a digit-only string
		// that ParseUint rejects can only be too large.
		w, err := strconv.ParseUint(whole, 10, 64)
		if err != nil {
			return 0, false
		}
		hi, lo := bits.Mul64(w, factor)
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		return int64(lo), true
	}

	// Exact decimal arithmetic: (whole‖frac × factor) / 10^len(frac).
	mantissa, _ := new(big.Int).SetString(whole+frac, 10)
	mantissa.Mul(mantissa, new(big.Int).SetUint64(factor))
	divisor := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	mantissa.Quo(mantissa, divisor) // non-negative, so truncation is floor
	if !mantissa.IsInt64() {
		return 0, false
	}
	return mantissa.Int64(), true
}

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// isLetters reports whether s is empty or ASCII letters only, so that a
// stray character reads as a syntax error rather than an odd unit name.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}
