package provider

import (
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Plan-time refusals: a bad metering_day or timeouts.read fails in
// validation with an error on the attribute, before any request.

// expectPlanTimeError plans config and wants an error matching want, with
// the simulator untouched (validation runs before any read).
func expectPlanTimeError(t *testing.T, e *testEnv, config string, want *regexp.Regexp) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    []resource.TestStep{{Config: e.providerBlock() + config, ExpectError: want, PlanOnly: true}},
	})
	if n := len(e.sim.Counts()); n != 0 {
		t.Fatalf("a plan-time error still sent requests: %v", e.sim.Counts())
	}
}

func TestAccPlanTime_meteringDayMustBeWhole(t *testing.T) {
	e := newTestEnv(t)
	sid := e.sim.SIMs()[0].Sid
	want := regexp.MustCompile(`(?s)metering_day.*whole\s+number\s+from\s+1\s+to\s+31`)
	for _, day := range []string{"14.5", "0.999", "0", "32", "-3", "1e100"} {
		t.Run("usage_sim "+day, func(t *testing.T) {
			expectPlanTimeError(t, e, fmt.Sprintf(`data "usage_sim" "x" {
  sid          = %q
  window       = "metering_period"
  metering_day = %s
}`, sid, day), want)
		})
		t.Run("usage_sims "+day, func(t *testing.T) {
			expectPlanTimeError(t, e, fmt.Sprintf(`data "usage_sims" "x" {
  window       = "metering_period"
  metering_day = %s
}`, day), want)
		})
	}
}

func TestAccPlanTime_readTimeoutBounds(t *testing.T) {
	e := newTestEnv(t)
	sid := e.sim.SIMs()[0].Sid
	sub := e.sim.Subscriptions()[0].ID
	want := regexp.MustCompile(`(?s)timeouts\.read.*more\s+than\s+0\s+and\s+at\s+most\s+24h`)
	for _, read := range []string{"0s", "0", "-5m", "soon", "25h", "1000000h", ""} {
		t.Run("usage_sim "+read, func(t *testing.T) {
			expectPlanTimeError(t, e, fmt.Sprintf(`data "usage_sim" "x" {
  sid      = %q
  timeouts = { read = %q }
}`, sid, read), want)
		})
		t.Run("usage_subscription "+read, func(t *testing.T) {
			expectPlanTimeError(t, e, fmt.Sprintf(`data "usage_subscription" "x" {
  subscription = %q
  timeouts     = { read = %q }
}`, sub, read), want)
		})
	}
	t.Run("usage_account", func(t *testing.T) {
		expectPlanTimeError(t, e, `data "usage_account" "x" {
  timeouts = { read = "48h" }
}`, want)
	})
}

// TestPlanTimeDiagnostics validates over the protocol, as Terraform does
// first: one error diagnostic on the attribute, none of the framework's
// "always an error in the provider", for every data source with the
// attribute; and the bounds themselves are accepted.
func TestPlanTimeDiagnostics(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	validate := func(typeName string, args map[string]any) []*tfprotov6.Diagnostic {
		t.Helper()
		return r.validate(t, typeName, args)
	}
	wantOne := func(what string, diags []*tfprotov6.Diagnostic, attr *tftypes.AttributePath) {
		t.Helper()
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || !diags[0].Attribute.Equal(attr) ||
			strings.Contains(diags[0].Detail, "always an error") {
			t.Errorf("%s: want one error on %s, got %s", what, attr, diagnosticsText(diags))
		}
	}
	merged := func(a, b map[string]any) map[string]any {
		out := maps.Clone(a)
		maps.Copy(out, b)
		return out
	}
	sid := e.sim.SIMs()[0].Sid
	sims := map[string]map[string]any{"usage_sim": {"sid": sid}, "usage_sims": {}}
	for typeName, base := range sims {
		for _, day := range []string{"14.5", "0", "32"} {
			f, _, _ := big.ParseFloat(day, 10, 512, big.ToNearestEven)
			diags := validate(typeName, merged(base, map[string]any{"window": "metering_period", "metering_day": f}))
			wantOne(typeName+" metering_day "+day, diags, tftypes.NewAttributePath().WithAttributeName("metering_day"))
		}
		for _, day := range []int64{1, 31} {
			if diags := validate(typeName, merged(base, map[string]any{"window": "metering_period", "metering_day": big.NewFloat(float64(day))})); len(diags) != 0 {
				t.Errorf("%s metering_day %d: %s", typeName, day, diagnosticsText(diags))
			}
		}
	}
	readPath := tftypes.NewAttributePath().WithAttributeName("timeouts").WithAttributeName("read")
	all := map[string]map[string]any{"usage_sim": {"sid": sid}, "usage_sims": {}, "usage_account": {},
		"usage_subscription": {"subscription": e.sim.Subscriptions()[0].ID}, "usage_subscriptions": {}}
	for typeName, base := range all {
		for _, read := range []string{"0s", "-1m", "1 hour", "24h0m0.001s"} {
			diags := validate(typeName, merged(base, map[string]any{"timeouts": map[string]any{"read": read}}))
			wantOne(typeName+" timeouts.read "+read, diags, readPath)
		}
		for _, read := range []string{"1ns", "30s", "24h"} {
			if diags := validate(typeName, merged(base, map[string]any{"timeouts": map[string]any{"read": read}})); len(diags) != 0 {
				t.Errorf("%s timeouts.read %s: %s", typeName, read, diagnosticsText(diags))
			}
		}
	}
}
