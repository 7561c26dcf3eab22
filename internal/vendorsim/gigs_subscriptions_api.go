package vendorsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Gigs wire types of the subscription resource: the JSON field names are the
// vendor's. Every documented key is sent; nullable ones as null.

// GigsSubscription is the subscription object.
type GigsSubscription struct {
	Object              string                   `json:"object"`
	ID                  string                   `json:"id"`
	Metadata            map[string]string        `json:"metadata"`
	ActivatedAt         *string                  `json:"activatedAt"`
	Billing             json.RawMessage          `json:"billing"` // always null: the simulated project has no Billing
	CanceledAt          *string                  `json:"canceledAt"`
	CancellationDetails *GigsCancellationDetails `json:"cancellationDetails"`
	CreatedAt           string                   `json:"createdAt"`
	CurrentPeriod       *GigsPeriod              `json:"currentPeriod"` // only on active subscriptions
	EarliestEndAt       *string                  `json:"earliestEndAt"`
	EndedAt             *string                  `json:"endedAt"` // future when canceled, past when ended
	FirstUsageAt        *string                  `json:"firstUsageAt"`
	LastPorting         json.RawMessage          `json:"lastPorting"` // always null
	Porting             json.RawMessage          `json:"porting"`     // always null
	PhoneNumber         *string                  `json:"phoneNumber"`
	Plan                GigsPlan                 `json:"plan"`
	Sim                 *GigsSim                 `json:"sim"`
	Status              string                   `json:"status"`
	User                GigsUser                 `json:"user"`
}

