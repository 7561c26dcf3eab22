package vendorsim

import (
	"fmt"
	"sync"
	"time"
)

// Period is one monthly subscription period: [Start, End).
type Period struct {
	Number     int
	Start, End time.Time
}

// Subscription is one simulated Gigs subscription. Preview subscriptions carry
// the six preview counters; LegacyPreviewNames ones spell two of them the
// older way (dataTethering, smsInternational). Status is the vendor's
// (pending, initiated, active or ended); Periods are those begun so far, none
// for pending and initiated subscriptions, and an active subscription's last
// period is its currentPeriod.
type Subscription struct {
	ID, Project        string
	Status, PlanID     string
	Periods            []Period
	Preview            bool
	LegacyPreviewNames bool
}

// Subscription statuses, as Gigs documents them.
const (
	subPending   = "pending"
	subInitiated = "initiated"
	subActive    = "active"
	subEnded     = "ended"
)

var gigsSubscriptionStatuses = []string{subPending, subInitiated, subActive, subEnded}

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

// subPlans are the classic six subscriptions, all active.
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

// classicPlans are the plans of the classic six: over and under their data
// allowance, unlimited, and over a voice or SMS allowance.
var classicPlans = []int{gigsPlanConnect10, gigsPlanConnect10, gigsPlanUnlimited, gigsPlanTravel5,
	gigsPlanData20, gigsPlanConnect10}

// subRecord is everything the simulator knows about one subscription.
type subRecord struct {
	subPlan
	id         string
	key        uint64 // hash key of this subscription's usage
	anchorDay  int    // day of month periods start on (1..28, so months never overflow)
	fractional bool   // timestamps carry ".0" fractional seconds

	index    int
	status   string
	endAfter int  // ended: how many periods it ran (at most those complete by now)
	canceled bool // active: canceled, it ends with the current period
	plan     *gigsPlan

	userID, simID, iccid, phone, locale, simType, cancelReason string
	createdLead                                                time.Duration // created this long before activation
	firstUseAfter                                              time.Duration // first usage this long after activation
	pendingDaysAgo                                             int           // pending and initiated: created this many days before now
}

// subscriptions are the project's subscriptions in creation order, with an
// index by id.
type subscriptions struct {
	list []*subRecord
	byID map[string]*subRecord

	order struct { // the list order, cached for the hour it holds in
		mu   sync.Mutex
		hour time.Time
		list []listed
	}
}

// newSubscriptions builds n subscriptions: the classic six (or their first
// n), then extra ones in every status.
func newSubscriptions(seed int64, plans []*gigsPlan, n int) *subscriptions {
	subs := &subscriptions{list: make([]*subRecord, 0, n), byID: make(map[string]*subRecord, n)}
	for i := 0; i < n; i++ {
		ids := newIDStream(seed, purposeSubscription, uint64(i))
		sub := &subRecord{
			id:         "sub_" + ids.base62(28),
			key:        hash3(uint64(seed), purposeGigsUsage, uint64(i)),
			anchorDay:  1 + ids.intn(28),
			fractional: i%2 == 1,
			index:      i,
			status:     subActive,
		}
		if i < len(subPlans) {
			sub.subPlan, sub.plan = subPlans[i], plans[classicPlans[i]]
		} else {
			sub.extra(ids, plans)
		}
		sub.identity(ids)
		for subs.byID[sub.id] != nil {
			sub.id = "sub_" + ids.base62(28)
		}
		subs.list = append(subs.list, sub)
		subs.byID[sub.id] = sub
	}
	return subs
}

// extraStatusesGigs are the statuses of the first extra subscriptions; the
// last is active but canceled.
var extraStatusesGigs = [...]string{subPending, subEnded, subInitiated, subActive}

var (
	homes      = [...]string{"US", "GB", "DE", "FR"}
	travelFrom = map[string][]string{"US": {"MX", "CA"}, "GB": {"FR", "DE", "ES"}, "DE": {"AT", "FR", "IT"}, "FR": {"IT", "ES"}}
)

// extra shapes subscription index >= 6: its status, plan and usage.
func (sub *subRecord) extra(ids *idStream, plans []*gigsPlan) {
	j := sub.index - len(subPlans)
	if j < len(extraStatusesGigs) {
		sub.status = extraStatusesGigs[j]
		sub.canceled = j == len(extraStatusesGigs)-1
	} else {
		switch p := ids.intn(100); {
		case p < 75:
			sub.status = subActive
		case p < 80:
			sub.status, sub.canceled = subActive, true
		case p < 88:
			sub.status = subPending
		case p < 98:
			sub.status = subEnded
		default:
			sub.status = subInitiated
		}
	}
	sub.plan = plans[ids.intn(len(plans))]
	sub.home = homes[ids.intn(len(homes))]
	sub.monthsAgo = ids.intn(24)
	if sub.status == subEnded {
		sub.monthsAgo = 2 + ids.intn(20)
		sub.endAfter = 1 + ids.intn(sub.monthsAgo-1)
	}
	sub.preview = ids.intn(3) == 0
	sub.legacyNames = sub.preview && ids.intn(4) == 0
	if ids.intn(2) == 0 {
		sub.travel, sub.tripP = travelFrom[sub.home], ids.between(0.05, 0.3)
	}
	if ids.intn(4) == 0 {
		sub.domesticP = ids.between(0.02, 0.2)
	}
	sub.dataPerDay = ids.between(20e6, 500e6)
	sub.smsPerDay = ids.between(0, 10)
	sub.voicePerDay = ids.between(0, 1200)
}

