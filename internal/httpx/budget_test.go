package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWalkStopsPastTheByteBound: pages that each fit the record budget but
// together pass the byte bound stop the read at the page that passes it,
// with an error that names the query and the bound.
func TestWalkStopsPastTheByteBound(t *testing.T) {
	const pageBytes = 10_000
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request, n int32) {
		w.Header().Set("Content-Type", "application/json")
		// One record a page, padded to pageBytes; always a next page.
		body := fmt.Sprintf(`{"n":%d}`, n)
		fmt.Fprint(w, body+strings.Repeat(" ", pageBytes-len(body)))
	})
	base, _ := url.Parse(srv.URL)
	a := &API{Vendor: "Gigs", Base: base, HTTP: NewClient(quick()), Log: quick().withDefaults().Logger,
		Secrets: &Redactor{}, Auth: StaticToken("k")}
	budget := NewBudget(1000, 1, "a test list")
	budget.MaxBytes = 5*pageBytes + pageBytes/2 // past it during the sixth page
	err := a.Walk(t.Context(), a.URL(nil, "list"), budget, func(_ *url.URL, r Response) (int, string, error) {
		if len(r.Body) != pageBytes {
			return 0, "", fmt.Errorf("page of %d bytes", len(r.Body))
		}
		return 1, fmt.Sprintf("/list?page=%d", budget.pages.Load()+1), nil
	})
	if !errors.Is(err, ErrVendorData) {
		t.Fatalf("err = %v, want the byte bound", err)
	}
	for _, part := range []string{"the pages of a test list passed", "53.71 KiB (55000 bytes)", "by page 6"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q does not say %q", err, part)
		}
	}
	if got := srv.requests.Load(); got != 6 {
		t.Fatalf("%d pages requested, want 6", got)
	}
}

// TestByteBoundDefaults: without MaxBytes, a short list may take 64 MiB and a
// long one 4 KiB a record: a 1,000,000-SIM list up to 4 GiB.
func TestByteBoundDefaults(t *testing.T) {
	cases := []struct {
		b    *Budget
		want int64
	}{
		{NewBudget(745, 1000, "hourly usage"), 64 << 20},
		{NewBudget(1_000_000, 1000, "SIMs"), 1_000_000 * 4096},
		{&Budget{MaxRecords: 1 << 62}, 1<<63 - 1},
		{&Budget{MaxRecords: 1, MaxBytes: 10}, 10},
	}
	for _, c := range cases {
		if got := c.b.ByteBound(); got != c.want {
			t.Errorf("ByteBound of %+v = %d, want %d", c.b.Query, got, c.want)
		}
	}
}

// TestCheckLength names the field and the bound, counts characters rather
// than bytes, and never repeats the text.
func TestCheckLength(t *testing.T) {
	if err := CheckLength("subscription id", strings.Repeat("é", 64), 64); err != nil {
		t.Fatalf("64 two-byte characters: %v", err)
	}
	err := CheckLength("subscription id", "sub_"+strings.Repeat("x", 61), 64)
	if !errors.Is(err, ErrVendorData) || err.Error() != "vendor data error: subscription id is 65 characters long, past the bound of 64" {
		t.Fatalf("err = %v", err)
	}
}
