package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// The policy-as-code guide (templates/guides/policy-as-code.md.tmpl) tells
// users where a usage_sims read sits in `terraform show -json` of a saved
// plan, and ships a Rego policy that reads it there. This test makes that
// plan for real, with the example's own configuration and the CLI a user
// runs (plan -out, then show -json), and checks the paths the guide names
// hold what it says; with OPA built into bin/tools/, it also evaluates the
// policy on the rendered plan.

const (
	policyExampleDir = examplesRoot + "/guides/policy-as-code"
	policyAddress    = "data.usage_sims.fleet"
	policyCheck      = "check.fleet_within_plan_limits"
	// overLimitSIM is past its 1 MB rate plan in every month of the
	// simulator's data.
	overLimitSIM = "meter-05"
	// defaultMaxUsedPercent is the policy's default threshold.
	defaultMaxUsedPercent = 80
)

// opaModule is the module `make test` builds OPA from, into
// bin/tools/opa@<version>/opa.
const opaModule = "github.com/open-policy-agent/opa"

func TestAccPolicyAsCodePlanJSON(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf := terraformPath(t)
	e := newTestEnv(t)
	// The example's provider block is empty: the provider, served in this
	// process, reads its settings from the environment as it would in CI.
	values := e.exampleValues()
	for _, s := range providerSettings {
		t.Setenv(s.env, values[s.variable])
	}
	dir := initPolicyWorkdir(t, tf, e)

	fleet := renderPlan(t, tf, dir, nil)
	sims := checkPlanLayout(t, fleet, "fail")
	if names := simNames(sims); !slices.Equal(names, simulatorSIMNames(e)) {
		t.Errorf("%s.values.sims holds %v, want every SIM of the simulator %v", policyAddress, names, simulatorSIMNames(e))
	}
	meter := simByName(t, sims, overLimitSIM)
	if meter["over_limit"] != true {
		t.Errorf("%s: over_limit = %v, want true", overLimitSIM, meter["over_limit"])
	}
	if rp, _ := meter["rate_plan"].(map[string]any); rp == nil || rp["unique_name"] != "iot-meter-1mb" {
		t.Errorf("%s: rate_plan = %v, want unique_name iot-meter-1mb", overLimitSIM, meter["rate_plan"])
	}
	if p := limitPercent(t, meter, "data_home"); p == nil || *p < 100 {
		t.Errorf("%s: limits.data_home.used_percent = %v, want 100 or more", overLimitSIM, p)
	}

	trackers := renderPlan(t, tf, dir, []string{"-var", "name_regex=^tracker-"})
	trackerSIMs := checkPlanLayout(t, trackers, "pass")
	if len(trackerSIMs) == 0 {
		t.Fatal("the tracker plan read no SIM")
	}

	// The policy, on the same two plans, with the OPA `make test` builds.
	t.Run("policy", func(t *testing.T) {
		opa, looked := opaPath(t)
		if opa == "" {
			t.Skipf("no OPA at %s (make test builds it): usage.rego not evaluated; the plan's layout was checked", looked)
		}
		policy := filepath.Join(policyExampleDir, "usage.rego")
		t.Run("fleet", func(t *testing.T) {
			got := denied(t, opa, policy, fleet, nil)
			want := expectDenied(t, sims, defaultMaxUsedPercent)
			if !want[overLimitSIM] {
				t.Fatalf("the simulator's %s is not over its limit: the test's expectation is wrong", overLimitSIM)
			}
			// Both rules have work: a SIM past the threshold but under every
			// limit is denied too (vehicle-02 on the test clock).
			if len(want) == len(expectDenied(t, sims, 100)) {
				t.Fatalf("no SIM is between %d%% and its limit: the threshold rule is not exercised", defaultMaxUsedPercent)
			}
			if !maps.Equal(got, want) {
				t.Errorf("usage.rego denied %v, want %v", keys(got), keys(want))
			}
		})
		t.Run("trackers", func(t *testing.T) {
			if got := denied(t, opa, policy, trackers, nil); len(got) != 0 {
				t.Errorf("usage.rego denied %v, want no SIM: the trackers are far from their limits", keys(got))
			}
		})
		t.Run("threshold from data", func(t *testing.T) {
			params := map[string]any{"usage": map[string]any{"params": map[string]any{"max_used_percent": 0}}}
			got := denied(t, opa, policy, trackers, params)
			want := expectDenied(t, trackerSIMs, 0)
			if len(want) == 0 {
				t.Fatal("no tracker has a limit with a percentage: the threshold is not exercised")
			}
			if !maps.Equal(got, want) {
				t.Errorf("usage.rego with max_used_percent 0 denied %v, want %v", keys(got), keys(want))
			}
		})
	})
}

// terraformPath is the CLI the acceptance tests drive.
func terraformPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	}
	return p
}

