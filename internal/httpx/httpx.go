// Package httpx holds the HTTP plumbing both vendor clients share: retries
// with backoff that honour Retry-After, a per-attempt timeout, a cap on
// requests in flight, an optional client-side rate limit, the User-Agent, and
// request logging that never shows a header.
package httpx

import (
	"context"
	"errors"
	"net/http"
	"strconv"
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

// Config tunes one vendor's HTTP client. Zero values take the defaults above.
type Config struct {
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
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			Logger(req.Context(), cfg.Logger).Debug("retrying request", "method", req.Method, "path", req.URL.Path, "attempt", attempt+1)
		}
	}
	return &http.Client{
		Transport:     &timeoutTransport{next: &retryablehttp.RoundTripper{Client: rc}, limit: cfg.RequestTimeout},
		CheckRedirect: refuseRedirect,
	}
}

// checkRetry retries what a calm retry can fix and nothing else.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		if isRedirect(err) {
			return false, nil
		}
		var timeout interface{ Timeout() bool }
		if errors.As(err, &timeout) && timeout.Timeout() {
			// A per-attempt timeout is worth another try.
			return true, nil
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode == http.StatusNotImplemented:
		return false, nil
	case resp.StatusCode >= 500:
		return true, nil
	}
	return false, nil
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
