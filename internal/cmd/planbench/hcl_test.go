package main

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestHCLString(t *testing.T) {
	for in, want := range map[string]string{
		"sim-01":         `"sim-01"`,
		`a"b\c`:          `"a\"b\\c"`,
		"${var.x}":       `"$${var.x}"`,
		"%{ if x }":      `"%%{ if x }"`,
		"$5 and 50%":     `"$5 and 50%"`,
		"line\nbreak\t.": `"line\nbreak\t."`,
		"\x01":           `"\u0001"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
	}
}

// The configuration parses as HCL and holds exactly the data sources of the
// workload, each with the arguments that make its question distinct.
func TestRenderConfig(t *testing.T) {
	sim := testSimulator()
	fleet := sim.SIMs()
	w, err := newWorkload(fleet, sim.Subscriptions(), len(fleet)+10, 8, "month_to_date", "daily", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	file, diags := hclsyntax.ParseConfig(renderConfig(w), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the configuration does not parse: %s", diags.Error())
	}
	attrsOf := map[string]map[string]string{} // "type.label" -> argument -> literal value
	counts := map[string]int{}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("the parsed body is %T, not native syntax", file.Body)
	}
	for _, block := range body.Blocks {
		if block.Type != "data" {
			continue
		}
		counts[block.Labels[0]]++
		args := map[string]string{}
		for name, attr := range block.Body.Attributes {
			v, d := attr.Expr.Value(nil)
			if d.HasErrors() {
				t.Fatalf("%s.%s: %s", block.Labels[1], name, d.Error())
			}
			args[name] = v.AsString()
		}
		attrsOf[block.Labels[0]+"."+block.Labels[1]] = args
	}
	if counts["usage_sim"] != len(w.Sims) || counts["usage_subscription"] != 8 || counts["usage_account"] != 1 {
		t.Fatalf("data sources in the configuration: %v", counts)
	}
	for _, s := range w.Sims {
		args := attrsOf["usage_sim."+s.Label]
		if args[s.By.attribute()] != s.value() || args["granularity"] != "daily" {
			t.Errorf("%s: arguments %v, want %s = %s", s.Label, args, s.By.attribute(), s.value())
		}
		want := 3 // selector, window, granularity
		if s.Window == "" {
			want = 4 // selector, start, end, granularity
			if args["start"] != s.Start.Format("2006-01-02T15:04:05Z07:00") || args["end"] != s.End.Format("2006-01-02T15:04:05Z07:00") {
				t.Errorf("%s: range %s..%s, want %s..%s", s.Label, args["start"], args["end"], s.Start, s.End)
			}
		}
		if len(args) != want {
			t.Errorf("%s: arguments %v, want %d of them", s.Label, args, want)
		}
	}
	for _, s := range w.Subscriptions {
		args := attrsOf["usage_subscription."+s.Label]
		if args["subscription"] != s.Subscription || args["window"] != s.Window || args["start"] != s.StartDate || args["end"] != s.EndDate {
			t.Errorf("%s: arguments %v, want %+v", s.Label, args, s)
		}
	}
	if !strings.Contains(string(renderConfig(w)), `provider "usage" {}`) {
		t.Error("the configuration has no empty provider block: credentials must come from the environment")
	}
}