// GigsPeriod is a subscription period; End is where the next one starts.
type GigsPeriod struct {
	Number int    `json:"number"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

// GigsCancellationDetails say why a subscription was canceled.
type GigsCancellationDetails struct {
	Cause       *string `json:"cause"`
	UserReason  *string `json:"userReason"`
	UserComment *string `json:"userComment"`
}

// GigsPlan is the plan object, embedded in every subscription.
type GigsPlan struct {
	Object            string            `json:"object"`
	ID                string            `json:"id"`
	Metadata          map[string]string `json:"metadata"`
	ActivationTrigger string            `json:"activationTrigger"`
	Allowances        GigsAllowances    `json:"allowances"`
	Coverage          GigsCoverage      `json:"coverage"`
	CreatedAt         string            `json:"createdAt"`
	Description       *string           `json:"description"`
	Image             *string           `json:"image"`
	Limits            GigsPlanLimits    `json:"limits"`
	Name              string            `json:"name"`
	Price             GigsPrice         `json:"price"`
	Provider          string            `json:"provider"`
	SimTypes          []string          `json:"simTypes"`
	Status            string            `json:"status"`
}

// GigsAllowances are a plan's allowances per period; null means unlimited.
type GigsAllowances struct {
	DataBytes    *int64 `json:"dataBytes"`
	VoiceSeconds *int64 `json:"voiceSeconds"`
	SmsMessages  *int64 `json:"smsMessages"`
}

// GigsPlanLimits are a plan's fair-use limits (a throttling threshold), not
// its allowances.
type GigsPlanLimits struct {
	DataBytes *int64 `json:"dataBytes"`
}

// GigsCoverage is where a plan works.
type GigsCoverage struct {
	Object    string   `json:"object"`
	ID        string   `json:"id"`
	Countries []string `json:"countries"`
	Name      string   `json:"name"`
}

// GigsPrice is an amount in the currency's minor unit.
type GigsPrice struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// GigsSim is the SIM object embedded in a subscription.
type GigsSim struct {
	Object    string            `json:"object"`
	ID        string            `json:"id"`
	Metadata  map[string]string `json:"metadata"`
	CreatedAt string            `json:"createdAt"`
	ICCID     string            `json:"iccid"`
	Provider  string            `json:"provider"`
	Status    string            `json:"status"` // inactive, active or retired
	Type      string            `json:"type"`   // eSIM or pSIM
}

// GigsUser is the user object embedded in a subscription.
type GigsUser struct {
	Object          string            `json:"object"`
	ID              string            `json:"id"`
	Metadata        map[string]string `json:"metadata"`
	Birthday        *string           `json:"birthday"`
	CreatedAt       string            `json:"createdAt"`
	Email           string            `json:"email"`
	EmailVerified   bool              `json:"emailVerified"`
	FullName        *string           `json:"fullName"`
	PreferredLocale string            `json:"preferredLocale"`
	Status          string            `json:"status"`
}

// GigsSubscriptionList is the body of GET /projects/{project}/subscriptions.
type GigsSubscriptionList = GigsList[GigsSubscription]

// Limits of the list endpoints' limit parameter.
const (
	gigsDefaultLimit = 10
	gigsMaxLimit     = 200
)

// gigsSubscriptionQuery is a validated list query.
type gigsSubscriptionQuery struct {
	statuses            []string
	plan, user, sim     string
	after, before       string
	limit               int
	hasAfter, hasBefore bool
}

const gigsListHint = "Allowed parameters: status, plan, user, sim, after, before, limit."

// parseGigsSubscriptionQuery validates the list's filters and paging.
func parseGigsSubscriptionQuery(v url.Values) (gigsSubscriptionQuery, *GigsError) {
	q := gigsSubscriptionQuery{statuses: []string{subPending, subActive}, limit: gigsDefaultLimit}
	if e := checkGigsParams(v, []string{"status", "plan", "user", "sim", "after", "before", "limit"}, gigsListHint); e != nil {
		return q, e
	}
	if st := v.Get("status"); st != "" {
		q.statuses = strings.Split(st, ",")
		for _, x := range q.statuses {
			if !contains(gigsSubscriptionStatuses, x) {
				return q, gigsInvalid("invalidStatus", "Unknown subscription status "+quote(x)+".",
					"Pass one or more of pending, initiated, active and ended, separated by commas.")
			}
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 || n > gigsMaxLimit {
			return q, gigsInvalid("invalidLimit", "The limit must be an integer from 0 to 200.", "Pass a limit such as 200, or leave it out for 10.")
		}
		q.limit = n
	}
	q.plan, q.user, q.sim = v.Get("plan"), v.Get("user"), v.Get("sim")
	q.after, q.before = v.Get("after"), v.Get("before")
	q.hasAfter, q.hasBefore = q.after != "", q.before != ""
	if q.hasAfter && q.hasBefore {
		return q, gigsInvalid("incompatibleParameters", "The after and before parameters cannot be combined.", "Pass either after or before.")
	}
	return q, nil
}

// listed is one subscription as the list orders it.
type listed struct {
	sub     *subRecord
	created time.Time
}

// newestFirst orders by creation time, newest first, then by id.
func newestFirst(a, b listed) bool {
	if !a.created.Equal(b.created) {
		return a.created.After(b.created)
	}
	return a.sub.id < b.sub.id
}

// newestFirst lists every subscription newest first as of now. Creation
// times move only with the hour, so the order is sorted once per hour and a
// walk over all pages costs linear time, not a sort per page.
func (subs *subscriptions) newestFirst(now time.Time) []listed {
	hour := now.UTC().Truncate(time.Hour)
	subs.order.mu.Lock()
	defer subs.order.mu.Unlock()
	if subs.order.list != nil && subs.order.hour.Equal(hour) {
		return subs.order.list
	}
	list := make([]listed, len(subs.list))
	for i, sub := range subs.list {
		list[i] = listed{sub, sub.createdAt(now)}
	}
	sort.Slice(list, func(i, j int) bool { return newestFirst(list[i], list[j]) })
	subs.order.hour, subs.order.list = hour, list
	return list
}

// serveGigsSubscriptions is GET /projects/{project}/subscriptions: filters,
// then cursor paging, newest first, each item with its plan embedded.
func (s *Server) serveGigsSubscriptions(w http.ResponseWriter, r *http.Request, project string) {
	if project != s.creds.GigsProject {
		writeGigsError(w, gigsError(http.StatusNotFound, "notFound", "Project "+quote(project)+" not found."))
		return
	}
	v, e := gigsQuery(r)
	if e != nil {
		writeGigsError(w, e)
		return
	}
	q, e := parseGigsSubscriptionQuery(v)
	if e != nil {
		writeGigsError(w, e)
		return
	}
	now := s.now()
	var cursor listed
	if q.hasAfter || q.hasBefore {
		id := q.after + q.before
		sub := s.subs.byID[id]
		if sub == nil {
			writeGigsError(w, gigsInvalid("invalidCursor", "No subscription "+quote(id)+" to page from.",
				"Pass moreItemsAfter or moreItemsBefore of the previous page unchanged."))
			return
		}
		cursor = listed{sub, sub.createdAt(now)}
	}
	var all []listed
	for _, it := range s.subs.newestFirst(now) {
		if it.sub.matches(q) {
			all = append(all, it)
		}
	}

	lo, hi := 0, min(q.limit, len(all))
	switch {
	case q.hasAfter:
		lo = sort.Search(len(all), func(i int) bool { return newestFirst(cursor, all[i]) })
		hi = min(lo+q.limit, len(all))
	case q.hasBefore:
		hi = sort.Search(len(all), func(i int) bool { return !newestFirst(all[i], cursor) })
		lo = max(hi-q.limit, 0)
	}
	h := s.fleetHostile()
	if h.GigsCursorLoop {
		lo, hi = 0, min(max(q.limit, 1), len(all)) // the first page, whatever the cursor
	}
	list := GigsSubscriptionList{Object: "list", Items: make([]GigsSubscription, 0, hi-lo)}
	for _, it := range all[lo:hi] {
		list.Items = append(list.Items, s.gigsSubscription(it.sub, now))
	}
	if hi > lo {
		if hi < len(all) || h.GigsCursorLoop {
			id := all[hi-1].sub.id
			list.MoreItemsAfter = &id
		}
		if lo > 0 {
			id := all[lo].sub.id
			list.MoreItemsBefore = &id
		}
	}
	writeJSON(w, http.StatusOK, list)
}

// matches applies the list's filters.
func (sub *subRecord) matches(q gigsSubscriptionQuery) bool {
	return contains(q.statuses, sub.status) && (q.plan == "" || sub.plan.ID == q.plan) &&
		(q.user == "" || sub.userID == q.user) && (q.sim == "" || sub.simID == q.sim)
}

// serveGigsSubscription is GET /projects/{project}/subscriptions/{subscription}.
func (s *Server) serveGigsSubscription(w http.ResponseWriter, r *http.Request, project, id string) {
	sub, v, ok := s.gigsSubscriptionRequest(w, r, project, id)
	if !ok {
		return
	}
	if e := checkGigsParams(v, nil, "This endpoint takes no query parameters."); e != nil {
		writeGigsError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.gigsSubscription(sub, s.now()))
}

// gigsSubscription renders the subscription object as of now.
func (s *Server) gigsSubscription(sub *subRecord, now time.Time) GigsSubscription {
	ts := func(t time.Time) *string {
		x := sub.timestamp(t)
		return &x
	}
	created := sub.createdAt(now)
	name := "Sim User " + strconv.Itoa(sub.index+1)
	phone := sub.phone
	out := GigsSubscription{
		Object: "subscription", ID: sub.id, Metadata: map[string]string{}, Billing: nil,
		CreatedAt: sub.timestamp(created), PhoneNumber: &phone, Plan: gigsPlanObject(sub.plan), Status: sub.status,
		User: GigsUser{Object: "user", ID: sub.userID, Metadata: map[string]string{},
			CreatedAt: sub.timestamp(created.Add(-2 * time.Hour)), Email: sub.userEmail(), EmailVerified: true,
			FullName: &name, PreferredLocale: sub.locale, Status: "active"},
		Sim: &GigsSim{Object: "sim", ID: sub.simID, Metadata: map[string]string{},
			CreatedAt: sub.timestamp(created.Add(-24 * time.Hour)), ICCID: sub.iccid, Provider: sub.plan.provider,
			Status: "inactive", Type: sub.simType},
	}
	periods := sub.periods(now)
	if len(periods) == 0 {
		return out
	}
	out.ActivatedAt = ts(periods[0].Start)
	out.FirstUsageAt = ts(periods[0].Start.Add(sub.firstUseAfter))
	last := periods[len(periods)-1]
	switch sub.status {
	case subActive:
		out.Sim.Status = "active"
		out.CurrentPeriod = &GigsPeriod{Number: last.Number, Start: sub.timestamp(last.Start), End: sub.timestamp(last.End)}
		if sub.canceled {
			out.CanceledAt = ts(earlier(last.Start.Add(26*time.Hour+sub.firstUseAfter), now.UTC().Truncate(time.Second)))
			out.EndedAt = ts(last.End)
			out.CancellationDetails = sub.cancellation()
		}
	case subEnded:
		out.Sim.Status = "retired"
		out.CanceledAt = ts(last.End.Add(-72*time.Hour - sub.firstUseAfter))
		out.EndedAt = ts(last.End)
		out.CancellationDetails = sub.cancellation()
	}
	return out
}

func (sub *subRecord) cancellation() *GigsCancellationDetails {
	cause, reason := "cancellationRequested", sub.cancelReason
	return &GigsCancellationDetails{Cause: &cause, UserReason: &reason}
}
