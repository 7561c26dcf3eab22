package httpx

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Secrets with every character that changes under some encoding.
var awkwardSecrets = []string{
	`Sec+ret/Val=ue&Q9x7Z2`,
	`p%20"quoted"\back\slash`,
	`<html>&amp;'tick'`,
}

func TestRedactorEveryEcho(t *testing.T) {
	for _, secret := range awkwardSecrets {
		var r Redactor
		r.Add(secret, "client-id")
		jsonQuoted, _ := json.Marshal(secret)
		echoes := map[string]string{
			"raw":          secret,
			"query":        url.QueryEscape(secret),
			"path":         url.PathEscape(secret),
			"form body":    url.Values{"client_id": {"client-id"}, "client_secret": {secret}}.Encode(),
			"lower escape": regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(secret), strings.ToLower),
			"json":         string(jsonQuoted),
			"basic auth":   "Basic " + base64.StdEncoding.EncodeToString([]byte("client-id:"+secret)),
		}
		for name, echo := range echoes {
			text := "server said: " + echo + " (end)"
			got := r.Redact(text)
			if strings.Contains(got, secret) || strings.Contains(got, echo) {
				t.Errorf("%q in %s form survives: %s", secret, name, got)
			}
			if !strings.Contains(got, Redacted) {
				t.Errorf("%q in %s form: nothing redacted in %s", secret, name, got)
			}
		}
	}
}

func TestRedactorZeroValueAndEmpty(t *testing.T) {
	var r Redactor
	r.Add("")
	if got := r.Redact("nothing to hide"); got != "nothing to hide" {
		t.Fatalf("got %q", got)
	}
}

func TestRedactErrorKeepsIs(t *testing.T) {
	var r Redactor
	r.Add("s3cr3t")
	err := r.RedactError(fmt.Errorf("echo s3cr3t: %w", context.DeadlineExceeded))
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("secret in %q", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("errors.Is lost: %v", err)
	}
	plain := errors.New("no secret here")
	if r.RedactError(plain) != plain { //nolint:errorlint // the very same error is the point
		t.Fatal("an error without a secret must pass through unchanged")
	}
}
