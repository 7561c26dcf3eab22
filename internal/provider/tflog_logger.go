package provider

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// newTflogLogger returns an hclog.Logger for the vendor clients whose lines go
// to tflog, so TF_LOG / TF_LOG_PROVIDER control them and the masks registered
// on ctx (secrets) apply to every line.
func newTflogLogger(ctx context.Context, vendor string) hclog.Logger {
	l := hclog.NewInterceptLogger(&hclog.LoggerOptions{Name: vendor, Output: io.Discard, Level: hclog.Trace})
	l.RegisterSink(tflogSink{ctx: ctx, vendor: vendor})
	return l
}

type tflogSink struct {
	ctx    context.Context
	vendor string
}

func (s tflogSink) Accept(_ string, level hclog.Level, msg string, args ...any) {
	fields := map[string]any{"vendor": s.vendor}
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		if d, ok := v.(time.Duration); ok {
			v = d.String() // "1.2s", where JSON would show nanoseconds as 1.2e+09
		}
		fields[fmt.Sprint(args[i])] = v
	}
	switch level {
	case hclog.Trace:
		tflog.Trace(s.ctx, msg, fields)
	case hclog.Debug:
		tflog.Debug(s.ctx, msg, fields)
	case hclog.Info, hclog.NoLevel, hclog.DefaultLevel:
		tflog.Info(s.ctx, msg, fields)
	case hclog.Warn:
		tflog.Warn(s.ctx, msg, fields)
	default:
		tflog.Error(s.ctx, msg, fields)
	}
}
