package httpx

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// headerRecorder remembers the headers of the last request it answered.
type headerRecorder struct {
	mu   sync.Mutex
	last http.Header
}

func (h *headerRecorder) serve(t *testing.T) *countingServer {
	return newCountingServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		h.mu.Lock()
		h.last = r.Header.Clone()
		h.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
}

func (h *headerRecorder) get(name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last.Get(name)
}

func TestUserAgentAndAcceptAreSet(t *testing.T) {
	var rec headerRecorder
	srv := rec.serve(t)
	c := NewClient(Config{UserAgent: "terraform-provider-usage/1.2.3 (+test)"})
	if _, _, err := get(t.Context(), t, c, srv.URL); err != nil {
		t.Fatal(err)
	}
	if ua := rec.get("User-Agent"); ua != "terraform-provider-usage/1.2.3 (+test)" {
		t.Errorf("User-Agent %q", ua)
	}
	if a := rec.get("Accept"); a != "application/json" {
		t.Errorf("Accept %q", a)
	}

	// The caller's own Accept wins.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/csv")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = ReadBody(resp, MaxBodyBytes)
	if a := rec.get("Accept"); a != "text/csv" {
		t.Errorf("caller's Accept replaced by %q", a)
	}
	if req.Header.Get("User-Agent") != "" {
		t.Error("the caller's request was modified")
	}
}

func TestLogsShowRequestsButNoHeaderOrQuery(t *testing.T) {
	const bearer, querySecret = "tok_Zq8x1", "qs_M0p2"
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, attempt int32) {
		if attempt == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // so a retry is logged too
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	var logs bytes.Buffer
	cfg := quick()
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v1/UsageRecords?secret="+querySecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := NewClient(cfg).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = ReadBody(resp, MaxBodyBytes)

	out := logs.String()
	for _, want := range []string{"method=GET", "path=/v1/UsageRecords", "status=503", "status=200", "retrying request"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	for _, leak := range []string{bearer, querySecret, "secret=", "Authorization", "Bearer"} {
		if strings.Contains(out, leak) {
			t.Errorf("logs show %q:\n%s", leak, out)
		}
	}
}
