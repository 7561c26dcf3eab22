package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestAccReadTimeout: timeouts.read bounds the whole read, and the
// diagnostic says what timed out and after how long.
func TestAccReadTimeout(t *testing.T) {
	e := newTestEnv(t)
	e.sim.SetFaults(vendorsim.Faults{Latency: 2 * time.Second})
	t.Cleanup(func() { e.sim.SetFaults(vendorsim.Faults{}) })
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "usage_subscription" "x" {
  subscription = %q
  timeouts = {
    read = "300ms"
  }
}`, e.sim.Subscriptions()[0].ID),
			ExpectError: regexp.MustCompile(`(?s)Timed\s+out\s+reading\s+usage.*subscription.*did\s+not\s+finish\s+within\s+300ms\s+\(timeouts.read`),
		}},
	})
}

// TestAccRequestTimeout: request_timeout bounds each attempt; when every
// attempt times out the diagnostic names the request and the timeout.
func TestAccRequestTimeout(t *testing.T) {
	e := newTestEnv(t)
	e.sim.SetFaults(vendorsim.Faults{Latency: 2 * time.Second})
	t.Cleanup(func() { e.sim.SetFaults(vendorsim.Faults{}) })
	config := strings.Replace(e.config(`
data "usage_subscription" "x" {
  subscription = %q
}`, e.sim.Subscriptions()[0].ID), `retry_wait_max = "20ms"`, "retry_wait_max = \"20ms\"\n  request_timeout = \"200ms\"\n  max_retries = 1", 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)subscription.*/usage.*timed\s+out\s+after\s+200ms`),
		}},
	})
}
