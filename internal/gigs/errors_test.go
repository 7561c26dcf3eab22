package gigs

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestAPIErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	bad := e.newClient("gigs_wrong_key_0123456789", httpx.Config{})
	cases := []struct {
		name         string
		client       *Client
		project, sub string
		q            UsageQuery
		status       int
		typ, code    string
		inMessage    string
	}{
		{"bad key", bad, e.creds.GigsProject, sub.ID, UsageQuery{}, 401, "unauthenticated", "", "Invalid authorization token"},
		{"unknown project", e.client, "no-such-project", sub.ID, UsageQuery{}, 404, "notFound", "", "Project"},
		{"unknown subscription", e.client, e.creds.GigsProject, "sub_missing", UsageQuery{}, 404, "notFound", "", "Subscription"},
		{"unknown aggregation", e.client, e.creds.GigsProject, sub.ID, UsageQuery{Aggregation: "weekly"}, 422, "invalid", "invalidAggregation", "weekly"},
		{"no such period", e.client, e.creds.GigsProject, sub.ID, UsageQuery{Period: 999}, 422, "invalid", "periodNotFound", "999"},
	}
	for _, c := range cases {
		_, err := c.client.SubscriptionUsage(context.Background(), c.project, c.sub, c.q)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Errorf("%s: error %v (%T), want *APIError", c.name, err, err)
			continue
		}
		if ae.Status != c.status || ae.Type != c.typ || ae.Code != c.code || !strings.Contains(ae.Message, c.inMessage) {
			t.Errorf("%s: got %+v", c.name, ae)
		}
		if ae.Method != "GET" || !strings.HasPrefix(ae.Path, "/projects/"+c.project+"/subscriptions/") {
			t.Errorf("%s: method/path %s %s", c.name, ae.Method, ae.Path)
		}
		msg := err.Error()
		for _, part := range []string{"Gigs", ae.Type, ae.Message, "HTTP " + strconv.Itoa(c.status)} {
			if !strings.Contains(msg, part) {
				t.Errorf("%s: %q does not name %q", c.name, msg, part)
			}
		}
		if ae.Code != "" && (!strings.Contains(msg, ae.Code) || ae.Hint == "" || !strings.Contains(msg, ae.Hint)) {
			t.Errorf("%s: %q lacks the code or hint", c.name, msg)
		}
	}
}

func TestRetriesTransient503(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	e.sim.FailNext(2, 503, "0")
	got, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, e.want(sub.ID, UsageQuery{Period: 1}))
	want := []vendorsim.Count{{Route: vendorsim.RouteGigsUsage, Status: 200, N: 1}, {Route: vendorsim.RouteGigsUsage, Status: 503, N: 2}}
	if got := e.sim.Counts(); !equalCounts(got, want) {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

func TestRetries429WithRetryAfter(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	// Retry-After is honoured but capped by RetryWaitMax (2ms here).
	e.sim.FailNext(1, 429, "30")
	if _, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}

	// When every answer is 429, retries run out and the vendor's error is typed.
	e.sim.ResetCounts()
	e.sim.SetFaults(vendorsim.Faults{Rate429: 1, RetryAfter: "0"})
	c := e.newClient(e.creds.GigsAPIKey, httpx.Config{MaxRetries: 2})
	_, err := c.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 429 {
		t.Fatalf("error %v, want a 429 APIError", err)
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 3 {
		t.Errorf("%d requests, want 3 (1 + 2 retries)", n)
	}
}

func TestHTML502EndsInResponseError(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	e.sim.SetFaults(vendorsim.Faults{RateHTML502: 1})
	c := e.newClient(e.creds.GigsAPIKey, httpx.Config{MaxRetries: 1})
	_, err := c.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, UsageQuery{Period: 1})
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want *ResponseError", err, err)
	}
	if re.Status != 502 || re.ContentType != "text/html" || !strings.Contains(re.Snippet, "502 Bad Gateway") || len(re.Snippet) > 130 {
		t.Errorf("got %+v", re)
	}
	path := "/projects/" + e.creds.GigsProject + "/subscriptions/" + sub.ID + "/usage"
	for _, part := range []string{"Gigs", "502", "GET " + path, "502 Bad Gateway"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q does not name %q", err.Error(), part)
		}
	}
	if strings.Contains(err.Error(), "<html>\n") {
		t.Errorf("error carries the raw page: %q", err.Error())
	}
	if n := e.sim.Requests(vendorsim.RouteGigsUsage); n != 2 {
		t.Errorf("%d requests, want 2 (1 + 1 retry)", n)
	}
}

