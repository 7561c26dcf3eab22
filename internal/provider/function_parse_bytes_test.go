package provider

import (
	"context"
	"math"
	"math/big"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/simusage/terraform-provider-usage/internal/bytesize"
)

// runFunction calls f the way the framework does and returns its response.
func runFunction(t *testing.T, f function.Function, arg attr.Value) function.RunResponse {
	t.Helper()
	ctx := context.Background()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	result, funcErr := def.Definition.Return.NewResultData(ctx)
	if funcErr != nil {
		t.Fatalf("NewResultData: %v", funcErr)
	}
	resp := function.RunResponse{Result: result}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{arg})}, &resp)
	return resp
}

// checkDefinition asserts the name, a valid definition and the docs users see.
func checkDefinition(t *testing.T, f function.Function, wantName, wantParam string, docMentions ...string) {
	t.Helper()
	ctx := context.Background()
	var meta function.MetadataResponse
	f.Metadata(ctx, function.MetadataRequest{}, &meta)
	if meta.Name != wantName {
		t.Errorf("name = %q, want %q", meta.Name, wantName)
	}
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	var valid function.DefinitionValidateResponse
	def.Definition.ValidateImplementation(ctx, function.DefinitionValidateRequest{FuncName: wantName}, &valid)
	if valid.Diagnostics.HasError() {
		t.Errorf("definition invalid: %v", valid.Diagnostics)
	}
	d := def.Definition
	if d.Summary == "" || d.Description == "" {
		t.Error("summary and description must be set")
	}
	for _, mention := range docMentions {
		if !strings.Contains(d.MarkdownDescription, mention) {
			t.Errorf("markdown description does not mention %q", mention)
		}
	}
	if len(d.Parameters) != 1 {
		t.Fatalf("parameters = %d, want 1", len(d.Parameters))
	}
	p := d.Parameters[0]
	if p.GetName() != wantParam || p.GetDescription() == "" || p.GetMarkdownDescription() == "" {
		t.Errorf("parameter = %q with descriptions %q / %q, want %q described", p.GetName(), p.GetDescription(), p.GetMarkdownDescription(), wantParam)
	}
	if p.GetAllowNullValue() || p.GetAllowUnknownValues() {
		t.Error("parameter must reject null and unknown so Terraform handles them")
	}
}

func TestParseBytesDefinition(t *testing.T) {
	checkDefinition(t, NewParseBytesFunction(), "parse_bytes", "size",
		"`kB`", "`MB`", "`GB`", "`TB`", "`PB`", "`KiB`", "`MiB`", "`GiB`", "`TiB`", "`PiB`",
		"`B`", "`KB`", "rounded down", "`\"5 GiB\"` is `5368709120`")
}

func TestParseBytesRun(t *testing.T) {
	tests := []struct {
		in   string
		want *big.Float
	}{
		{"5 GiB", big.NewFloat(5368709120)},
		{"5GiB", big.NewFloat(5368709120)},
		{"1.5 GB", big.NewFloat(1.5e9)},
		{"1 kB", big.NewFloat(1000)},
		{"1 KiB", big.NewFloat(1024)},
		{"2 PB", big.NewFloat(2e15)},
		{"1 PiB", big.NewFloat(1 << 50)},
		{"1024", big.NewFloat(1024)},
		{"7 B", big.NewFloat(7)},
		{"0", big.NewFloat(0)},
		{"1.3 GiB", big.NewFloat(1395864371)}, // rounded down from 1395864371.2
		// Above 2^53 every digit must survive: a float64 would end in ...808.
		{"9223372036854775807", new(big.Float).SetInt64(math.MaxInt64)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			resp := runFunction(t, NewParseBytesFunction(), types.StringValue(tt.in))
			if resp.Error != nil {
				t.Fatalf("error: %v", resp.Error)
			}
			got, ok := resp.Result.Value().(types.Number)
			if !ok {
				t.Fatalf("result %T, want types.Number", resp.Result.Value())
			}
			if got.ValueBigFloat().Cmp(tt.want) != 0 {
				t.Errorf("= %s, want %s", got.ValueBigFloat().Text('f', 0), tt.want.Text('f', 0))
			}
		})
	}
}

