package tfrun

import (
	"errors"
	"os"
)

// interrupt asks p to stop as Ctrl-C would. Where interrupts cannot be sent
// (Windows) it kills p, the only stop there is.
func interrupt(p *os.Process) error {
	err := p.Signal(os.Interrupt)
	if err == nil || errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return p.Kill()
}
