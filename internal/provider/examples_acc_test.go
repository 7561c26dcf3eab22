package provider

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// Every configuration under examples/ is planned against the simulator here,
// so that a recipe shown in the docs that stops working fails `make test`.
// Plans only: examples only read, and the testing framework's state checks
// cannot follow for_each instances.

const examplesRoot = "../../examples"

// exampleCase is one run of an example: variable overrides, the status every
// check block must end with, and the error a postcondition must stop it with.
// simVars are overrides only the simulator knows, such as the id of a
// subscription over its allowance.
type exampleCase struct {
	name    string
	vars    config.Variables
	simVars func(*vendorsim.Server) config.Variables
	checks  checkStatuses
	err     *regexp.Regexp
}

// postconditionFailed is how Terraform reports a blocking postcondition.
var postconditionFailed = regexp.MustCompile(`Resource postcondition failed`)

const (
	pass = tfjson.CheckStatusPass
	fail = tfjson.CheckStatusFail
)

// exampleCases proves each guardrail both ways: once as the example is
// written, and once with a threshold on the other side of the simulator's
// usage. An example with a check block or a postcondition must be listed;
// any other example runs once with its defaults.
var exampleCases = map[string][]exampleCase{
	"data-sources/usage_account/check.tf": {
		{name: "defaults", checks: checkStatuses{"check.account_monthly_budget": pass}},
		{name: "over budget", vars: config.Variables{"monthly_budget": config.IntegerVariable(0)},
			checks: checkStatuses{"check.account_monthly_budget": fail}},
	},
	"data-sources/usage_account/check-scoped.tf": {
		{name: "defaults", checks: checkStatuses{"check.fleet_commands_today": pass}},
		{name: "over limit", vars: config.Variables{"daily_commands_limit": config.IntegerVariable(0)},
			checks: checkStatuses{"check.fleet_commands_today": fail}},
	},
	"data-sources/usage_account/postcondition.tf": {
		{name: "defaults"},
		{name: "pool used up", vars: config.Variables{"pool_gib": config.IntegerVariable(0)}, err: postconditionFailed},
	},
	"data-sources/usage_sim/check.tf": {
		{name: "defaults", checks: checkStatuses{"check.tracker_quota": pass}},
		{name: "over quota", vars: config.Variables{"tracker_quota_mib": config.IntegerVariable(0)},
			checks: checkStatuses{"check.tracker_quota": fail}},
	},
	"data-sources/usage_sim/postcondition.tf": {
		{name: "defaults"},
		{name: "over cap", vars: config.Variables{"gateway_cap_gib": config.IntegerVariable(0)}, err: postconditionFailed},
	},
	"data-sources/usage_sim/for_each.tf": {
		{name: "defaults", checks: checkStatuses{"check.fleet_quotas": pass}},
		{name: "all over quota", vars: config.Variables{"quotas_mib": config.MapVariable(map[string]config.Variable{
			"tracker-01": config.IntegerVariable(0), "vehicle-01": config.IntegerVariable(0),
		})}, checks: checkStatuses{"check.fleet_quotas": fail}},
	},
	"data-sources/usage_sim/limits.tf": {
		{name: "defaults", checks: checkStatuses{"check.sim_near_plan_limits": pass}},
		{name: "near a limit", vars: config.Variables{"warn_at_percent": config.IntegerVariable(0)},
			checks: checkStatuses{"check.sim_near_plan_limits": fail}},
		{name: "past a limit", vars: config.Variables{"sim": config.StringVariable("gateway-02")}, err: postconditionFailed},
	},
	"data-sources/usage_sims/check.tf": {
		{name: "defaults", checks: checkStatuses{"check.tracker_quotas": pass}},
		{name: "over quota", vars: config.Variables{"tracker_quota_mib": config.IntegerVariable(0)},
			checks: checkStatuses{"check.tracker_quotas": fail}},
		{name: "no SIM selected", vars: config.Variables{"tracker_name_regex": config.StringVariable("^trakcer-")}, err: postconditionFailed},
	},
	"data-sources/usage_sims/limits.tf": {
		{name: "defaults", checks: checkStatuses{"check.fleet_near_plan_limits": pass}},
		{name: "near a limit", vars: config.Variables{"warn_at_percent": config.IntegerVariable(0)},
			checks: checkStatuses{"check.fleet_near_plan_limits": fail}},
		{name: "past a limit", vars: config.Variables{"name_regex": config.StringVariable("^gateway-")}, err: postconditionFailed},
	},
	"data-sources/usage_sims/keep.tf": {
		{name: "defaults", checks: checkStatuses{"check.fleet_near_plan_limits": pass}},
		{name: "near a limit", vars: config.Variables{"warn_at_percent": config.IntegerVariable(0)},
			checks: checkStatuses{"check.fleet_near_plan_limits": fail}},
		{name: "past a limit", vars: config.Variables{"name_regex": config.StringVariable("^gateway-")}, err: postconditionFailed},
	},
	"data-sources/usage_subscriptions/keep.tf": {
		// Two active subscriptions are past an allowance (SMS, voice).
		{name: "defaults", err: postconditionFailed},
		// The one on "Data 20 GB" has used about 42% of its data.
		{name: "within allowances", simVars: planNamed("Data 20 GB", nil),
			checks: checkStatuses{"check.subscriptions_near_allowances": pass}},
		{name: "near an allowance", simVars: planNamed("Data 20 GB", config.Variables{"warn_at_percent": config.IntegerVariable(40)}),
			checks: checkStatuses{"check.subscriptions_near_allowances": fail}},
	},
	"data-sources/usage_subscription/limits.tf": {
		{name: "defaults", checks: checkStatuses{"check.subscription_near_allowances": pass}},
		{name: "near an allowance", vars: config.Variables{"warn_at_percent": config.IntegerVariable(0)},
			checks: checkStatuses{"check.subscription_near_allowances": fail}},
		// The sixth classic subscription is past its SMS allowance.
		{name: "past an allowance", simVars: func(s *vendorsim.Server) config.Variables {
			return config.Variables{"subscription": config.StringVariable(s.Subscriptions()[5].ID)}
		}, err: postconditionFailed},
	},
	"data-sources/usage_subscriptions/postcondition.tf": {
		{name: "defaults"},
		{name: "over cap", vars: config.Variables{"data_cap_percent": config.IntegerVariable(50)}, err: postconditionFailed},
		{name: "no subscription selected", vars: config.Variables{
			"statuses": config.ListVariable(config.StringVariable("initiated")),
		}, err: postconditionFailed},
	},
	"data-sources/usage_subscription/check.tf": {
		{name: "defaults", checks: checkStatuses{"check.subscription_data_cap": pass}},
		{name: "over cap", vars: config.Variables{"data_cap_gib": config.IntegerVariable(0)},
			checks: checkStatuses{"check.subscription_data_cap": fail}},
	},
	"data-sources/usage_subscription/postcondition.tf": {
		{name: "defaults"},
		{name: "over limit", vars: config.Variables{"max_voice_minutes": config.IntegerVariable(0)}, err: postconditionFailed},
	},
	"functions/parse_bytes/function.tf": {
		{name: "defaults", checks: checkStatuses{"check.tracker_within_data_plan": pass}},
	},
	// Also run by terraform test with mocks (guardrail_tests_acc_test.go);
	// here against the simulator.
	"guides/testing-guardrails": {
		{name: "defaults", checks: checkStatuses{
			"check.fleet_pool": pass, "check.gateway_near_cap": pass, "check.line_allowances": pass,
		}},
		{name: "warn from 0%", vars: config.Variables{"warn_at_percent": config.IntegerVariable(0)}, checks: checkStatuses{
			"check.fleet_pool": fail, "check.gateway_near_cap": fail, "check.line_allowances": fail,
		}},
		{name: "gateway at its cap", vars: config.Variables{"gateway_cap_gib": config.IntegerVariable(0)}, err: postconditionFailed},
	},
	"guides/policy-as-code": {
		{name: "defaults", checks: checkStatuses{"check.fleet_within_plan_limits": fail}},
		{name: "within limits", vars: config.Variables{"name_regex": config.StringVariable("^tracker-")},
			checks: checkStatuses{"check.fleet_within_plan_limits": pass}},
	},
	"demo": {
		{name: "defaults", checks: checkStatuses{
			"check.sim_data_quota": fail, "check.fleet_plan_limits": fail, "check.subscription_allowances": pass,
		}},
	},
}

