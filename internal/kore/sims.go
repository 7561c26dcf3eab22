package kore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

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
