package kore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// RatePlan is the part of a KORE rate plan the provider needs: its names and
// its monthly data limits in megabytes, each nil when the plan sets none.
type RatePlan struct {
	Sid, UniqueName, FriendlyName string
	// DataLimitMB caps the home network (data_limit).
	DataLimitMB *int64
	// NationalRoamingDataLimitMB caps non-home US networks
	// (national_roaming_data_limit).
	NationalRoamingDataLimitMB *int64
	// InternationalRoamingDataLimitMB caps networks outside the US
	// (international_roaming_data_limit).
	InternationalRoamingDataLimitMB *int64
}

// Bounds of the rate plan reads.
const (
	// maxRatePlans bounds a rate plan list: far more plans than an account
	// holds, so only a broken or hostile server reaches it.
	maxRatePlans = 100_000
	// maxDataLimitMB is the largest limit a plan can have: KORE documents
	// "up to 2TB", read here in the larger, binary sense (2 TiB in MB) so
	// that no true plan fails. It also keeps limit x 1,000,000 bytes far
	// inside an int64.
	maxDataLimitMB = 2 << 20
)

// wireRatePlan is the RatePlan resource as KORE sends it; members the
// provider does not read are ignored.
type wireRatePlan struct {
	Sid                           string `json:"sid"`
	UniqueName                    string `json:"unique_name"`
	FriendlyName                  string `json:"friendly_name"`
	DataLimit                     *int64 `json:"data_limit"`
	NationalRoamingDataLimit      *int64 `json:"national_roaming_data_limit"`
	InternationalRoamingDataLimit *int64 `json:"international_roaming_data_limit"`
}

// ratePlan converts w and fails on what cannot be true: a plan without a
// usable sid, a name past MaxNameLen, a limit below zero or above what KORE
// allows.
func (w wireRatePlan) ratePlan() (RatePlan, error) {
	if w.Sid == "" {
		return RatePlan{}, fmt.Errorf("%w: a rate plan has no sid", httpx.ErrVendorData)
	}
	if len(w.Sid) > MaxSidLen {
		return RatePlan{}, fmt.Errorf("%w: a rate plan has a sid of %d bytes, past the bound of %d", httpx.ErrVendorData, len(w.Sid), MaxSidLen)
	}
	if !httpx.UsableSegment(w.Sid) {
		return RatePlan{}, fmt.Errorf("%w: a rate plan has sid %q, which cannot go into a URL", httpx.ErrVendorData, w.Sid)
	}
	for _, f := range []struct{ name, value string }{{"unique_name", w.UniqueName}, {"friendly_name", w.FriendlyName}} {
		if len(f.value) > MaxNameLen {
			return RatePlan{}, fmt.Errorf("%w: rate plan %s has a %s of %d bytes, past the bound of %d",
				httpx.ErrVendorData, httpx.Clip(w.Sid), f.name, len(f.value), MaxNameLen)
		}
	}
	limits := []struct {
		name string
		mb   *int64
	}{
		{"data_limit", w.DataLimit},
		{"national_roaming_data_limit", w.NationalRoamingDataLimit},
		{"international_roaming_data_limit", w.InternationalRoamingDataLimit},
	}
	for _, l := range limits {
		if l.mb == nil {
			continue
		}
		if *l.mb < 0 || *l.mb > maxDataLimitMB {
			return RatePlan{}, fmt.Errorf("%w: rate plan %q has a %s of %d MB, outside 0 to %d",
				httpx.ErrVendorData, httpx.Clip(w.Sid), l.name, *l.mb, maxDataLimitMB)
		}
	}
	return RatePlan{Sid: w.Sid, UniqueName: w.UniqueName, FriendlyName: w.FriendlyName,
		DataLimitMB: w.DataLimit, NationalRoamingDataLimitMB: w.NationalRoamingDataLimit,
		InternationalRoamingDataLimitMB: w.InternationalRoamingDataLimit}, nil
}