// planNamed sets the variable plan to the id of the simulator's plan of
// that name, next to vars.
func planNamed(name string, vars config.Variables) func(*vendorsim.Server) config.Variables {
	return func(s *vendorsim.Server) config.Variables {
		out := config.Variables{}
		maps.Copy(out, vars)
		for _, p := range s.Plans() {
			if p.Name == name {
				out["plan"] = config.StringVariable(p.ID)
			}
		}
		return out
	}
}

// TestAccExamples plans every example except the provider block ones, each
// under the harness's provider block.
func TestAccExamples(t *testing.T) {
	units := exampleUnits(t)
	for _, u := range units {
		if strings.HasPrefix(u.name, "provider/") {
			continue
		}
		t.Run(u.name, func(t *testing.T) {
			t.Parallel()
			ex := parseExample(t, u, false)
			for _, c := range casesFor(t, u.name, ex) {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					e := newTestEnv(t)
					runExample(t, e, ex, c, e.providerBlock()+ex.body, e.exampleValues())
				})
			}
		})
	}
}

// TestAccExamples_provider runs each provider example with its own provider
// block: what it does not set comes from the environment, as it would for a
// user, and a read from each vendor proves the block works. Not parallel:
// the environment is process-wide.
func TestAccExamples_provider(t *testing.T) {
	var ran int
	for _, u := range exampleUnits(t) {
		if !strings.HasPrefix(u.name, "provider/") {
			continue
		}
		ran++
		t.Run(u.name, func(t *testing.T) {
			ex := parseExample(t, u, true)
			if !ex.providerBlock {
				t.Fatal("a provider example must have a provider \"usage\" block")
			}
			e := newTestEnv(t)
			values := e.exampleValues()
			for _, s := range providerSettings {
				if _, declared := ex.variables[s.variable]; !declared {
					t.Setenv(s.env, values[s.variable])
				}
			}
			probe := fmt.Sprintf(`
data "usage_account" "probe" {
  window = "last_24_hours"
}
data "usage_subscription" "probe" {
  subscription = %q
}
`, values["subscription"])
			for _, c := range casesFor(t, u.name, ex) {
				t.Run(c.name, func(t *testing.T) { runExample(t, e, ex, c, ex.body+probe, values) })
			}
		})
	}
	if ran == 0 {
		t.Fatal("no provider examples found")
	}
}

