package httpx

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Redacted replaces a secret wherever Redactor finds one.
const Redacted = "[redacted]"

// Redactor scrubs secrets from vendor text before it reaches an error, a
// diagnostic or a log line. A server can echo a secret back in any encoding
// it received or would send it in, so each secret is matched raw, query- and
// path-escaped, JSON-escaped (also as Go's %q quotes that once more), and in
// base64 of itself, of "Bearer secret", and of the basic-auth pairs it can
// stand in ("id:secret", "secret:", ":secret").
// It is safe for concurrent use; the zero value redacts nothing.
type Redactor struct {
	mu       sync.RWMutex
	variants []string // longest first, so a longer form is never left half-replaced
}

// Add registers secret (ignored when empty). id, when given, is the user
// name that pairs with secret in a basic-auth header.
func (r *Redactor) Add(secret string, id ...string) {
	if secret == "" {
		return
	}
	forms := encodings(secret)
	wrapped := []string{secret, "Bearer " + secret, secret + ":", ":" + secret}
	for _, user := range id {
		wrapped = append(wrapped, user+":"+secret, url.QueryEscape(user)+":"+url.QueryEscape(secret))
	}
	for _, w := range wrapped {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(w)))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		if f != "" && !slices.Contains(r.variants, f) {
			r.variants = append(r.variants, f)
		}
	}
	slices.SortStableFunc(r.variants, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
}

// Redact returns s with every registered secret, in every form, replaced.
func (r *Redactor) Redact(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.variants {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}

// encodings are the forms a secret takes in a form body, a query, a path or
// a JSON string, lower- and upper-case percent escapes both.
func encodings(secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	for _, f := range forms[1:3] {
		forms = append(forms, lowerEscapes(f))
	}
	for _, escapeHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(secret) == nil {
			quoted := strings.TrimSuffix(b.String(), "\n")
			forms = append(forms, quoted[1:len(quoted)-1])
		}
	}
	// A JSON encoder may also escape "/" as "\/".
	forms = append(forms, strings.ReplaceAll(forms[len(forms)-1], "/", `\/`))
	// Errors quote vendor text with %q, so a JSON-escaped echo reaches them
	// escaped once more.
	for _, f := range forms[len(forms)-3:] {
		q := strconv.Quote(f)
		forms = append(forms, q[1:len(q)-1])
	}
	return forms
}

// lowerEscapes rewrites %XX escapes with lower-case hex, as some servers echo.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + ('a' - 'A')
	}
	return c
}

// RedactError keeps err (and errors.Is on it) unless its text holds a
// secret; then only the cleaned text survives, since the cause would still
// carry it.
func (r *Redactor) RedactError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := r.Redact(msg); red != msg {
		return redactedError{msg: red, err: err}
	}
	return err
}

// redactedError prints the cleaned text; it unwraps only for errors.Is
// checks on sentinel values (context errors), never for printing.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }

// Is lets errors.Is match the cause without exposing its text.
func (e redactedError) Is(target error) bool { return errors.Is(e.err, target) }
