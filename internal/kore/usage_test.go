package kore

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestPaginationPastOnePage(t *testing.T) {
	e := newEnv(t)
	q := window(45, "hourly")
	got, err := e.client.AccountUsage(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := e.expected(t, "", q)
	if len(want) <= PageSize {
		t.Fatalf("the window must span more than one page, has %d records", len(want))
	}
	sameRecords(t, got, want)
	pages := (len(want) + PageSize - 1) / PageSize
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != pages {
		t.Fatalf("usage requests = %d, want %d", n, pages)
	}
}

func TestSimUsageMatchesSimulator(t *testing.T) {
	e := newEnv(t)
	sim := e.sim.SIMs()[1]
	for _, g := range []string{"all", "daily", "hourly"} {
		q := window(10, g)
		got, err := e.client.SimUsage(context.Background(), sim.Sid, q)
		if err != nil {
			t.Fatal(g, err)
		}
		want := e.expected(t, sim.Sid, q)
		sameRecords(t, got, want)
		for _, r := range got {
			if r.SimSid != sim.Sid {
				t.Fatalf("%s: record for SIM %q", g, r.SimSid)
			}
		}
	}
}

// TestQueryParameters checks what goes on the wire: RFC 3339 UTC with Z,
// the granularity ("all" when unset) and the maximum page size.
func TestQueryParameters(t *testing.T) {
	var mu sync.Mutex
	var seen []url.Values
	e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/UsageRecords") {
				mu.Lock()
				seen = append(seen, r.URL.Query())
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}))
	zone := time.FixedZone("UTC+2", 2*3600)
	q := window(2, "")
	q.Start, q.End = q.Start.In(zone), q.End.In(zone).Add(123*time.Millisecond)
	if _, err := e.client.AccountUsage(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 {
		t.Fatalf("%d usage requests", len(seen))
	}
	v := seen[0]
	if v.Get("Start") != q.Start.UTC().Format("2006-01-02T15:04:05Z") || v.Get("End") != q.End.UTC().Format("2006-01-02T15:04:05Z") {
		t.Errorf("Start/End = %q/%q", v.Get("Start"), v.Get("End"))
	}
	if v.Get("Granularity") != "all" || v.Get("PageSize") != "1000" {
		t.Errorf("Granularity/PageSize = %q/%q", v.Get("Granularity"), v.Get("PageSize"))
	}
}

func TestInvalidQueriesCostNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bad := []UsageQuery{
		{End: simNow},
		{Start: simNow},
		{Start: simNow, End: simNow.Add(-time.Hour)},
		{Start: simNow.Add(-time.Hour), End: simNow, Granularity: "weekly"},
	}
	for _, q := range bad {
		if _, err := e.client.AccountUsage(ctx, q); err == nil {
			t.Errorf("%+v accepted", q)
		}
	}
	if _, err := e.client.SimUsage(ctx, "", window(1, "all")); err == nil {
		t.Error("empty sid accepted")
	}
	if len(e.sim.Counts()) != 0 {
		t.Errorf("requests were made: %+v", e.sim.Counts())
	}
}

// TestEndOfListForms rewrites the simulator's last page so that its
// next_page_url is absent or empty instead of null; all three end the walk.
func TestEndOfListForms(t *testing.T) {
	for _, form := range []string{"null", "absent", "empty"} {
		t.Run(form, func(t *testing.T) {
			e := newEnv(t, withMiddleware(func(next http.Handler) http.Handler {
				return rewriteLastPage(next, form)
			}))
			q := window(45, "hourly")
			got, err := e.client.AccountUsage(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			sameRecords(t, got, e.expected(t, "", q))
		})
	}
}

func rewriteLastPage(next http.Handler, form string) http.Handler {
	replacement := map[string]string{"absent": "", "empty": `"next_page_url":"",`}[form]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/UsageRecords") || form == "null" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK && !bytes.Contains(body, []byte(`"next_page_url":"`)) {
			// The last page: the simulator wrote null; write the other form instead.
			edited := bytes.Replace(body, []byte(`"next_page_url":null,`), []byte(replacement), 1)
			if bytes.Equal(edited, body) {
				http.Error(w, "test middleware: the last page has no next_page_url:null to rewrite", http.StatusTeapot)
				return
			}
			body = edited
		}
		maps.Copy(w.Header(), rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func TestIdenticalQueriesShareOneRequest(t *testing.T) {
	e := newEnv(t)
	e.sim.SetFaults(vendorsim.Faults{Latency: 20 * time.Millisecond}) // keep the callers overlapping
	q := window(5, "daily")
	results := make([][]UsageRecord, 20)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			r, err := e.client.AccountUsage(context.Background(), q)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	wg.Wait()
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != 1 {
		t.Fatalf("usage requests = %d, want 1", n)
	}
	// Later identical questions come from the cache.
	again, err := e.client.AccountUsage(context.Background(), q)
	if err != nil || e.requests(vendorsim.RouteKoreUsageAccount) != 1 {
		t.Fatalf("repeat cost a request (err %v)", err)
	}
	// Each caller owns its copy: changing one changes no other.
	want := e.expected(t, "", q)
	results[0][0].Data.Counts.Total = -1
	if results[0][0].Data.Home != nil {
		results[0][0].Data.Home.Total = -1
	}
	sameRecords(t, results[1], want)
	sameRecords(t, again, want)
	// A different question is a different request.
	if _, err := e.client.AccountUsage(context.Background(), window(5, "hourly")); err != nil {
		t.Fatal(err)
	}
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != 2 {
		t.Fatalf("usage requests = %d, want 2", n)
	}
}

func TestFailuresAreNotCached(t *testing.T) {
	e := newEnv(t)
	e.sim.FailNext(1, http.StatusBadRequest, "")
	q := window(1, "all")
	if _, err := e.client.AccountUsage(context.Background(), q); err == nil {
		t.Fatal("the injected failure did not surface")
	}
	if _, err := e.client.AccountUsage(context.Background(), q); err != nil {
		t.Fatalf("the failure was cached: %v", err)
	}
}
