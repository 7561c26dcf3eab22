package httpx

import (
	"context"

	"github.com/hashicorp/go-hclog"
)

type loggerKey struct{}

// WithLogger returns ctx carrying logger, so that the requests made for one
// read log through that read's logger (in the provider, tflog bound to the
// read's RPC) rather than the one the client was built with.
func WithLogger(ctx context.Context, logger hclog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, logger)
}

// Logger is the logger ctx carries, named like fallback, or fallback itself.
func Logger(ctx context.Context, fallback hclog.Logger) hclog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(hclog.Logger); ok && l != nil {
		if name := fallback.Name(); name != "" {
			return l.ResetNamed(name)
		}
		return l
	}
	return fallback
}
