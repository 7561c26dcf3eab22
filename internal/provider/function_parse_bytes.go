package provider

import (
	"context"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/simusage/terraform-provider-usage/internal/bytesize"
)

var _ function.Function = parseBytesFunction{}

// NewParseBytesFunction returns provider::usage::parse_bytes.
func NewParseBytesFunction() function.Function {
	return parseBytesFunction{}
}

// parseBytesFunction turns "5 GiB" into 5368709120 so that quotas can be
// written readably and compared with the byte counters of the data sources.
type parseBytesFunction struct{}

func (parseBytesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_bytes"
}

func (parseBytesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Converts a size such as \"5 GiB\" to a whole number of bytes.",
		Description: "Converts a size such as \"5 GiB\" or \"1.5 GB\" to a whole number of bytes. " +
			"Accepted units (case-sensitive): " + bytesize.AcceptedUnits + ". " +
			"\"KB\" is rejected as ambiguous: write \"kB\" for 1000 bytes or \"KiB\" for 1024 bytes. " +
			"Spaces between number and unit are optional; decimals are allowed and a fractional byte is rounded down. " +
			"Negative sizes, exponents, signs and sizes above 9223372036854775807 bytes are rejected.",
		MarkdownDescription: "Converts a size such as `\"5 GiB\"` or `\"1.5 GB\"` to a whole number of bytes, " +
			"to compare with the byte counters of the `usage_*` data sources.\n\n" +
			"Accepted units are case-sensitive:\n\n" +
			"- `B` — bytes; a number without a unit is also a byte count (`\"1024\"` is `1024`);\n" +
			"- SI, powers of 1000: `kB`, `MB`, `GB`, `TB`, `PB` (`\"1.5 GB\"` is `1500000000`);\n" +
			"- IEC, powers of 1024: `KiB`, `MiB`, `GiB`, `TiB`, `PiB` (`\"5 GiB\"` is `5368709120`).\n\n" +
			"`KB` (and `kb`, `Kb`) is rejected as ambiguous: the SI kilo is a lowercase `k`, so write `kB` " +
			"for 1000 bytes or `KiB` for 1024 bytes. Other wrong cases (`gb`, `GIB`) are rejected too.\n\n" +
			"Spaces between number and unit are optional (`\"5GiB\"`), leading and trailing whitespace is ignored, " +
			"and decimals are allowed. The result is a whole number of bytes: a fractional byte is rounded down " +
			"(`\"1.3 GiB\"` is `1395864371`). Negative sizes, signs, exponents (`\"1e9\"`), thousands separators " +
			"and results above 9223372036854775807 bytes are errors.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:        "size",
				Description: "A number with an optional unit, such as \"5 GiB\", \"1.5GB\" or \"1024\".",
				MarkdownDescription: "A number with an optional unit, such as `\"5 GiB\"`, `\"1.5GB\"` or `\"1024\"`. " +
					"Units: `B`, `kB`, `MB`, `GB`, `TB`, `PB`, `KiB`, `MiB`, `GiB`, `TiB`, `PiB`.",
			},
		},
		Return: function.NumberReturn{},
	}
}

func (parseBytesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var size string
	resp.Error = req.Arguments.Get(ctx, &size)
	if resp.Error != nil {
		return
	}

	n, err := bytesize.Parse(size)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}

	// SetInt64 keeps every digit; a float64 would round above 2^53.
	resp.Error = resp.Result.Set(ctx, new(big.Float).SetInt64(n))
}
