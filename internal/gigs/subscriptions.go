package gigs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// Subscription is the part of a Gigs subscription the provider needs.
type Subscription struct {
	ID     string
	Status string // pending, initiated, active or ended, as Gigs sends it
	// Plan is the plan embedded in the subscription, with its allowances.
	Plan Plan
	// CurrentPeriod is the period in progress; Gigs sends it only for
	// active subscriptions, and it is nil otherwise.
	CurrentPeriod *Period
}

// Plan is the part of a Gigs plan the provider needs.
type Plan struct {
	ID, Name   string
	Allowances Allowances
}

// Allowances are what a plan grants per subscription period; nil is
// unlimited. Top-up add-ons are not included.
type Allowances struct {
	DataBytes    *int64 // bytes
	VoiceSeconds *int64 // seconds
	SMSMessages  *int64 // messages
}

// Period is one subscription period, numbered from 1; End is where the next
// one starts.
type Period struct {
	Number     int
	Start, End time.Time
}

// SubscriptionFilter selects the subscriptions ListSubscriptions returns.
// Empty fields are not sent, so Gigs applies its default (pending and active
// subscriptions, of every plan).
type SubscriptionFilter struct {
	Status []string // Gigs subscription statuses, sent comma-separated
	Plan   string   // a plan id
}

// Paging of the subscription list.
const (
	// subscriptionPageLimit is the limit every list request sends: Gigs'
	// maximum.
	subscriptionPageLimit = 200
	// maxSubscriptions bounds one list: far more subscriptions than a
	// project holds, so only a broken or hostile server reaches it (5,000
	// full pages and one more).
	maxSubscriptions = 1_000_000
)

// ListSubscriptions lists the project's subscriptions that match f, in the
// vendor's order (newest first), each with its plan embedded:
// GET /projects/{project}/subscriptions?limit=200 with status and plan only
// when set, following moreItemsAfter with after=<cursor>, never a cursor
// twice, never off the endpoint's origin. Identical calls on one Client
// share one request sequence, and a success is kept for the Client's life.
func (c *Client) ListSubscriptions(ctx context.Context, project string, f SubscriptionFilter) ([]Subscription, error) {
	if err := validID("project", project); err != nil {
		return nil, failed(err)
	}
	params, err := f.values()
	if err != nil {
		return nil, failed(err)
	}
	first := c.api.URL(params, "projects", project, "subscriptions")
	subs, err := c.subscriptionLists.Do(ctx, first.String(), func(ctx context.Context) ([]Subscription, error) {
		return c.listSubscriptions(ctx, first, f)
	})
	if err != nil {
		return nil, failed(fmt.Errorf("gigs subscriptions of project %s: %w", project, err))
	}
	return cloneSubscriptions(subs), nil
}

// values is the list query of f: limit always, status and plan only when
// set (Gigs refuses empty parameters). Statuses are sorted and deduplicated
// so that the same set is the same question.
func (f SubscriptionFilter) values() (url.Values, error) {
	v := url.Values{"limit": {strconv.Itoa(subscriptionPageLimit)}}
	if len(f.Status) > 0 {
		statuses := slices.Clone(f.Status)
		for _, s := range statuses {
			if s == "" || strings.Contains(s, ",") {
				return nil, fmt.Errorf("gigs subscription status %q is not a status", s)
			}
		}
		slices.Sort(statuses)
		v.Set("status", strings.Join(slices.Compact(statuses), ","))
	}
	if f.Plan != "" {
		v.Set("plan", f.Plan)
	}
	return v, nil
}

