package vendorsim

import (
	"net/http"
	"testing"
)

func TestFaultCycleIsDeterministic(t *testing.T) {
	s := New(Options{Seed: 1})
	s.SetFaults(Faults{Cycle: 5})
	var got []int
	for range 10 {
		in, ok := s.faults.draw()
		if !ok {
			in.status = http.StatusOK
		}
		got = append(got, in.status)
	}
	want := []int{429, 503, 502, 200, 200, 429, 503, 502, 200, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("cycle = %v, want %v", got, want)
		}
	}
}
