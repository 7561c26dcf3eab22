package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/simusage/terraform-provider-usage/internal/tfrun"
)

// The guide "Testing your guardrails" shows a configuration and the
// `terraform test` files that prove its guardrails both ways with
// mock_provider. TestAccGuardrailTests runs them with the real CLI, so that
// a guide whose tests no longer pass, or no longer notice a broken guardrail,
// fails `make test`.

const guardrailTestsDir = examplesRoot + "/guides/testing-guardrails"

// TestAccGuardrailTests runs `terraform test` on the guide's example with the
// provider built from this tree (mock_provider still needs its schema): every
// run block must pass, among them runs that stay quiet and runs that expect a
// check or a postcondition to fail. It then moves the warning threshold out
// of reach and expects `terraform test` to fail.
func TestAccGuardrailTests(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run `terraform test` on examples/guides/testing-guardrails")
	}
	cli := mockCapableCLI(t)
	files := guardrailTestFiles(t)
	runs := runBlocks(t, files)
	var quiet, warns, blocks int
	for _, r := range runs {
		switch {
		case len(r.expectFailures) == 0:
			quiet++
		default:
			for _, target := range r.expectFailures {
				if target == "check" {
					warns++
				} else {
					blocks++
				}
			}
		}
	}
	if quiet == 0 || warns == 0 || blocks == 0 {
		t.Fatalf("the example's tests must assert both ways: %d quiet runs, %d expected check failures, %d expected postcondition failures", quiet, warns, blocks)
	}
	provider := buildProvider(t)

	t.Run("passes", func(t *testing.T) {
		t.Parallel()
		sum, out := runTerraformTest(t, cli, provider, files)
		if sum.Status != "pass" || sum.Passed != len(runs) || sum.Failed+sum.Errored+sum.Skipped != 0 {
			t.Fatalf("want all %d run blocks to pass, got %+v:\n%s", len(runs), sum, out)
		}
	})

	// A guardrail that no longer fires at 80% must fail the tests: with the
	// threshold past 100%, no check fails where a run expects it.
	t.Run("threshold broken", func(t *testing.T) {
		t.Parallel()
		broken := map[string][]byte{}
		for name, b := range files {
			broken[name] = b
		}
		threshold := regexp.MustCompile(`(variable "warn_at_percent" \{[^}]*default\s*=\s*)80\b`)
		if !threshold.Match(files["main.tf"]) {
			t.Fatal(`main.tf has no variable "warn_at_percent" with a default of 80 to break`)
		}
		broken["main.tf"] = threshold.ReplaceAll(files["main.tf"], []byte("${1}101"))
		sum, out := runTerraformTest(t, cli, provider, broken)
		if sum.Status == "pass" || sum.Failed+sum.Errored == 0 {
			t.Fatalf("want a failed run with the threshold at 101%%, got %+v:\n%s", sum, out)
		}
	})
}

// mockCapableCLI is the CLI the acceptance tests use (TF_ACC_TERRAFORM_PATH,
// else terraform on PATH); it skips the test when the CLI has no mocks:
// Terraform below 1.7, OpenTofu below 1.8.
func mockCapableCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	product, major, minor := cliVersion(t, cli)
	need := 7
	if product == "OpenTofu" {
		need = 8
	}
	if major < 1 || major == 1 && minor < need {
		t.Skipf("%s %d.%d has no mock_provider in `test`: the guardrail tests need Terraform 1.7+ or OpenTofu 1.8+", product, major, minor)
	}
	return cli
}

// cliVersion reads the version from `version -json`, whose terraform_version
// OpenTofu prints too, and the product from the first line of `version`.
func cliVersion(t *testing.T, cli string) (product string, major, minor int) {
	t.Helper()
	run := func(args ...string) []byte {
		cmd := exec.CommandContext(t.Context(), cli, args...) //nolint:gosec // G204: the CLI the acceptance tests were given.
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v", cli, strings.Join(args, " "), err)
		}
		return out
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(run("version", "-json"), &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("%s version -json: terraform_version %q is not a version", cli, v.Version)
	}
	var err1, err2 error
	major, err1 = strconv.Atoi(parts[0])
	minor, err2 = strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("%s version -json: terraform_version %q is not a version", cli, v.Version)
	}
	product = "Terraform"
	if bytes.HasPrefix(run("version"), []byte("OpenTofu")) {
		product = "OpenTofu"
	}
	return product, major, minor
}

