package kore

import (
	"context"
	"fmt"
)

// sharedAs answers key from the Client's result cache, or fetches it once
// for all concurrent callers asking the same key. Only successes are kept,
// for the Client's lifetime. Callers must copy what they hand out: the value
// is shared.
func sharedAs[T any](ctx context.Context, c *Client, key string, fetch func(context.Context) (T, error)) (T, error) {
	v, err := c.shared(ctx, key, func(ctx context.Context) (any, error) { return fetch(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return valueAs[T](v)
}

func (c *Client) shared(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	if v, ok := c.cachedResult(key); ok {
		return v, nil
	}
	return c.flights.do(ctx, key, func(ctx context.Context) (any, error) {
		if v, ok := c.cachedResult(key); ok { // a fetch for key may have just finished
			return v, nil
		}
		v, err := fetch(ctx)
		if err == nil {
			c.mu.Lock()
			c.results[key] = v
			c.mu.Unlock()
		}
		return v, err
	})
}

func (c *Client) cachedResult(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.results[key]
	return v, ok
}

// valueAs recovers the type of a value that went through a cache or a
// flight as any. Keys carry their kind, so a mismatch would be a bug in this
// package; it is reported, not a panic.
func valueAs[T any](v any) (T, error) {
	t, ok := v.(T)
	if !ok {
		return t, fmt.Errorf("KORE client bug: a shared answer is a %T, not a %T", v, t)
	}
	return t, nil
}
