package vendorsim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TokenPath is the KORE OAuth2 client-credentials token endpoint.
const TokenPath = "/api-services/v1/auth/token"

const (
	defaultTokenLifetime = time.Hour
	tokenScope           = "programmable-wireless"
	maxTokenFormBytes    = 64 << 10
)

// tokenStore remembers the tokens issued and the token knobs.
type tokenStore struct {
	mu              sync.Mutex
	expiry          map[string]time.Time // token -> when it stops working
	lifetime        time.Duration
	expiresAsString bool
	gatewayDeny     bool
	revokeIn        int // >0: API token checks left before every token is revoked
	usesPerToken    int // >0: API requests each token serves before it is revoked
	uses            map[string]int
	issued          []string // every token issued, oldest first, for secret-leak tests
}

// maxIssuedKept bounds the tokens IssuedTokens remembers in a long run.
const maxIssuedKept = 10000

// IssuedTokens lists the KORE tokens issued so far (the last 10,000 at most),
// oldest first, revoked and expired ones included, so tests can check that no
// token reaches a log.
func (s *Server) IssuedTokens() []string {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	return append([]string(nil), s.tokens.issued...)
}

// RevokeTokens invalidates every KORE token issued so far.
func (s *Server) RevokeTokens() {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.expiry = map[string]time.Time{}
}

// RevokeTokensAfter lets the next n KORE API requests that reach the token
// check pass as usual, then revokes every token issued so far, as a token
// expiring mid-run would. n <= 0 revokes at once.
func (s *Server) RevokeTokensAfter(n int) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	if n <= 0 {
		s.tokens.expiry = map[string]time.Time{}
	}
	s.tokens.revokeIn = max(n, 0)
}

// SetTokenUses makes every token die after n API requests (0: no limit), as
// a vendor revoking tokens again and again mid-plan would.
func (s *Server) SetTokenUses(n int) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.usesPerToken = max(n, 0)
	s.tokens.uses = map[string]int{}
}

// SetTokenLifetime sets expires_in of tokens issued from now on; they really expire.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.lifetime = max(d, 0)
}

// SetExpiresInAsString sends expires_in as a JSON string, as the vendor docs show it.
func (s *Server) SetExpiresInAsString(on bool) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.expiresAsString = on
}

// SetTokenDenyBody picks how an invalid token is refused: false = 401 with the
// API's error body; true = 403 with the API gateway's explicit-deny body.
func (s *Server) SetTokenDenyBody(gateway bool) {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	s.tokens.gatewayDeny = gateway
}

// issue records a new token and says how long it lives.
func (t *tokenStore) issue(clientID, accountSid string, now time.Time) (token string, lifetime time.Duration, asString bool, err error) {
	t.mu.Lock()
	lifetime, asString = t.lifetime, t.expiresAsString
	t.mu.Unlock()
	token, err = newJWTLikeToken(clientID, accountSid, now, lifetime)
	if err != nil {
		return "", 0, false, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for tok, exp := range t.expiry { // keep the map from growing without bound
		if !now.Before(exp) {
			delete(t.expiry, tok)
		}
	}
	t.expiry[token] = now.Add(lifetime)
	if len(t.issued) == maxIssuedKept {
		t.issued = append(t.issued[:0], t.issued[1:]...)
	}
	t.issued = append(t.issued, token)
	return token, lifetime, asString, nil
}

// check says whether an API request's token is valid, and counts down a
// pending RevokeTokensAfter.
func (t *tokenStore) check(token string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.expiry[token]
	if ok && t.usesPerToken > 0 {
		t.uses[token]++
		if t.uses[token] > t.usesPerToken {
			delete(t.expiry, token)
			ok = false
		}
	}
	if t.revokeIn > 0 {
		t.revokeIn--
		if t.revokeIn == 0 {
			t.expiry = map[string]time.Time{}
		}
	}
	return ok && now.Before(exp)
}

func (t *tokenStore) denyWithGatewayBody() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.gatewayDeny
}

// newJWTLikeToken makes an opaque token shaped like the vendor's RS256 JWTs;
// the random jti and signature make every token unique.
func newJWTLikeToken(clientID, accountSid string, now time.Time, lifetime time.Duration) (string, error) {
	random := make([]byte, 48)
	if _, err := rand.Read(random); err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"iss": "kore-simulator", "aud": tokenScope, "sub": clientID, "client_id": clientID,
		"account-id": accountSid, "iat": now.Unix(), "exp": now.Add(lifetime).Unix(),
		"jti": enc.EncodeToString(random[:16]), "scopes": []string{tokenScope},
	})
	return enc.EncodeToString(header) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(random[16:]), nil
}

// tokenError is the token API's {code, message} body for 400 and 405.
type tokenError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// tokenResponse is the token API's success body; ExpiresIn is a number or a string.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   any    `json:"expires_in"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
}

// serveKoreToken is POST /api-services/v1/auth/token. Client credentials are
// read from the form body only, never from an Authorization header.
func (s *Server) serveKoreToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, tokenError{Code: http.StatusMethodNotAllowed, Message: "Method not allowed: use POST"})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeJSON(w, http.StatusBadRequest, tokenError{Code: http.StatusBadRequest, Message: "Content-Type must be application/x-www-form-urlencoded"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenFormBytes)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, tokenError{Code: http.StatusBadRequest, Message: "The request body is not a valid form"})
		return
	}
	switch gt := r.PostForm.Get("grant_type"); {
	case gt == "":
		writeJSON(w, http.StatusBadRequest, tokenError{Code: http.StatusBadRequest, Message: "grant_type is required"})
		return
	case gt != "client_credentials":
		writeJSON(w, http.StatusBadRequest, tokenError{Code: http.StatusBadRequest, Message: "Unsupported grant_type: only client_credentials is accepted"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if !sameString(id, s.creds.KoreClientID) || !sameString(secret, s.creds.KoreClientSecret) {
		s.log.Debug("token refused: invalid client credentials", "client_id", id)
		writeJSON(w, http.StatusUnauthorized, map[string]string{
			"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"})
		return
	}
	token, lifetime, asString, err := s.tokens.issue(id, s.accountSid, s.now())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, tokenError{Code: http.StatusInternalServerError, Message: "Could not issue a token"})
		return
	}
	seconds := int64(lifetime / time.Second)
	var expiresIn any = seconds
	if asString {
		expiresIn = strconv.FormatInt(seconds, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: token, ExpiresIn: expiresIn, TokenType: "Bearer", Scope: tokenScope})
}

// koreAuthorized checks the bearer token of a /v1 request and refuses it in
// the configured style when it is missing, unknown, revoked or expired.
func (s *Server) koreAuthorized(w http.ResponseWriter, r *http.Request) bool {
	token, _ := bearerToken(r)
	if s.tokens.check(token, s.now()) {
		return true
	}
	if s.tokens.denyWithGatewayBody() {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message": "User is not authorized to access this resource with an explicit deny",
			"error":   "Invalid or expired token"})
		return false
	}
	writeKoreError(w, http.StatusUnauthorized, koreCodeAuthentication, "Authentication Error - invalid or expired access token")
	return false
}

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// sameString compares secrets in constant time.
func sameString(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
