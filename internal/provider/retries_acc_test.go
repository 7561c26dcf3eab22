package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestAccMaxRetriesZeroMeansNoRetry: max_retries = 0 (or USAGE_MAX_RETRIES=0)
// asks for no retry, so a single 503 fails the read after one request. httpx
// reads a MaxRetries of 0 as "the default, 4 retries", so passing the setting
// through unchanged would quietly survive the 503 instead.
func TestAccMaxRetriesZeroMeansNoRetry(t *testing.T) {
	cases := []struct {
		name, route, retries, env string
		wantErr                   bool
	}{
		{name: "kore", route: vendorsim.RouteKoreUsageAccount, retries: "0", wantErr: true},
		{name: "gigs", route: vendorsim.RouteGigsUsage, retries: "0", wantErr: true},
		{name: "environment variable", route: vendorsim.RouteGigsUsage, env: "0", wantErr: true},
		// The control: the same 503 is retried once max_retries allows it.
		{name: "one retry", route: vendorsim.RouteGigsUsage, retries: "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			body := `
data "usage_subscription" "x" {
  subscription = %q
}`
			arg := e.sim.Subscriptions()[0].ID
			if tc.route == vendorsim.RouteKoreUsageAccount {
				body, arg = `
data "usage_account" "x" {
  window = %q
}`, "last_7_days"
			}
			config := e.config(body, arg)
			if tc.retries != "" {
				config = strings.Replace(config, `retry_wait_max = "20ms"`, "retry_wait_max = \"20ms\"\n  max_retries    = "+tc.retries, 1)
			}
			if tc.env != "" {
				t.Setenv("USAGE_MAX_RETRIES", tc.env)
			}
			step := resource.TestStep{
				PreConfig: func() { e.sim.FailNext(1, 503, "0") },
				Config:    config,
			}
			if tc.wantErr {
				step.ExpectError = regexp.MustCompile(`503`)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{step},
			})
			var failed, succeeded int
			for _, c := range e.sim.Counts() {
				switch {
				case c.Route == tc.route && c.Status == 503:
					failed += c.N
				case c.Route == tc.route && c.Status == 200:
					succeeded += c.N
				}
			}
			if failed != 1 {
				t.Errorf("%s answered 503 %d times, want once", tc.route, failed)
			}
			if tc.wantErr && succeeded != 0 {
				t.Errorf("%s was retried after its 503 (%d more requests): %v", tc.route, succeeded, e.sim.Counts())
			}
		})
	}
}
