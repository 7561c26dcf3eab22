package vendorsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is the simulator clock in tests: mid-hour, so the current hour is unfinished.
var testNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

// clock is a settable simulator clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a simulator served over loopback HTTP.
type harness struct {
	t     testing.TB
	sim   *Server
	srv   *httptest.Server
	clock *clock
	token string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	c := &clock{t: testNow}
	sim := New(Options{Seed: 7, Now: c.Now})
	return &harness{t: t, sim: sim, srv: newServer(t, sim), clock: c}
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// object decodes the body into a generic map, to look at raw field presence.
func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

// field returns m[key] as a T, failing the test when it is missing or of
// another type.
func field[T any](t testing.TB, m map[string]any, key string) T {
	t.Helper()
	v, ok := m[key].(T)
	if !ok {
		t.Fatalf("%q is %T, want %T", key, m[key], v)
	}
	return v
}

func (h *harness) do(req *http.Request) response {
	h.t.Helper()
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// get fetches a path (or absolute URL) with an optional Authorization header.
func (h *harness) get(pathOrURL, authorization string) response {
	h.t.Helper()
	u := pathOrURL
	if strings.HasPrefix(u, "/") {
		u = h.srv.URL + u
	}
	req, err := http.NewRequestWithContext(h.t.Context(), http.MethodGet, u, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return h.do(req)
}

// postToken posts a form to the token endpoint.
func (h *harness) postToken(form url.Values, contentType string) response {
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.t.Context(), http.MethodPost, h.srv.URL+TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return h.do(req)
}

func (h *harness) goodTokenForm() url.Values {
	c := h.sim.Credentials()
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {c.KoreClientID}, "client_secret": {c.KoreClientSecret}}
}

// newToken issues a fresh KORE token.
func (h *harness) newToken() string {
	h.t.Helper()
	r := h.postToken(h.goodTokenForm(), "application/x-www-form-urlencoded")
	if r.status != http.StatusOK {
		h.t.Fatalf("token: %d %s", r.status, r.body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	r.json(h.t, &tr)
	return tr.AccessToken
}

// kore fetches a KORE API path with a valid token.
func (h *harness) kore(pathOrURL string) response {
	h.t.Helper()
	if h.token == "" {
		h.token = h.newToken()
	}
	return h.get(pathOrURL, "Bearer "+h.token)
}

// gigs fetches a Gigs API path with the API key.
func (h *harness) gigs(pathOrURL string) response {
	h.t.Helper()
	return h.get(pathOrURL, "Bearer "+h.sim.Credentials().GigsAPIKey)
}

func (h *harness) gigsUsagePath(sub string, q url.Values) string {
	p := "/projects/" + h.sim.Credentials().GigsProject + "/subscriptions/" + sub + "/usage"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// usageQuery builds a KORE usage query string.
func usageQuery(start, end time.Time, granularity string, extra ...string) string {
	q := url.Values{"Start": {start.Format(time.RFC3339)}, "End": {end.Format(time.RFC3339)}, "Granularity": {granularity}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "?" + q.Encode()
}

// walkKore follows next_page_url from a first page and returns every record and page.
func (h *harness) walkKore(first string) ([]KoreUsageRecord, []KoreUsageList) {
	h.t.Helper()
	var recs []KoreUsageRecord
	var pages []KoreUsageList
	next := first
	for next != "" {
		if len(pages) > 100 {
			h.t.Fatal("too many pages")
		}
		r := h.kore(next)
		if r.status != http.StatusOK {
			h.t.Fatalf("GET %s: %d %s", next, r.status, r.body)
		}
		var page KoreUsageList
		r.json(h.t, &page)
		pages = append(pages, page)
		recs = append(recs, page.UsageRecords...)
		next = ""
		if page.Meta.NextPageURL != nil {
			next = *page.Meta.NextPageURL
		}
	}
	return recs, pages
}

// expectKoreError checks a KORE UsageApiErrorResponse.
func expectKoreError(t *testing.T, r response, status, code int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var e KoreError
	r.json(t, &e)
	if e.Code != code || e.Status != status || e.Message == "" || e.MoreInfo == "" {
		t.Fatalf("error body %s, want code %d status %d with message and more_info", r.body, code, status)
	}
}

// expectGigsError checks a Gigs error object.
func expectGigsError(t *testing.T, r response, status int, typ, code string) GigsError {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var e GigsError
	r.json(t, &e)
	if e.Object != "error" || e.Type != typ || e.Code != code || e.Message == "" {
		t.Fatalf("error body %s, want object error, type %q, code %q, a message", r.body, typ, code)
	}
	if code != "" && e.Hint == "" {
		t.Fatalf("error body %s has no hint", r.body)
	}
	return e
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
