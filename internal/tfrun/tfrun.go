// Package tfrun runs the real Terraform or OpenTofu CLI against a locally
// built provider through dev_overrides, with no registry and no init. The demo and
// the plan benchmark use it.
package tfrun

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ProviderSource is the provider's address in configurations and the key of
// its dev_overrides. It names no registry host, so that each CLI puts its own
// default registry in front of it, in the configuration's source as in the
// override: registry.terraform.io with Terraform, registry.opentofu.org with
// OpenTofu. A key with a host would override nothing under the other CLI.
const ProviderSource = "simusage/usage"

// Workspace is a temporary directory holding a CLI config that points
// Terraform at a provider binary, and the configuration to plan.
type Workspace struct {
	Dir       string // the configuration directory
	cliConfig string
	terraform string
	env       []string
	stopGrace time.Duration // how long terraform may take to stop after an interrupt
}

// DefaultStopGrace is how long a cancelled run may take to stop its
// providers before it is killed.
const DefaultStopGrace = 10 * time.Second

// NewWorkspace creates a workspace in a new temporary directory. provider is
// the path of the built terraform-provider-usage binary; terraform that of the
// CLI. env is added to the environment of every terraform run.
func NewWorkspace(terraform, provider string, env []string) (*Workspace, error) {
	terraform, err := filepath.Abs(terraform)
	if err != nil {
		return nil, err
	}
	provider, err = filepath.Abs(provider)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(provider); err != nil {
		return nil, fmt.Errorf("provider binary: %w (run make build)", err)
	}
	root, err := os.MkdirTemp("", "usage-tfrun-")
	if err != nil {
		return nil, err
	}
	w := &Workspace{Dir: filepath.Join(root, "config"), cliConfig: filepath.Join(root, "terraformrc"), terraform: terraform, env: env, stopGrace: DefaultStopGrace}
	if err := os.Mkdir(w.Dir, 0o750); err != nil {
		return nil, err
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderSource, filepath.Dir(provider))
	if err := os.WriteFile(w.cliConfig, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	return w, nil
}

// Close removes the workspace.
func (w *Workspace) Close() error { return os.RemoveAll(filepath.Dir(w.Dir)) }

// CopyConfig copies the .tf files of src into the workspace.
func (w *Workspace) CopyConfig(src string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no .tf files in %s", src)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := w.WriteFile(filepath.Base(f), b); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes one file into the configuration directory; a name that
// would leave it (an absolute path, "..", a symlink out) is refused.
func (w *Workspace) WriteFile(name string, content []byte) error {
	root, err := os.OpenRoot(w.Dir)
	if err != nil {
		return err
	}
	defer root.Close()
	return root.WriteFile(name, content, 0o600)
}

// Run runs terraform with args in the configuration directory, streaming its
// output to stdout and stderr.
func (w *Workspace) Run(ctx context.Context, stdout, stderr io.Writer, args ...string) error {
	p, err := w.Start(ctx, stdout, stderr, args...)
	if err != nil {
		return err
	}
	return p.Wait()
}

// Process is a terraform command started by Start.
type Process struct {
	cmd  *exec.Cmd
	args []string
}

// Start starts terraform with args as Run does and returns without waiting
// for it: the caller can watch the process while it runs, interrupt it, and
// must Wait for it.
func (w *Workspace) Start(ctx context.Context, stdout, stderr io.Writer, args ...string) (*Process, error) {
	//nolint:gosec // G204: running the Terraform CLI the caller named is this package's job.
	cmd := exec.CommandContext(ctx, w.terraform, append([]string{"-chdir=" + w.Dir}, args...)...)
	// Killing terraform outright would orphan its provider processes: ask it
	// to stop first, and kill it only if it has not within the grace period.
	cmd.Cancel = func() error { return interrupt(cmd.Process) }
	cmd.WaitDelay = w.stopGrace
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Env = append(cmd.Env,
		"TF_CLI_CONFIG_FILE="+w.cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	p := &Process{cmd: cmd, args: args}
	if err := cmd.Start(); err != nil {
		return nil, p.wrap(err)
	}
	return p, nil
}

// Pid is the terraform process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Interrupt asks terraform to stop as Ctrl-C would, once: it stops its
// providers and exits. Interrupting a process that has exited returns
// os.ErrProcessDone.
func (p *Process) Interrupt() error { return interrupt(p.cmd.Process) }

// Wait waits for terraform to exit (or for the context's grace period to
// run out) and returns its failure, if any.
func (p *Process) Wait() error {
	if err := p.cmd.Wait(); err != nil {
		return p.wrap(err)
	}
	return nil
}

// State is how terraform exited; nil before Wait has returned.
func (p *Process) State() *os.ProcessState { return p.cmd.ProcessState }

func (p *Process) wrap(err error) error {
	return fmt.Errorf("terraform %s: %w", strings.Join(p.args, " "), err)
}
