package vendorsim

import (
	"sort"
	"strconv"
	"time"
)

// GigsUsageRecord is the Gigs usageRecord object. The preview counters are
// present only on preview subscriptions; a legacy subscription sends
// DataTethering and SmsInternational in place of DataTetheringBytes and
// SmsInternationalMessages.
type GigsUsageRecord struct {
	Object                    string     `json:"object"`
	Data                      int64      `json:"data"`
	DataDeviceBytes           *int64     `json:"dataDeviceBytes,omitempty"`
	DataTetheringBytes        *int64     `json:"dataTetheringBytes,omitempty"`
	DataTethering             *int64     `json:"dataTethering,omitempty"`
	End                       string     `json:"end"`
	Labels                    GigsLabels `json:"labels"`
	Sms                       int64      `json:"sms"`
	SmsInternationalMessages  *int64     `json:"smsInternationalMessages,omitempty"`
	SmsInternational          *int64     `json:"smsInternational,omitempty"`
	SmsLocalMessages          *int64     `json:"smsLocalMessages,omitempty"`
	Start                     string     `json:"start"`
	UpdatedAt                 string     `json:"updatedAt"`
	Voice                     int64      `json:"voice"`
	VoiceInternationalSeconds *int64     `json:"voiceInternationalSeconds,omitempty"`
	VoiceLocalSeconds         *int64     `json:"voiceLocalSeconds,omitempty"`
}

// GigsLabels says what a record is about: country and roaming appear when the
// aggregation groups by them.
type GigsLabels struct {
	Country      string `json:"country,omitempty"`
	Roaming      string `json:"roaming,omitempty"`
	Subscription string `json:"subscription"`
}

// GigsQuery is a usage query. Zero values mean absent; Start and End are
// YYYY-MM-DD with End inclusive; Aggregation "" means daily.
type GigsQuery struct {
	Period      int
	Start, End  string
	Aggregation string
}

// gigsAggregation is a time grouping (daily or the whole range) and an
// optional extra dimension ("country" or "roaming").
type gigsAggregation struct {
	daily bool
	by    string
}

var gigsAggregations = map[string]gigsAggregation{
	"daily": {daily: true}, "period": {},
	"country": {by: "country"}, "roaming": {by: "roaming"},
	"daily,country": {daily: true, by: "country"}, "country,daily": {daily: true, by: "country"},
	"daily,roaming": {daily: true, by: "roaming"}, "roaming,daily": {daily: true, by: "roaming"},
	"period,country": {by: "country"}, "country,period": {by: "country"},
	"period,roaming": {by: "roaming"}, "roaming,period": {by: "roaming"},
}

const aggregationHint = "Use daily, period, country, roaming, or a time and a dimension joined by a comma, such as daily,country."

// GigsRecords is the simulator's own arithmetic: exactly the items the API
// returns for that query, all pages concatenated. Errors are *GigsError.
// Hostile knobs do not apply here.
func (s *Server) GigsRecords(project, subscription string, q GigsQuery) ([]GigsUsageRecord, error) {
	sub, e := s.subscription(project, subscription)
	if e != nil {
		return nil, e
	}
	recs, e := s.gigsUsage(sub, q, s.now())
	if e != nil {
		return nil, e
	}
	return recs, nil
}

// gigsUsage validates a query against the subscription and aggregates its usage.
func (s *Server) gigsUsage(sub *subRecord, q GigsQuery, now time.Time) ([]GigsUsageRecord, *GigsError) {
	name := q.Aggregation
	if name == "" {
		name = "daily"
	}
	agg, ok := gigsAggregations[name]
	if !ok {
		return nil, gigsInvalid("invalidAggregation", "Unknown aggregation "+quote(name)+".", aggregationHint)
	}
	periods := sub.periods(now)
	from, to, e := gigsWindow(q, periods)
	if e != nil {
		return nil, e
	}
	if len(periods) == 0 {
		return []GigsUsageRecord{}, nil // never active: no usage at all
	}
	return sub.aggregate(from, to, agg, periods, now), nil
}

