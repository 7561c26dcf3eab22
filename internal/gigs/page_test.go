package gigs

import "math"

// decodeList decodes one page with no record limit, as the decoding tests
// want.
func decodeList(body []byte) ([]UsageRecord, *string, error) {
	return appendPage([]UsageRecord{}, body, math.MaxInt)
}
