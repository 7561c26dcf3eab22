package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccProviderConfigUnknownAtPlan: a provider setting known only after
// apply is reported by name, never replaced by the environment or a default.
func TestAccProviderConfigUnknownAtPlan(t *testing.T) {
	e := newTestEnv(t)
	c := e.sim.Credentials()
	// The environment holds a valid secret: a silent fallback would succeed.
	t.Setenv("KORE_CLIENT_SECRET", c.KoreClientSecret)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "secret" {
  input = %q
}
provider "usage" {
  kore = {
    client_id     = %q
    client_secret = terraform_data.secret.output
    endpoint      = %q
    token_url     = %q
  }
}
data "usage_account" "x" {}
`, c.KoreClientSecret, c.KoreClientID, e.url, e.url+"/api-services/v1/auth/token"),
			ExpectError: regexp.MustCompile(`(?s)Provider\s+setting\s+unknown\s+at\s+plan\s+time.*kore.client_secret.*KORE_CLIENT_SECRET`),
		}},
	})
	if n := e.sim.Requests("kore.token"); n != 0 {
		t.Fatalf("an unknown setting still led to %d token requests", n)
	}
}
