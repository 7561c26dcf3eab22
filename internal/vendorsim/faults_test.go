package vendorsim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRate429AnswersEveryAPIRequestButNotTokens(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	h.sim.SetFaults(Faults{Rate429: 1, RetryAfter: "7"})

	r := h.get("/v1/UsageRecords", "Bearer "+tok)
	expectKoreError(t, r, 429, 20429)
	if r.header.Get("Retry-After") != "7" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	r = h.gigs(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil))
	expectGigsError(t, r, 429, "tooManyRequests", "")
	if r.header.Get("Retry-After") != "7" {
		t.Fatalf("Gigs Retry-After %q", r.header.Get("Retry-After"))
	}
	if h.newToken() == "" { // the token endpoint is never faulted
		t.Fatal("no token")
	}
}

func TestRate503WithAnHTTPDateRetryAfter(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	date := testNow.Add(time.Minute).Format(http.TimeFormat)
	h.sim.SetFaults(Faults{Rate503: 1, RetryAfter: date})
	r := h.get("/v1/Sims", "Bearer "+tok)
	expectKoreError(t, r, 503, 33004)
	if r.header.Get("Retry-After") != date {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	expectGigsError(t, h.gigs(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil)), 503, "serviceUnavailable", "")
	h.sim.SetFaults(Faults{Rate503: 1})
	if r := h.get("/v1/Sims", "Bearer "+tok); r.header.Get("Retry-After") != "" {
		t.Fatal("Retry-After sent although none is configured")
	}
}

func TestRateHTML502AnswersAGatewayPage(t *testing.T) {
	h := newHarness(t)
	h.sim.SetFaults(Faults{RateHTML502: 1})
	for _, path := range []string{"/v1/UsageRecords", h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil)} {
		r := h.get(path, "")
		if r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "502 Bad Gateway") {
			t.Fatalf("%s: %d %q %s", path, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}

func TestFaultRatesAreFractions(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	h.sim.SetFaults(Faults{Rate429: 0.3, Rate503: 0.2})
	const n = 400
	for i := 0; i < n; i++ {
		h.get("/v1/Sims/"+h.sim.SIMs()[0].Sid, "Bearer "+tok)
	}
	got := map[int]int{}
	for _, c := range h.sim.Counts() {
		if c.Route == RouteKoreSimsGet {
			got[c.Status] = c.N
		}
	}
	if got[429] < n*0.2 || got[429] > n*0.4 || got[503] < n*0.1 || got[503] > n*0.3 || got[200]+got[429]+got[503] != n {
		t.Fatalf("outcomes of %d requests at 30%% 429, 20%% 503: %v", n, got)
	}
	h.sim.SetFaults(Faults{})
	if r := h.get("/v1/Sims/"+h.sim.SIMs()[0].Sid, "Bearer "+tok); r.status != 200 {
		t.Fatalf("faults cleared, still %d", r.status)
	}
}

func TestFailNextFailsExactlyNAPIRequests(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	h.sim.FailNext(2, 503, "1")
	h.newToken() // token requests do not use up the failures
	r := h.get("/v1/UsageRecords", "Bearer "+tok)
	expectKoreError(t, r, 503, 33004)
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	expectGigsError(t, h.gigs(h.gigsUsagePath(h.sim.Subscriptions()[0].ID, nil)), 503, "serviceUnavailable", "")
	if r := h.get("/v1/UsageRecords", "Bearer "+tok); r.status != 200 {
		t.Fatalf("third request: %d", r.status)
	}
	h.sim.FailNext(1, 500, "")
	expectKoreError(t, h.get("/v1/UsageRecords", "Bearer "+tok), 500, 20500)
	h.sim.FailNext(1, 0, "") // not an HTTP status: ignored rather than panicking
	if r := h.get("/v1/UsageRecords", "Bearer "+tok); r.status != 200 {
		t.Fatalf("bad FailNext status: %d", r.status)
	}
}

func TestLatencyHoldsTheAnswer(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	h.sim.SetFaults(Faults{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+"/v1/Sims", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := h.srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a request under an hour of latency answered: %v", err)
	}
	// The server notices the client left on its own time; count attempts, not time.
	for i := 0; i < 5000 && h.sim.faults.waiting() > 0; i++ {
		time.Sleep(time.Millisecond)
	}
	if h.sim.faults.waiting() != 0 {
		t.Fatal("the abandoned request is still held")
	}
	h.sim.SetFaults(Faults{})
	if r := h.get("/v1/Sims", "Bearer "+tok); r.status != 200 {
		t.Fatalf("without latency: %d", r.status)
	}
	if n := h.sim.Requests(RouteKoreSimsList); n != 1 {
		t.Fatalf("the abandoned request must not be counted as answered: %d", n)
	}
}

func TestClearingLatencyReleasesWaitingRequests(t *testing.T) {
	h := newHarness(t)
	h.sim.SetFaults(Faults{Latency: time.Hour})
	done := make(chan response)
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+TokenPath, strings.NewReader(h.goodTokenForm().Encode()))
		req.Header.Set("Content-Type", formType)
		resp, err := h.srv.Client().Do(req)
		if err != nil {
			done <- response{}
			return
		}
		resp.Body.Close()
		done <- response{status: resp.StatusCode}
	}()
	// Wait until the request is held, counting attempts rather than time.
	for i := 0; i < 1000 && h.sim.faults.waiting() == 0; i++ {
		time.Sleep(time.Millisecond)
	}
	if h.sim.faults.waiting() != 1 {
		t.Fatal("the token request was never held by the latency")
	}
	h.sim.SetFaults(Faults{})
	if r := <-done; r.status != 200 {
		t.Fatalf("released token request: %d", r.status)
	}
}

