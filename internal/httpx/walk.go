package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// PageFunc decodes one page: it returns how many records it held and the
// reference of the next page ("" on the last), absolute or relative to the
// page's URL.
type PageFunc func(u *url.URL, r Response) (records int, next string, err error)

// Walk reads the pages of one list from first until the last, within
// budget. Before the credential is sent to a next page, that page must stay
// on the configured endpoint's origin and must not repeat an earlier one.
func (a *API) Walk(ctx context.Context, first *url.URL, budget *Budget, page PageFunc) error {
	var seen map[string]bool // the pages read, from the second on: most lists have one
	u := first
	for n := 1; ; n++ {
		if err := budget.takePage(); err != nil {
			return a.ResponseError(u, Response{}, err)
		}
		resp, err := a.Get(ctx, u)
		if err != nil {
			return err
		}
		if err := budget.addBytes(len(resp.Body)); err != nil {
			return a.ResponseError(u, Response{Status: resp.Status}, err)
		}
		records, next, err := page(u, resp)
		if err != nil {
			return a.ResponseError(u, resp, err)
		}
		var nextURL *url.URL
		if next != "" {
			if seen == nil {
				seen = map[string]bool{first.String(): true}
			}
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
