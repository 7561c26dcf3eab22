package provider

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// TestClientLoggerMasksSecrets: whatever a client logs through the adapter,
// the credential and any bearer token come out masked.
func TestClientLoggerMasksSecrets(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	logger := newTflogLogger(maskSecrets(ctx, "s3cret-value"), "kore", &httpx.Redactor{})
	logger.Debug("request with s3cret-value", "authorization", "Bearer eyJhbGciOi.payload.sig", "note", "bearer abc123")
	logged := out.String()
	if logged == "" || !strings.Contains(logged, "request with") {
		t.Fatalf("nothing logged: %q", logged)
	}
	for _, secret := range []string{"s3cret-value", "eyJhbGciOi", "abc123"} {
		if strings.Contains(logged, secret) {
			t.Errorf("log shows %q: %s", secret, logged)
		}
	}
}

// TestClientLoggerWritesDurationsAsDurations: the plugin protocol carries
// log fields as JSON, where a time.Duration would read as 1.2e+09.
func TestClientLoggerWritesDurationsAsDurations(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	newTflogLogger(ctx, "kore", &httpx.Redactor{}).Debug("request", "duration", 1200*time.Millisecond)
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries %v, err %v", entries, err)
	}
	if got := entries[0]["duration"]; got != "1.2s" {
		t.Fatalf("duration logged as %#v, want \"1.2s\"", got)
	}
}

// TestClientLoggerRedactsEveryEncoding: a secret in a path (escaped), in an
// error, or as a SIM name is scrubbed from every line, message and fields.
func TestClientLoggerRedactsEveryEncoding(t *testing.T) {
	const secret = "s3c+r/t=&%x"
	var secrets httpx.Redactor
	secrets.Add(secret)
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	logger := newTflogLogger(ctx, "kore", &secrets)
	logger.Trace("page read for "+secret, "path", "/v1/Sims/"+url.PathEscape(secret)+"/UsageRecords",
		"query", "UniqueName="+url.QueryEscape(secret), "err", errors.New("SIM "+secret+" failed"), secret, 1)
	logged := out.String()
	if !strings.Contains(logged, "page read for") {
		t.Fatalf("nothing logged: %q", logged)
	}
	for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret)} {
		if strings.Contains(logged, form) {
			t.Errorf("log shows %q: %s", form, logged)
		}
	}
}

// TestClientLoggerWritesOnlyWhenSomeoneReads: with no logging variable set,
// the CLI throws a provider's lines away, so the clients' logger writes none;
// each variable that turns provider logs on brings them back.
func TestClientLoggerWritesOnlyWhenSomeoneReads(t *testing.T) {
	for _, on := range append([]string{""}, providerLogVariables...) {
		t.Run("with "+cmp.Or(on, "none"), func(t *testing.T) {
			for _, name := range providerLogVariables {
				t.Setenv(name, "")
			}
			if on != "" {
				t.Setenv(on, "DEBUG")
			}
			var out bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &out)
			newTflogLogger(ctx, "kore", &httpx.Redactor{}).Debug("request", "path", "/v1/Sims")
			if logged := out.Len() > 0; logged != (on != "") {
				t.Errorf("logged %v (%q), want %v", logged, out.String(), on != "")
			}
		})
	}
}
