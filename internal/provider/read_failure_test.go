package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// TestCredentialAdviceNamesOnlyThatVendor: a 401 from one vendor points at
// that vendor's settings, never the other's.
func TestCredentialAdviceNamesOnlyThatVendor(t *testing.T) {
	cases := []struct {
		err           error
		want, notWant string
	}{
		{&gigs.APIError{Status: 401, Type: "unauthenticated", Message: "bad key"}, "gigs.api_key", "kore"},
		{&kore.APIError{Status: 401, Code: 20003, Message: "expired"}, "kore.client_secret", "gigs"},
	}
	for _, tc := range cases {
		var diags diag.Diagnostics
		readFailure(context.Background(), &diags, "Reading", tc.err, time.Minute, "")
		if len(diags) != 1 {
			t.Fatalf("%T: %d diagnostics", tc.err, len(diags))
		}
		detail := diags[0].Detail()
		if !strings.Contains(detail, tc.want) || strings.Contains(strings.ToLower(detail), tc.notWant) {
			t.Errorf("%T: %q should name %s and not %s", tc.err, detail, tc.want, tc.notWant)
		}
	}
}

// TestReadTimeoutNamesRequestTimeout: a read that runs out of time (a hung
// token endpoint, say) says which per-request setting bounds each attempt.
func TestReadTimeoutNamesRequestTimeout(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	var diags diag.Diagnostics
	readFailure(ctx, &diags, "Reading", context.DeadlineExceeded, time.Minute, "")
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "request_timeout") || !strings.Contains(diags[0].Detail(), "timeouts.read") {
		t.Fatalf("diagnostics = %v", diags)
	}
}
