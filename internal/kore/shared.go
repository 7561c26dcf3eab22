package kore

import "context"

// shared answers key from the Client's result cache, or fetches it once for
// all concurrent callers asking the same key. Only successes are kept, for
// the Client's lifetime. Callers must copy what they hand out: the value is
// shared.
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
