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
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make on PATH")
	}
	root, err = filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), mk, append([]string{"-s", "-C", root}, args...)...)
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
