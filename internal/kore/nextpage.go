package kore

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// nextPageURL checks a meta.next_page_url before the bearer token is sent to
// it: it must stay on the configured endpoint's scheme and host (the token
// must never reach another host) and must not revisit a page (a loop would
// never end). A relative URL is resolved against the current page.
func nextPageURL(endpoint, current *url.URL, next string, seen map[string]bool) (*url.URL, error) {
	ref, err := url.Parse(next)
	if err != nil {
		return nil, errors.New("next_page_url is not a valid URL")
	}
	u := current.ResolveReference(ref)
	if origin(u) != origin(endpoint) {
		return nil, errors.New("next_page_url points away from the configured KORE endpoint; refusing to send the token there")
	}
	if u.User != nil {
		return nil, errors.New("next_page_url carries user information")
	}
	u.Fragment, u.RawFragment = "", ""
	key := u.String()
	if seen[key] {
		return nil, errors.New("next_page_url repeats an earlier page; pagination would never end")
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
