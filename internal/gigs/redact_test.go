package gigs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// echoServer is a hostile server that repeats the Authorization header back
// in every kind of body the client reads, so any path that copies vendor text
// into an error would leak the key.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch r.URL.Query().Get("period") {
		case "1": // Gigs error object
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"object":"error","type":"unauthenticated","code":%q,"message":"bad token %s","hint":%q,"documentation":[%q]}`, auth, auth, auth, auth)
		case "2": // HTML page
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<html>%s</html>", auth)
		case "3": // bad record
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"object":"list","items":[{"start":%q,"end":"2024-01-01T00:00:00Z"}]}`, auth)
		case "4": // cursor loop whose cursor is the header
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"object":"list","items":[],"moreItemsAfter":%q}`, auth)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAPIKeyNeverInErrorsOrLogs(t *testing.T) {
	const key = "gigs_sk_live_0123456789abcdef"
	var logs bytes.Buffer
	logger := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &logs})
	srv := echoServer(t)
	c, err := New(Config{Endpoint: srv.URL, APIKey: key, HTTP: httpx.Config{Logger: logger, MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	for period := 1; period <= 4; period++ {
		_, err := c.SubscriptionUsage(context.Background(), "proj", "sub_1", UsageQuery{Period: period})
		if err == nil {
			t.Fatalf("period %d: no error", period)
		}
		if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), key) {
			t.Errorf("period %d: error shows the key: %v", period, err)
		}
		// A looping cursor is not quoted at all, so there is nothing to redact.
		if period < 4 && !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("period %d: the echoed key was not visibly redacted: %v", period, err)
		}
	}
	if logs.Len() == 0 {
		t.Fatal("expected debug logs")
	}
	if strings.Contains(logs.String(), key) {
		t.Errorf("logs show the key:\n%s", logs.String())
	}
}
