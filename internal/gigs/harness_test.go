package gigs

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// simNow is the simulator clock: mid-hour, so today is unfinished.
var simNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

// env is the simulator over loopback HTTP and a client pointed at it.
type env struct {
	t      *testing.T
	sim    *vendorsim.Server
	srv    *httptest.Server
	client *Client
	creds  vendorsim.Credentials
	logs   *syncBuffer

	mu    sync.Mutex
	seen  []*http.Request // every request that reached the server, as received
	front func(w http.ResponseWriter, r *http.Request) bool
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}}
	e.sim = vendorsim.New(vendorsim.Options{Seed: 11, Now: func() time.Time { return simNow }})
	e.creds = e.sim.Credentials()
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.seen = append(e.seen, r.Clone(r.Context()))
		front := e.front
		e.mu.Unlock()
		if front != nil && front(w, r) {
			return
		}
		e.sim.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(e.creds.GigsAPIKey, httpx.Config{})
	return e
}

// newClient builds a client on the simulator with tiny backoff, logging
// everything into e.logs.
func (e *env) newClient(key string, cfg httpx.Config) *Client {
	e.t.Helper()
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: e.logs})
	cfg.UserAgent = "terraform-provider-usage/test"
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = time.Millisecond
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = 2 * time.Millisecond
	}
	c, err := New(Config{Endpoint: e.srv.URL, APIKey: key, HTTP: cfg})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// requests returns the requests received so far.
func (e *env) requests() []*http.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*http.Request(nil), e.seen...)
}

// subscription returns the first simulated subscription that matches.
func (e *env) subscription(match func(vendorsim.Subscription) bool) vendorsim.Subscription {
	e.t.Helper()
	for _, s := range e.sim.Subscriptions() {
		if match(s) {
			return s
		}
	}
	e.t.Fatal("no simulated subscription matches")
	return vendorsim.Subscription{}
}

func plain(s vendorsim.Subscription) bool   { return !s.Preview && len(s.Periods) >= 3 }
func preview(s vendorsim.Subscription) bool { return s.Preview && !s.LegacyPreviewNames }
func legacy(s vendorsim.Subscription) bool  { return s.Preview && s.LegacyPreviewNames }

// want is what the simulator says the API serves for q, as client records.
func (e *env) want(sub string, q UsageQuery) []UsageRecord {
	e.t.Helper()
	recs, err := e.sim.GigsRecords(e.creds.GigsProject, sub, vendorsim.GigsQuery{
		Period: q.Period, Start: q.Start, End: q.End, Aggregation: q.Aggregation,
	})
	if err != nil {
		e.t.Fatalf("GigsRecords: %v", err)
	}
	out := make([]UsageRecord, len(recs))
	for i, g := range recs {
		out[i] = UsageRecord{
			Start: mustTime(e.t, g.Start), End: mustTime(e.t, g.End),
			Data: g.Data, SMS: g.Sms, Voice: g.Voice,
			DataDeviceBytes:           g.DataDeviceBytes,
			DataTetheringBytes:        firstNonNil(g.DataTetheringBytes, g.DataTethering),
			SMSInternationalMessages:  firstNonNil(g.SmsInternationalMessages, g.SmsInternational),
			SMSLocalMessages:          g.SmsLocalMessages,
			VoiceInternationalSeconds: g.VoiceInternationalSeconds,
			VoiceLocalSeconds:         g.VoiceLocalSeconds,
			Labels:                    Labels{Country: g.Labels.Country, Roaming: g.Labels.Roaming, Subscription: g.Labels.Subscription},
		}
		if g.UpdatedAt != "" {
			u := mustTime(e.t, g.UpdatedAt)
			out[i].UpdatedAt = &u
		}
	}
	return out
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("simulator timestamp %q: %v", s, err)
	}
	return v
}

// sameRecords fails the test at the first difference.
func sameRecords(t *testing.T, got, want []UsageRecord) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || !sameTime(g.UpdatedAt, w.UpdatedAt) ||
			g.Data != w.Data || g.SMS != w.SMS || g.Voice != w.Voice || g.Labels != w.Labels ||
			!sameInt(g.DataDeviceBytes, w.DataDeviceBytes) || !sameInt(g.DataTetheringBytes, w.DataTetheringBytes) ||
			!sameInt(g.SMSInternationalMessages, w.SMSInternationalMessages) || !sameInt(g.SMSLocalMessages, w.SMSLocalMessages) ||
			!sameInt(g.VoiceInternationalSeconds, w.VoiceInternationalSeconds) || !sameInt(g.VoiceLocalSeconds, w.VoiceLocalSeconds) {
			t.Fatalf("record %d differs:\n got %s\nwant %s", i, fmtRecord(g), fmtRecord(w))
		}
	}
}

func sameInt(a, b *int64) bool      { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func sameTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

func previewCounters(r UsageRecord) []*int64 {
	return []*int64{r.DataDeviceBytes, r.DataTetheringBytes, r.SMSInternationalMessages,
		r.SMSLocalMessages, r.VoiceInternationalSeconds, r.VoiceLocalSeconds}
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fmtRecord prints a record with its pointers dereferenced.
func fmtRecord(r UsageRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{%s..%s updated=%v data=%d sms=%d voice=%d", r.Start, r.End, r.UpdatedAt, r.Data, r.SMS, r.Voice)
	for _, v := range previewCounters(r) {
		if v == nil {
			b.WriteString(" nil")
		} else {
			fmt.Fprintf(&b, " %d", *v)
		}
	}
	fmt.Fprintf(&b, " %+v}", r.Labels)
	return b.String()
}
