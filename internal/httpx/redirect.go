package httpx

import (
	"errors"
	"fmt"
	"net/http"
)

// RedirectError is a 3xx answer. Neither client follows redirects: Go would
// carry the Authorization header to the same host on another port or scheme,
// and the token request's form body (with the client secret) to any origin on
// a 307 or 308. The error names where the server pointed (scheme and host,
// never the query) so the user can configure that endpoint directly.
type RedirectError struct {
	Status int
	Scheme string
	Host   string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server answered HTTP %d, a redirect to %s://%s, which is never followed so that no credential leaves the configured endpoint; configure the final endpoint instead",
		e.Status, e.Scheme, e.Host)
}

// refuseRedirect is the CheckRedirect of every client httpx builds.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &RedirectError{Status: status, Scheme: req.URL.Scheme, Host: req.URL.Host}
}

// isRedirect reports a refused redirect, which no retry can fix.
func isRedirect(err error) bool {
	var re *RedirectError
	return errors.As(err, &re)
}
