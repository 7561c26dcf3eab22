package provider

import (
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// clean is what every diagnostic of a read goes through before Terraform
// prints it: both credentials scrubbed in every form (a SIM may be named
// after a secret, and vendor text may echo one), and no control character
// that could rewrite the user's terminal. It works on a nil providerData
// too (a read before Configure), then only stripping control characters.
func (d *providerData) clean(diags diag.Diagnostics) diag.Diagnostics {
	if len(diags) == 0 {
		return diags
	}
	text := func(s string) string {
		if d != nil {
			s = d.secrets.Redact(s)
		}
		return printable(s)
	}
	out := make(diag.Diagnostics, 0, len(diags))
	for _, x := range diags {
		summary, detail := text(x.Summary()), text(x.Detail())
		wp, hasPath := x.(diag.DiagnosticWithPath)
		switch {
		case hasPath && x.Severity() == diag.SeverityError:
			out = append(out, diag.NewAttributeErrorDiagnostic(wp.Path(), summary, detail))
		case hasPath:
			out = append(out, diag.NewAttributeWarningDiagnostic(wp.Path(), summary, detail))
		case x.Severity() == diag.SeverityError:
			out = append(out, diag.NewErrorDiagnostic(summary, detail))
		default:
			out = append(out, diag.NewWarningDiagnostic(summary, detail))
		}
	}
	return out
}

// printable replaces control characters (but newline and tab) and the
// invisible bidirectional overrides with U+FFFD.
func printable(s string) string {
	bad := func(r rune) bool {
		return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}