// listSubscriptions walks every page of one list and checks it: each
// subscription once, each one matching the filter the server was asked
// to apply.
func (c *Client) listSubscriptions(ctx context.Context, first *url.URL, f SubscriptionFilter) ([]Subscription, error) {
	budget := httpx.NewBudget(maxSubscriptions, subscriptionPageLimit,
		fmt.Sprintf("a subscription list of at most %d subscriptions at %d a page", maxSubscriptions, subscriptionPageLimit))
	httpx.Logger(ctx, c.log).Debug("listing subscriptions", "path", first.EscapedPath(), "query", first.RawQuery)
	all := make([]Subscription, 0)
	ids := map[string]bool{}
	seen := cursors{}
	err := c.api.Walk(ctx, first, budget, func(u *url.URL, r httpx.Response) (int, string, error) {
		page, cursor, err := decodeSubscriptionPage(r.Body, len(all))
		if err != nil {
			return 0, "", err
		}
		// A loop is named as such before the subscriptions it repeats.
		next, err := seen.next(u, cursor)
		if err != nil {
			return 0, "", err
		}
		for _, s := range page {
			if ids[s.ID] {
				return 0, "", fmt.Errorf("%w: subscription %q is listed twice", httpx.ErrVendorData, httpx.Clip(s.ID))
			}
			ids[s.ID] = true
			if err := f.admits(s); err != nil {
				return 0, "", err
			}
		}
		all = append(all, page...)
		return len(page), next, nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// admits reports a listed subscription the filter excludes: a server that
// ignored the filter would put other subscriptions into the fleet.
func (f SubscriptionFilter) admits(s Subscription) error {
	if len(f.Status) > 0 && !slices.Contains(f.Status, s.Status) {
		return fmt.Errorf("%w: subscription %q has status %q, which the status filter excludes",
			httpx.ErrVendorData, httpx.Clip(s.ID), httpx.Clip(s.Status))
	}
	if f.Plan != "" && s.Plan.ID != f.Plan {
		return fmt.Errorf("%w: subscription %q is on plan %q, which the plan filter excludes",
			httpx.ErrVendorData, httpx.Clip(s.ID), httpx.Clip(s.Plan.ID))
	}
	return nil
}

// decodeSubscriptionPage decodes one list page, at most the requested limit
// of subscriptions, one at a time, and returns the next cursor (nil on the
// last page). before is how many subscriptions earlier pages held, so
// errors can number them across the list.
func decodeSubscriptionPage(body []byte, before int) ([]Subscription, *string, error) {
	page, next, err := readList([]Subscription(nil), body, subscriptionPageLimit, func(dec *httpx.ListDecoder, i int) (Subscription, error) {
		var w wireSubscription
		if err := httpx.Decode(dec, &w); err != nil {
			return Subscription{}, fmt.Errorf("decoding subscription %d: %w", before+i, err)
		}
		s, err := w.subscription()
		if err != nil {
			return Subscription{}, fmt.Errorf("subscription %d of the list: %w", before+i, err)
		}
		return s, nil
	})
	if errors.Is(err, httpx.ErrTooManyItems) {
		return nil, nil, fmt.Errorf("the page holds more than the limit of %d subscriptions", subscriptionPageLimit)
	}
	return page, next, err
}

// Subscription retrieves one subscription with its plan embedded:
// GET /projects/{project}/subscriptions/{id}. Each subscription is asked
// once per Client, however many callers want it; an unknown one is the
// vendor's *APIError (404).
func (c *Client) Subscription(ctx context.Context, project, id string) (Subscription, error) {
	if err := validID("project", project); err != nil {
		return Subscription{}, failed(err)
	}
	if err := validID("subscription", id); err != nil {
		return Subscription{}, failed(err)
	}
	u := c.api.URL(nil, "projects", project, "subscriptions", id)
	s, err := c.subscriptions.Do(ctx, u.String(), func(ctx context.Context) (Subscription, error) {
		resp, err := c.api.Get(ctx, u)
		if err != nil {
			return Subscription{}, err
		}
		var w wireSubscription
		if err := httpx.Unmarshal(resp.Body, &w); err != nil {
			return Subscription{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the subscription: %w", err))
		}
		s, err := w.subscription()
		if err != nil {
			return Subscription{}, c.api.ResponseError(u, resp, err)
		}
		if s.ID != id {
			return Subscription{}, c.api.ResponseError(u, resp,
				fmt.Errorf("%w: asked for subscription %q, the answer is subscription %q", httpx.ErrVendorData, id, httpx.Clip(s.ID)))
		}
		return s, nil
	})
	if err != nil {
		return Subscription{}, failed(fmt.Errorf("gigs subscription %s/%s: %w", project, id, err))
	}
	return cloneSubscription(s), nil
}

// cloneSubscription copies s deeply: the kept answer is shared.
func cloneSubscription(s Subscription) Subscription {
	s.Plan.Allowances.DataBytes = clonePtr(s.Plan.Allowances.DataBytes)
	s.Plan.Allowances.VoiceSeconds = clonePtr(s.Plan.Allowances.VoiceSeconds)
	s.Plan.Allowances.SMSMessages = clonePtr(s.Plan.Allowances.SMSMessages)
	s.CurrentPeriod = clonePtr(s.CurrentPeriod)
	return s
}

func cloneSubscriptions(in []Subscription) []Subscription {
	out := make([]Subscription, len(in))
	for i, s := range in {
		out[i] = cloneSubscription(s)
	}
	return out
}
