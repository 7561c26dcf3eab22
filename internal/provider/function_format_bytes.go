package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/simusage/terraform-provider-usage/internal/bytesize"
)

var _ function.Function = formatBytesFunction{}

// NewFormatBytesFunction returns provider::usage::format_bytes.
func NewFormatBytesFunction() function.Function {
	return formatBytesFunction{}
}

// formatBytesFunction renders a byte counter for people: outputs, check
// messages and alert text.
type formatBytesFunction struct{}

func (formatBytesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "format_bytes"
}

func (formatBytesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Formats a number of bytes with the largest IEC unit, such as \"5.00 GiB\".",
		Description: "Formats a number of bytes for people. Below 1024 the result is whole bytes (\"1023 B\"); " +
			"otherwise it uses the largest of KiB, MiB, GiB, TiB, PiB with two decimals rounded half up " +
			"(5368709120 gives \"5.00 GiB\"). Values of 1024 PiB and more stay in PiB. " +
			"A fractional input is rounded down to whole bytes first; negative input is an error.",
		MarkdownDescription: "Formats a number of bytes for people, for example in an output or a `check` " +
			"error message.\n\n" +
			"- Below 1024 the result is whole bytes: `1023` gives `\"1023 B\"`, `0` gives `\"0 B\"`.\n" +
			"- Otherwise it uses the largest IEC unit (powers of 1024) of `KiB`, `MiB`, `GiB`, `TiB`, `PiB`, " +
			"with two decimals rounded half up: `5368709120` gives `\"5.00 GiB\"`, `1536` gives `\"1.50 KiB\"`, " +
			"`1048575` gives `\"1.00 MiB\"`.\n" +
			"- PiB is the largest unit: `1152921504606846976` (2^60) gives `\"1024.00 PiB\"`.\n\n" +
			"A fractional input is rounded down to whole bytes first, so `format_bytes(x / 2)` works. " +
			"Negative input and input above 18446744073709551615 are errors. " +
			"For any input up to 9223372036854775807 (the largest `parse_bytes` result), the output parses back " +
			"with `parse_bytes` to a value that formats the same.",
		Parameters: []function.Parameter{
			function.NumberParameter{
				Name:                "bytes",
				Description:         "A non-negative number of bytes, such as a usage counter.",
				MarkdownDescription: "A non-negative number of bytes, such as `data.usage_sim.this.total.data.total`.",
			},
		},
		Return: function.StringReturn{},
	}
}

var maxFormatBytes = new(big.Float).SetUint64(^uint64(0))

func (formatBytesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var value *big.Float
	resp.Error = req.Arguments.Get(ctx, &value)
	if resp.Error != nil {
		return
	}

	switch {
	case value == nil:
		resp.Error = function.NewArgumentFuncError(0, "bytes must not be null")
		return
	case value.Sign() < 0:
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("bytes must not be negative, got %s", value.Text('g', 20)))
		return
	case value.IsInf() || value.Cmp(maxFormatBytes) > 0:
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("bytes must be at most 18446744073709551615 (16 EiB), got %s", value.Text('g', 20)))
		return
	}

	// Int truncates toward zero, which for a non-negative value is rounding down.
	whole, _ := value.Int(nil)
	resp.Error = resp.Result.Set(ctx, bytesize.Format(whole.Uint64()))
}
