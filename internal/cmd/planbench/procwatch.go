package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
)

// sampleEvery is how often the watcher samples the provider processes.
const sampleEvery = 20 * time.Millisecond

// providerUsage is what the provider processes of one plan cost: the sum of
// their CPU time and the largest of their peak resident set sizes. Terraform
// may start the provider more than once in a plan (to validate, then to
// plan), so Processes says how many there were.
type providerUsage struct {
	NA        string // why there are no figures; "" when there are
	Processes int
	User, Sys time.Duration
	PeakRSS   int64 // bytes: the largest VmHWM of any of them
	// MostlyDone is the first sample by which they had used 95% of their
	// CPU time: when the provider's work was over, to within a sampling
	// interval. Terraform keeps its providers running, idle, until the end
	// of the plan, and stopping them costs a little CPU, hence not 100%.
	MostlyDone time.Time
}

// CPU is user plus system time.
func (u providerUsage) CPU() time.Duration { return u.User + u.Sys }

// terraformUsage is what the terraform process itself cost, without its
// providers (its children): its own utime, stime and VmHWM, as last sampled
// by the watcher. Seen is false when it was never sampled.
type terraformUsage struct {
	Seen      bool
	User, Sys time.Duration
	PeakRSS   int64 // bytes: terraform's VmHWM
}

// CPU is user plus system time.
func (u terraformUsage) CPU() time.Duration { return u.User + u.Sys }

// providerWatch samples, every sampleEvery, every process that runs the
// provider binary and descends from terraform, and terraform itself, until
// Stop.
//
// Each process's figures are those of its last sample: utime+stime from
// /proc/<pid>/stat and VmHWM, the kernel's own peak-RSS high-water mark,
// from /proc/<pid>/status. The peak is therefore exact unless the process
// grew in its last interval, and its CPU time may be short by at most what it
// spent in its last sampling interval (about 20 ms of wall time; a process
// also stays readable as a zombie until terraform reaps it, which narrows the
// gap). A process that starts and exits between two samples is not seen.
type providerWatch struct {
	proc   string      // the proc file system, "/proc" but for tests
	root   int         // terraform's pid
	binary os.FileInfo // the provider binary, to compare with /proc/<pid>/exe
	hz     int64       // clock ticks per second of utime and stime

	known  map[int]*watchedProc // the processes of the last listing
	exited []watchedProc        // providers no longer listed, as last sampled
	series []cpuSample          // whenever the total changed
	term   watchedProc          // terraform itself (root), as last sampled
	err    error                // the first failure to list processes

	now func() time.Time

	stop chan struct{}
	done chan struct{}
	once sync.Once
	na   string // set when nothing can be watched
}

// watchedProc is one listed process.
type watchedProc struct {
	ppid       int
	classified bool // descendant is known
	descendant bool // of root
	provider   bool // descendant running the binary
	sampled    bool
	utime      int64 // clock ticks
	stime      int64
	hwm        int64 // bytes
}

// cpuSample is the providers' CPU time, all together, at one scan.
type cpuSample struct {
	at    time.Time
	ticks int64
}

// watchProviders starts sampling the providers that terraform (pid root)
// starts from binary. Where there is no Linux /proc the watch reports "n/a".
func watchProviders(root int, binary string) *providerWatch {
	w := newProviderWatch("/proc", root, binary)
	if w.na == "" && runtime.GOOS != "linux" {
		w.na = "needs Linux's /proc"
	}
	w.start(sampleEvery)
	return w
}

// newProviderWatch prepares a watch of the proc file system at proc.
func newProviderWatch(proc string, root int, binary string) *providerWatch {
	w := &providerWatch{proc: proc, root: root, known: map[int]*watchedProc{}, now: time.Now,
		stop: make(chan struct{}), done: make(chan struct{})}
	fi, err := os.Stat(binary)
	if err != nil {
		w.na = "provider binary: " + err.Error()
		return w
	}
	w.binary = fi
	if _, err := os.Stat(filepath.Join(proc, "self", "stat")); err != nil {
		w.na = "no /proc to read"
		return w
	}
	w.hz = clockTicks(proc)
	return w
}

// clockTicks is AT_CLKTCK from the auxiliary vector, or USER_HZ's usual 100.
func clockTicks(proc string) int64 {
	b, err := os.ReadFile(filepath.Join(proc, "self", "auxv"))
	if err == nil {
		if hz, ok := parseAuxvClockTicks(b, strconv.IntSize/8, binary.NativeEndian); ok {
			return hz
		}
	}
	return defaultClockTicks
}

