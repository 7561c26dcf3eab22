package kore

import (
	"context"
	"encoding/json"
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
// in that place).
func (c *Client) SimByUniqueName(ctx context.Context, uniqueName string) (Sim, error) {
	if uniqueName == "" || uniqueName == "." || uniqueName == ".." {
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
		if err := json.Unmarshal(resp.Body, &s); err != nil {
			return Sim{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the SIM: %w", err))
		}
		if s.Sid == "" {
			return Sim{}, c.api.ResponseError(u, resp, errors.New("the SIM has no sid"))
		}
		return s, nil
	})
	return s, c.tokens.stalled(ctx, err)
}

// SimByICCID looks a SIM up by ICCID. No match is an *APIError with Status 404.
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
		if err := json.Unmarshal(resp.Body, &list); err != nil {
			return Sim{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the SIM list: %w", err))
		}
		if list.Sims == nil {
			return Sim{}, c.api.ResponseError(u, resp, errors.New("the response has no sims list"))
		}
		if len(*list.Sims) == 0 {
			return Sim{}, &APIError{Status: http.StatusNotFound, Method: http.MethodGet, Path: u.EscapedPath(),
				Message: fmt.Sprintf("no SIM with ICCID %q in this KORE account", httpx.Clip(iccid))}
		}
		s := (*list.Sims)[0]
		if s.Sid == "" {
			return Sim{}, c.api.ResponseError(u, resp, errors.New("the SIM has no sid"))
		}
		return s, nil
	})
	return s, c.tokens.stalled(ctx, err)
}

// maxSims bounds a SIM list: far more SIMs than any account holds, so only a
// broken or hostile server reaches it.
const maxSims = 1_000_000

// ListSims lists the account's SIMs that match f, in KORE's order, at
// PageSize=1000, following next_page_url (within the endpoint's origin, never
// a page twice). The list is asked once per run.
func (c *Client) ListSims(ctx context.Context, f SimFilter) ([]Sim, error) {
	params := url.Values{"PageSize": {strconv.Itoa(pageSize)}}
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
		budget := httpx.NewBudget(maxSims, pageSize, "a list of the account's SIMs")
		err := c.api.Walk(ctx, first, budget, func(_ *url.URL, r httpx.Response) (int, string, error) {
			var page struct {
				Sims *[]Sim `json:"sims"`
				Meta struct {
					NextPageURL *string `json:"next_page_url"`
				} `json:"meta"`
			}
			if err := json.Unmarshal(r.Body, &page); err != nil {
				return 0, "", fmt.Errorf("decoding the SIM list: %w", err)
			}
			if page.Sims == nil {
				return 0, "", errors.New("the response has no sims list")
			}
			if len(*page.Sims) > pageSize {
				return 0, "", fmt.Errorf("the page holds more than the PageSize of %d SIMs", pageSize)
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
// sid, one listed before (a fleet total would count it twice), or one the
// filter excludes (a server that ignored the filter would widen the fleet).
// A rate plan given by unique name cannot be checked here: SIMs name their
// plan by sid.
func (f SimFilter) admits(s Sim, listed map[string]bool) error {
	switch {
	case s.Sid == "":
		return errors.New("a SIM in the list has no sid")
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

// InFlight is the cap on requests in flight: the limit for fanning out reads
// over many SIMs.
func (c *Client) InFlight() int { return c.api.InFlight }
