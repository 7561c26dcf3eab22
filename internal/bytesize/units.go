package bytesize

// unit is one accepted suffix and how many bytes it stands for.
type unit struct {
	name  string
	bytes uint64
}

// parseUnits lists every suffix Parse accepts, matched case-sensitively.
var parseUnits = []unit{
	{"B", 1},
	{"kB", 1e3},
	{"MB", 1e6},
	{"GB", 1e9},
	{"TB", 1e12},
	{"PB", 1e15},
	{"KiB", 1 << 10},
	{"MiB", 1 << 20},
	{"GiB", 1 << 30},
	{"TiB", 1 << 40},
	{"PiB", 1 << 50},
}

// formatUnits are the IEC units Format picks from, smallest first.
var formatUnits = parseUnits[6:]

// AcceptedUnits names the accepted units; error messages and the provider's
// function descriptions quote it so that users see the same list everywhere.
const AcceptedUnits = "B, kB, MB, GB, TB, PB (powers of 1000) and KiB, MiB, GiB, TiB, PiB (powers of 1024); a number without a unit is a byte count"

func lookupUnit(name string) (uint64, bool) {
	for _, u := range parseUnits {
		if u.name == name {
			return u.bytes, true
		}
	}
	return 0, false
}
