package kore

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// simNow is the simulator's clock; windows in tests end well before it so
// every record is settled.
var simNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// testEnv is a Client talking to the simulator over loopback HTTP.
type testEnv struct {
	sim    *vendorsim.Server
	srv    *httptest.Server
	client *Client
	cfg    Config
	logs   *syncBuffer
}

type envOption func(*Config, *http.Handler)

// withMiddleware puts h in front of the simulator, for the few tests that
// need to see or alter what crosses the wire.
func withMiddleware(mw func(http.Handler) http.Handler) envOption {
	return func(_ *Config, h *http.Handler) { *h = mw(*h) }
}

func withConfig(f func(*Config)) envOption {
	return func(c *Config, _ *http.Handler) { f(c) }
}

func newEnv(t testing.TB, opts ...envOption) *testEnv {
	t.Helper()
	return newEnvOf(t, 0, opts...)
}

// newEnvOf is newEnv with a fleet of sims SIMs (0: the simulator's default).
func newEnvOf(t testing.TB, sims int, opts ...envOption) *testEnv {
	t.Helper()
	sim := vendorsim.New(vendorsim.Options{Seed: 7, Now: func() time.Time { return simNow }, SIMs: sims})
	logs := &syncBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "kore-test", Level: hclog.Trace, Output: logs})
	creds := sim.Credentials()
	cfg := Config{
		ClientID:     creds.KoreClientID,
		ClientSecret: creds.KoreClientSecret,
		HTTP: httpx.Config{
			UserAgent:    "kore-test",
			Logger:       logger,
			MaxRetries:   3,
			RetryWaitMin: time.Millisecond,
			RetryWaitMax: 2 * time.Millisecond,
		},
	}
	var h http.Handler = sim
	for _, o := range opts {
		o(&cfg, &h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if cfg.Endpoint == "" {
		cfg.Endpoint = srv.URL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = srv.URL + vendorsim.TokenPath
	}
	e := &testEnv{sim: sim, srv: srv, cfg: cfg, logs: logs}
	e.client = e.newClient(t)
	return e
}

// newClient is another client of the same configuration, with a cache of
// its own.
func (e *testEnv) newClient(t testing.TB) *Client {
	t.Helper()
	c, err := New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// window is a query over [simNow-days-2d, simNow-2d).
func window(days int, granularity string) UsageQuery {
	end := simNow.Add(-48 * time.Hour).Truncate(24 * time.Hour)
	return UsageQuery{Start: end.AddDate(0, 0, -days), End: end, Granularity: granularity}
}

// expected is what the simulator says the API serves for q, decoded into our types.
func (e *testEnv) expected(t *testing.T, sid string, q UsageQuery) []UsageRecord {
	t.Helper()
	recs := e.sim.KoreRecords(sid, q.Start, q.End, q.Granularity)
	var out []UsageRecord
	for len(recs) > 0 {
		n := min(len(recs), PageSize)
		page, _, err := decodePage(pageOf(recs[:n], ""))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		recs = recs[n:]
	}
	return out
}

func (e *testEnv) requests(route string) int { return e.sim.Requests(route) }

func (e *testEnv) statusCount(route string, status int) int {
	for _, c := range e.sim.Counts() {
		if c.Route == route && c.Status == status {
			return c.N
		}
	}
	return 0
}

func sameRecords(t *testing.T, got, want []UsageRecord) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("record %d differs:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
	}
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
