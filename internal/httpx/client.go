package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Defaults, documented on the provider's index page.
const (
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second
	DefaultMaxConcurrent  = 10
)

// MaxConcurrentLimit is the largest MaxConcurrent the provider takes
// (max_concurrent_requests); Config itself does not enforce it.
const MaxConcurrentLimit = 100

// Config tunes one vendor's HTTP client. Zero values take the defaults above.
type Config struct {
	// Vendor names the API in a *ConnectionError ("KORE" or "Gigs").
	Vendor string
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives request and retry logs; nil discards them.
	Logger hclog.Logger
	// MaxRetries is the number of retries after the first attempt. Negative
	// disables retries.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff, and RetryWaitMax also
	// caps how long a Retry-After header may make us wait.
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestTimeout bounds each attempt.
	RequestTimeout time.Duration
	// MaxConcurrent caps the attempts in flight at once.
	MaxConcurrent int
	// RateLimit is the steady requests per second allowed; 0 means unlimited.
	RateLimit float64
}

// InFlight is the cap on requests in flight this configuration gives: the
// limit a fan-out over one vendor should keep to.
func (c Config) InFlight() int { return c.withDefaults().MaxConcurrent }

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = hclog.NewNullLogger()
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.RetryWaitMin <= 0 {
		c.RetryWaitMin = DefaultRetryWaitMin
	}
	if c.RetryWaitMax <= 0 {
		c.RetryWaitMax = DefaultRetryWaitMax
	}
	if c.RetryWaitMax < c.RetryWaitMin {
		c.RetryWaitMax = c.RetryWaitMin
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	return c
}

// NewClient returns an *http.Client that retries connection errors, 429 and
// 5xx (except 501) with jittered exponential backoff, honouring Retry-After in
// seconds or HTTP-date form up to RetryWaitMax. When retries run out the last
// response is returned as it is, so the caller can decode the vendor's error
// body. When the last attempt times out, the error names RequestTimeout.
func NewClient(cfg Config) *http.Client {
	cfg = cfg.withDefaults()

	base := cleanhttp.DefaultPooledTransport()
	base.MaxIdleConnsPerHost = cfg.MaxConcurrent
	inner := &limitTransport{
		next: &headerTransport{next: base, userAgent: cfg.UserAgent},
		sem:  make(chan struct{}, cfg.MaxConcurrent),
	}
	if cfg.RateLimit > 0 {
		burst := max(1, int(cfg.RateLimit))
		inner.limiter = rate.NewLimiter(rate.Limit(cfg.RateLimit), burst)
	}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport:     &logTransport{next: inner, logger: cfg.Logger},
		Timeout:       cfg.RequestTimeout,
		CheckRedirect: refuseRedirect,
	}
	rc.Logger = nil // logTransport logs each attempt; the library would log URLs with levels we don't control
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.ErrorHandler = countAttempts
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			Logger(req.Context(), cfg.Logger).Debug("retrying request", "method", req.Method, "path", req.URL.Path, "attempt", attempt+1)
		}
	}
	return &http.Client{
		Transport:     &timeoutTransport{next: &retryablehttp.RoundTripper{Client: rc}, limit: cfg.RequestTimeout, vendor: cfg.Vendor},
		CheckRedirect: refuseRedirect,
	}
}

// countAttempts is the library's passthrough (the last answer as it is,
// for the caller to decode), except that an error says how many attempts
// were made. The library's *url.Error is dropped: it repeats the URL.
func countAttempts(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if err == nil {
		return resp, nil
	}
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close() // an error goes without its answer
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return nil, &triedError{attempts: attempts, err: err}
}

// triedError carries the attempts a failed request made up to
// timeoutTransport, which names them in a *ConnectionError.
type triedError struct {
	attempts int
	err      error
}

func (e *triedError) Error() string { return e.err.Error() }
func (e *triedError) Unwrap() error { return e.err }

// ConnectionError is a request that got no answer, however often it was
// sent: the connection was refused or reset, the name did not resolve, TLS
// failed, or every attempt ran past the request timeout. What to check is
// the endpoint and the network, not the vendor's data.
type ConnectionError struct {
	Vendor   string // "KORE" or "Gigs"; "" when the client's Config did not say
	Method   string
	Host     string // the configured endpoint's host (and port)
	Path     string // URL path, never the query
	Attempts int    // requests sent, retries included
	Err      error  // the last attempt's failure
}

