package tfrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as a fake terraform: started with fakeModeEnv set,
// it acts out one behaviour instead of running the tests.
const fakeModeEnv = "TFRUN_FAKE_TERRAFORM"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeModeEnv); mode != "" {
		os.Exit(fakeTerraform(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeTerraform(mode string, args []string) int {
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	switch mode {
	case "echo":
		fmt.Println(strings.Join(args, " "))
		fmt.Println("TF_CLI_CONFIG_FILE=" + os.Getenv("TF_CLI_CONFIG_FILE"))
		fmt.Println("EXTRA=" + os.Getenv("EXTRA"))
		return 0
	case "obedient": // stops its plugins, then exits, on the first interrupt
		fmt.Println("started")
		<-interrupts
		fmt.Println("stopped plugins")
		return 0
	case "stubborn": // never stops on its own
		fmt.Println("started")
		<-interrupts
		fmt.Println("ignoring interrupt")
		time.Sleep(time.Hour)
		return 0
	}
	return 2
}

// newFakeWorkspace is a workspace whose terraform is this test binary in mode.
func newFakeWorkspace(t *testing.T, mode string) *Workspace {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkspace(self, self, []string{fakeModeEnv + "=" + mode, "EXTRA=passed", "GORACE=atexit_sleep_ms=0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

// watchedOutput records output and says when a line has been written.
type watchedOutput struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	want    string
	once    sync.Once
	written chan struct{}
}

func watchFor(line string) *watchedOutput {
	return &watchedOutput{want: line + "\n", written: make(chan struct{})}
}

func (o *watchedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := o.buf.Write(p)
	if strings.Contains(o.buf.String(), o.want) {
		o.once.Do(func() { close(o.written) })
	}
	return n, err
}

func (o *watchedOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// runUntilStartedThenCancel runs w, cancels once terraform is up and returns
// what Run returned.
func runUntilStartedThenCancel(t *testing.T, w *Workspace) (*watchedOutput, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := watchFor("started")
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, out, out, "plan") }()
	select {
	case <-out.written:
	case err := <-done:
		t.Fatalf("terraform ended before it started: %v; output %q", err, out)
	}
	cancel()
	select {
	case err := <-done:
		return out, err
	case <-time.After(time.Minute): // a liveness guard, not a measurement
		t.Fatalf("Run did not return after cancellation; output %q", out)
		return nil, nil
	}
}

func TestRunPassesDirectoryCLIConfigAndEnv(t *testing.T) {
	w := newFakeWorkspace(t, "echo")
	var out bytes.Buffer
	if err := w.Run(t.Context(), &out, &out, "plan", "-input=false"); err != nil {
		t.Fatalf("Run: %v; output %q", err, out.String())
	}
	for _, want := range []string{"-chdir=" + w.Dir + " plan -input=false\n", "TF_CLI_CONFIG_FILE=" + w.cliConfig + "\n", "EXTRA=passed\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q lacks %q", out.String(), want)
		}
	}
}

func TestCancelledRunInterruptsTerraformFirst(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no interrupts to send on Windows")
	}
	w := newFakeWorkspace(t, "obedient")
	out, err := runUntilStartedThenCancel(t, w)
	if !strings.Contains(out.String(), "stopped plugins") {
		t.Fatalf("terraform was not interrupted, so it could not stop its plugins; output %q", out)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled run must say so, got %v", err)
	}
}

func TestCancelledRunKillsTerraformThatIgnoresTheInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no interrupts to send on Windows")
	}
	w := newFakeWorkspace(t, "stubborn")
	w.stopGrace = 50 * time.Millisecond
	out, err := runUntilStartedThenCancel(t, w)
	if !strings.Contains(out.String(), "ignoring interrupt") {
		t.Fatalf("no interrupt came before the kill; output %q", out)
	}
	if err == nil {
		t.Fatal("a killed run reported success")
	}
}

func TestNewWorkspaceWantsTheProviderBinary(t *testing.T) {
	_, err := NewWorkspace("terraform", filepath.Join(t.TempDir(), "missing"), nil)
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("error %v", err)
	}
}

func TestWriteFileStaysInTheConfigurationDirectory(t *testing.T) {
	w := newFakeWorkspace(t, "echo")
	if err := w.WriteFile("main.tf", []byte("# ok\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(w.Dir, "main.tf")); err != nil || string(b) != "# ok\n" {
		t.Fatalf("main.tf: %q %v", b, err)
	}
	outside := filepath.Join(t.TempDir(), "outside.tf")
	for _, name := range []string{"../terraformrc", "../../escaped.tf", outside} {
		if err := w.WriteFile(name, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) wrote outside the workspace", name)
		}
	}
	if _, err := os.Stat(outside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absolute path written: %v", err)
	}
	if b, err := os.ReadFile(w.cliConfig); err != nil || !strings.Contains(string(b), "dev_overrides") {
		t.Fatalf("the CLI config was overwritten: %q %v", b, err)
	}
}

func TestCopyConfigCopiesTerraformFilesOnly(t *testing.T) {
	src := t.TempDir()
	for name, body := range map[string]string{"main.tf": "a", "vars.tf": "b", "notes.md": "c"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w := newFakeWorkspace(t, "echo")
	if err := w.CopyConfig(src); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "main.tf,vars.tf" {
		t.Fatalf("copied %v", names)
	}
	if err := w.CopyConfig(t.TempDir()); err == nil {
		t.Fatal("an empty configuration directory was accepted")
	}
}

func TestStartedProcessCanBeInterruptedAndWaitedFor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no interrupts to send on Windows")
	}
	w := newFakeWorkspace(t, "obedient")
	out := watchFor("started")
	p, err := w.Start(t.Context(), out, out, "plan")
	if err != nil {
		t.Fatal(err)
	}
	if p.Pid() <= 0 {
		t.Errorf("pid %d", p.Pid())
	}
	if p.State() != nil {
		t.Error("a running process has an exit state")
	}
	select {
	case <-out.written:
	case <-time.After(time.Minute): // a liveness guard, not a measurement
		t.Fatalf("terraform did not start; output %q", out)
	}
	if err := p.Interrupt(); err != nil {
		t.Fatalf("Interrupt: %v", err)
	}
	if err := p.Wait(); err != nil {
		t.Fatalf("an obedient terraform exits cleanly after an interrupt, got %v; output %q", err, out)
	}
	if !strings.Contains(out.String(), "stopped plugins") {
		t.Fatalf("the interrupt did not reach terraform; output %q", out)
	}
	if p.State() == nil || !p.State().Exited() {
		t.Fatalf("exit state %v", p.State())
	}
	if err := p.Interrupt(); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("interrupting an exited terraform: %v, want os.ErrProcessDone", err)
	}
}

func TestStartFailsForAMissingTerraform(t *testing.T) {
	w := newFakeWorkspace(t, "echo")
	w.terraform = filepath.Join(t.TempDir(), "no-terraform")
	if _, err := w.Start(t.Context(), io.Discard, io.Discard, "plan"); err == nil || !strings.Contains(err.Error(), "terraform plan") {
		t.Fatalf("error %v", err)
	}
}
