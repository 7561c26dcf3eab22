package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestClipMakesVendorTextSafe: vendor text loses every character that could
// rewrite a terminal or reorder what it shows, and is cut to the same
// length whoever the vendor.
func TestClipMakesVendorTextSafe(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"ANSI colour", "\x1b[31mred\x1b[0m", " [31mred [0m"},
		{"bell", "ding\a", "ding "},
		{"carriage return rewrites the line", "all fine\rHACKED", "all fine HACKED"},
		{"newline and tab", "a\nb\tc", "a b c"},
		{"C1 CSI and NEL", "a\u009b31mb\u0085c", "a 31mb c"},
		{"DEL", "a\x7fb", "a b"},
		{"bidi override", "abc\u202edcba\u202c", "abc\ufffddcba\ufffd"},
		{"bidi isolates and marks", "\u2066x\u2069\u200f\u061c", "\ufffdx\ufffd\ufffd\ufffd"},
		{"line separators", "a\u2028b\u2029c", "a b c"},
		{"invalid UTF-8", "ok \xff", "ok \ufffd"},
		{"plain text is kept", "Subscription sub_1 not found.", "Subscription sub_1 not found."},
	}
	for _, c := range cases {
		if got := Clip(c.in); got != c.want {
			t.Errorf("%s: Clip(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}

	long := strings.Repeat("é", 100_000) // 200,000 bytes
	got := Clip(long)
	if !strings.HasSuffix(got, "…") || len(got) > MaxVendorText+len("…") || len(got) < MaxVendorText-1 || !utf8.ValidString(got) {
		t.Fatalf("Clip of 200,000 bytes = %d bytes %q", len(got), got)
	}
	// Controls spread through a long text are cleaned in what is shown.
	got = Clip(strings.Repeat("\x1b\a\r", 100_000))
	if strings.ContainsAny(got, "\x1b\a\r") || !strings.HasSuffix(got, "…") {
		t.Fatalf("Clip of 300,000 controls = %q", got)
	}
	if got := Clip(strings.Repeat("x", MaxVendorText)); got != strings.Repeat("x", MaxVendorText) {
		t.Fatalf("text at the bound is cut: %q", got)
	}
}

// TestVendorOf finds the vendor along wrapped and joined errors, and
// nowhere else.
func TestVendorOf(t *testing.T) {
	conn := &ConnectionError{Vendor: "Gigs", Err: context.DeadlineExceeded}
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("reading: %w", conn), "Gigs"},
		{fmt.Errorf("listing: %w", &ResponseError{Vendor: "KORE"}), "KORE"},
		{WithVendor("KORE", context.Canceled), "KORE"},
		{errors.Join(errors.New("x"), WithVendor("Gigs", errors.New("y"))), "Gigs"},
		{WithVendor("KORE", &ConnectionError{Err: io.EOF}), "KORE"},
		{context.DeadlineExceeded, ""},
		{nil, ""},
	}
	for _, c := range cases {
		if got := VendorOf(c.err); got != c.want {
			t.Errorf("VendorOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	if !errors.Is(WithVendor("Gigs", context.Canceled), context.Canceled) || WithVendor("Gigs", nil) != nil {
		t.Fatal("WithVendor changes the error it marks")
	}
}
