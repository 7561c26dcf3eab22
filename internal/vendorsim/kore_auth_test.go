package vendorsim

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

const formType = "application/x-www-form-urlencoded"

func TestKoreTokenIssuesUniqueBearerTokens(t *testing.T) {
	h := newHarness(t)
	r := h.postToken(h.goodTokenForm(), formType)
	body := r.object(t)
	if r.status != 200 || body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || body["scope"] == "" {
		t.Fatalf("token response %d %s", r.status, r.body)
	}
	tok := field[string](t, body, "access_token")
	if parts := strings.Split(tok, "."); len(parts) != 3 {
		t.Fatalf("token %q does not look like a JWT", tok)
	} else if _, err := base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
		t.Fatalf("token claims are not base64url: %v", err)
	}
	second := h.newToken()
	if second == tok {
		t.Fatal("two issues gave the same token")
	}
	if got := h.sim.IssuedTokens(); len(got) != 2 || got[0] != tok || got[1] != second {
		t.Fatalf("IssuedTokens %d tokens, want the two issued in order", len(got))
	}
	if r := h.get("/v1/UsageRecords", "Bearer "+tok); r.status != 200 {
		t.Fatalf("a fresh token is refused: %d %s", r.status, r.body)
	}
}

func TestKoreTokenRefusals(t *testing.T) {
	h := newHarness(t)
	c := h.sim.Credentials()
	wrong := h.goodTokenForm()
	wrong.Set("client_secret", "not-the-secret")

	expectUnauthorizedClient := func(t *testing.T, r response) {
		t.Helper()
		body := r.object(t)
		if r.status != 401 || body["error"] != "unauthorized_client" || body["error_description"] != "Invalid client or Invalid client credentials" {
			t.Fatalf("got %d %s", r.status, r.body)
		}
	}
	expectBadRequest := func(t *testing.T, r response) {
		t.Helper()
		body := r.object(t)
		if r.status != 400 || body["code"] == nil || body["message"] == "" {
			t.Fatalf("got %d %s, want 400 {code, message}", r.status, r.body)
		}
	}
	t.Run("wrong secret", func(t *testing.T) { expectUnauthorizedClient(t, h.postToken(wrong, formType)) })
	t.Run("HTTP Basic is not accepted", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+TokenPath, strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", formType)
		req.SetBasicAuth(c.KoreClientID, c.KoreClientSecret)
		expectUnauthorizedClient(t, h.do(req))
	})
	t.Run("credentials in the query string are not accepted", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+TokenPath+"?"+h.goodTokenForm().Encode(), strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", formType)
		expectUnauthorizedClient(t, h.do(req))
	})
	t.Run("missing grant_type", func(t *testing.T) {
		f := h.goodTokenForm()
		f.Del("grant_type")
		expectBadRequest(t, h.postToken(f, formType))
	})
	t.Run("other grant_type", func(t *testing.T) {
		f := h.goodTokenForm()
		f.Set("grant_type", "password")
		expectBadRequest(t, h.postToken(f, formType))
	})
	t.Run("JSON body", func(t *testing.T) { expectBadRequest(t, h.postToken(h.goodTokenForm(), "application/json")) })
	t.Run("GET", func(t *testing.T) {
		if r := h.get(TokenPath, ""); r.status != 405 {
			t.Fatalf("GET token: %d", r.status)
		}
	})
	if h.sim.Requests(RouteKoreToken) != 7 {
		t.Fatalf("token requests counted %d, want 7", h.sim.Requests(RouteKoreToken))
	}
}

func TestKoreAPIRefusesMissingOrUnknownTokens(t *testing.T) {
	h := newHarness(t)
	for _, auth := range []string{"", "Bearer", "Bearer not-a-token", "Basic " + base64.StdEncoding.EncodeToString([]byte("a:b"))} {
		expectKoreError(t, h.get("/v1/UsageRecords", auth), 401, 20003)
	}
	// Auth comes before everything else, even a bad parameter or unknown SIM.
	expectKoreError(t, h.get("/v1/UsageRecords?Foo=1", ""), 401, 20003)
	expectKoreError(t, h.get("/v1/Sims/nope", ""), 401, 20003)
}

