package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The GNUmakefile is the README's entry point (make demo, make test); these
// tests keep its help and its test target honest. make -n runs nothing.

func repoMake(t *testing.T, args ...string) (root, out string) {
	t.Helper()
	return repoMakeEnv(t, nil, args...)
}

// repoMakeEnv is repoMake with env added to make's environment.
func repoMakeEnv(t *testing.T, env []string, args ...string) (root, out string) {
	t.Helper()
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make on PATH")
	}
	root, err = filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), mk, append([]string{"-s", "-C", root}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %v: %v\n%s", args, err, b)
	}
	return root, string(b)
}

// TestMakeHelpListsEveryTarget: make help names every phony target with one
// line of text, demo and test first.
func TestMakeHelpListsEveryTarget(t *testing.T) {
	root, out := repoMake(t, "help")
	src, err := os.ReadFile(filepath.Join(root, "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	phony := regexp.MustCompile(`(?m)^\.PHONY:(.*)$`).FindSubmatch(src)
	if phony == nil {
		t.Fatal("no .PHONY line in the GNUmakefile")
	}
	for _, target := range strings.Fields(string(phony[1])) {
		if target == "default" || target == "help" {
			continue
		}
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(target) + `\s+\S.*$`).MatchString(out) {
			t.Errorf("make help has no line for %s:\n%s", target, out)
		}
	}
	start := strings.Index(out, "Start here:")
	demo, test, other := strings.Index(out, "  demo "), strings.Index(out, "  test "), strings.Index(out, "Other targets:")
	if start < 0 || start > demo || demo > test || test > other {
		t.Errorf("make help does not start with demo and test:\n%s", out)
	}
}

// TestMakeTestRunsTheEndToEndTests: make test builds the provider and hands
// it to planbench's end-to-end tests under the variable they read, so they
// run instead of skipping.
func TestMakeTestRunsTheEndToEndTests(t *testing.T) {
	root, out := repoMake(t, "-n", "test")
	e2e, err := os.ReadFile(filepath.Join(root, "internal", "cmd", "planbench", "e2e_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`envProvider\s*=\s*"([A-Z_]+)"`).FindSubmatch(e2e)
	if m == nil {
		t.Fatal("planbench's e2e_test.go no longer names its variable as envProvider")
	}
	bin := filepath.Join(root, "bin", "terraform-provider-usage")
	build := strings.Index(out, "go build ")
	run := strings.Index(out, string(m[1])+"="+bin+" ")
	if build < 0 || run < 0 || build > run || !strings.Contains(out[build:run], "-o "+bin) {
		t.Errorf("make test does not build %s and pass it as %s to go test:\n%s", bin, m[1], out)
	}
	if !strings.Contains(out[run:], "go test") || !strings.Contains(out[run:], "./...") {
		t.Errorf("make test passes %s, but not to go test ./...:\n%s", m[1], out)
	}
}

// fakeCLI puts an executable named name on a new PATH directory, first in
// PATH, that prints version as `version` would; it returns its path and the
// PATH to run make with.
func fakeCLI(t *testing.T, name, version string) (path, pathEnv string) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho '"+version+"'\n"), 0o700); err != nil { //nolint:gosec // G306: an executable must be executable.
		t.Fatal(err)
	}
	return path, "PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH")
}

// TestMakeTakesEitherCLI: TERRAFORM may name a command on PATH (TERRAFORM=tofu);
// the demo and the tests get its absolute path, and with OpenTofu the
// acceptance tests are told to serve the provider under registry.opentofu.org,
// with Terraform not.
func TestMakeTakesEitherCLI(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run a fake CLI")
	}
	for _, c := range []struct{ name, version, host string }{
		{"tofu", "OpenTofu v1.10.6", "TF_ACC_PROVIDER_HOST=registry.opentofu.org "},
		{"terraform", "Terraform v1.11.0", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cli, pathEnv := fakeCLI(t, c.name, c.version)
			_, demo := repoMakeEnv(t, []string{pathEnv}, "-n", "demo", "TERRAFORM="+c.name)
			if !strings.Contains(demo, " -terraform "+cli+" ") {
				t.Errorf("make demo TERRAFORM=%s does not run the demo with %s:\n%s", c.name, cli, demo)
			}
			_, test := repoMakeEnv(t, []string{pathEnv}, "-n", "test", "TERRAFORM="+c.name)
			if !strings.Contains(test, "TF_ACC=1 "+c.host+"TF_ACC_TERRAFORM_PATH="+cli+" ") {
				t.Errorf("make test TERRAFORM=%s does not run the tests with %s (%q):\n%s", c.name, cli, c.host, test)
			}
		})
	}
}

// TestMakeTestaccTofu: testacc-tofu builds OpenTofu into bin/ and runs the
// acceptance tests with it, under OpenTofu's registry host.
func TestMakeTestaccTofu(t *testing.T) {
	root, out := repoMake(t, "-n", "testacc-tofu")
	tofu := filepath.Join(root, "bin", "tofu")
	// Once built, bin/tofu is not built again, and make -n shows no build.
	if _, err := os.Stat(tofu); err != nil && !regexp.MustCompile(`go build [^\n]*-o "?`+regexp.QuoteMeta(tofu)+`\.tmp"? \./cmd/tofu`).MatchString(out) {
		t.Errorf("make testacc-tofu does not build %s:\n%s", tofu, out)
	}
	want := "TF_ACC=1 TF_ACC_TERRAFORM_PATH=" + tofu + " TF_ACC_PROVIDER_HOST=registry.opentofu.org "
	if !strings.Contains(out, want) || !strings.Contains(out, "./internal/provider/...") {
		t.Errorf("make testacc-tofu does not run the acceptance tests with %s (want %q):\n%s", tofu, want, out)
	}
}

// TestMakeDevConfigNamesNoHost: the dev_overrides key names no registry host,
// so that Terraform and OpenTofu each read it as their own registry's address.
func TestMakeDevConfigNamesNoHost(t *testing.T) {
	_, out := repoMake(t, "-n", "dev-config")
	if !strings.Contains(out, `"simusage/usage" = `) || strings.Contains(out, "registry.") {
		t.Errorf("make dev-config does not key dev_overrides by simusage/usage alone:\n%s", out)
	}
}
