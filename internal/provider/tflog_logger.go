package provider

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// newTflogLogger returns an hclog.Logger for the vendor clients whose lines go
// to tflog, so TF_LOG / TF_LOG_PROVIDER control them. Every message and
// field passes secrets, which knows each credential in every encoded form
// (a path holds a SIM name path-escaped, and a SIM may be named anything),
// and the masks registered on ctx apply on top.
//
// When no logging variable is set, Terraform and OpenTofu discard every line
// a provider writes, so the logger is a null one: a fleet read logs two lines
// per SIM, and formatting them as JSON for nobody was a quarter of the
// provider's CPU.
func newTflogLogger(ctx context.Context, vendor string, secrets *httpx.Redactor) hclog.Logger {
	if !providerLogsShown() {
		return hclog.NewNullLogger()
	}
	// The intercept logger's own output is discarded, so it is Off: at any
	// other level it would format every line only to throw it away. Its
	// sinks still receive every line at every level.
	l := hclog.NewInterceptLogger(&hclog.LoggerOptions{Name: vendor, Output: io.Discard, Level: hclog.Off})
	l.RegisterSink(tflogSink{ctx: ctx, vendor: vendor, secrets: secrets})
	return l
}

// providerLogVariables turn a provider's log lines on: the CLI's own
// (TF_LOG for everything, TF_LOG_PROVIDER for providers) and the one
// terraform-plugin-go reads for this provider alone. With none of them set,
// logging is off for every subsystem.
var providerLogVariables = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_USAGE"}

// providerLogsShown reports whether anyone will read the provider's log
// lines. Any value counts, even one the CLI does not know (it logs at TRACE
// then); so does OFF, which costs lines nobody reads, never a line missing.
func providerLogsShown() bool {
	for _, name := range providerLogVariables {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

type tflogSink struct {
	ctx     context.Context
	vendor  string
	secrets *httpx.Redactor
}

func (s tflogSink) Accept(_ string, level hclog.Level, msg string, args ...any) {
	fields := map[string]any{"vendor": s.vendor}
	for i := 0; i+1 < len(args); i += 2 {
		var v any
		switch x := args[i+1].(type) {
		case time.Duration:
			v = x.String() // "1.2s", where JSON would show nanoseconds as 1.2e+09
		case string:
			v = s.secrets.Redact(x)
		case error:
			v = s.secrets.Redact(x.Error())
		case fmt.Stringer:
			v = s.secrets.Redact(x.String())
		default:
			v = x
		}
		fields[s.secrets.Redact(fmt.Sprint(args[i]))] = v
	}
	msg = s.secrets.Redact(msg)
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
