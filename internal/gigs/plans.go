package gigs

import (
	"context"
	"fmt"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// Plan retrieves one plan: GET /projects/{project}/plans/{plan}. Gigs'
// public reference does not show this path; it is known only from
// third-party copies of its spec, so only IsNotFound (Gigs' own 404) says
// the plan does not exist, and any other failure says nothing either way.
// Only the id and the name are read, leniently: Allowances stay nil, which
// here means unread, not unlimited (a subscription carries its plan's
// allowances in the documented shape). Each plan is asked once per Client.
func (c *Client) Plan(ctx context.Context, project, planID string) (Plan, error) {
	if err := validID("project", project); err != nil {
		return Plan{}, failed(err)
	}
	if err := validID("plan", planID); err != nil {
		return Plan{}, failed(err)
	}
	u := c.api.URL(nil, "projects", project, "plans", planID)
	p, err := c.plans.Do(ctx, u.String(), func(ctx context.Context) (Plan, error) {
		resp, err := c.api.Get(ctx, u)
		if err != nil {
			return Plan{}, err
		}
		var w struct {
			Object string `json:"object"`
			ID     string `json:"id"`
			Name   string `json:"name"`
		}
		if err := httpx.Unmarshal(resp.Body, &w); err != nil {
			return Plan{}, c.api.ResponseError(u, resp, fmt.Errorf("decoding the plan: %w", err))
		}
		var bad error
		switch {
		case w.Object != "" && w.Object != "plan":
			bad = fmt.Errorf("the object is a %q, not a plan", httpx.Clip(w.Object))
		case w.ID != planID:
			bad = fmt.Errorf("%w: asked for plan %q, the answer is plan %q", httpx.ErrVendorData, planID, httpx.Clip(w.ID))
		case w.Name == "":
			bad = fmt.Errorf("%w: plan %q has no name", httpx.ErrVendorData, planID)
		default:
			bad = httpx.CheckLength("the plan's name", w.Name, maxNameLength)
		}
		if bad != nil {
			return Plan{}, c.api.ResponseError(u, resp, bad)
		}
		return Plan{ID: w.ID, Name: w.Name}, nil
	})
	if err != nil {
		return Plan{}, failed(fmt.Errorf("gigs plan %s/%s: %w", project, planID, err))
	}
	return p, nil
}
