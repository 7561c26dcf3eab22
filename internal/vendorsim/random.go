package vendorsim

// mix64 is the splitmix64 finaliser: cheap and well distributed, so every
// (seed, sim, hour) gets independent-looking numbers without stored tables.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash3 combines three values into one well-mixed hash.
func hash3(a, b, c uint64) uint64 {
	return mix64(mix64(mix64(a)^b) ^ c)
}

// unit maps a hash to a float in [0, 1).
func unit(x uint64) float64 {
	return float64(x>>11) / (1 << 53)
}

// Purposes keep the identifier streams and usage hashes of different things apart.
const (
	purposeCredentials uint64 = iota + 1
	purposeAccount
	purposeSIM
	purposeRatePlan
	purposeSubscription
	purposeSimUsage
	purposeSimLocation
	purposeGigsUsage
	purposeGigsTrip
	purposeFaults
	purposeGigsPlan
)

// idStream is a deterministic sequence of random-looking values for building
// identifiers from the seed.
type idStream struct{ state uint64 }

func newIDStream(seed int64, purpose, index uint64) *idStream {
	return &idStream{state: hash3(uint64(seed), purpose, index)}
}

func (s *idStream) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	return mix64(s.state)
}

func (s *idStream) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.next()%uint64(len(alphabet))]
	}
	return string(b)
}

const (
	hexDigits     = "0123456789abcdef"
	decimalDigits = "0123456789"
	lowerAlnum    = "abcdefghijklmnopqrstuvwxyz0123456789"
	base62        = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

func (s *idStream) hex(n int) string               { return s.pick(hexDigits, n) }
func (s *idStream) digits(n int) string            { return s.pick(decimalDigits, n) }
func (s *idStream) lower(n int) string             { return s.pick(lowerAlnum, n) }
func (s *idStream) base62(n int) string            { return s.pick(base62, n) }
func (s *idStream) intn(n int) int                 { return int(s.next() % uint64(n)) }
func (s *idStream) float() float64                 { return unit(s.next()) }
func (s *idStream) between(lo, hi float64) float64 { return lo + (hi-lo)*s.float() }

// luhnDigit is the check digit ICCIDs end with.
func luhnDigit(digits string) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}
