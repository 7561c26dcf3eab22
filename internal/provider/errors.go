package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// readFailure turns a client error into one diagnostic that says what was
// asked, what the vendor answered and what to do. notFound, when set, replaces
// the generic advice for a 404. The clients guarantee that err carries no
// secret. Advice names only the vendor err comes from (errorVendor); a bare
// error that names none (a cancellation) gets advice that names neither: use
// vendorReadFailure when the caller knows the vendor.
func readFailure(ctx context.Context, diags *diag.Diagnostics, what string, err error, readTimeout time.Duration, notFound string) {
	var (
		koreAPI  *kore.APIError
		koreAuth *kore.AuthError
		response *httpx.ResponseError
		gigsAPI  *gigs.APIError
		conn     *httpx.ConnectionError
	)
	vendor := errorVendor(err)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		status, attempt := "the vendor's status", "Each attempt of a request"
		switch vendor {
		case "KORE":
			status, attempt = "KORE's status", "Each attempt of a request, the KORE token request included,"
		case "Gigs":
			status = "Gigs' status"
		}
		diags.AddError("Timed out reading usage",
			fmt.Sprintf("%s did not finish within %s (timeouts.read, retries included). Raise timeouts.read on the data source, "+
				"or check %s. %s may wait up to the provider's request_timeout (USAGE_REQUEST_TIMEOUT) before it is retried: "+
				"keep it well below timeouts.read so that a hung endpoint is retried rather than waited out. Last error: %s",
				what, readTimeout, status, attempt, err))
	case errors.Is(ctx.Err(), context.Canceled):
		diags.AddError("Read canceled", fmt.Sprintf("%s was canceled: %s", what, err))
	case errors.As(err, &koreAuth):
		// The settings are named here, so not AuthError's own "check" text.
		answer := fmt.Sprintf("HTTP %d", koreAuth.Status)
		if koreAuth.Code != "" {
			answer += " " + koreAuth.Code
		}
		if koreAuth.Description != "" {
			answer += ": " + koreAuth.Description
		}
		diags.AddError("KORE refused the client credentials",
			fmt.Sprintf("%s needs an access token, and the KORE token endpoint refused the client credentials with %s "+
				"Check kore.client_id / KORE_CLIENT_ID and kore.client_secret / KORE_CLIENT_SECRET, and that the API Client is active "+
				"and has the Programmable Wireless product.", what, sentence(answer)))
	case errors.As(err, &koreAPI) && koreAPI.Code == 0 && koreAPI.Status == http.StatusNotFound:
		// {"message":"Not Found"}: a gateway's answer, which says nothing
		// about the SIM or the account.
		diags.AddError("KORE: 404 from a gateway", fmt.Sprintf("%s failed: the KORE endpoint answered HTTP 404 %q without KORE's error "+
			"code, as a gateway or proxy does for a path it does not route; nothing was read. Check kore.endpoint (%s), "+
			"and try again later.", what, koreAPI.Message, envKoreEndpoint))
	case errors.As(err, &koreAPI):
		detail := fmt.Sprintf("%s failed: KORE answered HTTP %d", what, koreAPI.Status)
		if koreAPI.Code != 0 {
			detail += fmt.Sprintf(", code %d", koreAPI.Code)
		}
		detail += ": " + koreAPI.Message
		if koreAPI.MoreInfo != "" {
			detail += " (" + koreAPI.MoreInfo + ")"
		}
		diags.AddError(koreSummary(koreAPI.Status), joinSentences(detail, advice(koreCredentials, koreAPI.Status, notFound)))
	case errors.As(err, &gigsAPI):
		detail := fmt.Sprintf("%s failed: Gigs answered HTTP %d, type %q", what, gigsAPI.Status, gigsAPI.Type)
		if gigsAPI.Code != "" {
			detail += fmt.Sprintf(", code %q", gigsAPI.Code)
		}
		detail += ": " + gigsAPI.Message
		if gigsAPI.Hint != "" {
			detail = joinSentences(detail, "Hint: "+gigsAPI.Hint)
		}
		diags.AddError(gigsSummary(gigsAPI.Status), joinSentences(detail, advice(gigsCredentials, gigsAPI.Status, notFound)))
	case errors.As(err, &response):
		diags.AddError("Unexpected response from the vendor", fmt.Sprintf("%s failed: %s. This is usually a gateway or vendor fault; try again later.", what, err))
	case errors.Is(err, context.DeadlineExceeded):
		every := "Every attempt"
		if errors.As(err, &conn) {
			every = fmt.Sprintf("Every attempt (%d, retries included)", conn.Attempts)
		}
		diags.AddError("Vendor request timed out",
			fmt.Sprintf("%s failed: %s. %s exceeded request_timeout; raise it (or USAGE_REQUEST_TIMEOUT) if the vendor is slow.", what, err, every))
	case errors.As(err, &conn):
		summary, setting := connectionSetting(conn, vendor)
		diags.AddError(summary, joinSentences(fmt.Sprintf("%s failed: %s", what, err),
			fmt.Sprintf("%s, retries included (max_retries, %s).", attemptsMade(conn.Attempts), envMaxRetries),
			fmt.Sprintf("Check %s, and that this machine can reach %s: its DNS, firewall and proxy (HTTPS_PROXY, NO_PROXY) and, "+
				"for https, that the server's certificate is trusted.", setting, conn.Host)))
	default:
		diags.AddError("Reading usage failed", fmt.Sprintf("%s failed: %s", what, err))
	}
}

