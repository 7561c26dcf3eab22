package gigs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// echoedForms are the encodings a server can echo key back in.
func echoedForms(key string) map[string]string {
	jsonInner := func(escapeHTML bool) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(key)
		s := strings.TrimSpace(b.String())
		return s[1 : len(s)-1]
	}
	b64 := base64.StdEncoding.EncodeToString
	return map[string]string{
		"raw":                       key,
		"query-escaped":             url.QueryEscape(key),
		"query-escaped, lower hex":  lowerHexEscapes(url.QueryEscape(key)),
		"path-escaped":              url.PathEscape(key),
		"JSON-escaped":              jsonInner(true),
		"JSON-escaped, no HTML":     jsonInner(false),
		"base64":                    b64([]byte(key)),
		"base64url, unpadded":       base64.RawURLEncoding.EncodeToString([]byte(key)),
		"base64 of the header":      b64([]byte("Bearer " + key)),
		"basic auth, key as user":   b64([]byte(key + ":")),
		"basic auth, key as secret": b64([]byte(":" + key)),
	}
}

// lowerHexEscapes rewrites every %XX escape in lower case, as some servers do.
func lowerHexEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '%' && i+2 < len(s) {
			b.WriteString(strings.ToLower(s[i+1 : i+3]))
			i += 2
		}
	}
	return b.String()
}

// TestAPIKeyRedactedInEveryEchoedForm has a server echo a key full of
// characters that change under escaping, one form per response (a
// diagnostic shows only the start of a body), in every kind of body the
// client turns into an error text.
func TestAPIKeyRedactedInEveryEchoedForm(t *testing.T) {
	const key = `gk_live+Sec/ret=Val&ue%2B"Q9\x7Z2`
	forms := echoedForms(key)
	bodies := map[string]func(w http.ResponseWriter, form string){
		"HTML error page": func(w http.ResponseWriter, form string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, "<html>"+form+"</html>")
		},
		"Gigs error object": func(w http.ResponseWriter, form string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			q, _ := json.Marshal(form)
			fmt.Fprintf(w, `{"object":"error","type":"unauthenticated","code":%s,"message":%s,"hint":%s}`, q, q, q)
		},
		"other JSON error": func(w http.ResponseWriter, form string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"`+form+`"}`)
		},
		"2xx non-JSON": func(w http.ResponseWriter, form string) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, form)
		},
		// The decoded value is the form itself, which the error quotes.
		"2xx record": func(w http.ResponseWriter, form string) {
			w.Header().Set("Content-Type", "application/json")
			q, _ := json.Marshal(form)
			fmt.Fprintf(w, `{"object":"list","items":[{"start":%s,"end":"2024-01-01T00:00:00Z"}]}`, q)
		},
	}
	for bodyName, write := range bodies {
		for formName, form := range forms {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { write(w, form) }))
			c, err := New(Config{Endpoint: srv.URL, APIKey: key, HTTP: httpx.Config{MaxRetries: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.SubscriptionUsage(context.Background(), "p", "s", UsageQuery{})
			srv.Close()
			if err == nil {
				t.Fatalf("%s, %s: no error", bodyName, formName)
			}
			text := fmt.Sprintf("%v %+v", err, err)
			for leakName, leak := range forms {
				quoted := strconv.Quote(leak)
				if strings.Contains(text, leak) || strings.Contains(text, quoted[1:len(quoted)-1]) {
					t.Errorf("%s, %s: the error shows the key %s: %s", bodyName, formName, leakName, text)
				}
			}
			if !strings.Contains(text, httpx.Redacted) {
				t.Errorf("%s, %s: the echoed key was not visibly redacted: %s", bodyName, formName, text)
			}
		}
	}
}
