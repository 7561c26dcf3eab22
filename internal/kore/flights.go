package kore

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// flights runs one fetch per key for all callers asking at the same time.
// The fetch's context is detached from every single caller, so one caller
// giving up does not fail the others, and it is cancelled once the last
// caller has given up, so abandoned work does not linger.
type flights struct {
	group singleflight.Group
	mu    sync.Mutex
	calls map[string]*call
}

// call is one fetch in flight and how many callers wait on it.
type call struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
}

func (f *flights) do(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("before asking KORE: %w", err)
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = make(map[string]*call)
	}
	cl := f.calls[key]
	if cl == nil {
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cl = &call{ctx: cctx, cancel: cancel}
		f.calls[key] = cl
	}
	cl.waiters++
	f.mu.Unlock()

	ch := f.group.DoChan(key, func() (any, error) {
		v, err := fetch(cl.ctx)
		f.mu.Lock()
		if f.calls[key] == cl {
			delete(f.calls, key)
		}
		f.mu.Unlock()
		cl.cancel()
		return v, err
	})

	select {
	case r := <-ch:
		f.mu.Lock()
		cl.waiters--
		f.mu.Unlock()
		return r.Val, r.Err
	case <-ctx.Done():
		f.mu.Lock()
		cl.waiters--
		if cl.waiters == 0 && f.calls[key] == cl {
			// Nobody is left: stop the work, and let the next caller start
			// afresh rather than join a fetch that is being cancelled.
			delete(f.calls, key)
			f.group.Forget(key)
			cl.cancel()
		}
		f.mu.Unlock()
		return nil, fmt.Errorf("waiting for KORE: %w", ctx.Err())
	}
}