func (e *ConnectionError) Error() string {
	var b strings.Builder
	if e.Vendor != "" {
		b.WriteString(e.Vendor + " ")
	}
	fmt.Fprintf(&b, "%s %s: no answer from %s after %d attempt", e.Method, e.Path, e.Host, e.Attempts)
	if e.Attempts != 1 {
		b.WriteString("s")
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// Timeout reports whether the last attempt timed out, so that *url.Error's
// Timeout (which does not unwrap) still says so.
func (e *ConnectionError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// checkRetry is the library's policy (connection errors and timeouts, 429,
// 5xx but 501; never after cancellation), except that a refused redirect is
// final: no retry can make it go away.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if isRedirect(err) {
		return false, nil
	}
	return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
}

// backoff is jittered exponential backoff that defers to Retry-After (both
// forms) on 429 and 503, capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, maxWait)
		}
	}
	// A random wait between minWait and a ceiling that doubles per attempt.
	// Attempt 0 on purpose: the library multiplies its draw by the attempt,
	// which would overshoot maxWait.
	ceiling := min(maxWait, minWait<<min(attempt, 16))
	return retryablehttp.LinearJitterBackoff(minWait, ceiling, 0, nil)
}

// RetryAfter parses a Retry-After header given as delay-seconds or as an
// HTTP-date relative to now.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 31); err == nil {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// headerTransport sets the User-Agent and asks for JSON.
type headerTransport struct {
	next      http.RoundTripper
	userAgent string
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	return t.next.RoundTrip(req)
}

// limitTransport caps attempts in flight and, optionally, their rate, so that
// Terraform's parallelism does not become a self-inflicted 429 storm.
type limitTransport struct {
	next    http.RoundTripper
	sem     chan struct{}
	limiter *rate.Limiter
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.limiter != nil {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.Body == nil {
		<-t.sem
		return resp, err
	}
	// Hold the slot until the body is read and closed.
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { <-t.sem }}
	return resp, nil
}

// logTransport logs each attempt's method, path, status and duration. It never
// logs headers or query strings, so no credential can reach a log line.
type logTransport struct {
	next   http.RoundTripper
	logger hclog.Logger
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	logger := Logger(req.Context(), t.logger)
	if err != nil {
		logger.Debug("request failed", "method", req.Method, "host", req.URL.Host, "path", req.URL.Path, "duration", elapsed, "error", err.Error())
		return nil, err
	}
	logger.Debug("request", "method", req.Method, "host", req.URL.Host, "path", req.URL.Path, "status", resp.StatusCode, "duration", elapsed)
	return resp, nil
}

// timeoutTransport names the per-attempt limit in the error of an attempt
// that exceeded it: the standard library only says "Client.Timeout exceeded",
// which does not tell the user which setting to raise.
type timeoutTransport struct {
	next   http.RoundTripper
	limit  time.Duration
	vendor string
}

func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		// Only the redirect: the inner client's error repeats the target URL.
		return nil, redirect
	}
	// A deadline or cancellation of the caller's is the caller's to report;
	// every other failure is one of the connection, named with its attempts.
	if err != nil && req.Context().Err() == nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = &attemptTimeoutError{limit: t.limit, err: err}
		}
		attempts := 1
		var tried *triedError
		if errors.As(err, &tried) {
			attempts = tried.attempts
		}
		err = &ConnectionError{Vendor: t.vendor, Method: req.Method, Host: req.URL.Host, Path: req.URL.EscapedPath(), Attempts: attempts, Err: err}
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

type loggerKey struct{}

// WithLogger returns ctx carrying logger, so that the requests made for one
// read log through that read's logger (in the provider, tflog bound to the
// read's RPC) rather than the one the client was built with.
func WithLogger(ctx context.Context, logger hclog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, logger)
}

// Logger is the logger ctx carries, named like fallback, or fallback itself.
func Logger(ctx context.Context, fallback hclog.Logger) hclog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(hclog.Logger); ok && l != nil {
		if name := fallback.Name(); name != "" {
			return l.ResetNamed(name)
		}
		return l
	}
	return fallback
}
