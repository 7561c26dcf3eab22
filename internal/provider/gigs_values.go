package provider

import (
	"github.com/simusage/terraform-provider-usage/internal/gigs"
)

// gigsCounterValues returns the counters of r in gigsCounters order, which
// is the client's.
func gigsCounterValues(r *gigs.UsageRecord) [9]*int64 { return r.Counters() }

// The record, labels and total objects, as state writes them.
var (
	gigsRecordShape = shapeOf(gigsRecordsAttribute().NestedObject.Attributes)
	gigsTotalShape  = shapeOf(gigsTotalAttribute().Attributes)
	gigsCounterAt   = func() map[string]int {
		m := make(map[string]int, len(gigsCounters))
		for i, c := range gigsCounters {
			m[c.name] = i
		}
		return m
	}()
)

// writeGigsCounters writes the counters among the names of an object.
func writeGigsCounters(w *stateWriter, name string, values [9]*int64) bool {
	i, ok := gigsCounterAt[name]
	if ok {
		w.optionalInt64(values[i])
	}
	return ok
}

// writeGigsRecords writes the records, one object each.
func writeGigsRecords(w *stateWriter, records []gigs.UsageRecord) {
	w.listLen(len(records))
	for i := range records {
		r := &records[i]
		values := gigsCounterValues(r)
		w.mapLen(len(gigsRecordShape.names))
		for _, name := range gigsRecordShape.names {
			w.key(name)
			if writeGigsCounters(w, name, values) {
				continue
			}
			switch name {
			case "start":
				w.instant(r.Start)
			case "end":
				w.instant(r.End)
			case "updated_at":
				if r.UpdatedAt == nil {
					w.null()
				} else {
					w.instant(*r.UpdatedAt)
				}
			case "labels": // country, roaming, subscription: sorted
				w.mapLen(3)
				w.key("country")
				w.optionalStr(r.Labels.Country)
				w.key("roaming")
				w.optionalStr(r.Labels.Roaming)
				w.key("subscription")
				w.optionalStr(r.Labels.Subscription)
			default:
				w.null()
			}
		}
	}
}

// writeGigsTotal sums each counter; a preview total stays null unless some
// record carried that counter. The client has checked that no sum overflows.
func writeGigsTotal(w *stateWriter, records []gigs.UsageRecord) {
	var sums [9]*int64
	for i := range 3 {
		sums[i] = new(int64) // data, sms and voice are always present
	}
	for i := range records {
		for j, v := range gigsCounterValues(&records[i]) {
			if v == nil {
				continue
			}
			if sums[j] == nil {
				sums[j] = new(int64)
			}
			*sums[j] += *v
		}
	}
	w.mapLen(len(gigsTotalShape.names))
	for _, name := range gigsTotalShape.names {
		w.key(name)
		if !writeGigsCounters(w, name, sums) {
			w.null()
		}
	}
}
