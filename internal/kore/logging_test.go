package kore

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// TestNoSecretInLogsOrErrors runs a full session with a token revoked
// mid-way and failures on the way, and checks that neither the client secret
// nor any token issued ever reaches a log line or an error.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sims := e.sim.SIMs()
	var errs []string
	record := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}

	_, err := e.client.AccountUsage(ctx, window(45, "hourly"))
	record(err)
	e.sim.RevokeTokens()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range 6 {
		wg.Go(func() {
			_, err := e.client.SimUsage(ctx, sims[i%len(sims)].Sid, window(3+i, "daily"))
			mu.Lock()
			record(err)
			mu.Unlock()
		})
	}
	wg.Wait()
	e.sim.SetTokenDenyBody(true)
	e.sim.RevokeTokens()
	_, err = e.client.SimByUniqueName(ctx, sims[0].UniqueName)
	record(err)
	_, err = e.client.SimByICCID(ctx, "0000")
	record(err) // a 404
	e.sim.FailNext(10, 503, "0")
	_, err = e.client.AccountUsage(ctx, window(2, "all"))
	record(err) // retries spent

	if n := e.requests(vendorsim.RouteKoreToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "KORE access token issued") || !strings.Contains(logs, "page read") {
		t.Fatalf("expected debug lines missing:\n%s", logs)
	}
	secrets := append([]string{e.sim.Credentials().KoreClientSecret}, e.sim.IssuedTokens()...)
	if len(secrets) != 4 {
		t.Fatalf("tracked %d secrets", len(secrets))
	}
	out := logs + strings.Join(errs, "\n")
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Fatalf("a secret leaked into logs or errors")
		}
		// A token's signature alone is also a secret.
		if i := strings.LastIndex(s, "."); i > 0 && strings.Contains(out, s[i+1:]) {
			t.Fatalf("a token signature leaked into logs or errors")
		}
	}
	if len(errs) != 2 {
		t.Errorf("errors = %q, want the 404 and the spent retries", errs)
	}
}
