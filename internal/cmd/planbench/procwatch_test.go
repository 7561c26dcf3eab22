package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as a provider to watch: started with burnEnv set,
// it spends CPU and touches memory, says so on its standard output, and
// exits once its standard input is closed.
const burnEnv = "PLANBENCH_TEST_BURN"

// burnDone is the line burn writes when its work is done.
const burnDone = "burnt"

func TestMain(m *testing.M) {
	if os.Getenv(burnEnv) != "" {
		burn()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// burnMiB is how much memory burn touches.
const burnMiB = 64

var sink []byte

func burn() {
	sink = make([]byte, burnMiB<<20)
	for i := range sink {
		sink[i] = byte(i)
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	x := uint64(1)
	for time.Now().Before(deadline) {
		for range 10000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink[0] = byte(x)
	fmt.Println(burnDone)
	_, _ = io.Copy(io.Discard, os.Stdin) // at rest until the test has looked
}

// fakeProc is a proc file system in a directory.
type fakeProc struct {
	t    *testing.T
	root string
}

func newFakeProc(t *testing.T) fakeProc {
	p := fakeProc{t: t, root: t.TempDir()}
	p.write("self", "stat", "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n")
	p.write("self", "auxv", string(auxv(strconv.IntSize/8, nativeOrder(), 17, 100, 0, 0)))
	return p
}

func (p fakeProc) write(pid, name, content string) {
	p.t.Helper()
	dir := filepath.Join(p.root, pid)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		p.t.Fatal(err)
	}
}

// process lays out a process: its stat, its status with a VmHWM (none when
// hwmKB < 0, as for a zombie) and its exe link to binary.
func (p fakeProc) process(pid, ppid int, binary string, utime, stime, hwmKB int64) {
	p.t.Helper()
	id := strconv.Itoa(pid)
	state := "S"
	if hwmKB < 0 {
		state = "Z"
	}
	p.write(id, "stat", fmt.Sprintf("%d (%s) %s %d %d %d 0 -1 0 0 0 0 0 %d %d 0 0 20 0 1 0 5 0 0\n",
		pid, filepath.Base(binary), state, ppid, ppid, ppid, utime, stime))
	status := fmt.Sprintf("Name:\t%s\nPid:\t%d\nPPid:\t%d\n", filepath.Base(binary), pid, ppid)
	if hwmKB >= 0 {
		status += fmt.Sprintf("VmPeak:\t 9999999 kB\nVmHWM:\t %d kB\nVmRSS:\t 1 kB\n", hwmKB)
	}
	p.write(id, "status", status)
	exe := filepath.Join(p.root, id, "exe")
	_ = os.Remove(exe)
	if err := os.Symlink(binary, exe); err != nil {
		p.t.Skipf("no symlinks here: %v", err)
	}
}

func (p fakeProc) exit(pid int) {
	if err := os.RemoveAll(filepath.Join(p.root, strconv.Itoa(pid))); err != nil {
		p.t.Fatal(err)
	}
}

func touch(t *testing.T, path string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProviderWatchFollowsTerraformsProviders(t *testing.T) {
	bins := t.TempDir()
	provider := touch(t, filepath.Join(bins, "terraform-provider-usage"))
	terraform := touch(t, filepath.Join(bins, "terraform"))
	other := touch(t, filepath.Join(bins, "other"))
	// The provider binary reached through a symbolic link is the same file.
	link := filepath.Join(t.TempDir(), "provider-link")
	if err := os.Symlink(provider, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}

	p := newFakeProc(t)
	p.process(1, 0, other, 0, 0, 10)
	p.process(100, 1, terraform, 500, 50, 200000)  // terraform, the root
	p.process(101, 100, provider, 431, 57, 88412)  // the validate provider
	p.process(102, 100, terraform, 0, 0, 1000)     // forked, not yet exec'd
	p.process(200, 1, provider, 9000, 900, 999999) // another terraform's provider
	p.process(201, 200, provider, 9000, 900, 999999)

	w := newProviderWatch(p.root, 100, link)
	if w.na != "" {
		t.Fatalf("n/a: %s", w.na)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	scans := 0
	w.now = func() time.Time { return t0.Add(time.Duration(scans) * time.Second) }
	w.scan()
	scans++
	if u := w.usage(); u.Processes != 1 || u.CPU() != 4880*time.Millisecond || u.PeakRSS != 88412*1024 {
		t.Fatalf("after the first scan: %+v", u)
	}

	p.process(101, 100, provider, 452, 61, -1)  // a zombie: final times, no VmHWM
	p.process(102, 100, provider, 20, 5, 40000) // exec'd the provider
	p.process(103, 102, provider, 7, 3, 120000) // a grandchild running it too
	w.scan()                                    // at 1 s
	scans++
	p.exit(101)
	p.exit(103)
	w.scan() // at 2 s
	scans++
	p.process(102, 100, provider, 20, 5, -1) // a zombie at 3 s: 95% of the CPU was used by 1 s
	p.process(100, 1, terraform, 900, 70, 300000)
	w.scan()
	scans++
	p.exit(102)
	p.exit(100) // terraform reaped: its last sample stands
	w.scan()

	u := w.usage()
	want := providerUsage{Processes: 3, User: (452 + 20 + 7) * 10 * time.Millisecond, Sys: (61 + 5 + 3) * 10 * time.Millisecond,
		PeakRSS: 120000 * 1024, MostlyDone: t0.Add(time.Second)}
	if u != want {
		t.Fatalf("usage %+v, want %+v", u, want)
	}
	// terraform's own figures, its providers' left out: its stat's utime
	// and stime count none of its children's.
	wantTF := terraformUsage{Seen: true, User: 9 * time.Second, Sys: 700 * time.Millisecond, PeakRSS: 300000 * 1024}
	if tf := w.Terraform(); tf != wantTF {
		t.Fatalf("terraform %+v, want %+v", tf, wantTF)
	}
}

func TestProviderWatchNA(t *testing.T) {
	bins := t.TempDir()
	provider := touch(t, filepath.Join(bins, "terraform-provider-usage"))

	p := newFakeProc(t)
	p.process(100, 1, touch(t, filepath.Join(bins, "terraform")), 1, 1, 1)
	w := newProviderWatch(p.root, 100, provider)
	w.scan()
	if u := w.usage(); u.NA != "no provider process seen" {
		t.Errorf("no provider: %+v", u)
	}
	if tf := w.Terraform(); !tf.Seen || tf.CPU() != 20*time.Millisecond || tf.PeakRSS != 1024 {
		t.Errorf("terraform without providers: %+v", tf)
	}
	if tf := newProviderWatch(p.root, 999, provider).Terraform(); tf.Seen {
		t.Errorf("a terraform never sampled: %+v", tf)
	}
	if u := newProviderWatch(p.root, 100, filepath.Join(bins, "missing")).usage(); u.NA == "" {
		t.Errorf("missing binary: %+v", u)
	}
	if u := newProviderWatch(t.TempDir(), 100, provider).usage(); u.NA != "no /proc to read" {
		t.Errorf("no /proc: %+v", u)
	}
	stopped := newProviderWatch(filepath.Join(t.TempDir(), "gone"), 100, provider)
	stopped.start(time.Millisecond)
	if u := stopped.Stop(); u.NA == "" {
		t.Errorf("stopping a watch of nothing: %+v", u)
	}
}

// TestWatchProvidersOfARealChild samples a real process through Linux's /proc:
// a child of this test running this test's binary, which spends about 0.3 s
// of CPU and touches 64 MiB. The watch stops while the child is at rest
// after its work, so its last look (Stop scans once more) sees all of it,
// however late the periodic samples come on a loaded machine.
func TestWatchProvidersOfARealChild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux's /proc")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), self, "-test.run=^$")
	cmd.Env = append(os.Environ(), burnEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := watchProviders(os.Getpid(), self)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != burnDone {
		t.Fatalf("the child said %q (%v), not that its work was done", line, err)
	}
	u := w.Stop()
	if err := stdin.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if u.NA != "" || u.Processes != 1 {
		t.Fatalf("usage %+v", u)
	}
	// The kernel's own accounting, from the wait, bounds the sample from
	// above; the sample, taken after the work, misses only what the child
	// spent to exit and the clock ticks' rounding.
	exact := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if u.CPU() < exact*9/10-20*time.Millisecond || u.CPU() > exact+10*time.Millisecond {
		t.Errorf("CPU %v; the kernel says %v", u.CPU(), exact)
	}
	if u.PeakRSS < burnMiB<<20 || u.PeakRSS > 4*burnMiB<<20 {
		t.Errorf("peak RSS %d bytes for %d MiB touched", u.PeakRSS, burnMiB)
	}
}

func nativeOrder() binary.AppendByteOrder { return binary.NativeEndian }
