package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
)

// ErrVendorData marks answers whose content cannot be true: counters no
// meter produces, records outside the query, more records than the query
// can have. A guardrail must never pass on them, so the read fails.
var ErrVendorData = errors.New("vendor data error")

// Budget bounds what one read may cost. A query's range bounds how many
// records can be true, and so how many pages: a server that sends more is
// broken or hostile, and the read stops there instead of filling memory.
type Budget struct {
	MaxPages, MaxRecords int64
	// Query names the query in the error, with what bounds it.
	Query          string
	pages, records atomic.Int64
}

// NewBudget allows maxRecords records in full pages of perPage, plus a last
// page that may be partial or empty.
func NewBudget(maxRecords, perPage int64, query string) *Budget {
	return &Budget{MaxRecords: maxRecords, MaxPages: (maxRecords+perPage-1)/perPage + 1, Query: query}
}

func (b *Budget) takePage() error {
	if b.pages.Add(1) > b.MaxPages {
		return b.exceeded(fmt.Sprintf("more than %d pages", b.MaxPages))
	}
	return nil
}

// AddRecords counts n more records, failing once they pass the budget.
func (b *Budget) AddRecords(n int) error {
	if b.records.Add(int64(n)) > b.MaxRecords {
		return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
	}
	return nil
}

// Overflow is the error of a page that holds more records than are Left.
func (b *Budget) Overflow() error {
	return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
}

// Left is how many records may still come.
func (b *Budget) Left() int64 { return max(0, b.MaxRecords-b.records.Load()) }

func (b *Budget) exceeded(what string) error {
	return fmt.Errorf("%w: the server sent %s, past the budget of %d records and %d pages derived from %s; "+
		"this looks like a broken or hostile server, so the read stops here", ErrVendorData, what, b.MaxRecords, b.MaxPages, b.Query)
}

// PageFunc decodes one page: it returns how many records it held and the
// reference of the next page ("" on the last), absolute or relative to the
// page's URL.
type PageFunc func(u *url.URL, r Response) (records int, next string, err error)

// Walk reads the pages of one list from first until the last, within
// budget. Before the credential is sent to a next page, that page must stay
// on the configured endpoint's origin and must not repeat an earlier one.
func (a *API) Walk(ctx context.Context, first *url.URL, budget *Budget, page PageFunc) error {
	seen := map[string]bool{first.String(): true}
	u := first
	for n := 1; ; n++ {
		if err := budget.takePage(); err != nil {
			return a.ResponseError(u, Response{}, err)
		}
		resp, err := a.Get(ctx, u)
		if err != nil {
			return err
		}
		records, next, err := page(u, resp)
		if err != nil {
			return a.ResponseError(u, resp, err)
		}
		var nextURL *url.URL
		if next != "" {
			// A loop is named as such before the records it repeats overflow the budget.
			if nextURL, err = a.nextPage(u, next, seen); err != nil {
				return a.ResponseError(u, Response{Status: resp.Status}, err)
			}
		}
		if err := budget.AddRecords(records); err != nil {
			return a.ResponseError(u, Response{Status: resp.Status}, err)
		}
		Logger(ctx, a.Log).Debug("page read", "path", u.EscapedPath(), "page", n, "records", records)
		if nextURL == nil {
			return nil
		}
		u = nextURL
	}
}

// nextPage resolves a next-page reference against the current page and
// checks it: same scheme, host and port as the endpoint (the credential must
// never reach another origin), no user information, not seen before (a loop
// would never end).
func (a *API) nextPage(current *url.URL, next string, seen map[string]bool) (*url.URL, error) {
	ref, err := url.Parse(next)
	if err != nil {
		return nil, errors.New("the next page's URL is not a valid URL")
	}
	u := current.ResolveReference(ref)
	if origin(u) != origin(a.Base) {
		return nil, fmt.Errorf("the next page's URL points away from the configured %s endpoint; refusing to send the credential there", a.Vendor)
	}
	if u.User != nil {
		return nil, errors.New("the next page's URL carries user information")
	}
	u.Fragment, u.RawFragment = "", ""
	key := u.String()
	if seen[key] {
		return nil, errors.New("the next page's URL repeats an earlier page; pagination would never end")
	}
	seen[key] = true
	return u, nil
}

// origin is scheme://host:port, lower-cased, with the default port made
// explicit so that "https://h" and "https://H:443" compare equal.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