func (w *providerWatch) start(every time.Duration) {
	if w.na != "" {
		close(w.done)
		return
	}
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.scan()
			select {
			case <-w.stop:
				w.scan() // one last look after terraform exited
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the watch, once terraform has exited, and returns the figures.
func (w *providerWatch) Stop() providerUsage {
	w.once.Do(func() { close(w.stop) })
	<-w.done
	return w.usage()
}

// scan lists the processes, classifies the new ones and samples the
// providers. A pid listed in consecutive scans is taken to be the same
// process: a pid is not reused within one interval.
func (w *providerWatch) scan() {
	entries, err := os.ReadDir(w.proc)
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		return
	}
	listed := make(map[int]bool, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		if _, ok := w.known[pid]; ok {
			listed[pid] = true
			continue
		}
		st, err := w.readStat(pid)
		if err != nil {
			continue // it exited since the listing
		}
		listed[pid] = true
		w.known[pid] = &watchedProc{ppid: st.PPID}
	}
	for pid, p := range w.known {
		if !listed[pid] {
			if p.provider && p.sampled {
				w.exited = append(w.exited, *p)
			}
			delete(w.known, pid)
		}
	}
	for pid := range w.known {
		w.classify(pid)
	}
	if p := w.known[w.root]; p != nil {
		// terraform's own figures: /proc/<pid>/stat's utime and stime leave
		// out its children's, so these exclude the providers'.
		w.sample(w.root, p)
		if p.sampled {
			w.term = *p
		}
	}
	for pid, p := range w.known {
		if !p.descendant {
			continue
		}
		if !p.provider {
			// Checked on every scan until it is one: a child of terraform
			// runs terraform's binary until it has exec'd the provider.
			fi, err := os.Stat(filepath.Join(w.proc, strconv.Itoa(pid), "exe"))
			p.provider = err == nil && os.SameFile(fi, w.binary)
		}
		if p.provider {
			w.sample(pid, p)
		}
	}
	if ticks := w.ticks(); len(w.series) == 0 && ticks > 0 || len(w.series) > 0 && ticks != w.series[len(w.series)-1].ticks {
		w.series = append(w.series, cpuSample{at: w.now(), ticks: ticks})
	}
}

// providers are the providers seen, as last sampled.
func (w *providerWatch) providers() []watchedProc {
	procs := slices.Clone(w.exited)
	for _, p := range w.known {
		if p.provider && p.sampled {
			procs = append(procs, *p)
		}
	}
	return procs
}

// ticks is the providers' CPU time so far.
func (w *providerWatch) ticks() int64 {
	var n int64
	for _, p := range w.providers() {
		n += p.utime + p.stime
	}
	return n
}

// classify decides whether pid descends from root by following parents
// through the listed processes.
func (w *providerWatch) classify(pid int) bool {
	p := w.known[pid]
	if p.classified {
		return p.descendant
	}
	p.classified = true // also guards against a cycle in a broken listing
	switch {
	case pid == w.root:
		p.descendant = false
	case p.ppid == w.root:
		p.descendant = true
	case w.known[p.ppid] != nil:
		p.descendant = w.classify(p.ppid)
	}
	return p.descendant
}

func (w *providerWatch) readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(filepath.Join(w.proc, strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(b)
}

// sample updates p from its stat and status files. A zombie has no VmHWM
// any more but its final CPU times, so each figure is kept from the last
// read that had it.
func (w *providerWatch) sample(pid int, p *watchedProc) {
	if st, err := w.readStat(pid); err == nil {
		p.utime, p.stime, p.sampled = st.UTime, st.STime, true
	}
	if b, err := os.ReadFile(filepath.Join(w.proc, strconv.Itoa(pid), "status")); err == nil {
		if hwm, err := parseVmHWM(b); err == nil {
			p.hwm = max(p.hwm, hwm)
		}
	}
}

// Terraform is terraform's own figures, after Stop. Like a provider's, its
// CPU time may be short by what it spent in its last sampling interval, and
// its peak is exact unless it grew in that interval.
func (w *providerWatch) Terraform() terraformUsage {
	if w.na != "" || w.err != nil || !w.term.sampled {
		return terraformUsage{}
	}
	return terraformUsage{Seen: true, User: ticksToDuration(w.term.utime, w.hz), Sys: ticksToDuration(w.term.stime, w.hz),
		PeakRSS: w.term.hwm}
}

// usage sums the providers' last samples.
func (w *providerWatch) usage() providerUsage {
	if w.na != "" {
		return providerUsage{NA: w.na}
	}
	if w.err != nil {
		return providerUsage{NA: fmt.Sprintf("listing processes: %v", w.err)}
	}
	procs := w.providers()
	if len(procs) == 0 {
		return providerUsage{NA: "no provider process seen"}
	}
	var u providerUsage
	var utime, stime int64
	for _, p := range procs {
		utime += p.utime
		stime += p.stime
		u.PeakRSS = max(u.PeakRSS, p.hwm)
	}
	u.Processes = len(procs)
	u.User, u.Sys = ticksToDuration(utime, w.hz), ticksToDuration(stime, w.hz)
	for _, c := range w.series {
		if c.ticks*100 >= (utime+stime)*95 {
			u.MostlyDone = c.at
			break
		}
	}
	return u
}
