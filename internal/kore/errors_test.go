package kore

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestHostilePagination(t *testing.T) {
	cases := map[string]struct {
		hostile vendorsim.Hostile
		says    string
	}{
		"foreign host": {vendorsim.Hostile{KoreNextPageForeign: true}, "away from the configured KORE endpoint"},
		"loop":         {vendorsim.Hostile{KoreNextPageLoop: true}, "repeats an earlier page"},
		"oversize":     {vendorsim.Hostile{KoreOversizePage: true}, "more than the PageSize"},
		"negative":     {vendorsim.Hostile{NegativeCounter: true}, "vendor data error"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.SetHostile(tc.hostile)
			// Its own deadline: a regressed guard fails in seconds, not at the go test timeout.
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			_, err := e.client.AccountUsage(ctx, window(45, "hourly"))
			var respErr *ResponseError
			if !errors.As(err, &respErr) {
				t.Fatalf("err = %T %v, want *ResponseError", err, err)
			}
			if !contains(err.Error(), tc.says) || !contains(err.Error(), "KORE") {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			// The walk stops at the bad page: nothing is fetched after it.
			if n := e.requests(vendorsim.RouteKoreUsageAccount); n > 2 {
				t.Errorf("usage requests = %d", n)
			}
		})
	}
}

func TestRetriesThenSuccess(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		e := newEnv(t)
		e.sim.FailNext(2, status, "1") // Retry-After 1s, capped by the test's tiny RetryWaitMax
		q := window(3, "daily")
		got, err := e.client.AccountUsage(context.Background(), q)
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		sameRecords(t, got, e.expected(t, "", q))
		if n := e.statusCount(vendorsim.RouteKoreUsageAccount, status); n != 2 {
			t.Errorf("%d answers = %d, want 2", status, n)
		}
		if n := e.statusCount(vendorsim.RouteKoreUsageAccount, http.StatusOK); n != 1 {
			t.Errorf("200 answers = %d, want 1", n)
		}
	}
}

func TestRetryAfterZero(t *testing.T) {
	e := newEnv(t)
	e.sim.FailNext(2, http.StatusServiceUnavailable, "0")
	if _, err := e.client.SimByICCID(context.Background(), e.sim.SIMs()[0].ICCID); err != nil {
		t.Fatal(err)
	}
	if n := e.requests(vendorsim.RouteKoreSimsList); n != 3 {
		t.Fatalf("requests = %d, want 3", n)
	}
}

func TestHTMLGatewayPageBecomesResponseError(t *testing.T) {
	e := newEnv(t)
	e.sim.SetFaults(vendorsim.Faults{RateHTML502: 1})
	_, err := e.client.AccountUsage(context.Background(), window(1, "all"))
	var respErr *ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	if respErr.Status != http.StatusBadGateway || respErr.Method != http.MethodGet || respErr.Path != "/v1/UsageRecords" ||
		!contains(respErr.ContentType, "html") || respErr.Snippet == "" || len(respErr.Snippet) > 200 {
		t.Errorf("response error = %+v", respErr)
	}
	for _, s := range []string{"KORE", "502", "GET /v1/UsageRecords"} {
		if !contains(err.Error(), s) {
			t.Errorf("%q does not name %q", err, s)
		}
	}
	// Every attempt was spent before giving up.
	if n := e.statusCount(vendorsim.RouteKoreUsageAccount, http.StatusBadGateway); n != 4 {
		t.Errorf("502 answers = %d, want 4 (1 + 3 retries)", n)
	}
}

func TestVendorErrorFields(t *testing.T) {
	e := newEnv(t)
	e.sim.FailNext(1, http.StatusBadRequest, "")
	_, err := e.client.AccountUsage(context.Background(), window(1, "all"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	if apiErr.Status != 400 || apiErr.Code == 0 || apiErr.Message == "" || apiErr.Method != "GET" || apiErr.Path != "/v1/UsageRecords" {
		t.Errorf("api error = %+v", apiErr)
	}
}

func TestGatewayErrorShape(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.AccountUsage(ctx, window(1, "all")); err != nil {
		t.Fatal(err)
	}
	// With the gateway deny body and a token that stays refused, the 403 is
	// reported with both of the gateway's texts and no code.
	e.sim.SetTokenDenyBody(true)
	e.sim.RevokeTokens()
	e.sim.SetTokenLifetime(0)
	_, err := e.client.AccountUsage(ctx, window(2, "all"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	if apiErr.Status != http.StatusForbidden || apiErr.Code != 0 ||
		!contains(apiErr.Message, "explicit deny") || !contains(apiErr.Message, "Invalid or expired token") {
		t.Errorf("api error = %+v", apiErr)
	}
}

// TestEchoedSecretsAreRedacted: a vendor error that repeats the bearer token
// must not carry it into our error.
func TestEchoedSecretsAreRedacted(t *testing.T) {
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/Sims/echohtml" {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte("<p>you sent " + r.Header.Get("Authorization") + "</p>"))
				return
			}
			if r.URL.Path == "/v1/Sims/echo" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(map[string]any{"code": 20001, "status": 400,
					"message": "bad header " + r.Header.Get("Authorization")})
				return
			}
			next.ServeHTTP(w, r)
		})
	}))
	_, err := e.client.SimByUniqueName(context.Background(), "echo")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	tok := e.client.tokens.current.AccessToken
	if contains(err.Error(), tok) || !contains(err.Error(), "[redacted]") {
		t.Fatalf("token not redacted: %v", err)
	}
	// In a non-JSON body the token is scrubbed before the snippet is cut.
	_, err = e.client.SimByUniqueName(context.Background(), "echohtml")
	var respErr *ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	if contains(err.Error(), tok[:20]) || !contains(respErr.Snippet, "[redacted]") {
		t.Fatalf("token not redacted from the snippet: %v", err)
	}
}
