package provider

import (
	"github.com/simusage/terraform-provider-usage/internal/gigs"
)

// gigsCounterWriters write the counters of an object, each from the
// counters of(v), which are in gigsCounters order (the client's).
func gigsCounterWriters[T any](of func(T) [9]*int64) writers[T] {
	table := make(writers[T], len(gigsCounters))
	for i, c := range gigsCounters {
		table[c.name] = func(w *stateWriter, v T) { w.optionalInt64(of(v)[i]) }
	}
	return table
}

// gigsRecordWriter builds the writer of a record of the records at at.
func gigsRecordWriter(at objectAt) *objectWriter[*gigs.UsageRecord] {
	labels := newObjectWriter(at.at("labels"), writers[*gigs.Labels]{
		"country":      func(w *stateWriter, l *gigs.Labels) { w.optionalStr(l.Country) },
		"roaming":      func(w *stateWriter, l *gigs.Labels) { w.optionalStr(l.Roaming) },
		"subscription": func(w *stateWriter, l *gigs.Labels) { w.optionalStr(l.Subscription) },
	})
	table := gigsCounterWriters((*gigs.UsageRecord).Counters)
	table["start"] = func(w *stateWriter, r *gigs.UsageRecord) { w.instant(r.Start) }
	table["end"] = func(w *stateWriter, r *gigs.UsageRecord) { w.instant(r.End) }
	table["updated_at"] = func(w *stateWriter, r *gigs.UsageRecord) {
		if r.UpdatedAt == nil {
			w.null()
			return
		}
		w.instant(*r.UpdatedAt)
	}
	table["labels"] = func(w *stateWriter, r *gigs.UsageRecord) { labels.write(w, &r.Labels) }
	return newObjectWriter(at, table)
}

// gigsSums are the sums of a total, in gigsCounters order.
type gigsSums [9]*int64

// data, sms and voice are the sums every record has (never nil).
func (s *gigsSums) data() int64  { return *s[0] }
func (s *gigsSums) sms() int64   { return *s[1] }
func (s *gigsSums) voice() int64 { return *s[2] }

// gigsSumsOf sums each counter; a preview counter's sum stays nil unless
// some record carried it. The client has checked that no sum overflows.
func gigsSumsOf(records []gigs.UsageRecord) *gigsSums {
	var sums gigsSums
	for i := range 3 {
		sums[i] = new(int64) // data, sms and voice are always present
	}
	for i := range records {
		for j, v := range records[i].Counters() {
			if v == nil {
				continue
			}
			if sums[j] == nil {
				sums[j] = new(int64)
			}
			*sums[j] += *v
		}
	}
	return &sums
}

// gigsTotalWriter builds the writer of the total at at.
func gigsTotalWriter(at objectAt) *objectWriter[*gigsSums] {
	return newObjectWriter(at, gigsCounterWriters(func(s *gigsSums) [9]*int64 { return *s }))
}
