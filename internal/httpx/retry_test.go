package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

func TestWhatIsRetried(t *testing.T) {
	cases := []struct {
		status  int
		retried bool
	}{
		{http.StatusTooManyRequests, true},
		{http.StatusInternalServerError, true},
		{http.StatusBadGateway, true},
		{http.StatusServiceUnavailable, true},
		{http.StatusGatewayTimeout, true},
		{http.StatusBadRequest, false},
		{http.StatusUnauthorized, false},
		{http.StatusForbidden, false},
		{http.StatusNotFound, false},
		{http.StatusNotImplemented, false},
		{http.StatusOK, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.status), func(t *testing.T) {
			srv := statusServer(t, c.status)
			cfg := quick()
			cfg.MaxRetries = 2
			status, _, err := get(t.Context(), t, NewClient(cfg), srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if status != c.status {
				t.Fatalf("status %d, want %d", status, c.status)
			}
			want := int32(1)
			if c.retried {
				want = 3
			}
			if n := srv.requests.Load(); n != want {
				t.Fatalf("%d attempts, want %d", n, want)
			}
		})
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	var logs bytes.Buffer
	cfg := quick()
	cfg.MaxRetries = 2
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Debug})
	_, _, err := get(t.Context(), t, NewClient(cfg), url+"/usage?secret=qs_K7y")
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("error %v, want connection refused", err)
	}
	if n := strings.Count(logs.String(), "request failed"); n != 3 {
		t.Fatalf("%d attempts logged, want 3:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "qs_K7y") {
		t.Fatalf("a failed request logged its query:\n%s", logs.String())
	}
}

func TestMaxRetriesIsHonouredExactly(t *testing.T) {
	for _, c := range []struct{ maxRetries, attempts int32 }{
		{-1, 1}, {1, 2}, {3, 4}, {0, DefaultMaxRetries + 1},
	} {
		t.Run(fmt.Sprint(c.maxRetries), func(t *testing.T) {
			srv := statusServer(t, http.StatusServiceUnavailable)
			cfg := quick()
			cfg.MaxRetries = int(c.maxRetries)
			if _, _, err := get(t.Context(), t, NewClient(cfg), srv.URL); err != nil {
				t.Fatal(err)
			}
			if n := srv.requests.Load(); n != c.attempts {
				t.Fatalf("MaxRetries %d: %d attempts, want %d", c.maxRetries, n, c.attempts)
			}
		})
	}
}

func TestLastResponseIsReturnedWhenRetriesRunOut(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, attempt int32) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, `{"attempt":%d}`, attempt)
	})
	cfg := quick()
	cfg.MaxRetries = 2
	status, body, err := get(t.Context(), t, NewClient(cfg), srv.URL)
	if err != nil {
		t.Fatalf("retries ran out with an error instead of the response: %v", err)
	}
	if status != http.StatusBadGateway || string(body) != `{"attempt":3}` {
		t.Fatalf("got %d %q", status, body)
	}
	if n := srv.requests.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

func TestRetryAfterIsCappedByRetryWaitMax(t *testing.T) {
	// An hour's Retry-After: the test finishes only if the cap applies.
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, attempt int32) {
		if attempt == 1 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	status, _, err := get(t.Context(), t, NewClient(quick()), srv.URL)
	if err != nil || status != http.StatusOK {
		t.Fatalf("got %d %v", status, err)
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
}

func TestCancellationStopsRetryingAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		cancel() // the caller gives up while the first attempt is answered
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	// A backoff of an hour: the test finishes only if cancellation cuts it short.
	c := NewClient(Config{RetryWaitMin: time.Hour, MaxRetries: 5})
	_, _, err := get(ctx, t, c, srv.URL)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d attempts after cancellation, want 1", n)
	}
}

func TestPerAttemptTimeoutIsRetriedAndNamed(t *testing.T) {
	srv := newCountingServer(t, func(_ http.ResponseWriter, r *http.Request, _ int32) {
		<-r.Context().Done() // never answers; the client must give up
	})
	var logs bytes.Buffer
	cfg := quick()
	cfg.MaxRetries = 2
	cfg.RequestTimeout = 20 * time.Millisecond
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Debug})
	_, _, err := get(t.Context(), t, NewClient(cfg), srv.URL+"/usage")
	if err == nil {
		t.Fatal("a request that never answered succeeded")
	}
	if !strings.Contains(err.Error(), "request timed out after 20ms") {
		t.Errorf("error %q does not name the per-attempt timeout", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v is not a context.DeadlineExceeded", err)
	}
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("error %v is not a net.Error timeout", err)
	}
	if n := strings.Count(logs.String(), "request failed"); n != 3 {
		t.Fatalf("%d attempts logged, want 3:\n%s", n, logs.String())
	}
}

func TestCallersDeadlineIsNotReportedAsTheAttemptTimeout(t *testing.T) {
	srv := newCountingServer(t, func(_ http.ResponseWriter, r *http.Request, _ int32) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	cfg := quick()
	cfg.RequestTimeout = time.Hour
	_, _, err := get(ctx, t, NewClient(cfg), srv.URL)
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timed out after") {
		t.Fatalf("error %v: want the caller's deadline, not the per-attempt timeout", err)
	}
}
