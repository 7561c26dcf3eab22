package vendorsim

import (
	"net/url"
	"reflect"
	"testing"
)

func TestHostileKoreNextPageLoop(t *testing.T) {
	h := newHarness(t)
	h.sim.SetHostile(Hostile{KoreNextPageLoop: true})
	var list KoreUsageList
	h.kore("/v1/UsageRecords").json(t, &list)
	if list.Meta.NextPageURL == nil || *list.Meta.NextPageURL != list.Meta.URL {
		t.Fatalf("next_page_url %v, url %s", list.Meta.NextPageURL, list.Meta.URL)
	}
}

func TestHostileKoreNextPageForeign(t *testing.T) {
	h := newHarness(t)
	h.sim.SetHostile(Hostile{KoreNextPageForeign: true})
	var list KoreUsageList
	h.kore("/v1/UsageRecords").json(t, &list)
	u, err := url.Parse(*list.Meta.NextPageURL)
	if err != nil || u.Host != "attacker.invalid" {
		t.Fatalf("next_page_url %v", *list.Meta.NextPageURL)
	}
}

func TestHostileKoreOversizePage(t *testing.T) {
	h := newHarness(t)
	h.sim.SetHostile(Hostile{KoreOversizePage: true})
	for _, q := range []string{usageQuery(testNow.AddDate(0, 0, -10), testNow, "daily", "PageSize", "2"), "?PageSize=5"} {
		var list KoreUsageList
		h.kore("/v1/UsageRecords"+q).json(t, &list)
		if len(list.UsageRecords) <= list.Meta.PageSize {
			t.Fatalf("%s: %d records on a page of %d", q, len(list.UsageRecords), list.Meta.PageSize)
		}
	}
}

func TestHostileNegativeCounter(t *testing.T) {
	h := newHarness(t)
	h.sim.SetHostile(Hostile{NegativeCounter: true})
	var list KoreUsageList
	h.kore("/v1/UsageRecords").json(t, &list)
	if list.UsageRecords[0].Data.Upload >= 0 {
		t.Fatalf("upload %d", list.UsageRecords[0].Data.Upload)
	}
	var g gigsList
	h.gigs(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil)).json(t, &g)
	if g.Items[0].Data >= 0 {
		t.Fatalf("data %d", g.Items[0].Data)
	}
	// The simulator's own arithmetic stays honest.
	if r := h.sim.KoreRecords("", testNow.AddDate(0, -1, 0), testNow, "all"); r[0].Data.Upload < 0 {
		t.Fatal("KoreRecords carries the hostile counter")
	}
}

func TestHostileGigsPaging(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0]
	q := url.Values{"start": {"2026-01-01"}, "end": {"2026-01-31"}}
	want, _ := h.sim.GigsRecords(sub.Project, sub.ID, GigsQuery{Start: "2026-01-01", End: "2026-01-31"})
	h.sim.SetHostile(Hostile{GigsPageSize: 7})

	var got []GigsUsageRecord
	pages := 0
	for {
		if pages > 10 { // five are due: a cursor that never ends fails here, not at the go test timeout
			t.Fatalf("still paging after %d pages", pages)
		}
		var list gigsList
		r := h.gigs(h.gigsUsagePath(sub.ID, q))
		r.json(t, &list)
		if r.status != 200 || len(list.Items) > 7 {
			t.Fatalf("%d, %d items", r.status, len(list.Items))
		}
		if (pages > 0) != (list.MoreItemsBefore != nil) {
			t.Fatalf("page %d: moreItemsBefore %v", pages, list.MoreItemsBefore)
		}
		got = append(got, list.Items...)
		pages++
		if list.MoreItemsAfter == nil {
			break
		}
		q.Set("after", *list.MoreItemsAfter)
	}
	if pages != 5 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d pages, %d of %d items", pages, len(got), len(want))
	}
	q.Set("after", "cur_bogus")
	expectGigsError(t, h.gigs(h.gigsUsagePath(sub.ID, q)), 422, "invalid", "invalidCursor")
	// A cursor of another query does not apply.
	q.Set("aggregation", "daily")
	q.Set("after", *firstCursor(t, h, sub.ID))
	expectGigsError(t, h.gigs(h.gigsUsagePath(sub.ID, q)), 422, "invalid", "invalidCursor")
}

func firstCursor(t *testing.T, h *harness, sub string) *string {
	t.Helper()
	var list gigsList
	h.gigs(h.gigsUsagePath(sub, url.Values{"start": {"2026-01-01"}, "end": {"2026-01-31"}})).json(t, &list)
	return list.MoreItemsAfter
}

func TestHostileGigsCursorLoop(t *testing.T) {
	h := newHarness(t)
	sub := h.sim.Subscriptions()[0]
	h.sim.SetHostile(Hostile{GigsCursorLoop: true})
	var first, second gigsList
	h.gigs(h.gigsUsagePath(sub.ID, nil)).json(t, &first)
	if first.MoreItemsAfter == nil {
		t.Fatal("no cursor")
	}
	h.gigs(h.gigsUsagePath(sub.ID, url.Values{"after": {*first.MoreItemsAfter}})).json(t, &second)
	if second.MoreItemsAfter == nil || *second.MoreItemsAfter != *first.MoreItemsAfter || !reflect.DeepEqual(first.Items, second.Items) {
		t.Fatal("the cursor must repeat with the same items")
	}
	h.sim.SetHostile(Hostile{})
	expectGigsError(t, h.gigs(h.gigsUsagePath(sub.ID, url.Values{"after": {*first.MoreItemsAfter}})), 422, "invalid", "unknownParameter")
}
