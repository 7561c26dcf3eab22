package provider

import (
	"math/big"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestFormatBytesDefinition(t *testing.T) {
	checkDefinition(t, NewFormatBytesFunction(), "format_bytes", "bytes",
		"`KiB`", "`MiB`", "`GiB`", "`TiB`", "`PiB`", "`\"1023 B\"`", "`5368709120` gives `\"5.00 GiB\"`", "rounded down")
}

func TestFormatBytesRun(t *testing.T) {
	maxUint64 := new(big.Float).SetUint64(^uint64(0))
	tests := []struct {
		name string
		in   *big.Float
		want string
	}{
		{"zero", big.NewFloat(0), "0 B"},
		{"bytes", big.NewFloat(1023), "1023 B"},
		{"kibibyte", big.NewFloat(1024), "1.00 KiB"},
		{"gibibytes", big.NewFloat(5368709120), "5.00 GiB"},
		{"half up", big.NewFloat(1030), "1.01 KiB"},
		{"exact tie rounds up", big.NewFloat(1152), "1.13 KiB"}, // 1.125 KiB
		{"next unit", big.NewFloat(1<<20 - 1), "1.00 MiB"},
		{"fraction rounds down", big.NewFloat(1023.9), "1023 B"},
		{"half of an odd count", big.NewFloat(5368709121.0 / 2), "2.50 GiB"},
		{"beyond PiB", big.NewFloat(1 << 60), "1024.00 PiB"},
		{"largest", maxUint64, "16384.00 PiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := runFunction(t, NewFormatBytesFunction(), types.NumberValue(tt.in))
			if resp.Error != nil {
				t.Fatalf("error: %v", resp.Error)
			}
			if got := resp.Result.Value(); !got.Equal(types.StringValue(tt.want)) {
				t.Errorf("= %v, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatBytesRejects(t *testing.T) {
	tooLarge := new(big.Float).SetUint64(^uint64(0))
	tooLarge.Add(tooLarge, big.NewFloat(1))
	tests := []struct {
		name string
		in   types.Number
		want string
	}{
		{"negative", types.NumberValue(big.NewFloat(-1)), "bytes must not be negative, got -1"},
		{"negative fraction", types.NumberValue(big.NewFloat(-0.5)), "must not be negative"},
		{"above uint64", types.NumberValue(tooLarge), "bytes must be at most 18446744073709551615 (16 EiB), got 18446744073709551616"},
		{"huge", types.NumberValue(big.NewFloat(1e30)), "must be at most 18446744073709551615"},
		{"infinite", types.NumberValue(new(big.Float).SetInf(false)), "must be at most"},
		{"null", types.NumberNull(), "must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := runFunction(t, NewFormatBytesFunction(), tt.in)
			checkArgumentError(t, resp, []string{tt.want})
		})
	}
}

func TestFormatBytesInTerraform(t *testing.T) {
	resource.UnitTest(t, functionTestCase(
		resource.TestStep{
			Config: `
output "used" {
  value = provider::usage::format_bytes(5368709120)
}
output "round_trip" {
  value = provider::usage::format_bytes(provider::usage::parse_bytes("1.5 GiB"))
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("used", knownvalue.StringExact("5.00 GiB")),
				statecheck.ExpectKnownOutputValue("round_trip", knownvalue.StringExact("1.50 GiB")),
			},
		},
		resource.TestStep{
			Config: `
output "used" {
  value = provider::usage::format_bytes(-1)
}`,
			ExpectError: regexp.MustCompile(`(?s)Invalid value for "bytes" parameter.*must not be negative`),
		},
	))
}
