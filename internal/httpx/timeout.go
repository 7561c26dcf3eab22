package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		// Only the redirect: the inner client's error repeats the target URL.
		return nil, redirect
	}
	// A deadline the caller set is the caller's to report; only ours is named.
	if err != nil && req.Context().Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		err = &attemptTimeoutError{limit: t.limit, err: err}
	}
	if resp != nil && resp.Body != nil {
		resp.Body = &timedBody{ReadCloser: resp.Body, ctx: req.Context(), limit: t.limit}
	}
	return resp, err
}

// timedBody names the per-attempt limit when a body trickles past it: the
// attempt's timeout covers reading the body too, and the standard library
// reports that only as "Client.Timeout or context cancellation".
type timedBody struct {
	io.ReadCloser
	ctx   context.Context
	limit time.Duration
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var timeout interface{ Timeout() bool }
	if err != nil && b.ctx.Err() == nil && errors.As(err, &timeout) && timeout.Timeout() {
		err = &attemptTimeoutError{limit: b.limit, err: err, body: true}
	}
	return n, err
}

// attemptTimeoutError is the error of a request whose last attempt ran past
// Config.RequestTimeout. It unwraps to the standard library's error, so
// errors.Is(err, context.DeadlineExceeded) holds, and it is a net.Error
// timeout like the error it wraps.
type attemptTimeoutError struct {
	limit time.Duration
	err   error
	body  bool // the body, not the headers, was late
}

func (e *attemptTimeoutError) Error() string {
	if e.body {
		return fmt.Sprintf("the response body was still arriving when the request timeout of %s ran out: %v", e.limit, e.err)
	}
	return fmt.Sprintf("request timed out after %s: %v", e.limit, e.err)
}

// Is makes every attempt timeout a context.DeadlineExceeded, the body's
// included, whose standard error is not one.
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

func (e *attemptTimeoutError) Unwrap() error { return e.err }

// Timeout reports true, as the wrapped error does, so that *url.Error's
// Timeout (which does not unwrap) keeps saying so.
func (e *attemptTimeoutError) Timeout() bool { return true }