// guardrailTestFiles reads the example's configuration and test files.
func guardrailTestFiles(t *testing.T) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(guardrailTestsDir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") && !isTestFile(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(guardrailTestsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	if files["main.tf"] == nil {
		t.Fatalf("no main.tf in %s", guardrailTestsDir)
	}
	return files
}

// isTestFile reports a test file: .tftest.hcl, or the .tofutest.hcl twin
// that OpenTofu reads instead of the .tftest.hcl of the same name.
func isTestFile(name string) bool {
	return strings.HasSuffix(name, ".tftest.hcl") || strings.HasSuffix(name, ".tofutest.hcl")
}

// runBlock is a run block of a test file, and what it expects to fail.
type runBlock struct {
	name           string
	expectFailures []string // the kind of each: check, or data for a postcondition
}

func runBlocks(t *testing.T, files map[string][]byte) []runBlock {
	t.Helper()
	var runs []runBlock
	for name, src := range files {
		if !strings.HasSuffix(name, ".tftest.hcl") {
			if twin, ok := strings.CutSuffix(name, ".tofutest.hcl"); ok {
				// OpenTofu's copy must run what Terraform's does.
				if a, b := runNames(t, name, src), runNames(t, twin+".tftest.hcl", files[twin+".tftest.hcl"]); !slices.Equal(a, b) {
					t.Fatalf("%s runs %v, its .tftest.hcl twin %v", name, a, b)
				}
			}
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, diags.Error())
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			t.Fatalf("%s: not native HCL syntax", name)
		}
		for _, b := range body.Blocks {
			if b.Type != "run" || len(b.Labels) != 1 {
				continue
			}
			r := runBlock{name: name + "/" + b.Labels[0]}
			if a, ok := b.Body.Attributes["expect_failures"]; ok {
				exprs, diags := hcl.ExprList(a.Expr)
				if diags.HasErrors() {
					t.Fatalf("%s: %s", r.name, diags.Error())
				}
				for _, e := range exprs {
					tr, diags := hcl.AbsTraversalForExpr(e)
					if diags.HasErrors() {
						t.Fatalf("%s: %s", r.name, diags.Error())
					}
					r.expectFailures = append(r.expectFailures, tr.RootName())
				}
			}
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		t.Fatalf("no run blocks in %s", guardrailTestsDir)
	}
	return runs
}

// buildProvider builds the provider from this tree into a temporary
// directory, for the CLI to find through dev_overrides.
func buildProvider(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "terraform-provider-usage")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the provider: %v\n%s", err, out)
	}
	return bin
}

// testSummary is the last line of `terraform test -json`.
type testSummary struct {
	Status  string `json:"status"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Errored int    `json:"errored"`
	Skipped int    `json:"skipped"`
}

// runTerraformTest runs `terraform test -json` on files in a new workspace
// and returns its summary and its human-readable messages.
func runTerraformTest(t *testing.T, cli, provider string, files map[string][]byte) (testSummary, string) {
	t.Helper()
	w, err := tfrun.NewWorkspace(cli, provider, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	for name, b := range files {
		if err := w.WriteFile(name, b); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	runErr := w.Run(ctx, &stdout, &stderr, "test", "-json")

	var sum *testSummary
	var messages strings.Builder
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Message    string          `json:"@message"`
			Diagnostic json.RawMessage `json:"diagnostic"`
			Summary    *testSummary    `json:"test_summary"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("terraform test -json printed %q: %v", sc.Text(), err)
		}
		fmt.Fprintln(&messages, line.Message)
		if line.Diagnostic != nil {
			fmt.Fprintf(&messages, "  %s\n", line.Diagnostic)
		}
		if line.Summary != nil {
			sum = line.Summary
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	out := messages.String() + stderr.String()
	if sum == nil {
		t.Fatalf("terraform test -json printed no summary (%v):\n%s", runErr, out)
	}
	// terraform test exits 1 when a run fails: that is in the summary.
	if runErr != nil && sum.Status == "pass" {
		t.Fatalf("terraform test passed but exited with %v:\n%s", runErr, out)
	}
	return *sum, out
}

// runNames are the labels of a test file's run blocks, in order.
func runNames(t *testing.T, name string, src []byte) []string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", name, diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("%s: not native HCL syntax", name)
	}
	var names []string
	for _, b := range body.Blocks {
		if b.Type == "run" && len(b.Labels) == 1 {
			names = append(names, b.Labels[0])
		}
	}
	return names
}
