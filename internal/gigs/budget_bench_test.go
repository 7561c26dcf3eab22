package gigs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// hostileRecords is how many records the hostile page of issue 9 carried
// in 32 MiB.
const hostileRecords = 204598

// hostilePage is one list page of n well-formed records on consecutive days
// from 2024-01-01, each padded so that the page just fits httpx.MaxBodyBytes.
func hostilePage(n int) []byte {
	const head, tail = `{"object":"list","items":[`, `],"moreItemsAfter":null,"moreItemsBefore":null}`
	size := (httpx.MaxBodyBytes-len(head)-len(tail))/n - 1 // one comma each
	first := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	b.Grow(httpx.MaxBodyBytes)
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		start := first.AddDate(0, 0, i)
		r := fmt.Sprintf(`{"object":"usageRecord","start":%q,"end":%q,"data":123456789,"sms":12,"voice":345,"labels":{"country":"US"},"pad":"`,
			start.Format(time.RFC3339), start.AddDate(0, 0, 1).Format(time.RFC3339))
		b.WriteString(r)
		b.Write(bytes.Repeat([]byte{'x'}, max(0, size-len(r)-2)))
		b.WriteString(`"}`)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// pageServer serves body to every request.
func pageServer(tb testing.TB, body []byte) *Client {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	c, err := New(Config{Endpoint: srv.URL, APIKey: "k_bench", HTTP: httpx.Config{MaxRetries: -1}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkHostilePage reads the hostile 32 MiB page for a one-day query:
// B/op is what one read allocates until it stops (the read fails on the
// budget; a decoder without one accepts the page).
func BenchmarkHostilePage(b *testing.B) {
	body := hostilePage(hostileRecords)
	c := pageServer(b, body)
	q := UsageQuery{Start: "2024-01-01", End: "2024-01-01"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A new subscription each time, so no cached answer is reused.
		_, _ = c.SubscriptionUsage(context.Background(), "p", "s"+strconv.Itoa(i), q)
	}
}