func TestKnobsAreSafeWhileServing(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, h.srv.URL+"/v1/UsageRecords?Granularity=daily", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				if resp, err := h.srv.Client().Do(req); err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	for j := 0; j < 20; j++ {
		h.sim.SetFaults(Faults{Rate429: 0.5})
		h.sim.SetHostile(Hostile{KoreOversizePage: j%2 == 0})
		h.sim.FailNext(1, 503, "")
		h.sim.SetTokenLifetime(time.Hour)
		h.sim.SetExpiresInAsString(j%2 == 0)
		h.sim.SetTokenDenyBody(false)
		_ = h.sim.Counts()
	}
	wg.Wait()
	if h.sim.Requests(RouteKoreUsageAccount) != 160 {
		t.Fatalf("counted %d of 160 requests", h.sim.Requests(RouteKoreUsageAccount))
	}
}

func TestFailNextUsesEachVendorsErrorBody(t *testing.T) {
	h := newHarness(t)
	tok := h.newToken()
	sub := h.sim.Subscriptions()[0].ID
	for _, c := range []struct {
		status   int
		koreCode int
		gigsType string
	}{
		{400, 33101, "malformed"}, {401, 20003, "unauthenticated"}, {403, 20006, "permissionDenied"},
		{404, 20404, "notFound"}, {409, 33000, "conflict"}, {422, 33000, "invalid"}, {429, 20429, "tooManyRequests"},
		{500, 20500, "unknown"}, {502, 40502, "unknown"}, {503, 33004, "serviceUnavailable"}, {504, 40504, "unknown"},
	} {
		h.sim.FailNext(2, c.status, "")
		expectKoreError(t, h.get("/v1/UsageRecords", "Bearer "+tok), c.status, c.koreCode)
		e := expectGigsError(t, h.gigs(h.gigsUsagePath(sub, nil)), c.status, c.gigsType, "")
		if !strings.Contains(e.Error(), c.gigsType) {
			t.Fatalf("GigsError.Error() %q does not name its type", e.Error())
		}
	}
}
