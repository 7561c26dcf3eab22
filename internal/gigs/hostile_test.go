package gigs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// hostileServer answers every request with one canned misbehaviour the
// simulator does not offer.
func hostileServer(t *testing.T, serve http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(serve)
	t.Cleanup(srv.Close)
	c, err := New(Config{Endpoint: srv.URL, APIKey: "k_hostile_test", HTTP: httpx.Config{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMalformedSuccessResponsesAreResponseErrors(t *testing.T) {
	const record = `{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":1,"sms":0,"voice":0}`
	cases := map[string]struct {
		ctype, body string
		want        string
	}{
		"html on 200":     {"text/html", "<html><body>maintenance</body></html>", "not JSON"},
		"truncated JSON":  {"application/json", `{"object":"list","items":[` + record[:40], "decoding"},
		"an error object": {"application/json", `{"object":"error","type":"invalid","message":"x"}`, "not a Gigs list"},
		"empty cursor":    {"application/json", `{"object":"list","items":[` + record + `],"moreItemsAfter":""}`, "empty cursor"},
		"date-only start": {"application/json; charset=utf-8", `{"object":"list","items":[{"start":"2024-01-01"}]}`, "RFC 3339"},
		"long label": {"application/json", `{"object":"list","items":[` + strings.Replace(record, `"data"`,
			`"labels":{"country":"`+strings.Repeat("U", 65)+`"},"data"`, 1) + `]}`, "usage record 0: vendor data error: labels.country is 65 characters long, past the bound of 64"},
	}
	for name, c := range cases {
		client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", c.ctype)
			_, _ = io.WriteString(w, c.body)
		})
		_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
		var re *ResponseError
		if !errors.As(err, &re) || re.Status != 200 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want a ResponseError containing %q", name, err, c.want)
		}
	}
}

func TestNonGigsErrorBodiesAreResponseErrors(t *testing.T) {
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"blocked by a proxy"}`)
	})
	_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
	var re *ResponseError
	if !errors.As(err, &re) || re.Status != 403 || !strings.Contains(re.Snippet, "blocked by a proxy") {
		t.Fatalf("error %v, want a 403 ResponseError with a snippet", err)
	}
}

func TestOversizeBodyIsRefused(t *testing.T) {
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","items":[`)
		chunk := []byte(strings.Repeat(" ", 1<<20))
		for range httpx.MaxBodyBytes/len(chunk) + 1 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	_, err := client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
	var re *ResponseError
	if !errors.As(err, &re) || !errors.Is(err, httpx.ErrBodyTooLarge) {
		t.Fatalf("error %v, want a ResponseError wrapping ErrBodyTooLarge", err)
	}
}

func TestConnectionFailureNamesTheRequest(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL
	srv.Close() // nothing listens any more
	c, err := New(Config{Endpoint: endpoint, APIKey: "k_closed_test", HTTP: httpx.Config{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{Period: 1})
	if err == nil || !strings.Contains(err.Error(), "Gigs GET /projects/p/subscriptions/s/usage") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), "k_closed_test") {
		t.Errorf("error shows the key: %v", err)
	}
}