// vendorReadFailure is readFailure for an error that may not say which
// vendor it came from (a bare context error of a fan-out), from a caller
// that knows: "KORE" or "Gigs".
func vendorReadFailure(ctx context.Context, diags *diag.Diagnostics, vendor, what string, err error, readTimeout time.Duration, notFound string) {
	readFailure(ctx, diags, what, httpx.WithVendor(vendor, err), readTimeout, notFound)
}

// errorVendor is the vendor err comes from, "KORE" or "Gigs", or "" when it
// does not say.
func errorVendor(err error) string {
	var (
		koreAPI  *kore.APIError
		koreAuth *kore.AuthError
	)
	if errors.As(err, &koreAPI) || errors.As(err, &koreAuth) {
		return "KORE"
	}
	return httpx.VendorOf(err)
}

// connectionSetting is the summary of a request that got no answer and the
// setting (with its environment variable) that says where it went.
func connectionSetting(conn *httpx.ConnectionError, vendor string) (summary, setting string) {
	// Only KORE's token request is a POST; its client may not name itself.
	if conn.Method == http.MethodPost && (vendor == "KORE" || vendor == "") {
		return "Could not reach the KORE token endpoint", "kore.token_url (" + envKoreTokenURL + ")"
	}
	switch vendor {
	case "KORE":
		return "Could not reach KORE", "kore.endpoint (" + envKoreEndpoint + ")"
	case "Gigs":
		return "Could not reach Gigs", "gigs.endpoint (" + envGigsEndpoint + ")"
	}
	return "Could not reach the vendor", "the vendor's endpoint setting"
}

func attemptsMade(n int) string {
	if n == 1 {
		return "1 attempt was made"
	}
	return fmt.Sprintf("%d attempts were made", n)
}

// sentence ends s with a period unless it ends a sentence already: vendor
// messages often do, and "not found.." reads as a typo.
func sentence(s string) string {
	s = strings.TrimRight(s, " ")
	if s == "" || strings.HasSuffix(s, "…") || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}

// joinSentences ends each non-empty part as a sentence and joins them.
func joinSentences(parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = sentence(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func koreSummary(status int) string {
	switch status {
	case http.StatusNotFound:
		return "KORE: not found"
	case http.StatusUnauthorized, http.StatusForbidden:
		return "KORE denied access"
	}
	return "KORE API error"
}

func gigsSummary(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Gigs: not found"
	case http.StatusUnauthorized:
		return "Gigs refused the API key"
	case http.StatusForbidden:
		return "Gigs denied access"
	}
	return "Gigs API error"
}

// The settings that hold each vendor's credentials, for the advice on a 401.
//
//nolint:gosec // G101 matches the word "secret": these are setting names, not credentials
const (
	koreCredentials = "kore.client_id and kore.client_secret (KORE_CLIENT_ID, KORE_CLIENT_SECRET)"
	gigsCredentials = "gigs.api_key (GIGS_API_KEY), and that the key belongs to the project read"
)

func advice(credentials string, status int, notFound string) string {
	switch {
	case status == http.StatusNotFound && notFound != "":
		return notFound
	case status == http.StatusUnauthorized:
		return "Check " + credentials + "."
	case status == http.StatusForbidden:
		return "The credentials are valid but lack access to this resource: check the API client's products or the key's project."
	case status == http.StatusTooManyRequests || status >= 500:
		return "The vendor is overloaded or failing and retries ran out; try again later, or lower max_concurrent_requests / set rate_limit."
	case status >= 400:
		return "Check the data source's arguments."
	}
	return ""
}
