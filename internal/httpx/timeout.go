package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// timeoutTransport names the per-attempt limit in the error of an attempt
// that exceeded it: the standard library only says "Client.Timeout exceeded",
// which does not tell the user which setting to raise.
type timeoutTransport struct {
	next  http.RoundTripper
	limit time.Duration
}

func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	// A deadline the caller set is the caller's to report; only ours is named.
	if err != nil && req.Context().Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		err = &attemptTimeoutError{limit: t.limit, err: err}
	}
	return resp, err
}

// attemptTimeoutError is the error of a request whose last attempt ran past
// Config.RequestTimeout. It unwraps to the standard library's error, so
// errors.Is(err, context.DeadlineExceeded) holds, and it is a net.Error
// timeout like the error it wraps.
type attemptTimeoutError struct {
	limit time.Duration
	err   error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("request timed out after %s: %v", e.limit, e.err)
}

func (e *attemptTimeoutError) Unwrap() error { return e.err }

// Timeout reports true, as the wrapped error does, so that *url.Error's
// Timeout (which does not unwrap) keeps saying so.
func (e *attemptTimeoutError) Timeout() bool { return true }
