package httpx

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

// TestRequestLogsUseTheCallersLogger: a request logs through the logger its
// context carries (the read's), not the one the client was built with.
func TestRequestLogsUseTheCallersLogger(t *testing.T) {
	srv := statusServer(t, http.StatusOK)
	var built, read bytes.Buffer
	cfg := quick()
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Name: "kore", Output: &built, Level: hclog.Debug})
	c := NewClient(cfg)
	readLogger := hclog.New(&hclog.LoggerOptions{Name: "read", Output: &read, Level: hclog.Debug})
	if _, _, err := get(WithLogger(context.Background(), readLogger), t, c, srv.URL); err != nil {
		t.Fatal(err)
	}
	if built.Len() != 0 || !strings.Contains(read.String(), "request") || !strings.Contains(read.String(), "kore") {
		t.Fatalf("built-with logger got %q; read logger got %q", built.String(), read.String())
	}
}

// TestSlowBodyNamesTheRequestTimeout: a body that trickles past the
// per-attempt timeout fails with an error that names that setting.
func TestSlowBodyNamesTheRequestTimeout(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		for range 100 {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			select {
			case <-time.After(20 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	cfg := quick()
	cfg.RequestTimeout = 500 * time.Millisecond // headers come at once; the body takes 2 s
	c := NewClient(cfg)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadBody(resp, MaxBodyBytes)
	if err == nil || !strings.Contains(err.Error(), "request timeout of 500ms") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one that names the request timeout", err)
	}
}
