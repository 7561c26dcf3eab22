package provider

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccTraceLogHasNoSecrets plans every data source at TRACE, with a token
// revoked mid-plan and a vendor error, and searches the whole log (the
// provider's and Terraform's) for the client secret, the API key and every
// token the simulator issued. It also fails when the log shows no requests,
// so that a silent logger cannot pass it.
func TestAccTraceLogHasNoSecrets(t *testing.T) {
	e := newTestEnv(t)
	c := e.sim.Credentials()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	// Credentials from the environment, as CI would pass them.
	t.Setenv("KORE_CLIENT_ID", c.KoreClientID)
	t.Setenv("KORE_CLIENT_SECRET", c.KoreClientSecret)
	t.Setenv("KORE_ENDPOINT", e.url)
	t.Setenv("KORE_TOKEN_URL", e.url+"/api-services/v1/auth/token")
	t.Setenv("GIGS_API_KEY", c.GigsAPIKey)
	t.Setenv("GIGS_PROJECT", c.GigsProject)
	t.Setenv("GIGS_ENDPOINT", e.url)

	sims := e.sim.SIMs()
	config := fmt.Sprintf(`
provider "usage" {
  retry_wait_min = "1ms"
  retry_wait_max = "5ms"
}
data "usage_account" "a" { window = "last_7_days" }
data "usage_sim" "by_name" {
  unique_name = %q
  window      = "last_30_days"
  granularity = "daily"
}
data "usage_sim" "by_iccid" { iccid = %q }
data "usage_subscription" "s" { subscription = %q }
`, sims[0].UniqueName, sims[1].ICCID, e.sim.Subscriptions()[0].ID)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				e.sim.RevokeTokensAfter(2)
				e.sim.FailNext(2, 503, "0")
			},
			Config: config,
			Check:  func(*terraform.State) error { return nil },
		}},
	})

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"KORE client secret": c.KoreClientSecret, "Gigs API key": c.GigsAPIKey}
	tokens := e.sim.IssuedTokens()
	if len(tokens) < 2 {
		t.Fatalf("expected a token refresh after the revocation, the simulator issued %d tokens", len(tokens))
	}
	for i, tok := range tokens {
		secrets[fmt.Sprintf("KORE token %d", i+1)] = tok
	}
	for what, s := range secrets {
		if s == "" {
			t.Fatalf("%s is empty", what)
		}
		if n := bytes.Count(log, []byte(s)); n > 0 {
			t.Errorf("the TRACE log shows the %s %d times", what, n)
		}
	}
	for _, want := range []string{"/v1/UsageRecords", "/v1/Sims/", "/usage", "/api-services/v1/auth/token"} {
		if !bytes.Contains(log, []byte(want)) {
			t.Errorf("the TRACE log shows no request to %s: is the provider logging at all?", want)
		}
	}
	// Request lines belong to the read that made them.
	requests := 0
	for line := range strings.Lines(string(log)) {
		if !strings.Contains(line, ": request:") || !strings.Contains(line, "vendor=") {
			continue
		}
		requests++
		if !strings.Contains(line, "tf_rpc=ReadDataSource") {
			t.Errorf("a request line is not tied to the read that made it: %s", line)
		}
	}
	if requests == 0 {
		t.Error("no request lines found in the TRACE log")
	}
	t.Logf("searched %d bytes of TRACE log for %d secrets", len(log), len(secrets))
}