func TestParseBytesRejects(t *testing.T) {
	unitList := "Accepted units: " + bytesize.AcceptedUnits
	tests := []struct {
		in   string
		want []string // fragments of the error text
	}{
		{"", []string{"empty", unitList}},
		{"lots", []string{"not a number", unitList}},
		{"5 KB", []string{`write "kB" for 1000 bytes or "KiB" for 1024 bytes`, unitList}},
		{"5 gib", []string{`did you mean "GiB"?`, unitList}},
		{"5 EB", []string{`"EB" is not one of the accepted units`, unitList}},
		{"5. GiB", []string{"decimal point", unitList}},
		{"1e9", []string{"not a number", unitList}},
		{"NaN", []string{"not a number", unitList}},
		{"-5 GiB", []string{"must not be negative"}},
		{"8192 PiB", []string{"exceeds 9223372036854775807 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			resp := runFunction(t, NewParseBytesFunction(), types.StringValue(tt.in))
			checkArgumentError(t, resp, tt.want)
		})
	}
}

// checkArgumentError asserts an error that Terraform pins on the first argument.
func checkArgumentError(t *testing.T, resp function.RunResponse, fragments []string) {
	t.Helper()
	if resp.Error == nil {
		t.Fatalf("no error, result %v", resp.Result.Value())
	}
	if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 0 {
		t.Errorf("error not attributed to argument 0: %#v", resp.Error)
	}
	for _, f := range fragments {
		if !strings.Contains(resp.Error.Text, f) {
			t.Errorf("error %q does not contain %q", resp.Error.Text, f)
		}
	}
}

// functionTestCase drives the real CLI (Terraform 1.8+ or OpenTofu 1.7+ has
// provider functions) against the provider served in-process, so it proves
// that the functions are registered and that errors reach users on the right
// argument.
func functionTestCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"usage": providerserver.NewProtocol6WithError(New("test")()),
		},
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{functionsCLICheck()},
		Steps:                  steps,
	}
}

// functionsCLICheck skips a test on a CLI without provider functions:
// Terraform below 1.8, OpenTofu below 1.7. The framework hands the check only
// a version number, which OpenTofu counts on its own; the acceptance tests run
// under OpenTofu only with TF_ACC_PROVIDER_HOST=registry.opentofu.org (make
// testacc-tofu, make test with tofu), and that tells the two apart.
func functionsCLICheck() tfversion.TerraformVersionCheck {
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		return tfversion.SkipBelow(tfversion.Version1_7_0)
	}
	return tfversion.SkipBelow(tfversion.Version1_8_0)
}

// TestFunctionsCLICheck: version 1.7 has provider functions in OpenTofu, not
// in Terraform; 1.6 in neither, 1.8 in both.
func TestFunctionsCLICheck(t *testing.T) {
	skips := func(host string, req tfversion.CheckTerraformVersionRequest) bool {
		t.Setenv("TF_ACC_PROVIDER_HOST", host)
		var resp tfversion.CheckTerraformVersionResponse
		functionsCLICheck().CheckTerraformVersion(context.Background(), req, &resp)
		if resp.Error != nil {
			t.Fatal(resp.Error)
		}
		return resp.Skip != ""
	}
	const tofu = "registry.opentofu.org"
	if !skips("", tfversion.CheckTerraformVersionRequest{TerraformVersion: tfversion.Version1_7_0}) {
		t.Error("Terraform 1.7 is not skipped")
	}
	if skips("", tfversion.CheckTerraformVersionRequest{TerraformVersion: tfversion.Version1_8_0}) {
		t.Error("Terraform 1.8 is skipped")
	}
	if !skips(tofu, tfversion.CheckTerraformVersionRequest{TerraformVersion: tfversion.Version1_6_0}) {
		t.Error("OpenTofu 1.6 is not skipped")
	}
	if skips(tofu, tfversion.CheckTerraformVersionRequest{TerraformVersion: tfversion.Version1_7_0}) {
		t.Error("OpenTofu 1.7 is skipped")
	}
}

func TestParseBytesInTerraform(t *testing.T) {
	resource.UnitTest(t, functionTestCase(
		resource.TestStep{
			Config: `
output "quota" {
  value = provider::usage::parse_bytes("5 GiB")
}
output "largest" {
  value = provider::usage::parse_bytes("9223372036854775807")
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("quota", knownvalue.Int64Exact(5368709120)),
				statecheck.ExpectKnownOutputValue("largest", knownvalue.Int64Exact(math.MaxInt64)),
			},
		},
		resource.TestStep{
			Config: `
output "quota" {
  value = provider::usage::parse_bytes("5 KB")
}`,
			ExpectError: regexp.MustCompile(`(?s)Invalid value for "size" parameter.*write "kB" for 1000 bytes`),
		},
	))
}
