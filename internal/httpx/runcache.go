package httpx

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Identical questions answered once: a run-long cache over shared flights.

// Flights runs one fetch per key for all callers asking at the same time.
// The fetch's context is detached from every single caller, so one caller
// giving up does not fail the others, and it is cancelled once the last
// caller has given up, so abandoned work does not linger. The zero value is
// ready to use.
type Flights[T any] struct {
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

// Do returns fetch's answer for key, shared with every concurrent caller of
// the same key.
func (f *Flights[T]) Do(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("before sending the request: %w", err)
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
	// Joining the group under the lock keeps the two in step: a call found
	// in f.calls is still in the group, or its answer is on its way.
	ch := f.group.DoChan(key, func() (any, error) {
		f.mu.Lock()
		if cl.ctx.Err() != nil {
			// The call this caller joined ended before the caller reached
			// the group, which so starts a fetch of its own: with a context
			// of its own, not the ended call's cancelled one.
			cl.ctx, cl.cancel = context.WithCancel(context.WithoutCancel(ctx))
			f.calls[key] = cl
		}
		fctx := cl.ctx
		f.mu.Unlock()
		v, err := fetch(fctx)
		f.mu.Lock()
		if f.calls[key] == cl {
			delete(f.calls, key)
		}
		cancel := cl.cancel
		f.mu.Unlock()
		cancel()
		return v, err
	})
	f.mu.Unlock()

	select {
	case r := <-ch:
		f.mu.Lock()
		if cl.waiters--; cl.waiters == 0 && f.calls[key] == cl {
			// A call registered while the group was still answering an
			// ended one: no fetch of its own ever ran.
			delete(f.calls, key)
			cl.cancel()
		}
		f.mu.Unlock()
		if r.Err != nil {
			return zero, r.Err
		}
		v, ok := r.Val.(T)
		if !ok { // only fetch fills a flight of T; reported, never a panic
			return zero, fmt.Errorf("shared request answered a %T, not a %T", r.Val, zero)
		}
		return v, nil
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
		return zero, fmt.Errorf("waiting for a shared request: %w", ctx.Err())
	}
}

// RunCache answers each key once: concurrent callers share one fetch
// (Flights), and a successful answer is kept for the life of the RunCache, in
// the provider one Terraform run. Failures are not kept. Callers must copy
// what they hand out: the value is shared. The zero value is ready to use.
type RunCache[T any] struct {
	flights Flights[T]
	mu      sync.Mutex
	results map[string]T
}

// Do returns the kept answer for key, or fetches it once for all callers.
func (s *RunCache[T]) Do(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	if v, ok := s.kept(key); ok {
		return v, nil
	}
	return s.flights.Do(ctx, key, func(ctx context.Context) (T, error) {
		if v, ok := s.kept(key); ok { // a fetch for key may have just finished
			return v, nil
		}
		v, err := fetch(ctx)
		if err == nil {
			s.mu.Lock()
			if s.results == nil {
				s.results = make(map[string]T)
			}
			s.results[key] = v
			s.mu.Unlock()
		}
		return v, err
	})
}

// Share is Do for an answer that is not worth keeping: it is taken from the
// kept answers or shared with a fetch in flight, but a fetch of its own is
// not kept. A fleet read asks tens of thousands of questions nobody asks
// again, and keeping every answer for the run would hold all of them in
// memory until the command ends.
func (s *RunCache[T]) Share(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	if v, ok := s.kept(key); ok {
		return v, nil
	}
	return s.flights.Do(ctx, key, func(ctx context.Context) (T, error) {
		if v, ok := s.kept(key); ok {
			return v, nil
		}
		return fetch(ctx)
	})
}

func (s *RunCache[T]) kept(key string) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.results[key]
	return v, ok
}