// RatePlans lists the account's rate plans in KORE's order:
// GET /v1/RatePlans?PageSize=1000, following next_page_url (within the
// endpoint's origin, never a page twice). The list is asked once per
// Client, however many callers want it.
func (c *Client) RatePlans(ctx context.Context) ([]RatePlan, error) {
	first := c.api.URL(url.Values{"PageSize": {strconv.Itoa(PageSize)}}, "v1", "RatePlans")
	plans, err := c.ratePlanLists.Do(ctx, first.String(), func(ctx context.Context) ([]RatePlan, error) {
		all := []RatePlan{}
		index := map[string]int{} // sid -> position in all
		budget := httpx.NewBudget(maxRatePlans, PageSize, "a list of the account's rate plans")
		err := c.api.Walk(ctx, first, budget, func(_ *url.URL, r httpx.Response) (int, string, error) {
			var page struct {
				RatePlans *[]wireRatePlan `json:"rate_plans"`
				Meta      struct {
					NextPageURL *string `json:"next_page_url"`
				} `json:"meta"`
			}
			if err := httpx.Unmarshal(r.Body, &page); err != nil {
				return 0, "", fmt.Errorf("decoding the rate plan list: %w", err)
			}
			if page.RatePlans == nil {
				return 0, "", errors.New("the response has no rate_plans list")
			}
			if len(*page.RatePlans) > PageSize {
				return 0, "", fmt.Errorf("the page holds more than the PageSize of %d rate plans", PageSize)
			}
			for _, w := range *page.RatePlans {
				p, err := w.ratePlan()
				if err != nil {
					return 0, "", err
				}
				if i, ok := index[p.Sid]; ok {
					// A plan created while the list is walked can shift
					// offset paging and show one plan twice; the same plan
					// twice is harmless, two different ones under one sid
					// cannot be true.
					if !sameRatePlan(all[i], p) {
						return 0, "", fmt.Errorf("%w: rate plan %q is listed twice, with different contents", httpx.ErrVendorData, httpx.Clip(p.Sid))
					}
					continue
				}
				index[p.Sid] = len(all)
				all = append(all, p)
			}
			next := ""
			if page.Meta.NextPageURL != nil {
				next = *page.Meta.NextPageURL
			}
			return len(*page.RatePlans), next, nil
		})
		return all, err
	})
	if err != nil {
		return nil, c.tokens.stalled(ctx, err)
	}
	out := make([]RatePlan, len(plans))
	for i, p := range plans {
		out[i] = cloneRatePlan(p)
	}
	return out, nil
}

// RatePlan fetches one rate plan by SID or unique name:
// GET /v1/RatePlans/{Sid}. Each distinct plan is asked once per Client,
// however many callers want it, at the same time or not; an unknown plan is
// an *APIError with Status 404.
func (c *Client) RatePlan(ctx context.Context, sidOrName string) (RatePlan, error) {
	if !httpx.UsableSegment(sidOrName) {
		// "." and ".." would be path steps, not a name, to anything that cleans URLs.
		return RatePlan{}, fmt.Errorf("KORE rate plan lookup: %q is not a usable SID or unique name", sidOrName)
	}
	u := c.api.URL(nil, "v1", "RatePlans", sidOrName)
	p, err := c.ratePlans.Do(ctx, u.String(), func(ctx context.Context) (RatePlan, error) {
		resp, err := c.api.Get(ctx, u)
		if err != nil {
			return RatePlan{}, err
		}
		var w wireRatePlan
		if err := httpx.Unmarshal(resp.Body, &w); err != nil {
			return RatePlan{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the rate plan: %w", err))
		}
		p, err := w.ratePlan()
		if err != nil {
			return RatePlan{}, c.api.ResponseError(u, resp, err)
		}
		// Sids are hex, so any case; unique names exactly.
		if !strings.EqualFold(p.Sid, sidOrName) && p.UniqueName != sidOrName {
			return RatePlan{}, c.api.ResponseError(u, resp, fmt.Errorf("%w: asked for rate plan %q, the answer is rate plan %q (%q)",
				httpx.ErrVendorData, httpx.Clip(sidOrName), httpx.Clip(p.Sid), httpx.Clip(p.UniqueName)))
		}
		return p, nil
	})
	if err != nil {
		return RatePlan{}, c.tokens.stalled(ctx, err)
	}
	return cloneRatePlan(p), nil
}

// cloneRatePlan copies p deeply: the kept answer is shared.
func cloneRatePlan(p RatePlan) RatePlan {
	p.DataLimitMB = cloneLimit(p.DataLimitMB)
	p.NationalRoamingDataLimitMB = cloneLimit(p.NationalRoamingDataLimitMB)
	p.InternationalRoamingDataLimitMB = cloneLimit(p.InternationalRoamingDataLimitMB)
	return p
}

func cloneLimit(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func sameRatePlan(a, b RatePlan) bool {
	same := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Sid == b.Sid && a.UniqueName == b.UniqueName && a.FriendlyName == b.FriendlyName &&
		same(a.DataLimitMB, b.DataLimitMB) && same(a.NationalRoamingDataLimitMB, b.NationalRoamingDataLimitMB) &&
		same(a.InternationalRoamingDataLimitMB, b.InternationalRoamingDataLimitMB)
}
