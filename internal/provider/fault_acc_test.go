package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestAccFaultMatrix plans the same configuration on a calm day and on a bad
// one (429 with Retry-After, 503s, gateway HTML 502s, latency, and every KORE
// token revoked mid-plan, then every token dying after two uses): every data source must read exactly the same
// values, and the simulator's counters must show that the faults happened.
func TestAccFaultMatrix(t *testing.T) {
	e := newTestEnv(t)
	sims := e.sim.SIMs()
	subs := e.sim.Subscriptions()
	config := e.config(`
data "usage_account" "a" {
  window      = "previous_month"
  granularity = "daily"
}
data "usage_sim" "by_name" {
  unique_name = %q
  # 45 days hourly: two pages.
  start       = "2026-02-10T00:00:00Z"
  end         = "2026-03-27T00:00:00Z"
  granularity = "hourly"
}
data "usage_sim" "by_sid" {
  sid    = %q
  window = "month_to_date"
}
data "usage_sim" "by_iccid" {
  iccid       = %q
  window      = "last_7_days"
  granularity = "daily"
}
data "usage_subscription" "latest" {
  subscription = %q
}
data "usage_subscription" "feb" {
  subscription = %q
  start        = "2026-02-01"
  end          = "2026-02-28"
}
`, sims[3].UniqueName, sims[4].Sid, sims[5].ICCID, subs[0].ID, subs[1].ID)

	// Concurrent reads can land one request's retries on several faulty
	// slots in a row, so allow plenty: 0.3^13 is about 1e-7.
	config = strings.Replace(config, `retry_wait_max = "20ms"`, "retry_wait_max = \"20ms\"\n  max_retries    = 12", 1)

	sources := []string{"data.usage_account.a", "data.usage_sim.by_name", "data.usage_sim.by_sid", "data.usage_sim.by_iccid",
		"data.usage_subscription.latest", "data.usage_subscription.feb"}
	// One comparer per value, fed once by each step: calm first, then faulty.
	var comparers []func() statecheck.StateCheck
	for _, s := range sources {
		for _, attr := range []string{"records", "total", "id"} {
			cv := statecheck.CompareValue(compare.ValuesSame())
			comparers = append(comparers, func() statecheck.StateCheck { return cv.AddStateValue(s, at(attr)) })
		}
	}
	same := func() []statecheck.StateCheck {
		checks := make([]statecheck.StateCheck, len(comparers))
		for i, c := range comparers {
			checks[i] = c()
		}
		return checks
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: same(),
				Check: func(*terraform.State) error {
					if faults := e.faultCount(); faults != 0 {
						return fmt.Errorf("calm run saw %d faulty answers: %v", faults, e.sim.Counts())
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					e.sim.ResetCounts()
					// Of every ten API requests: a 429 with Retry-After, a 503 and a
					// gateway HTML 502, so each fault surely happens.
					e.sim.SetFaults(vendorsim.Faults{Latency: 2 * time.Millisecond, RetryAfter: "1", Cycle: 10})
					e.sim.RevokeTokensAfter(5)
					// And every token after that dies after two uses, with reads in flight.
					e.sim.SetTokenUses(2)
				},
				Config:            config,
				ConfigStateChecks: same(),
				Check: func(*terraform.State) error {
					counts := map[int]int{}
					for _, c := range e.sim.Counts() {
						counts[c.Status] += c.N
					}
					if counts[429] == 0 || counts[503] == 0 || counts[502] == 0 || counts[401]+counts[403] == 0 {
						return fmt.Errorf("the faults did not all happen: %v", e.sim.Counts())
					}
					t.Logf("survived %d×429, %d×503, %d×502 and %d refused tokens: %v", counts[429], counts[503], counts[502], counts[401]+counts[403], e.sim.Counts())
					return nil
				},
			},
		},
	})
}

// faultCount is the number of answers that were not 200.
func (e *testEnv) faultCount() int {
	n := 0
	for _, c := range e.sim.Counts() {
		if c.Status != 200 {
			n += c.N
		}
	}
	return n
}