// initPolicyWorkdir copies the example into a new directory, serves the
// provider in this process (on the test clock) for the CLI to reattach to,
// and runs terraform init there, which installs nothing.
func initPolicyWorkdir(t *testing.T, tf string, e *testEnv) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(policyExampleDir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), b, 0o600); err != nil { //nolint:gosec // G703: the test's temporary directory.
		t.Fatal(err)
	}
	// An empty CLI configuration: no dev_overrides or mirrors of the host.
	if err := os.WriteFile(filepath.Join(dir, ".terraformrc"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_REATTACH_PROVIDERS", serveReattached(t, e))
	runTerraform(t, tf, dir, "init", "-input=false", "-no-color")
	return dir
}

// reattachConfig is one entry of TF_REATTACH_PROVIDERS.
type reattachConfig struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct{ Network, String string }
}

// serveReattached serves the provider in debug mode until the test ends and
// returns the TF_REATTACH_PROVIDERS value that points Terraform at it.
func serveReattached(t *testing.T, e *testEnv) string {
	t.Helper()
	server, err := serverOf(&usageProvider{version: "test", now: func() time.Time { return e.now }})()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/simusage/usage",
			func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configCh, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configCh:
	case err := <-served:
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("the provider did not start serving within a minute")
	}
	c := reattachConfig{Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: rc.Test}
	c.Addr.Network, c.Addr.String = rc.Addr.Network(), rc.Addr.String()
	// OpenTofu resolves simusage/usage on its own registry's host, which
	// its test runs name as the testing framework's does.
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	b, err := json.Marshal(map[string]reattachConfig{host + "/simusage/usage": c})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func runTerraform(t *testing.T, tf, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, ".terraformrc"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out
}

// renderedPlan is `terraform show -json` of a saved plan, as its bytes (for
// the policy engine) and decoded.
type renderedPlan struct {
	raw  []byte
	json map[string]any
}

// renderPlan plans the example into a saved plan, as the guide does, and
// renders it.
func renderPlan(t *testing.T, tf, dir string, vars []string) renderedPlan {
	t.Helper()
	args := append([]string{"plan", "-input=false", "-lock=false", "-no-color", "-out=tfplan"}, vars...)
	runTerraform(t, tf, dir, args...)
	raw := runTerraform(t, tf, dir, "show", "-json", "tfplan")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	return renderedPlan{raw: raw, json: doc}
}

// checkPlanLayout checks the paths the guide gives and returns the SIMs at
// prior_state.values.root_module.resources[address = data.usage_sims.fleet].values.sims.
func checkPlanLayout(t *testing.T, p renderedPlan, checkStatus string) []map[string]any {
	t.Helper()
	doc := p.json
	if v, _ := doc["format_version"].(string); !strings.HasPrefix(v, "1.") {
		t.Errorf("format_version = %v, want 1.x", doc["format_version"])
	}
	var fleet map[string]any
	for _, r := range objects(t, dig(t, doc, "prior_state", "values", "root_module", "resources"), "prior_state.values.root_module.resources") {
		if r["address"] == policyAddress {
			fleet = r
		}
	}
	if fleet == nil {
		t.Fatalf("prior_state.values.root_module.resources has no %s", policyAddress)
	}
	for k, want := range map[string]string{"mode": "data", "type": "usage_sims", "name": "fleet"} {
		if fleet[k] != want {
			t.Errorf("%s: %s = %v, want %q", policyAddress, k, fleet[k], want)
		}
	}
	for _, k := range []string{"total", "start", "end"} {
		dig(t, fleet, "values", k)
	}
	sims := objects(t, dig(t, fleet, "values", "sims"), policyAddress+".values.sims")
	for _, s := range sims {
		for _, k := range []string{"sid", "unique_name", "over_limit", "rate_plan", "limits"} {
			if _, ok := s[k]; !ok {
				t.Errorf("%s.values.sims[%v] has no %s", policyAddress, s["unique_name"], k)
			}
		}
	}
	// Read during the plan, the data source plans no change: it is neither
	// in planned_values nor in resource_changes, where a read left to apply
	// would be.
	planned, _ := dig(t, doc, "planned_values", "root_module").(map[string]any)
	if rs, ok := planned["resources"]; ok {
		t.Errorf("planned_values.root_module.resources = %v, want none", rs)
	}
	if rcs, ok := doc["resource_changes"].([]any); ok {
		for _, rc := range objects(t, rcs, "resource_changes") {
			if rc["address"] == policyAddress {
				t.Errorf("resource_changes holds %s: it was not read during the plan", policyAddress)
			}
		}
	}
	// The check block's result: checks[] by address, with its message.
	var check map[string]any
	for _, c := range objects(t, dig(t, doc, "checks"), "checks") {
		if a, _ := c["address"].(map[string]any); a != nil && a["kind"] == "check" && a["to_display"] == policyCheck {
			check = c
		}
	}
	if check == nil {
		t.Fatalf("checks[] has no %s", policyCheck)
	}
	if check["status"] != checkStatus {
		t.Errorf("checks[%s].status = %v, want %s", policyCheck, check["status"], checkStatus)
	}
	if checkStatus == "fail" {
		inst := objects(t, dig(t, check, "instances"), "checks[].instances")
		if len(inst) != 1 {
			t.Fatalf("checks[%s].instances: %d, want 1", policyCheck, len(inst))
		}
		probs := objects(t, dig(t, inst[0], "problems"), "checks[].instances[0].problems")
		if len(probs) != 1 || !strings.Contains(fmt.Sprint(probs[0]["message"]), overLimitSIM) {
			t.Errorf("checks[%s].instances[0].problems = %v, want one message naming %s", policyCheck, probs, overLimitSIM)
		}
	}
	return sims
}

