package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// SimByUniqueName looks a SIM up by its unique name (KORE also accepts a SID
// in that place). The answer must be the SIM asked for: one whose sid (in any
// case: sids are hex) or unique name is uniqueName.
func (c *Client) SimByUniqueName(ctx context.Context, uniqueName string) (Sim, error) {
	if !httpx.UsableSegment(uniqueName) {
		// "." and ".." would be path steps, not a name, to anything that cleans URLs.
		return Sim{}, fmt.Errorf("KORE SIM lookup: %q is not a usable unique name", uniqueName)
	}
	u := c.api.URL(nil, "v1", "Sims", uniqueName)
	s, err := c.simAnswers.Do(ctx, u.String(), func(ctx context.Context) (Sim, error) {
		resp, err := c.api.Get(ctx, u)
		if err != nil {
			return Sim{}, err
		}
		var s Sim
		if err := httpx.Unmarshal(resp.Body, &s); err != nil {
			return Sim{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the SIM: %w", err))
		}
		if s.Sid == "" {
			return Sim{}, c.api.ResponseError(u, resp, errors.New("the SIM has no sid"))
		}
		if err := checkSim(s); err != nil {
			return Sim{}, c.api.ResponseError(u, resp, err)
		}
		if !strings.EqualFold(s.Sid, uniqueName) && s.UniqueName != uniqueName {
			return Sim{}, c.api.ResponseError(u, resp, fmt.Errorf("%w: asked for SIM %q, the answer is SIM %s (unique_name %q)",
				errVendorData, httpx.Clip(uniqueName), httpx.Clip(s.Sid), httpx.Clip(s.UniqueName)))
		}
		return s, nil
	})
	return s, c.tokens.stalled(ctx, err)
}

// SimByICCID looks a SIM up by ICCID. No match is an *APIError with Status
// 404. The answer must carry that ICCID: of a list, the one SIM that does.
func (c *Client) SimByICCID(ctx context.Context, iccid string) (Sim, error) {
	if iccid == "" {
		return Sim{}, errors.New("KORE SIM lookup: the ICCID is empty")
	}
	u := c.api.URL(url.Values{"Iccid": {iccid}}, "v1", "Sims")
	s, err := c.simAnswers.Do(ctx, u.String(), func(ctx context.Context) (Sim, error) {
		resp, err := c.api.Get(ctx, u)
		if err != nil {
			return Sim{}, err
		}
		var list struct {
			Sims *[]Sim `json:"sims"`
		}
		if err := httpx.Unmarshal(resp.Body, &list); err != nil {
			return Sim{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the SIM list: %w", err))
		}
		if list.Sims == nil {
			return Sim{}, c.api.ResponseError(u, resp, errors.New("the response has no sims list"))
		}
		if len(*list.Sims) == 0 {
			return Sim{}, &APIError{Status: http.StatusNotFound, Method: http.MethodGet, Path: u.EscapedPath(),
				Message: fmt.Sprintf("no SIM with ICCID %q in this KORE account", httpx.Clip(iccid))}
		}
		s, err := simWithICCID(*list.Sims, iccid)
		if err != nil {
			return Sim{}, c.api.ResponseError(u, resp, err)
		}
		return s, nil
	})
	return s, c.tokens.stalled(ctx, err)
}

// simWithICCID picks the SIM of sims that carries iccid (in any case: an
// ICCID may end in a hex digit). None, or two different ones, cannot be the
// answer to the question.
func simWithICCID(sims []Sim, iccid string) (Sim, error) {
	var found *Sim
	for i := range sims {
		s := &sims[i]
		if s.Sid == "" {
			return Sim{}, errors.New("the SIM has no sid")
		}
		if err := checkSim(*s); err != nil {
			return Sim{}, err
		}
		if !strings.EqualFold(s.ICCID, iccid) {
			continue
		}
		if found != nil && found.Sid != s.Sid {
			return Sim{}, fmt.Errorf("%w: asked for the SIM with ICCID %q, the answer lists two: %s and %s",
				errVendorData, httpx.Clip(iccid), httpx.Clip(found.Sid), httpx.Clip(s.Sid))
		}
		found = s
	}
	if found == nil {
		return Sim{}, fmt.Errorf("%w: asked for the SIM with ICCID %q, the answer is SIM %s with ICCID %q",
			errVendorData, httpx.Clip(iccid), httpx.Clip(sims[0].Sid), httpx.Clip(sims[0].ICCID))
	}
	return *found, nil
}

// Bounds on the strings of a SIM or rate plan, in bytes: far above what
// KORE sends, so only a broken or hostile server reaches them, and low
// enough that a list of a million SIMs cannot hold gigabytes of names.
const (
	// MaxSidLen bounds sid, account_sid and rate_plan_sid: KORE's are 34
	// characters (two letters, 32 hex digits).
	MaxSidLen = 64
	// MaxNameLen bounds unique_name and friendly_name: KORE's OpenAPI sets
	// no maxLength, and 256 is far above the names people give SIMs and
	// plans (Gigs caps its ids at 64).
	MaxNameLen = 256
	// MaxICCIDLen bounds iccid: an ICCID has at most 22 digits.
	MaxICCIDLen = 32
	// MaxStatusLen bounds status: KORE's longest, "deactivated", has 11.
	MaxStatusLen = 32
)

// checkSim refuses a SIM with an id that cannot go into a URL or a string
// past its bound, naming the field; sid must not be empty (checked by the
// caller, whose message predates this check).
func checkSim(s Sim) error {
	fields := []struct {
		name, value string
		most        int
	}{
		{"sid", s.Sid, MaxSidLen},
		{"unique_name", s.UniqueName, MaxNameLen},
		{"iccid", s.ICCID, MaxICCIDLen},
		{"account_sid", s.AccountSid, MaxSidLen},
		{"status", s.Status, MaxStatusLen},
		{"rate_plan_sid", s.RatePlanSid, MaxSidLen},
	}
	for _, f := range fields {
		if len(f.value) > f.most {
			who := "a SIM"
			if f.name != "sid" {
				who = "SIM " + httpx.Clip(s.Sid)
			}
			return fmt.Errorf("%w: %s has a %s of %d bytes, past the bound of %d", errVendorData, who, f.name, len(f.value), f.most)
		}
	}
	if !httpx.UsableSegment(s.Sid) {
		return fmt.Errorf("%w: a SIM has sid %q, which cannot go into a URL", errVendorData, s.Sid)
	}
	// "" is a SIM without a rate plan.
	if s.RatePlanSid == "." || s.RatePlanSid == ".." {
		return fmt.Errorf("%w: SIM %s has rate_plan_sid %q, which cannot go into a URL", errVendorData, httpx.Clip(s.Sid), s.RatePlanSid)
	}
	return nil
}

// maxSims bounds a SIM list: far more SIMs than any account holds, so only a
// broken or hostile server reaches it.
const maxSims = 1_000_000

// ListSims lists the account's SIMs that match f, in KORE's order, at
// PageSize=1000, following next_page_url (within the endpoint's origin, never
// a page twice). The list is asked once per run.
func (c *Client) ListSims(ctx context.Context, f SimFilter) ([]Sim, error) {
	params := url.Values{"PageSize": {strconv.Itoa(PageSize)}}
	if f.Status != "" {
		params.Set("Status", f.Status)
	}
	if f.RatePlan != "" {
		params.Set("RatePlan", f.RatePlan)
	}
	first := c.api.URL(params, "v1", "Sims")
	sims, err := c.simLists.Do(ctx, first.String(), func(ctx context.Context) ([]Sim, error) {
		all := []Sim{}
		listed := map[string]bool{}
		budget := httpx.NewBudget(maxSims, PageSize, "a list of the account's SIMs")
		err := c.api.Walk(ctx, first, budget, func(_ *url.URL, r httpx.Response) (int, string, error) {
			var page struct {
				Sims *[]Sim `json:"sims"`
				Meta struct {
					NextPageURL *string `json:"next_page_url"`
				} `json:"meta"`
			}
			if err := httpx.Unmarshal(r.Body, &page); err != nil {
				return 0, "", fmt.Errorf("decoding the SIM list: %w", err)
			}
			if page.Sims == nil {
				return 0, "", errors.New("the response has no sims list")
			}
			if len(*page.Sims) > PageSize {
				return 0, "", fmt.Errorf("the page holds more than the PageSize of %d SIMs", PageSize)
			}
			for _, s := range *page.Sims {
				if err := f.admits(s, listed); err != nil {
					return 0, "", err
				}
			}
			all = append(all, *page.Sims...)
			next := ""
			if page.Meta.NextPageURL != nil {
				next = *page.Meta.NextPageURL
			}
			return len(*page.Sims), next, nil
		})
		return all, err
	})
	if err != nil {
		return nil, c.tokens.stalled(ctx, err)
	}
	return slices.Clone(sims), nil
}

// admits refuses a listed SIM that cannot be in the list: one without a
// usable sid or with a string past its bound (checkSim), one listed before (a fleet total would count it twice), or one the
// filter excludes (a server that ignored the filter would widen the fleet).
// A rate plan given by unique name cannot be checked here: SIMs name their
// plan by sid.
func (f SimFilter) admits(s Sim, listed map[string]bool) error {
	if s.Sid == "" {
		return fmt.Errorf("%w: a SIM in the list has no sid", errVendorData)
	}
	if err := checkSim(s); err != nil {
		return err
	}
	switch {
	case listed[s.Sid]:
		return fmt.Errorf("%w: SIM %s is listed twice", errVendorData, httpx.Clip(s.Sid))
	case f.Status != "" && s.Status != f.Status:
		return fmt.Errorf("%w: SIM %s has status %q, which the Status filter excludes", errVendorData, httpx.Clip(s.Sid), httpx.Clip(s.Status))
	case ratePlanSid.MatchString(f.RatePlan) && !strings.EqualFold(s.RatePlanSid, f.RatePlan):
		return fmt.Errorf("%w: SIM %s is on rate plan %q, which the RatePlan filter excludes", errVendorData, httpx.Clip(s.Sid), httpx.Clip(s.RatePlanSid))
	}
	listed[s.Sid] = true
	return nil
}

// ratePlanSid matches a rate plan SID, as against a unique name.
var ratePlanSid = regexp.MustCompile(`^WP[0-9a-fA-F]{32}$`)
