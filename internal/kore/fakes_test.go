package kore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// These tests put a small misbehaving front in place of one simulator route,
// for answers the simulator has no knob for.

func TestEndlessPaginationIsCapped(t *testing.T) {
	var served atomic.Int32
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/UsageRecords" {
				next.ServeHTTP(w, r)
				return
			}
			n := served.Add(1)
			w.Header().Set("Content-Type", "application/json")
			// Every page is new, so only the page cap can end this.
			fmt.Fprintf(w, `{"usage_records":[],"meta":{"next_page_url":"/v1/UsageRecords?PageToken=P%d"}}`, n)
		})
	}))
	// Its own deadline: a regressed guard fails in seconds, not at the go test timeout.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	// A query of granularity all has one record, so one page and an empty
	// last page are all it may cost.
	_, err := e.client.AccountUsage(ctx, window(1, "all"))
	var respErr *ResponseError
	if !errors.As(err, &respErr) || !contains(err.Error(), "more than 2 pages") {
		t.Fatalf("err = %v", err)
	}
	if n := served.Load(); n != 2 {
		t.Fatalf("pages served = %d, want 2", n)
	}
}

func TestUnusableAnswers(t *testing.T) {
	cases := map[string]struct {
		path, contentType, body string
		status                  int
		call                    func(*Client) error
		want                    func(error) bool
	}{
		"token endpoint down": {
			path: vendorsim.TokenPath, status: 500, contentType: "text/html", body: "<html>oops</html>",
			call: accountUsage, want: isResponseError(500),
		},
		"token endpoint 400": {
			path: vendorsim.TokenPath, status: 400, contentType: "application/json", body: `{"code":400,"message":"grant_type is required"}`,
			call: accountUsage, want: func(err error) bool {
				var a *AuthError
				return errors.As(err, &a) && a.Status == 400 && a.Description == "grant_type is required"
			},
		},
		"token without access_token": {
			path: vendorsim.TokenPath, status: 200, contentType: "application/json", body: `{"token_type":"Bearer"}`,
			call: accountUsage, want: isResponseError(0),
		},
		"usage as html with 200": {
			path: "/v1/UsageRecords", status: 200, contentType: "text/html", body: "<html>hello</html>",
			call: accountUsage, want: isResponseError(200),
		},
		"usage truncated": {
			path: "/v1/UsageRecords", status: 200, contentType: "application/json", body: `{"usage_records":[{"account_sid":"AC`,
			call: accountUsage, want: isResponseError(200),
		},
		"error body without anything": {
			path: "/v1/UsageRecords", status: 409, contentType: "application/json", body: `{}`,
			call: accountUsage, want: isResponseError(409),
		},
		"error code as a string": {
			path: "/v1/UsageRecords", status: 422, contentType: "application/json", body: `{"code":"33101","status":422,"message":"bad"}`,
			call: accountUsage, want: func(err error) bool {
				var a *APIError
				return errors.As(err, &a) && a.Code == 33101 && a.Status == 422 && a.Message == "bad"
			},
		},
		"sim without sid": {
			path: "/v1/Sims/x", status: 200, contentType: "application/json", body: `{"unique_name":"x"}`,
			call: func(c *Client) error { _, err := c.SimByUniqueName(context.Background(), "x"); return err },
			want: isResponseError(200),
		},
		"sim list without list": {
			path: "/v1/Sims", status: 200, contentType: "application/json", body: `{"meta":{}}`,
			call: func(c *Client) error { _, err := c.SimByICCID(context.Background(), "1"); return err },
			want: isResponseError(200),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path != tc.path {
						next.ServeHTTP(w, r)
						return
					}
					w.Header().Set("Content-Type", tc.contentType)
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(tc.body))
				})
			}))
			err := tc.call(e.client)
			if !tc.want(err) {
				t.Fatalf("err = %T %v", err, err)
			}
			if !strings.Contains(err.Error(), "KORE") {
				t.Errorf("%q does not name KORE", err)
			}
		})
	}
}

func accountUsage(c *Client) error {
	_, err := c.AccountUsage(context.Background(), window(1, "all"))
	return err
}

func isResponseError(status int) func(error) bool {
	return func(err error) bool {
		var r *ResponseError
		return errors.As(err, &r) && r.Status == status
	}
}

// TestAbandonedWorkIsCancelled: when every caller of a shared fetch has given
// up, the request itself is cancelled, and the next caller starts afresh.
func TestAbandonedWorkIsCancelled(t *testing.T) {
	abandoned := make(chan struct{}, 1)
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if r.Context().Err() != nil {
				abandoned <- struct{}{}
			}
		})
	}))
	ctx := context.Background()
	if _, err := e.client.SimByICCID(ctx, e.sim.SIMs()[0].ICCID); err != nil { // the token first
		t.Fatal(err)
	}
	e.sim.SetFaults(vendorsim.Faults{Latency: time.Hour})
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	q := window(3, "daily")
	if _, err := e.client.AccountUsage(short, q); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	select {
	case <-abandoned:
	case <-time.After(30 * time.Second):
		t.Fatal("the server never saw the abandoned request go away")
	}
	e.sim.SetFaults(vendorsim.Faults{})
	if _, err := e.client.AccountUsage(ctx, q); err != nil {
		t.Fatalf("the next caller inherited the abandoned fetch: %v", err)
	}
}
