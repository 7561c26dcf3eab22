package bytesize

import (
	"errors"
	"strconv"
	"testing"
)

// FuzzParse checks the properties that make the two functions safe to chain:
// Parse never panics and never returns a negative count, every error is a
// *ParseError, and Format's output parses back to a value that formats the same.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"5 GiB", "1.5GB", "1023", "0", "8191.99 PiB", "5 KB", "-1", "NaN", "1e9"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", s, err)
			}
			return
		}
		if n < 0 {
			t.Fatalf("Parse(%q) = %d, negative", s, n)
		}

		formatted := Format(uint64(n))
		back, err := Parse(formatted)
		if err != nil {
			t.Fatalf("Parse(Format(%d)) = Parse(%q) error: %v", n, formatted, err)
		}
		if again := Format(uint64(back)); again != formatted {
			t.Fatalf("Format not stable: %d -> %q -> %d -> %q", n, formatted, back, again)
		}
		// Format rounds to 1/100 of its unit and Parse rounds down, so the
		// trip can only move a value by half a hundredth of a unit, at most 1%.
		if diff := absDiff(n, back); diff > 0 && diff*100 > n {
			t.Fatalf("round trip of %d via %q gave %d, off by more than 1%%", n, formatted, back)
		}
		// A plain byte count means exactly that many bytes.
		if plain, err := strconv.ParseInt(s, 10, 64); err == nil && plain != n {
			t.Fatalf("Parse(%q) = %d, want %d", s, n, plain)
		}
	})
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}
