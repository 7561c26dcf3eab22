package bytesize

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"1024", 1024},
		{"007", 7},
		{"1 B", 1},
		{"1B", 1},
		{"1 kB", 1000},
		{"1 MB", 1_000_000},
		{"1 GB", 1_000_000_000},
		{"1 TB", 1_000_000_000_000},
		{"1 PB", 1_000_000_000_000_000},
		{"1 KiB", 1 << 10},
		{"1 MiB", 1 << 20},
		{"5 GiB", 5 << 30},
		{"1 TiB", 1 << 40},
		{"1 PiB", 1 << 50},
		{"1.5 GiB", 3 << 29},
		{"1.5GB", 1_500_000_000},
		{"0.5 KiB", 512},
		{"2.25 MB", 2_250_000},
		{"5   GiB", 5 << 30},
		{"5\tGiB", 5 << 30},
		{"  5 GiB\n", 5 << 30},
		{"0 PiB", 0},
		// Fractional bytes round down.
		{"1.3 GiB", 1395864371},
		{"1.9", 1},
		{"0.9 B", 0},
		{"0.0001 kB", 0},
		{"1.0000000000000000000000000001 kB", 1000},
		// The largest value, both through the whole-number and decimal paths.
		{"9223372036854775807", math.MaxInt64},
		{"9223372036854775807 B", math.MaxInt64},
		{"9223372036854775807.9", math.MaxInt64},
		{"8191.99 PiB", 9223360777855707381},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in       string
		want     error
		contains string
	}{
		{"", ErrEmpty, ""},
		{"   ", ErrEmpty, ""},
		{"-1", ErrNegative, ""},
		{"-5 GiB", ErrNegative, ""},
		{"+5", ErrSyntax, ""},
		{"GiB", ErrSyntax, ""},
		{".5 GiB", ErrSyntax, ""},
		{"5. GiB", ErrSyntax, "decimal point"},
		{"1.2.3", ErrSyntax, ""},
		{"NaN", ErrSyntax, ""},
		{"Inf", ErrSyntax, ""},
		{"+Inf", ErrSyntax, ""},
		{"1e9", ErrSyntax, ""},
		{"0x10", ErrSyntax, ""},
		{"1,000", ErrSyntax, ""},
		{"1_000", ErrSyntax, ""},
		{"5 GiB extra", ErrSyntax, ""},
		{"5 GiB/s", ErrSyntax, ""},
		{"٣ GiB", ErrSyntax, ""}, // non-ASCII digit
		{strings.Repeat("1", maxInputLen+1), ErrSyntax, "longer than"},
		{"5 KB", ErrUnit, `write "kB" for 1000 bytes or "KiB" for 1024 bytes`},
		{"5 kb", ErrUnit, `"kb" is ambiguous`},
		{"5 Kb", ErrUnit, `"Kb" is ambiguous`},
		{"5 K", ErrUnit, `"K" is ambiguous`},
		{"5 gb", ErrUnit, `did you mean "GB"?`},
		{"5 gib", ErrUnit, `did you mean "GiB"?`},
		{"5 GIB", ErrUnit, `did you mean "GiB"?`},
		{"5 b", ErrUnit, `did you mean "B"?`},
		{"5 EiB", ErrUnit, `"EiB" is not one of the accepted units`},
		{"5 bytes", ErrUnit, ""},
		{"9223372036854775808", ErrRange, ""},
		{"99999999999999999999999", ErrRange, ""},
		{"8192 PiB", ErrRange, ""},
		{"9223372036854775808.0", ErrRange, ""},
		{"9223372.036854775808 TB", ErrRange, ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %d, want error %v", tt.in, got, tt.want)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error %T is not a *ParseError", tt.in, err)
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
		}
		if !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.in, err, tt.contains)
		}
	}
}

// Format mistakes list the accepted units; well-formed but invalid sizes do not.
func TestParseErrorNamesUnitsOnlyForFormatMistakes(t *testing.T) {
	for _, in := range []string{"", "abc", "5 KB"} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), "Accepted units: "+AcceptedUnits) {
			t.Errorf("Parse(%q) error = %v, want the accepted units", in, err)
		}
	}
	for _, in := range []string{"-1", "8192 PiB"} {
		_, err := Parse(in)
		if err == nil || strings.Contains(err.Error(), "Accepted units") {
			t.Errorf("Parse(%q) error = %v, want no unit list", in, err)
		}
	}
}

func TestParseErrorShortensLongInput(t *testing.T) {
	in := "é" + strings.Repeat("x", 500)
	_, err := Parse(in)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error = %v, want *ParseError", err)
	}
	if len(pe.Input) > maxQuotedInput+len("…") || !strings.HasSuffix(pe.Input, "…") {
		t.Errorf("ParseError.Input = %q, want at most %d bytes and an ellipsis", pe.Input, maxQuotedInput)
	}
	// A cut in the middle of a multi-byte rune would show as an escape in %q.
	multi := strings.Repeat("x", maxQuotedInput-1) + "é" + "tail"
	if got := shorten(multi); got != strings.Repeat("x", maxQuotedInput-1)+"…" {
		t.Errorf("shorten cut inside a rune: %q", got)
	}
}

func BenchmarkParse(b *testing.B) {
	inputs := []string{"5368709120", "5 GiB", "1.5 GiB", "2.25 MB"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Parse(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}
