package bytesize

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// Format renders n with the largest IEC unit that fits: "1023 B",
// "1.50 KiB", "5.00 GiB". Two decimals, rounded half up; a value that rounds
// to 1024.00 moves to the next unit ("1.00 MiB", not "1024.00 KiB"), and
// PiB is the largest unit used. The one exception to half-up rounding is the
// top 0.005 PiB below the int64 limit, which rounds down to "8191.99 PiB".
func Format(n uint64) string {
	if n < formatUnits[0].bytes {
		return strconv.FormatUint(n, 10) + " B"
	}
	i := len(formatUnits) - 1
	for n < formatUnits[i].bytes {
		i--
	}
	h := hundredths(n, formatUnits[i].bytes)
	if h >= 1024*100 && i < len(formatUnits)-1 {
		i++
		h = hundredths(n, formatUnits[i].bytes)
	}
	// Near the int64 limit, rounding up would print "8192.00 PiB", which
	// Parse rejects; round down there so Parse(Format(n)) works for every n
	// that Parse can return.
	if n <= math.MaxInt64 && parsedOverflows(h, formatUnits[i].bytes) {
		h--
	}
	return fmt.Sprintf("%d.%02d %s", h/100, h%100, formatUnits[i].name)
}

// hundredths returns n/unit in hundredths, rounded half up, without
// overflowing: n×100 is computed in 128 bits.
func hundredths(n, unit uint64) uint64 {
	hi, lo := bits.Mul64(n, 100)
	q, r := bits.Div64(hi, lo, unit) // hi < 100 < unit, so Div64 cannot panic
	if r >= unit-r {
		q++
	}
	return q
}

// parsedOverflows reports whether Parse would reject h hundredths of unit
// as larger than int64.
func parsedOverflows(h, unit uint64) bool {
	hi, lo := bits.Mul64(h, unit)
	if hi >= 100 {
		return true
	}
	q, _ := bits.Div64(hi, lo, 100)
	return q > math.MaxInt64
}
