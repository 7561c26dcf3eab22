package gigs

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// registerKey teaches c.secrets the API key. The Redactor covers the key
// raw, percent-escaped and JSON-escaped; a server may also echo it in
// base64, of the key alone, of the Authorization value we send, or of a
// basic-auth pair with the key as user or as password (as many APIs take
// keys), so those encodings are registered too, each with its own escapes.
func (c *Client) registerKey(key string) {
	c.secrets.Add(key)
	encodings := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}
	for _, s := range []string{key, "Bearer " + key, key + ":", ":" + key} {
		for _, enc := range encodings {
			c.secrets.Add(enc.EncodeToString([]byte(s)))
		}
	}
	// Errors quote vendor text with %q, so a JSON-escaped echo (\" \\ \u0026
	// \/) reaches them escaped once more. The key quoted once needs nothing:
	// it is printable ASCII, where %q escapes what JSON escapes.
	for _, f := range jsonEscaped(key) {
		q := strconv.Quote(f)
		c.secrets.Add(q[1 : len(q)-1])
	}
}

// jsonEscaped is key inside a JSON string, in the forms encoders write.
func jsonEscaped(key string) []string {
	var forms []string
	for _, escapeHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(key) == nil {
			s := strings.TrimSuffix(b.String(), "\n")
			s = s[1 : len(s)-1]
			forms = append(forms, s, strings.ReplaceAll(s, "/", `\/`))
		}
	}
	return forms
}
