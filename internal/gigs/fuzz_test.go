package gigs

import "testing"

// FuzzDecodeList feeds arbitrary bodies to the list decoder: it must never
// panic, and whatever it accepts must hold no negative counter.
func FuzzDecodeList(f *testing.F) {
	f.Add([]byte(vendorExample))
	f.Add([]byte(`{"object":"list","items":[],"moreItemsAfter":"cur_1","moreItemsBefore":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, _, err := decodeList(body)
		if err != nil {
			if recs != nil {
				t.Fatalf("records returned with error %v", err)
			}
			return
		}
		for i, r := range recs {
			if err := r.checkCounters(); err != nil {
				t.Fatalf("record %d accepted with %v", i, err)
			}
		}
	})
}