// providerSettings are the provider settings an example may take as a
// variable; the ones it does not declare are set in the environment.
var providerSettings = []struct{ variable, env string }{
	{"kore_client_id", envKoreClientID},
	{"kore_client_secret", envKoreClientSecret},
	{"kore_endpoint", envKoreEndpoint},
	{"kore_token_url", envKoreTokenURL},
	{"gigs_api_key", envGigsAPIKey},
	{"gigs_project", envGigsProject},
	{"gigs_endpoint", envGigsEndpoint},
}

// exampleValues are the values the test knows for the variables examples
// declare: the simulator's credentials, endpoints and a subscription.
func (e *testEnv) exampleValues() map[string]string {
	c := e.sim.Credentials()
	return map[string]string{
		"subscription":       e.sim.Subscriptions()[0].ID,
		"kore_client_id":     c.KoreClientID,
		"kore_client_secret": c.KoreClientSecret,
		"kore_endpoint":      e.url,
		"kore_token_url":     e.url + "/api-services/v1/auth/token",
		"gigs_api_key":       c.GigsAPIKey,
		"gigs_project":       c.GigsProject,
		"gigs_endpoint":      e.url,
	}
}

func runExample(t *testing.T, e *testEnv, ex parsedExample, c exampleCase, cfg string, values map[string]string) {
	t.Helper()
	vars := config.Variables{}
	overrides := maps.Clone(c.vars)
	if c.simVars != nil {
		if overrides == nil {
			overrides = config.Variables{}
		}
		maps.Copy(overrides, c.simVars(e.sim))
	}
	for name := range overrides {
		if _, declared := ex.variables[name]; !declared {
			t.Fatalf("case %q sets variable %q, which the example does not declare", c.name, name)
		}
	}
	for name, hasDefault := range ex.variables {
		switch v, known := values[name]; {
		case overrides[name] != nil:
			vars[name] = overrides[name]
		case known:
			vars[name] = config.StringVariable(v)
		case !hasDefault:
			t.Fatalf("the example declares variable %q without a default, and the test has no value for it", name)
		}
	}
	step := resource.TestStep{
		Config:          cfg,
		ConfigVariables: vars,
		PlanOnly:        true,
		// New outputs and resources, and scoped data sources (always read
		// again during apply), make a plan that is not empty.
		ExpectNonEmptyPlan: ex.outputs || ex.resources || len(ex.scopedData) > 0,
		ExpectError:        c.err,
	}
	if c.err == nil {
		step.ConfigPlanChecks.PostApplyPreRefresh = []plancheck.PlanCheck{c.checks, readsDeferred(ex.scopedData)}
	}
	tc := resource.TestCase{ProtoV6ProviderFactories: e.factories(), Steps: []resource.TestStep{step}}
	if ex.functions {
		tc.TerraformVersionChecks = []tfversion.TerraformVersionCheck{functionsCLICheck()}
	}
	resource.UnitTest(t, tc)
}

func casesFor(t *testing.T, name string, ex parsedExample) []exampleCase {
	t.Helper()
	cases, listed := exampleCases[name]
	switch {
	case listed:
		return cases
	case ex.guardrails:
		t.Fatalf("%s has a check block or a postcondition: list it in exampleCases with a case on each side of its threshold", name)
	}
	return []exampleCase{{name: "defaults"}}
}

// exampleUnit is one configuration: a directory with a main.tf is a root
// module run as a whole; any other example file stands alone, as the docs
// show it.
type exampleUnit struct {
	name  string // path under examples/, the key of exampleCases
	files []string
}

