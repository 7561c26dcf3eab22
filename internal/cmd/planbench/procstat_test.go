package main

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "proc", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseProcStat(t *testing.T) {
	for _, tc := range []struct {
		file         string
		state        byte
		ppid         int
		utime, stime int64
	}{
		{"provider.stat", 'S', 41790, 431, 57},
		{"provider-zombie.stat", 'Z', 41790, 452, 61}, // a zombie keeps its final times
	} {
		s, err := parseProcStat(readFixture(t, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if s.State != tc.state || s.PPID != tc.ppid || s.UTime != tc.utime || s.STime != tc.stime {
			t.Errorf("%s: %+v, want state %c ppid %d utime %d stime %d", tc.file, s, tc.state, tc.ppid, tc.utime, tc.stime)
		}
	}
}

func TestParseProcStatCommandNameWithSpacesAndParentheses(t *testing.T) {
	// The command name is whatever the process calls itself: it can hold
	// ") (" and digits that would shift every field after it.
	line := "7 (a) 1 2 (b)) S 3 7 7 0 -1 0 0 0 0 0 11 22 0 0 20 0 1 0 5 0 0\n"
	s, err := parseProcStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if s.State != 'S' || s.PPID != 3 || s.UTime != 11 || s.STime != 22 {
		t.Errorf("%+v", s)
	}
}

func TestParseProcStatRejectsBrokenLines(t *testing.T) {
	for _, line := range []string{"", "7 no-parens S 1", "7 (x) S 1 2 3", "7 (x) S one 7 7 0 -1 0 0 0 0 0 1 2", "7 (x) "} {
		if s, err := parseProcStat([]byte(line)); err == nil {
			t.Errorf("%q parsed as %+v", line, s)
		}
	}
}

func TestParseVmHWM(t *testing.T) {
	hwm, err := parseVmHWM(readFixture(t, "provider.status"))
	if err != nil || hwm != 88412*1024 {
		t.Errorf("VmHWM = %d, %v; want %d", hwm, err, 88412*1024)
	}
	// A zombie's status has no Vm lines; VmPeak is the peak of the virtual
	// size, not of the RSS, and is never taken for it.
	for _, status := range [][]byte{readFixture(t, "provider-zombie.status"), []byte("VmPeak:\t 1454736 kB\nVmRSS:\t 86160 kB\n")} {
		if _, err := parseVmHWM(status); !errors.Is(err, errNoHWM) {
			t.Errorf("%.40q: %v, want errNoHWM", status, err)
		}
	}
	for _, bad := range []string{"VmHWM:\t12 MB\n", "VmHWM:\tlots kB\n", "VmHWM:\n"} {
		if _, err := parseVmHWM([]byte(bad)); err == nil || errors.Is(err, errNoHWM) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// auxv builds an auxiliary vector of (key, value) words.
func auxv(wordSize int, order binary.AppendByteOrder, pairs ...uint64) []byte {
	var b []byte
	for _, w := range pairs {
		if wordSize == 4 {
			b = order.AppendUint32(b, uint32(w))
		} else {
			b = order.AppendUint64(b, w)
		}
	}
	return b
}

func TestParseAuxvClockTicks(t *testing.T) {
	const atPageSz, atClkTck = 6, 17
	for _, tc := range []struct {
		name     string
		b        []byte
		wordSize int
		order    binary.ByteOrder
		hz       int64
		ok       bool
	}{
		{"64-bit little endian", auxv(8, binary.LittleEndian, atPageSz, 4096, atClkTck, 100, 0, 0), 8, binary.LittleEndian, 100, true},
		{"32-bit big endian", auxv(4, binary.BigEndian, atClkTck, 250, 0, 0), 4, binary.BigEndian, 250, true},
		{"absent", auxv(8, binary.LittleEndian, atPageSz, 4096, 0, 0), 8, binary.LittleEndian, 0, false},
		{"after AT_NULL", auxv(8, binary.LittleEndian, 0, 0, atClkTck, 100), 8, binary.LittleEndian, 0, false},
		{"zero", auxv(8, binary.LittleEndian, atClkTck, 0, 0, 0), 8, binary.LittleEndian, 0, false},
		{"truncated", auxv(8, binary.LittleEndian, atClkTck, 100)[:12], 8, binary.LittleEndian, 0, false},
	} {
		hz, ok := parseAuxvClockTicks(tc.b, tc.wordSize, tc.order)
		if hz != tc.hz || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.name, hz, ok, tc.hz, tc.ok)
		}
	}
}

func TestTicksToDuration(t *testing.T) {
	if d := ticksToDuration(431, 100); d != 4310*time.Millisecond {
		t.Errorf("431 ticks at 100 Hz = %v", d)
	}
	if d := ticksToDuration(3, 250); d != 12*time.Millisecond {
		t.Errorf("3 ticks at 250 Hz = %v", d)
	}
}