// identity draws the user, SIM and number a subscription comes with.
func (sub *subRecord) identity(ids *idStream) {
	sub.userID = "usr_" + ids.base62(28)
	sub.simID = "sim_" + ids.base62(28)
	body := "8944" + ids.digits(15)
	sub.iccid = body + string(luhnDigit(body))
	switch sub.home {
	case "GB":
		sub.phone, sub.locale = "+447700900"+ids.digits(3), "en-GB"
	case "DE":
		sub.phone, sub.locale = "+49155"+ids.digits(8), "de-DE"
	case "FR":
		sub.phone, sub.locale = "+336"+ids.digits(8), "fr-FR"
	default:
		sub.phone, sub.locale = "+1555"+ids.digits(7), "en-US"
	}
	sub.simType = []string{"eSIM", "pSIM"}[ids.intn(2)]
	sub.cancelReason = []string{"unused", "tooExpensive", "connectivityIssues", "noDetails"}[ids.intn(4)]
	sub.createdLead = time.Duration(10+ids.intn(60*48)) * time.Minute
	sub.firstUseAfter = time.Duration(5+ids.intn(180)) * time.Minute
	sub.pendingDaysAgo = 1 + ids.intn(20)
}

// activated says whether the subscription has ever been active.
func (sub *subRecord) activated() bool { return sub.status == subActive || sub.status == subEnded }

// firstStart is when period 1 began (or would have begun).
func (sub *subRecord) firstStart(now time.Time) time.Time {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month()-time.Month(sub.monthsAgo), sub.anchorDay, 0, 0, 0, 0, time.UTC)
	if first.After(now) {
		first = first.AddDate(0, -1, 0)
	}
	return first
}

// periods are the subscription's monthly periods up to the one holding now;
// an ended subscription's stop at its end, and one never activated has none.
func (sub *subRecord) periods(now time.Time) []Period {
	if !sub.activated() {
		return nil
	}
	now = now.UTC()
	first := sub.firstStart(now)
	var out []Period
	for n, start := 1, first; !start.After(now); n++ {
		end := first.AddDate(0, n, 0)
		out = append(out, Period{Number: n, Start: start, End: end})
		start = end
	}
	if sub.status == subEnded {
		complete := len(out) - 1 // the last period holds now
		out = out[:max(1, min(sub.endAfter, complete))]
	}
	return out
}

// endedAt is when an ended subscription ended; zero otherwise.
func (sub *subRecord) endedAt(periods []Period) time.Time {
	if sub.status != subEnded || len(periods) == 0 {
		return time.Time{}
	}
	return periods[len(periods)-1].End
}

// createdAt is when the subscription was created: before its activation, or
// some days ago for one not yet active.
func (sub *subRecord) createdAt(now time.Time) time.Time {
	if !sub.activated() {
		return now.UTC().Truncate(time.Hour).Add(-time.Duration(sub.pendingDaysAgo)*24*time.Hour - sub.createdLead)
	}
	return sub.firstStart(now).Add(-sub.createdLead)
}

// Subscriptions lists the simulated subscriptions of the Gigs project, in
// creation order (GET /projects/{project}/subscriptions lists newest first).
func (s *Server) Subscriptions() []Subscription {
	now := s.now()
	out := make([]Subscription, len(s.subs.list))
	for i, sub := range s.subs.list {
		out[i] = Subscription{ID: sub.id, Project: s.creds.GigsProject, Status: sub.status, PlanID: sub.plan.ID,
			Periods: sub.periods(now), Preview: sub.preview, LegacyPreviewNames: sub.legacyNames}
	}
	return out
}

// subscription finds a subscription by project and id, as the API does.
func (s *Server) subscription(project, id string) (*subRecord, *GigsError) {
	if project != s.creds.GigsProject {
		return nil, gigsError(404, "notFound", "Project "+quote(project)+" not found.")
	}
	if sub := s.subs.byID[id]; sub != nil {
		return sub, nil
	}
	return nil, gigsError(404, "notFound", "Subscription "+quote(id)+" not found.")
}

// userEmail is the subscription's user's address.
func (sub *subRecord) userEmail() string { return fmt.Sprintf("user-%d@example.com", sub.index+1) }