func exampleUnits(t *testing.T) []exampleUnit {
	t.Helper()
	byDir := map[string][]string{}
	err := filepath.WalkDir(examplesRoot, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var units []exampleUnit
	for dir, files := range byDir {
		sort.Strings(files)
		rel := func(p string) string {
			r, _ := filepath.Rel(examplesRoot, p)
			return filepath.ToSlash(r)
		}
		if slices.Contains(files, filepath.Join(dir, "main.tf")) {
			units = append(units, exampleUnit{name: rel(dir), files: files})
			continue
		}
		for _, f := range files {
			units = append(units, exampleUnit{name: rel(f), files: []string{f}})
		}
	}
	sort.Slice(units, func(i, j int) bool { return units[i].name < units[j].name })
	for name := range exampleCases {
		if !slices.ContainsFunc(units, func(u exampleUnit) bool { return u.name == name }) {
			t.Errorf("exampleCases lists %s, which is not an example", name)
		}
	}
	if len(units) == 0 {
		t.Fatalf("no examples under %s", examplesRoot)
	}
	return units
}

// parsedExample is an example ready to run, and what the test must know
// about it.
type parsedExample struct {
	body          string
	variables     map[string]bool // declared name -> has a default
	guardrails    bool            // has a check block, precondition or postcondition
	functions     bool            // calls provider functions (Terraform 1.8+, OpenTofu 1.7+)
	providerBlock bool
	outputs       bool
	resources     bool     // declares resources (such as terraform_data), planned for creation
	scopedData    []string // addresses of data sources inside check blocks
}

// parseExample drops the terraform block (its registry source would make
// Terraform look for the provider online) and, unless keepProvider, the
// provider block, which the harness replaces with one for the simulator.
func parseExample(t *testing.T, u exampleUnit, keepProvider bool) parsedExample {
	t.Helper()
	ex := parsedExample{variables: map[string]bool{}}
	var body strings.Builder
	for _, path := range u.files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, diags := hclwrite.ParseConfig(src, path, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", path, diags.Error())
		}
		ex.functions = ex.functions || strings.Contains(string(src), "provider::usage::")
		for _, b := range f.Body().Blocks() {
			switch labels := b.Labels(); b.Type() {
			case "terraform":
				f.Body().RemoveBlock(b)
			case "provider":
				if len(labels) == 1 && labels[0] == "usage" {
					ex.providerBlock = true
				}
				if !keepProvider {
					f.Body().RemoveBlock(b)
				}
			case "variable":
				ex.variables[labels[0]] = b.Body().GetAttribute("default") != nil
			case "check":
				ex.guardrails = true
				for _, nested := range b.Body().Blocks() {
					if l := nested.Labels(); nested.Type() == "data" && len(l) == 2 {
						ex.scopedData = append(ex.scopedData, "data."+l[0]+"."+l[1])
					}
				}
			case "output":
				ex.outputs = true
				ex.guardrails = ex.guardrails || hasConditions(b.Body())
			case "resource":
				ex.resources = true
				ex.guardrails = ex.guardrails || hasConditions(b.Body())
			case "data":
				ex.guardrails = ex.guardrails || hasConditions(b.Body())
			}
		}
		body.Write(f.Bytes())
		body.WriteString("\n")
	}
	ex.body = body.String()
	return ex
}

func hasConditions(b *hclwrite.Body) bool {
	for _, nested := range b.Blocks() {
		switch nested.Type() {
		case "precondition", "postcondition":
			return true
		case "lifecycle":
			if hasConditions(nested.Body()) {
				return true
			}
		}
	}
	return false
}

// checkStatuses is the status every check block of a plan must have: a
// check that should warn fails, one that should stay quiet passes.
type checkStatuses map[string]tfjson.CheckStatus

func (want checkStatuses) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	got := checkStatuses{}
	for _, c := range req.Plan.Checks {
		if c.Address.Kind == tfjson.CheckKindCheckBlock {
			got[c.Address.ToDisplay] = c.Status
		}
	}
	if !maps.Equal(got, want) {
		resp.Error = fmt.Errorf("check blocks ended %v, want %v", got, want)
	}
}

// readsDeferred is the data sources a plan must leave to apply: the scoped
// ones, which Terraform always reads again, and nothing else. A data source
// deferred by mistake (a depends_on, a value unknown until apply) would leave
// its guardrails unevaluated at plan time.
type readsDeferred []string

func (want readsDeferred) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var got []string
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Mode == tfjson.DataResourceMode && rc.Change != nil && rc.Change.Actions.Read() {
			got = append(got, rc.Address)
		}
	}
	sort.Strings(got)
	exp := slices.Sorted(slices.Values(want))
	if !slices.Equal(got, exp) {
		resp.Error = fmt.Errorf("data sources read during apply: %v, want %v", got, exp)
	}
}