func TestKoreRevokeTokens(t *testing.T) {
	h := newHarness(t)
	old := h.newToken()
	h.sim.RevokeTokens()
	expectKoreError(t, h.get("/v1/UsageRecords", "Bearer "+old), 401, 20003)
	if r := h.get("/v1/UsageRecords", "Bearer "+h.newToken()); r.status != 200 {
		t.Fatalf("a token issued after revoking is refused: %d", r.status)
	}
}

func TestKoreRevokeTokensAfterNRequests(t *testing.T) {
	h := newHarness(t)
	old := h.newToken()
	h.sim.RevokeTokensAfter(3)
	for i := 0; i < 3; i++ {
		if r := h.get("/v1/Sims", "Bearer "+old); r.status != 200 {
			t.Fatalf("request %d before the revocation: %d", i+1, r.status)
		}
	}
	expectKoreError(t, h.get("/v1/Sims", "Bearer "+old), 401, 20003)
	fresh := h.newToken()
	for i := 0; i < 5; i++ { // the revocation happens once
		if r := h.get("/v1/Sims", "Bearer "+fresh); r.status != 200 {
			t.Fatalf("a token issued after the revocation is refused: %d", r.status)
		}
	}
	h.sim.RevokeTokensAfter(0)
	expectKoreError(t, h.get("/v1/Sims", "Bearer "+fresh), 401, 20003)
}

func TestKoreTokensReallyExpire(t *testing.T) {
	h := newHarness(t)
	h.sim.SetTokenLifetime(10 * time.Minute)
	r := h.postToken(h.goodTokenForm(), formType)
	body := r.object(t)
	if body["expires_in"] != float64(600) {
		t.Fatalf("expires_in %v, want 600", body["expires_in"])
	}
	tok := field[string](t, body, "access_token")
	h.clock.Advance(9 * time.Minute)
	if r := h.get("/v1/UsageRecords", "Bearer "+tok); r.status != 200 {
		t.Fatalf("token refused before it expires: %d", r.status)
	}
	h.clock.Advance(time.Minute)
	expectKoreError(t, h.get("/v1/UsageRecords", "Bearer "+tok), 401, 20003)
}

func TestKoreExpiresInAsString(t *testing.T) {
	h := newHarness(t)
	h.sim.SetExpiresInAsString(true)
	if body := h.postToken(h.goodTokenForm(), formType).object(t); body["expires_in"] != "3600" {
		t.Fatalf("expires_in %#v, want the string \"3600\"", body["expires_in"])
	}
}

func TestKoreGatewayDenyBody(t *testing.T) {
	h := newHarness(t)
	h.sim.SetTokenDenyBody(true)
	r := h.get("/v1/UsageRecords", "Bearer expired")
	body := r.object(t)
	if r.status != 403 || body["message"] != "User is not authorized to access this resource with an explicit deny" ||
		body["error"] != "Invalid or expired token" {
		t.Fatalf("gateway deny: %d %s", r.status, r.body)
	}
}

// syncBuffer lets the logger and the test share a buffer under -race.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNoSecretReachesTheLogOrAnErrorBody(t *testing.T) {
	var logs syncBuffer
	c := &clock{t: testNow}
	sim := New(Options{Seed: 7, Now: c.Now, Logger: hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})})
	h := &harness{t: t, sim: sim, srv: newServer(t, sim), clock: c}
	creds := sim.Credentials()

	tok := h.newToken()
	var bodies []string
	wrong := h.goodTokenForm()
	wrong.Set("client_secret", creds.KoreClientSecret+"x")
	bodies = append(bodies, string(h.postToken(wrong, formType).body))
	bodies = append(bodies, string(h.get("/v1/UsageRecords?Foo=1", "Bearer "+tok).body))
	bodies = append(bodies, string(h.get("/v1/UsageRecords", "Bearer "+tok+"x").body))
	bodies = append(bodies, string(h.get(h.gigsUsagePath("sub_x", nil), "Bearer "+creds.GigsAPIKey+"x").body))
	bodies = append(bodies, string(h.gigs(h.gigsUsagePath("sub_x", url.Values{"period": {"x"}})).body))

	if !strings.Contains(logs.String(), "/v1/UsageRecords") {
		t.Fatalf("requests are not logged: %q", logs.String())
	}
	for _, secret := range []string{creds.KoreClientSecret, creds.GigsAPIKey, tok, "Bearer", "Authorization"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log carries a secret or auth header: %q", secret)
		}
		for _, b := range bodies {
			if strings.Contains(b, secret) {
				t.Fatalf("an error body carries a secret: %s", b)
			}
		}
	}
}
