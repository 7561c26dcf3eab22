package kore

import "context"

// The sums without a context to stop them, for the tests.

// CheckedTotal is CheckedTotalContext without a way to stop it.
func CheckedTotal(records []UsageRecord) (Commands, Data, error) {
	return CheckedTotalContext(context.Background(), records)
}

// Total sums records: every counter and billed amount, international roaming
// merged per country and sorted by country code, in time linear in the
// entries (plus one sort of the countries).
func Total(records []UsageRecord) (Commands, Data) {
	c, d, _ := TotalContext(context.Background(), records) // never done, so never an error
	return c, d
}