func TestInvalidInputMakesNoRequest(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	cases := map[string]struct {
		project, sub string
		q            UsageQuery
	}{
		"empty project":      {"", sub.ID, UsageQuery{}},
		"empty subscription": {e.creds.GigsProject, "", UsageQuery{}},
		"dot-dot":            {e.creds.GigsProject, "..", UsageQuery{}},
		"dot":                {e.creds.GigsProject, ".", UsageQuery{}},
		"dot project":        {"..", sub.ID, UsageQuery{}},
		"period and dates":   {e.creds.GigsProject, sub.ID, UsageQuery{Period: 1, Start: "2026-01-01", End: "2026-01-02"}},
		"start only":         {e.creds.GigsProject, sub.ID, UsageQuery{Start: "2026-01-01"}},
		"negative period":    {e.creds.GigsProject, sub.ID, UsageQuery{Period: -2}},
	}
	for name, c := range cases {
		if _, err := e.client.SubscriptionUsage(context.Background(), c.project, c.sub, c.q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(e.requests()); n != 0 {
		t.Errorf("%d requests made for invalid input", n)
	}
}

func TestPathSegmentsAreEscaped(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, "sub/1?x=y#z", UsageQuery{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 404 {
		t.Fatalf("error %v, want a 404 APIError", err)
	}
	reqs := e.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if got, want := reqs[0].URL.EscapedPath(), "/projects/"+e.creds.GigsProject+"/subscriptions/sub%2F1%3Fx=y%23z/usage"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	if reqs[0].URL.RawQuery != "" {
		t.Errorf("the subscription leaked into the query: %q", reqs[0].URL.RawQuery)
	}
}

func TestAPIKeyNeverInSimulatorErrorsOrLogs(t *testing.T) {
	e := newEnv(t)
	sub := e.subscription(plain)
	wrong := "gigs_wrong_" + strings.Repeat("k", 30)
	bad := e.newClient(wrong, httpx.Config{MaxRetries: 1})
	e.sim.FailNext(1, 503, "0")
	var errs []error
	for _, c := range []*Client{e.client, bad} {
		for _, q := range []UsageQuery{{Period: 1}, {Aggregation: "weekly"}} {
			_, err := c.SubscriptionUsage(context.Background(), e.creds.GigsProject, sub.ID, q)
			errs = append(errs, err)
		}
	}
	e.sim.SetFaults(vendorsim.Faults{RateHTML502: 1})
	_, err := e.client.SubscriptionUsage(context.Background(), e.creds.GigsProject, "sub_other", UsageQuery{})
	errs = append(errs, err)

	logs := e.logs.String()
	if !strings.Contains(logs, "/usage") {
		t.Fatal("expected request logs")
	}
	for _, key := range []string{e.creds.GigsAPIKey, wrong} {
		if strings.Contains(logs, key) {
			t.Errorf("logs show an API key")
		}
		for _, err := range errs {
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("error shows an API key: %v", err)
			}
		}
	}
}

func equalCounts(a, b []vendorsim.Count) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestErrorTextIsCleanedAndClippedLikeKORE: Gigs' message, hint, code, type
// and links lose their control characters and are cut to the length KORE's
// are (httpx.Clip), however long the vendor made them.
func TestErrorTextIsCleanedAndClippedLikeKORE(t *testing.T) {
	message := "\x1b[31mquota\a\rexceeded " + strings.Repeat("m", 200_000)
	body, err := json.Marshal(map[string]any{
		"object": "error", "type": "invalid\x1b[0m", "code": "bad\aCode", "message": message,
		"hint": "see\r\nthe \u202edocs", "documentation": slices.Repeat([]string{"https://x.test/\x1b]8;;evil\a"}, 100),
	})
	if err != nil {
		t.Fatal(err)
	}
	client := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write(body)
	})
	_, err = client.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want an APIError", err)
	}
	if ae.Message != httpx.Clip(message) || len(ae.Message) > httpx.MaxVendorText+len("…") || !strings.HasPrefix(ae.Message, " [31mquota  exceeded mmm") {
		t.Errorf("message of %d bytes: %.80q…", len(ae.Message), ae.Message)
	}
	if ae.Type != "invalid [0m" || ae.Code != "bad Code" || ae.Hint != "see  the \ufffddocs" {
		t.Errorf("type %q, code %q, hint %q", ae.Type, ae.Code, ae.Hint)
	}
	if len(ae.Documentation) != maxDocumentation || ae.Documentation[0] != "https://x.test/ ]8;;evil " {
		t.Errorf("documentation: %d links, first %q", len(ae.Documentation), ae.Documentation[0])
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\x1b\a\r\n\u202e") || len(msg) > 1000 {
		t.Errorf("error text of %d bytes keeps control characters: %.200q", len(msg), msg)
	}
}
