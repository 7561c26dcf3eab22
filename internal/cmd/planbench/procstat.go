package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// This file reads the two /proc files the provider watcher samples. The
// parsers take the files' bytes, so that tests feed them fixtures.

// procStat is what the watcher uses of /proc/<pid>/stat.
type procStat struct {
	State        byte // R, S, D, Z (zombie: exited, not yet reaped), ...
	PPID         int
	UTime, STime int64 // clock ticks spent in user and kernel mode
}

// parseProcStat reads /proc/<pid>/stat (proc(5)). The second field, the
// command name in parentheses, may itself hold spaces and parentheses, so
// the fields are counted from the last ')'.
func parseProcStat(b []byte) (procStat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, errors.New("stat: no command name")
	}
	// After ")": field 3 (state), 4 (ppid), ... 14 (utime), 15 (stime).
	f := bytes.Fields(b[i+1:])
	const state, ppid, utime, stime = 3, 4, 14, 15
	field := func(n int) (int64, error) {
		if n-state >= len(f) {
			return 0, fmt.Errorf("stat: %d fields, no field %d", len(f)+state-1, n)
		}
		return strconv.ParseInt(string(f[n-state]), 10, 64)
	}
	var s procStat
	if len(f) == 0 || len(f[0]) != 1 {
		return procStat{}, errors.New("stat: no state")
	}
	s.State = f[0][0]
	p, err := field(ppid)
	if err != nil {
		return procStat{}, err
	}
	s.PPID = int(p)
	if s.UTime, err = field(utime); err != nil {
		return procStat{}, err
	}
	if s.STime, err = field(stime); err != nil {
		return procStat{}, err
	}
	return s, nil
}

// errNoHWM: the status file has no VmHWM line, as for a zombie or a kernel
// thread.
var errNoHWM = errors.New("status: no VmHWM")

// parseVmHWM reads the peak resident set size, VmHWM (the kernel's
// high-water mark), from /proc/<pid>/status, in bytes.
func parseVmHWM(b []byte) (int64, error) {
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("status: VmHWM %q", rest)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("status: VmHWM: %w", err)
		}
		return kb * 1024, nil // the kernel's kB are KiB
	}
	return 0, errNoHWM
}

// defaultClockTicks is USER_HZ on every Linux architecture Go runs on; the
// auxiliary vector says so for certain when it can be read.
const defaultClockTicks = 100

// parseAuxvClockTicks finds AT_CLKTCK, the clock ticks per second that
// /proc/<pid>/stat counts in, in the auxiliary vector (/proc/self/auxv): pairs
// of native-endian words, of the given size in bytes, ending in AT_NULL.
func parseAuxvClockTicks(b []byte, wordSize int, order binary.ByteOrder) (int64, bool) {
	const atNull, atClkTck = 0, 17
	word := func(p []byte) uint64 {
		if wordSize == 4 {
			return uint64(order.Uint32(p))
		}
		return order.Uint64(p)
	}
	for ; len(b) >= 2*wordSize; b = b[2*wordSize:] {
		key, val := word(b), word(b[wordSize:])
		switch key {
		case atNull:
			return 0, false
		case atClkTck:
			if val == 0 || val > 1_000_000 {
				return 0, false
			}
			return int64(val), true
		}
	}
	return 0, false
}

// ticksToDuration converts clock ticks at hz per second.
func ticksToDuration(ticks, hz int64) time.Duration {
	return time.Duration(ticks) * time.Second / time.Duration(hz)
}
