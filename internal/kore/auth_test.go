package kore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestNewValidatesWithoutNetwork(t *testing.T) {
	good := Config{ClientID: "id", ClientSecret: "s3cret"}
	if c, err := New(good); err != nil || c.endpoint.String() != DefaultEndpoint {
		t.Fatalf("defaults: %v %v", c, err)
	}
	bad := map[string]Config{
		"no id":             {ClientSecret: "s3cret"},
		"no secret":         {ClientID: "id"},
		"relative endpoint": {ClientID: "id", ClientSecret: "s3cret", Endpoint: "/v1"},
		"ftp endpoint":      {ClientID: "id", ClientSecret: "s3cret", Endpoint: "ftp://h"},
		"no host":           {ClientID: "id", ClientSecret: "s3cret", Endpoint: "https://"},
		"bad token url":     {ClientID: "id", ClientSecret: "s3cret", TokenURL: "token"},
		"userinfo":          {ClientID: "id", ClientSecret: "s3cret", Endpoint: "https://u:s3cret@h"},
		"query":             {ClientID: "id", ClientSecret: "s3cret", TokenURL: "https://h/t?x=1"},
	}
	for name, cfg := range bad {
		_, err := New(cfg)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	}
}

func TestTokenIsLazyAndShared(t *testing.T) {
	e := newEnv(t)
	if n := e.requests(vendorsim.RouteKoreToken); n != 0 {
		t.Fatalf("New made %d token requests", n)
	}
	ctx := context.Background()
	sims := e.sim.SIMs()
	if _, err := e.client.AccountUsage(ctx, window(3, "daily")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SimByUniqueName(ctx, sims[0].UniqueName); err != nil {
		t.Fatal(err)
	}
	// Many different questions at once: every one needs the token, one fetch serves all.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := e.client.SimUsage(ctx, sims[i%len(sims)].Sid, window(1+i, "all"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.requests(vendorsim.RouteKoreToken); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
}

func TestConcurrentFirstCallsShareOneToken(t *testing.T) {
	e := newEnv(t)
	sims := e.sim.SIMs()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := e.client.SimUsage(context.Background(), sims[i%len(sims)].Sid, window(2+i, "all")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := e.requests(vendorsim.RouteKoreToken); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
}

func TestExpiresInAsString(t *testing.T) {
	e := newEnv(t)
	e.sim.SetExpiresInAsString(true)
	ctx := context.Background()
	for i := range 3 {
		if _, err := e.client.AccountUsage(ctx, window(1+i, "all")); err != nil {
			t.Fatal(err)
		}
	}
	// A string expires_in that was misread would either fail or make every call refetch.
	if n := e.requests(vendorsim.RouteKoreToken); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
	tok := e.client.tokens.current
	if tok == nil || tok.Expiry.IsZero() {
		t.Fatalf("the token's expiry was not read: %+v", tok)
	}
}

func TestRefreshAfterRevokeCostsOneToken(t *testing.T) {
	for name, gateway := range map[string]bool{"401 KORE body": false, "403 gateway body": true} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.SetTokenDenyBody(gateway)
			ctx := context.Background()
			sims := e.sim.SIMs()
			if _, err := e.client.SimByUniqueName(ctx, sims[0].UniqueName); err != nil {
				t.Fatal(err)
			}
			e.sim.RevokeTokens()
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Go(func() {
					if _, err := e.client.SimUsage(ctx, sims[i%len(sims)].Sid, window(1+i, "daily")); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n := e.requests(vendorsim.RouteKoreToken); n != 2 {
				t.Fatalf("token requests = %d, want 2 (the first and one refresh)", n)
			}
		})
	}
}

// TestRejectedTokensGiveUpAfterThree: a request that sees three freshly
// issued tokens rejected in a row stops, and says so. The first token, which
// worked before it was revoked, does not count.
func TestRejectedTokensGiveUpAfterThree(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.AccountUsage(ctx, window(1, "all")); err != nil {
		t.Fatal(err)
	}
	// Every API answer is now a 401.
	e.sim.FailNext(100, 401, "")
	_, err := e.client.AccountUsage(ctx, window(2, "all"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "refused 3 freshly issued access tokens in a row") {
		t.Errorf("error does not say why it gave up: %v", err)
	}
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != 5 {
		t.Fatalf("usage requests = %d, want 5 (first query, the revoked token, then three fresh ones refused)", n)
	}
	if n := e.requests(vendorsim.RouteKoreToken); n != 4 {
		t.Fatalf("token requests = %d, want 4 (the first and three refreshes)", n)
	}
}

// TestTokensRevokedAgainAndAgain: with every token dying after two uses and
// ten reads in flight, a read whose rejected token another read has already
// replaced retries with the current one instead of failing.
func TestTokensRevokedAgainAndAgain(t *testing.T) {
	e := newEnv(t)
	sims := e.sim.SIMs()
	e.sim.SetTokenUses(2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for round := range 3 {
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				q := window(1+i+10*round, "daily")
				if _, err := e.client.SimUsage(ctx, sims[i%len(sims)].Sid, q); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n := e.requests(vendorsim.RouteKoreToken); n < 10 {
		t.Fatalf("token requests = %d: the tokens were not revoked as often as the test needs", n)
	}
}

func TestTokenEndpointRefusalIsFinal(t *testing.T) {
	const wrong = "definitely-not-the-secret-0123456789"
	e := newEnv(t, withConfig(func(c *Config) { c.ClientSecret = wrong }))
	_, err := e.client.AccountUsage(context.Background(), window(1, "all"))
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		t.Fatalf("err = %T %v, want *AuthError", err, err)
	}
	if authErr.Status != 401 || authErr.Code != "unauthorized_client" || authErr.Description == "" {
		t.Errorf("auth error = %+v", authErr)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), e.sim.Credentials().KoreClientSecret) {
		t.Errorf("error shows a secret: %v", err)
	}
	if n := e.requests(vendorsim.RouteKoreToken); n != 1 {
		t.Errorf("token requests = %d, want 1 (no retry of a refusal)", n)
	}
	if n := e.requests(vendorsim.RouteKoreUsageAccount); n != 0 {
		t.Errorf("usage requests = %d, want 0", n)
	}
}

func TestCancelledContextsStayRecognisable(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.client.AccountUsage(ctx, window(1, "all")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	if _, err := e.client.SimByICCID(past, e.sim.SIMs()[0].ICCID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: err = %v", err)
	}
	// A deadline that passes while the server is slow. (The token comes first:
	// the simulator's latency on the token route does not notice a client leaving.)
	if _, err := e.client.SimByICCID(context.Background(), e.sim.SIMs()[0].ICCID); err != nil {
		t.Fatal(err)
	}
	e.sim.SetFaults(vendorsim.Faults{Latency: time.Minute})
	short, cancel3 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel3()
	if _, err := e.client.AccountUsage(short, window(2, "all")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow server: err = %v", err)
	}
}
