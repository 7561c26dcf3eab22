package vendorsim

import "time"

// Period is one monthly subscription period: [Start, End).
type Period struct {
	Number     int
	Start, End time.Time
}

// Subscription is one simulated Gigs subscription. Preview subscriptions carry
// the six preview counters; LegacyPreviewNames ones spell two of them the
// older way (dataTethering, smsInternational).
type Subscription struct {
	ID, Project        string
	Periods            []Period
	Preview            bool
	LegacyPreviewNames bool
}

// subPlan shapes one subscription's usage.
type subPlan struct {
	monthsAgo   int // how many months before now period 1 began
	home        string
	preview     bool
	legacyNames bool
	travel      []string // countries trips go to
	tripP       float64  // chance a week holds a trip abroad
	domesticP   float64  // chance a day at home is spent roaming domestically
	dataPerDay  float64  // bytes
	smsPerDay   float64
	voicePerDay float64 // seconds
}

var subPlans = []subPlan{
	{monthsAgo: 14, home: "US", preview: true, travel: []string{"MX", "CA"}, tripP: 0.25,
		dataPerDay: 400e6, smsPerDay: 6, voicePerDay: 900},
	{monthsAgo: 5, home: "US", dataPerDay: 150e6, smsPerDay: 3, voicePerDay: 300},
	{monthsAgo: 8, home: "GB", preview: true, legacyNames: true, travel: []string{"FR", "DE", "ES"}, tripP: 0.3,
		dataPerDay: 250e6, smsPerDay: 10, voicePerDay: 1200},
	{monthsAgo: 3, home: "DE", domesticP: 0.2, dataPerDay: 80e6, smsPerDay: 2, voicePerDay: 600},
	{monthsAgo: 0, home: "US", preview: true, dataPerDay: 600e6, smsPerDay: 4, voicePerDay: 200},
	{monthsAgo: 20, home: "FR", travel: []string{"IT", "ES"}, tripP: 0.15, domesticP: 0.05,
		dataPerDay: 300e6, smsPerDay: 8, voicePerDay: 700},
}

// subRecord is everything the simulator knows about one subscription.
type subRecord struct {
	subPlan
	id         string
	key        uint64 // hash key of this subscription's usage
	anchorDay  int    // day of month periods start on (1..28, so months never overflow)
	fractional bool   // timestamps carry ".0" fractional seconds
}

func newSubscriptions(seed int64) []*subRecord {
	subs := make([]*subRecord, len(subPlans))
	for i, plan := range subPlans {
		ids := newIDStream(seed, purposeSubscription, uint64(i))
		subs[i] = &subRecord{
			subPlan:    plan,
			id:         "sub_" + ids.base62(28),
			key:        hash3(uint64(seed), purposeGigsUsage, uint64(i)),
			anchorDay:  1 + ids.intn(28),
			fractional: i%2 == 1,
		}
	}
	return subs
}

// periods are the subscription's monthly periods up to the one holding now.
func (sub *subRecord) periods(now time.Time) []Period {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month()-time.Month(sub.monthsAgo), sub.anchorDay, 0, 0, 0, 0, time.UTC)
	if first.After(now) {
		first = first.AddDate(0, -1, 0)
	}
	var out []Period
	for n, start := 1, first; !start.After(now); n++ {
		end := first.AddDate(0, n, 0)
		out = append(out, Period{Number: n, Start: start, End: end})
		start = end
	}
	return out
}

// Subscriptions lists the simulated subscriptions of the Gigs project.
func (s *Server) Subscriptions() []Subscription {
	now := s.now()
	out := make([]Subscription, len(s.subs))
	for i, sub := range s.subs {
		out[i] = Subscription{ID: sub.id, Project: s.creds.GigsProject, Periods: sub.periods(now),
			Preview: sub.preview, LegacyPreviewNames: sub.legacyNames}
	}
	return out
}

// subscription finds a subscription by project and id, as the API does.
func (s *Server) subscription(project, id string) (*subRecord, *GigsError) {
	if project != s.creds.GigsProject {
		return nil, gigsError(404, "notFound", "Project "+quote(project)+" not found.")
	}
	for _, sub := range s.subs {
		if sub.id == id {
			return sub, nil
		}
	}
	return nil, gigsError(404, "notFound", "Subscription "+quote(id)+" not found.")
}
