package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// readFailure turns a client error into one diagnostic that says what was
// asked, what the vendor answered and what to do. notFound, when set, replaces
// the generic advice for a 404. The clients guarantee that err carries no
// secret.
func readFailure(ctx context.Context, diags *diag.Diagnostics, what string, err error, readTimeout time.Duration, notFound string) {
	var (
		koreAPI  *kore.APIError
		koreAuth *kore.AuthError
		response *httpx.ResponseError
		gigsAPI  *gigs.APIError
	)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		diags.AddError("Timed out reading usage",
			fmt.Sprintf("%s did not finish within %s (timeouts.read, retries included). Raise timeouts.read on the data source, "+
				"or check the vendor's status. Each attempt of a request, the KORE token request included, may wait up to the provider's "+
				"request_timeout (USAGE_REQUEST_TIMEOUT) before it is retried: keep it well below timeouts.read so that a hung endpoint "+
				"is retried rather than waited out. Last error: %s", what, readTimeout, err))
	case errors.Is(ctx.Err(), context.Canceled):
		diags.AddError("Read canceled", fmt.Sprintf("%s was canceled: %s", what, err))
	case errors.As(err, &koreAuth):
		diags.AddError("KORE refused the client credentials",
			fmt.Sprintf("%s needs an access token, and the KORE token endpoint answered HTTP %d (%s). "+
				"Check kore.client_id / KORE_CLIENT_ID and kore.client_secret / KORE_CLIENT_SECRET, and that the API Client is active "+
				"and has the Programmable Wireless product.", what, koreAuth.Status, koreAuth.Error()))
	case errors.As(err, &koreAPI):
		detail := fmt.Sprintf("%s failed: KORE answered HTTP %d, code %d: %s", what, koreAPI.Status, koreAPI.Code, koreAPI.Message)
		if koreAPI.MoreInfo != "" {
			detail += " (" + koreAPI.MoreInfo + ")"
		}
		diags.AddError(koreSummary(koreAPI.Status), detail+". "+advice(koreCredentials, koreAPI.Status, notFound))
	case errors.As(err, &gigsAPI):
		detail := fmt.Sprintf("%s failed: Gigs answered HTTP %d, type %q", what, gigsAPI.Status, gigsAPI.Type)
		if gigsAPI.Code != "" {
			detail += fmt.Sprintf(", code %q", gigsAPI.Code)
		}
		detail += ": " + gigsAPI.Message
		if gigsAPI.Hint != "" {
			detail += " Hint: " + gigsAPI.Hint
		}
		diags.AddError(gigsSummary(gigsAPI.Status), detail+". "+advice(gigsCredentials, gigsAPI.Status, notFound))
	case errors.As(err, &response):
		diags.AddError("Unexpected response from the vendor", fmt.Sprintf("%s failed: %s. This is usually a gateway or vendor fault; try again later.", what, err))
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError("Vendor request timed out",
			fmt.Sprintf("%s failed: %s. Every attempt exceeded request_timeout; raise it (or USAGE_REQUEST_TIMEOUT) if the vendor is slow.", what, err))
	default:
		diags.AddError("Reading usage failed", fmt.Sprintf("%s failed: %s", what, err))
	}
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