// gigsWindow resolves the query's time range [from, to).
func gigsWindow(q GigsQuery, periods []Period) (time.Time, time.Time, *GigsError) {
	var zero time.Time
	switch {
	case q.Period < 0:
		return zero, zero, gigsInvalid("invalidPeriod", "The period must be an integer of at least 1.", "Pass a subscription period number such as 1.")
	case q.Period > 0 && (q.Start != "" || q.End != ""):
		return zero, zero, gigsInvalid("incompatibleParameters", "The period parameter cannot be combined with start or end.", "Pass either period, or start and end.")
	case (q.Start == "") != (q.End == ""):
		return zero, zero, gigsInvalid("missingParameter", "The start and end parameters can only be used together.", "Pass both start and end as YYYY-MM-DD.")
	case q.Period > 0:
		for _, p := range periods {
			if p.Number == q.Period {
				return p.Start, p.End, nil
			}
		}
		hint := "Periods are numbered from 1 up to the current period " + strconv.Itoa(len(periods)) + "."
		if len(periods) == 0 {
			hint = "The subscription has not been active yet, so it has no periods."
		}
		return zero, zero, gigsInvalid("periodNotFound", "The subscription has no period "+strconv.Itoa(q.Period)+".", hint)
	case q.Start != "":
		start, err1 := time.Parse(time.DateOnly, q.Start)
		end, err2 := time.Parse(time.DateOnly, q.End)
		if err1 != nil || err2 != nil {
			return zero, zero, gigsInvalid("invalidDate", "The start and end parameters must be dates.", "Use the format YYYY-MM-DD, such as 2025-01-31.")
		}
		if start.After(end) {
			return zero, zero, gigsInvalid("invalidDateRange", "The start date must not be after the end date.", "The end date is inclusive; pass the same date twice for one day.")
		}
		return start, end.AddDate(0, 0, 1), nil
	}
	if len(periods) == 0 {
		return zero, zero, nil
	}
	latest := periods[len(periods)-1]
	return latest.Start, latest.End, nil
}

type gigsGroup struct {
	day   int64 // unix day; -1 for the whole range
	label string
}

// aggregate sums the days of [from, to) that have usage (inside the
// subscription's life and begun before the current hour) into records.
func (sub *subRecord) aggregate(from, to time.Time, agg gigsAggregation, periods []Period, now time.Time) []GigsUsageRecord {
	nowH := now.UTC().Truncate(time.Hour)
	stop := nowH
	if ended := sub.endedAt(periods); !ended.IsZero() {
		stop = earlier(stop, ended) // an ended subscription's days are complete
	}
	sums := map[gigsGroup]*gigsCounts{}
	var order []gigsGroup
	addTo := func(g gigsGroup, c gigsCounts) {
		if sums[g] == nil {
			sums[g] = &gigsCounts{}
			order = append(order, g)
		}
		sums[g].add(c)
	}
	if !agg.daily && agg.by == "" {
		addTo(gigsGroup{day: -1}, gigsCounts{})
	}
	first := unixDay(later(from, periods[0].Start))
	for d := first; dayTime(d).Before(to) && dayTime(d).Before(stop); d++ {
		elapsed := min(int64(nowH.Sub(dayTime(d))/time.Hour), 24)
		g := gigsGroup{day: -1}
		if agg.daily {
			g.day = d
		}
		for _, seg := range sub.dayUsage(d, elapsed) {
			switch agg.by {
			case "country":
				g.label = seg.country
			case "roaming":
				g.label = seg.roaming
			}
			addTo(g, seg.c)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].day != order[j].day {
			return order[i].day < order[j].day
		}
		return order[i].label < order[j].label
	})
	out := make([]GigsUsageRecord, 0, len(order))
	for _, g := range order {
		start, end := from, to
		if g.day >= 0 {
			start, end = dayTime(g.day), dayTime(g.day+1)
		}
		labels := GigsLabels{Subscription: sub.id}
		switch agg.by {
		case "country":
			labels.Country = g.label
		case "roaming":
			labels.Roaming = g.label
		}
		out = append(out, sub.record(start, end, labels, *sums[g], now))
	}
	return out
}

// record renders one usageRecord.
func (sub *subRecord) record(start, end time.Time, labels GigsLabels, c gigsCounts, now time.Time) GigsUsageRecord {
	updated := earlier(end.Add(90*time.Minute), now.UTC()).Truncate(time.Second)
	r := GigsUsageRecord{
		Object: "usageRecord", Labels: labels,
		Data: c.device + c.tethering, Sms: c.smsLocal + c.smsIntl, Voice: c.voiceLocal + c.voiceIntl,
		Start: sub.timestamp(start), End: sub.timestamp(end), UpdatedAt: sub.timestamp(updated),
	}
	if !sub.preview {
		return r
	}
	r.DataDeviceBytes, r.SmsLocalMessages = &c.device, &c.smsLocal
	r.VoiceLocalSeconds, r.VoiceInternationalSeconds = &c.voiceLocal, &c.voiceIntl
	if sub.legacyNames {
		r.DataTethering, r.SmsInternational = &c.tethering, &c.smsIntl
	} else {
		r.DataTetheringBytes, r.SmsInternationalMessages = &c.tethering, &c.smsIntl
	}
	return r
}

// timestamp is RFC 3339 UTC; some subscriptions add ".0" fractional seconds,
// as the vendor's own example does.
func (sub *subRecord) timestamp(t time.Time) string {
	if sub.fractional {
		return t.UTC().Format("2006-01-02T15:04:05.0Z07:00")
	}
	return t.UTC().Format(time.RFC3339)
}

func quote(s string) string { return strconv.Quote(s) }
