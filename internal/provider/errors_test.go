package provider

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// oneFailure runs readFailure and returns its one diagnostic.
func oneFailure(t *testing.T, ctx context.Context, err error, notFound string) diag.Diagnostic {
	t.Helper()
	var diags diag.Diagnostics
	readFailure(ctx, &diags, "Reading", err, time.Minute, notFound)
	if len(diags) != 1 {
		t.Fatalf("%d diagnostics for %v", len(diags), err)
	}
	return diags[0]
}

// closedURL is an http URL on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

func fastRetries() httpx.Config {
	return httpx.Config{MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}
}

// TestReadFailureConnectionNamesTheEndpointSettingAndAttempts: a request
// that got no answer names the setting of that vendor's endpoint (the token
// URL for KORE's token request) with its environment variable, the network
// to check, and how many attempts were made; never the other vendor.
func TestReadFailureConnectionNamesTheEndpointSettingAndAttempts(t *testing.T) {
	ctx := context.Background()
	down := closedURL(t)
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"tok","token_type":"bearer","expires_in":3600}`))
	}))
	t.Cleanup(tokens.Close)

	gc, err := gigs.New(gigs.Config{Endpoint: down, APIKey: "k", HTTP: fastRetries()})
	if err != nil {
		t.Fatal(err)
	}
	_, gigsErr := gc.SubscriptionUsage(ctx, "p", "sub_1", gigs.UsageQuery{})
	koreAPI, err := kore.New(kore.Config{Endpoint: down, TokenURL: tokens.URL + "/token", ClientID: "id", ClientSecret: "secret", HTTP: fastRetries()})
	if err != nil {
		t.Fatal(err)
	}
	q := kore.UsageQuery{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Granularity: "daily"}
	_, koreErr := koreAPI.AccountUsage(ctx, q)
	koreToken, err := kore.New(kore.Config{Endpoint: down, TokenURL: down + "/token", ClientID: "id", ClientSecret: "secret", HTTP: fastRetries()})
	if err != nil {
		t.Fatal(err)
	}
	_, tokenErr := koreToken.AccountUsage(ctx, q)

	cases := []struct {
		name          string
		err           error
		summary, want string
		notWant       string
	}{
		{"Gigs", gigsErr, "Could not reach Gigs", "Check gigs.endpoint (GIGS_ENDPOINT)", "kore"},
		{"KORE API", koreErr, "Could not reach KORE", "Check kore.endpoint (KORE_ENDPOINT)", "gigs"},
		{"KORE token", tokenErr, "Could not reach the KORE token endpoint", "Check kore.token_url (KORE_TOKEN_URL)", "gigs"},
	}
	for _, c := range cases {
		d := oneFailure(t, ctx, c.err, "")
		detail := d.Detail()
		for _, part := range []string{c.want, "3 attempts were made, retries included (max_retries, USAGE_MAX_RETRIES)",
			strings.TrimPrefix(down, "http://"), "DNS, firewall and proxy"} {
			if !strings.Contains(detail, part) {
				t.Errorf("%s: %q does not say %q", c.name, detail, part)
			}
		}
		if d.Summary() != c.summary || strings.Contains(strings.ToLower(d.Summary()+detail), c.notWant) || strings.Contains(detail, "..") {
			t.Errorf("%s: %q: %q", c.name, d.Summary(), detail)
		}
	}
}

// TestReadFailureTimeoutNamesOnlyThatVendor: a read that ran out of time
// mentions KORE's token request only for KORE, even when the last error is
// a bare context error that the caller marked.
func TestReadFailureTimeoutNamesOnlyThatVendor(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	cases := []struct {
		err           error
		want, notWant string
	}{
		{httpx.WithVendor("Gigs", context.DeadlineExceeded), "check Gigs' status", "KORE"},
		{&gigs.APIError{Status: 503, Type: "serviceUnavailable"}, "check Gigs' status", "KORE"},
		{httpx.WithVendor("KORE", context.DeadlineExceeded), "the KORE token request included", "Gigs"},
		{context.DeadlineExceeded, "check the vendor's status", "KORE"},
	}
	for _, c := range cases {
		detail := oneFailure(t, ctx, c.err, "").Detail()
		if !strings.Contains(detail, c.want) || strings.Contains(detail, c.notWant) || !strings.Contains(detail, "request_timeout") {
			t.Errorf("%v: %q", c.err, detail)
		}
	}
	var diags diag.Diagnostics
	vendorReadFailure(ctx, &diags, "Gigs", "Reading", context.DeadlineExceeded, time.Minute, "")
	if len(diags) != 1 || strings.Contains(diags[0].Detail(), "KORE") || !strings.Contains(diags[0].Detail(), "Gigs") {
		t.Errorf("vendorReadFailure: %v", diags)
	}
}

// TestReadFailureSentencesEndWithOnePeriod: vendor messages and hints that
// end in a period are not given a second one before the advice.
func TestReadFailureSentencesEndWithOnePeriod(t *testing.T) {
	notFound := "Check that project \"p\" exists."
	cases := []error{
		&gigs.APIError{Status: 404, Type: "notFound", Message: `Subscription "sub_x" not found.`},
		&gigs.APIError{Status: 422, Type: "invalid", Code: "invalidPeriod", Message: "The period must be 1 or more.", Hint: "Pass a period such as 1."},
		&gigs.APIError{Status: 404, Type: "notFound", Message: "no period"},
		&kore.APIError{Status: 404, Code: 20404, Message: "The requested resource was not found."},
		&kore.APIError{Status: 404, Code: 20404, Message: "Not found", MoreInfo: "https://x.test/20404"},
	}
	for _, err := range cases {
		detail := oneFailure(t, context.Background(), err, notFound).Detail()
		want := notFound
		if strings.Contains(err.Error(), "422") {
			want = "Check the data source's arguments."
		}
		if strings.Contains(detail, "..") || strings.Contains(detail, ". .") || !strings.HasSuffix(detail, want) {
			t.Errorf("%v: %q", err, detail)
		}
	}
	if got := joinSentences("a", "b.", "", "c!", "cut…"); got != "a. b. c! cut…" {
		t.Errorf("joinSentences = %q", got)
	}
}

// TestReadFailureWrongSecretSaysCheckOnce: the advice on refused credentials
// is given once, with the settings, not again from the error's own text.
func TestReadFailureWrongSecretSaysCheckOnce(t *testing.T) {
	for _, err := range []error{
		&kore.AuthError{Status: 401, Code: "invalid_client", Description: "Client authentication failed."},
		&kore.AuthError{Status: 400},
	} {
		d := oneFailure(t, context.Background(), err, "")
		detail := d.Detail()
		if n := strings.Count(strings.ToLower(detail), "check"); n != 1 || strings.Contains(detail, "..") ||
			!strings.Contains(detail, "kore.client_secret / KORE_CLIENT_SECRET") || !strings.Contains(detail, "HTTP ") {
			t.Errorf("%v: %q says check %d times", err, detail, n)
		}
	}
}

// TestReadFailureGigsTextIsCleanAndShort: a Gigs message of 200,000
// characters with terminal escapes reaches the diagnostic clipped and
// without a control character, as KORE's do.
func TestReadFailureGigsTextIsCleanAndShort(t *testing.T) {
	body, _ := json.Marshal(map[string]string{"object": "error", "type": "notFound",
		"message": "\x1b[31mgone\a\r" + strings.Repeat("x", 200_000), "hint": "\x1b]0;title\a"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := gigs.New(gigs.Config{Endpoint: srv.URL, APIKey: "k", HTTP: fastRetries()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SubscriptionUsage(context.Background(), "p", "sub_1", gigs.UsageQuery{})
	detail := oneFailure(t, context.Background(), err, "").Detail()
	if len(detail) > 1000 || strings.ContainsAny(detail, "\x1b\a\r") || !strings.Contains(detail, " [31mgone  xxx") {
		t.Fatalf("detail of %d bytes: %.300q", len(detail), detail)
	}
}
