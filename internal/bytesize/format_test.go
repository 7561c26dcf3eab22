package bytesize

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		in   uint64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{1023, "1023 B"},
		{1024, "1.00 KiB"},
		{1536, "1.50 KiB"},
		{1 << 20, "1.00 MiB"},
		{5368709120, "5.00 GiB"},
		{1 << 40, "1.00 TiB"},
		{1 << 50, "1.00 PiB"},
		// Two decimals, rounded half up: 1029.12 bytes is 1.005 KiB.
		{1029, "1.00 KiB"},
		{1030, "1.01 KiB"},
		// Exact ties (a third decimal of exactly 5) round up, in any unit.
		{1152, "1.13 KiB"},          // 1.125 KiB
		{1151, "1.12 KiB"},          // just below the tie
		{1408, "1.38 KiB"},          // 1.375 KiB
		{1664, "1.63 KiB"},          // 1.625 KiB
		{1920, "1.88 KiB"},          // 1.875 KiB
		{9<<17 + 1<<20, "2.13 MiB"}, // 2.125 MiB
		{9 << 47, "1.13 PiB"},       // 1.125 PiB
		{1395864371, "1.30 GiB"},
		// Rounding up to 1024.00 moves to the next unit.
		{1<<20 - 1, "1.00 MiB"},
		{1<<30 - 1, "1.00 GiB"},
		{1<<20 - 6, "1023.99 KiB"},
		// PiB is the largest unit; beyond it the number grows.
		{1 << 60, "1024.00 PiB"},
		{8191*1<<50 + 984*1<<50/1000, "8191.98 PiB"},
		{8191*1<<50 + 986*1<<50/1000, "8191.99 PiB"},
		// ...except where "8192.00 PiB" would not parse back into an int64.
		{math.MaxInt64 - 1<<40, "8191.99 PiB"},
		{math.MaxInt64, "8191.99 PiB"},
		{math.MaxInt64 + 1, "8192.00 PiB"},
		{math.MaxUint64, "16384.00 PiB"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
