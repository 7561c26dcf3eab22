package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// testNow is the fixed clock of the acceptance tests: the last day of a
// 31-day month, so the default range exercises the calendar-month clamp
// (start = 28 February).
var testNow = time.Date(2026, time.March, 31, 10, 30, 0, 0, time.UTC)

// testEnv is one simulator on loopback and the provider configured for it.
type testEnv struct {
	sim *vendorsim.Server
	url string
	now time.Time
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvAt(t, testNow)
}

// newTestEnvAt is newTestEnv with another clock, for the simulator and the
// provider alike.
func newTestEnvAt(t testing.TB, now time.Time) *testEnv {
	t.Helper()
	return newTestEnvWith(t, vendorsim.Options{Now: func() time.Time { return now }})
}

// newTestEnvWith is newTestEnv with a simulator of opts (seed 1, and the
// clock testNow unless opts sets one).
func newTestEnvWith(t testing.TB, opts vendorsim.Options) *testEnv {
	t.Helper()
	return newTestEnvBehind(t, opts, nil)
}

// newTestEnvBehind is newTestEnvWith with wrap (when not nil) in front of
// the simulator, for tests that bend what it answers.
func newTestEnvBehind(t testing.TB, opts vendorsim.Options, wrap func(http.Handler) http.Handler) *testEnv {
	t.Helper()
	opts.Seed = 1
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	now := opts.Now()
	sim := vendorsim.New(opts)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testEnv{sim: sim, url: srv.URL, now: now}
}

// factories serve the provider in-process with the test clock.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"usage": serverOf(&usageProvider{version: "test", now: func() time.Time { return e.now }}),
	}
}

// providerBlock configures both vendors for the simulator, with short retry
// waits so that fault tests stay quick.
func (e *testEnv) providerBlock() string {
	c := e.sim.Credentials()
	return fmt.Sprintf(`
provider "usage" {
  kore = {
    client_id     = %q
    client_secret = %q
    endpoint      = %q
    token_url     = %q
  }
  gigs = {
    api_key  = %q
    project  = %q
    endpoint = %q
  }
  retry_wait_min = "1ms"
  retry_wait_max = "20ms"
}
`, c.KoreClientID, c.KoreClientSecret, e.url, e.url+"/api-services/v1/auth/token", c.GigsAPIKey, c.GigsProject, e.url)
}

// config is the provider block plus the given configuration.
func (e *testEnv) config(body string, args ...any) string {
	return e.providerBlock() + fmt.Sprintf(body, args...)
}