// dig follows keys through nested JSON objects.
func dig(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object", strings.Join(keys[:i], "."))
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("no %s", strings.Join(keys[:i+1], "."))
		}
	}
	return v
}

func objects(t *testing.T, v any, what string) []map[string]any {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is not a list: %T", what, v)
	}
	out := make([]map[string]any, len(list))
	for i, e := range list {
		if out[i], ok = e.(map[string]any); !ok {
			t.Fatalf("%s[%d] is not an object", what, i)
		}
	}
	return out
}

func simNames(sims []map[string]any) []string {
	var names []string
	for _, s := range sims {
		names = append(names, fmt.Sprint(s["unique_name"]))
	}
	sort.Strings(names)
	return names
}

func simulatorSIMNames(e *testEnv) []string {
	var names []string
	for _, s := range e.sim.SIMs() {
		names = append(names, s.UniqueName)
	}
	sort.Strings(names)
	return names
}

func simByName(t *testing.T, sims []map[string]any, name string) map[string]any {
	t.Helper()
	for _, s := range sims {
		if s["unique_name"] == name {
			return s
		}
	}
	t.Fatalf("no SIM %s in the plan", name)
	return nil
}

// limitPercent is limits[network].used_percent of a SIM, nil when null.
func limitPercent(t *testing.T, sim map[string]any, network string) *float64 {
	t.Helper()
	limits, _ := sim["limits"].(map[string]any)
	l, _ := limits[network].(map[string]any)
	if l == nil {
		t.Fatalf("%v: no limits.%s", sim["unique_name"], network)
	}
	p, ok := l["used_percent"].(float64)
	if !ok {
		return nil
	}
	return &p
}

// expectDenied is what the guide says the policy denies, worked out from the
// plan's values: a SIM over_limit, or with any used_percent at or past max.
func expectDenied(t *testing.T, sims []map[string]any, maxPercent float64) map[string]bool {
	t.Helper()
	want := map[string]bool{}
	for _, s := range sims {
		name := fmt.Sprint(s["unique_name"])
		if s["over_limit"] == true {
			want[name] = true
		}
		limits, _ := s["limits"].(map[string]any)
		for network := range limits {
			if p := limitPercent(t, s, network); p != nil && *p >= maxPercent {
				want[name] = true
			}
		}
	}
	return want
}

// denyMessage is the start of each of the policy's messages.
var denyMessage = regexp.MustCompile(`^` + regexp.QuoteMeta(policyAddress) + `: SIM (\S+) `)

// denied evaluates data.usage.deny of the policy on a rendered plan with
// OPA, as the guide shows, and returns the SIMs its messages name.
func denied(t *testing.T, opa, policy string, p renderedPlan, data map[string]any) map[string]bool {
	t.Helper()
	dir := t.TempDir()
	input := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(input, p.raw, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"eval", "--format=json", "--fail-defined=false", "--data", policy, "--input", input}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		params := filepath.Join(dir, "params.json")
		if err := os.WriteFile(params, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--data", params)
	}
	args = append(args, "data.usage.deny")
	cmd := exec.CommandContext(t.Context(), opa, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("opa %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	var res struct {
		Result []struct {
			Expressions []struct {
				Value []string `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("opa eval output: %v\n%s", err, out)
	}
	if len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
		t.Fatalf("data.usage.deny is undefined (a wrong package or rule name?):\n%s", out)
	}
	got := map[string]bool{}
	for _, msg := range res.Result[0].Expressions[0].Value {
		m := denyMessage.FindStringSubmatch(msg)
		if m == nil || strings.Contains(msg, "%!") {
			t.Errorf("deny message %q does not name the data source and a SIM, or is malformed", msg)
			continue
		}
		got[m[1]] = true
	}
	return got
}

// opaPath is the OPA `make test` builds: bin/tools/opa@<version>/opa at the
// GNUmakefile's pin, or, without a pin there, any version built there. It
// returns "" when there is none, and where it looked.
func opaPath(t *testing.T) (path, looked string) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join(root, "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(regexp.QuoteMeta(opaModule) + `@(v[0-9][^\s]*)`).FindSubmatch(mk); m != nil {
		p := filepath.Join(root, "bin", "tools", "opa@"+string(m[1]), "opa")
		if _, err := os.Stat(p); err != nil { //nolint:gosec // G703: a path under bin/tools/ named by the GNUmakefile's pin.
			return "", p
		}
		return p, p
	}
	pattern := filepath.Join(root, "bin", "tools", "opa@v*", "opa")
	found, _ := filepath.Glob(pattern)
	if len(found) == 0 {
		return "", pattern
	}
	return found[len(found)-1], pattern
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
