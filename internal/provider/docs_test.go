package provider

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/simusage/terraform-provider-usage/internal/gigs"
	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// `make generate` renders docs/ from the schema this test exports, in the
// format of `terraform providers schema -json`. Exporting it in-process needs
// no Terraform binary, and keeps the function pages, which a Terraform older
// than 1.8 would leave out of its own export.
var providersSchemaOut = flag.String("providers-schema-out", "", "write the provider schema JSON for tfplugindocs to this absolute path")

// docsProviderKey is the key under which tfplugindocs looks the schema up.
const docsProviderKey = "usage"

func TestProvidersSchemaJSON(t *testing.T) {
	ps, err := exportProviderSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *providersSchemaOut == "" {
		return
	}
	out, err := json.MarshalIndent(&tfjson.ProviderSchemas{
		FormatVersion: "1.0",
		Schemas:       map[string]*tfjson.ProviderSchema{docsProviderKey: ps},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*providersSchemaOut, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDocsComplete fails when a page would lack a description, its template
// or its example.
func TestDocsComplete(t *testing.T) {
	ps, err := exportProviderSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range undocumented(ps) {
		t.Errorf("missing description: %s", problem)
	}
	for _, problem := range missingDocSources(ps, filepath.Join("..", "..")) {
		t.Errorf("missing docs source: %s", problem)
	}
}

// TestIndexDefaults keeps the index page's environment variable table in step
// with the code: every variable has a row, and the row names the default the
// code uses.
func TestIndexDefaults(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "templates", "index.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	index := string(raw)
	want := map[string]string{
		envKoreClientID:     "",
		envKoreClientSecret: "",
		envKoreEndpoint:     kore.DefaultEndpoint,
		envKoreTokenURL:     kore.DefaultTokenURL,
		envGigsAPIKey:       "",
		envGigsProject:      "",
		envGigsEndpoint:     gigs.DefaultEndpoint,
		envMaxRetries:       strconv.Itoa(httpx.DefaultMaxRetries),
		envRetryWaitMin:     shortDuration(httpx.DefaultRetryWaitMin),
		envRetryWaitMax:     shortDuration(httpx.DefaultRetryWaitMax),
		envRequestTimeout:   shortDuration(httpx.DefaultRequestTimeout),
		envMaxConcurrent:    strconv.Itoa(httpx.DefaultMaxConcurrent),
		envRateLimit:        "0",
	}
	for env, def := range want {
		row := tableRow(index, env)
		if row == nil {
			t.Errorf("the index has no table row for %s", env)
			continue
		}
		got := strings.TrimSpace(row[len(row)-1])
		if (def == "" && got != "") || (def != "" && !strings.HasPrefix(got, "`"+def+"`")) {
			t.Errorf("the index gives %s the default %q, the code %q", env, got, def)
		}
	}
	if read := "`timeouts.read` (default `" + shortDuration(defaultReadTimeout) + "`)"; !strings.Contains(index, read) {
		t.Errorf("the index does not say %s", read)
	}
}

// tableRow returns the cells of the markdown table row whose first cell is
// the code span key, or nil.
func tableRow(doc, key string) []string {
	for _, line := range strings.Split(doc, "\n") {
		if cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|"); len(cells) > 1 &&
			strings.TrimSpace(cells[0]) == "`"+key+"`" {
			return cells
		}
	}
	return nil
}

// shortDuration writes 1m for what time.Duration writes as 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// exportProviderSchema asks the provider for its schema over the plugin
// protocol, as Terraform does, and converts it to the terraform-json form.
func exportProviderSchema(ctx context.Context) (*tfjson.ProviderSchema, error) {
	server := providerserver.NewProtocol6(New("docs")())()
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("provider schema: %s: %s", d.Summary, d.Detail)
		}
	}
	if len(resp.ResourceSchemas) > 0 {
		return nil, fmt.Errorf("the provider now has resources: teach exportProviderSchema to export them")
	}
	ps := &tfjson.ProviderSchema{
		DataSourceSchemas: map[string]*tfjson.Schema{},
		Functions:         map[string]*tfjson.FunctionSignature{},
	}
	if ps.ConfigSchema, err = jsonSchema(resp.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	for name, s := range resp.DataSourceSchemas {
		if ps.DataSourceSchemas[name], err = jsonSchema(s); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	for name, f := range resp.Functions {
		if ps.Functions[name], err = jsonFunction(f); err != nil {
			return nil, fmt.Errorf("function %s: %w", name, err)
		}
	}
	return ps, nil
}

func jsonSchema(s *tfprotov6.Schema) (*tfjson.Schema, error) {
	b := s.Block
	if len(b.BlockTypes) > 0 {
		// The design uses nested attributes, never blocks.
		return nil, fmt.Errorf("has blocks (%s); use nested attributes", b.BlockTypes[0].TypeName)
	}
	attrs, err := jsonAttributes(b.Attributes)
	return &tfjson.Schema{
		Version: uint64(max(s.Version, 0)),
		Block: &tfjson.SchemaBlock{
			Attributes:      attrs,
			Description:     b.Description,
			DescriptionKind: descriptionKind(b.DescriptionKind),
			Deprecated:      b.Deprecated,
		},
	}, err
}

func jsonAttributes(in []*tfprotov6.SchemaAttribute) (map[string]*tfjson.SchemaAttribute, error) {
	out := make(map[string]*tfjson.SchemaAttribute, len(in))
	for _, a := range in {
		ja := &tfjson.SchemaAttribute{
			Description:     a.Description,
			DescriptionKind: descriptionKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		var err error
		if a.NestedType != nil {
			ja.AttributeNestedType = &tfjson.SchemaNestedAttributeType{NestingMode: nestingMode(a.NestedType.Nesting)}
			ja.AttributeNestedType.Attributes, err = jsonAttributes(a.NestedType.Attributes)
		} else {
			ja.AttributeType, err = ctyType(a.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		out[a.Name] = ja
	}
	return out, nil
}

func jsonFunction(f *tfprotov6.Function) (*tfjson.FunctionSignature, error) {
	if f.Return == nil {
		return nil, fmt.Errorf("no return type")
	}
	ret, err := ctyType(f.Return.Type)
	if err != nil {
		return nil, fmt.Errorf("return: %w", err)
	}
	sig := &tfjson.FunctionSignature{
		Description:        f.Description,
		Summary:            f.Summary,
		DeprecationMessage: f.DeprecationMessage,
		ReturnType:         ret,
	}
	for _, p := range f.Parameters {
		jp, err := jsonParameter(p)
		if err != nil {
			return nil, err
		}
		sig.Parameters = append(sig.Parameters, jp)
	}
	if f.VariadicParameter != nil {
		if sig.VariadicParameter, err = jsonParameter(f.VariadicParameter); err != nil {
			return nil, err
		}
	}
	return sig, nil
}

func jsonParameter(p *tfprotov6.FunctionParameter) (*tfjson.FunctionParameter, error) {
	t, err := ctyType(p.Type)
	if err != nil {
		return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
	}
	return &tfjson.FunctionParameter{Name: p.Name, Description: p.Description, IsNullable: p.AllowNullValue, Type: t}, nil
}

// ctyType maps a protocol type to the same type in cty, which terraform-json
// uses.
func ctyType(t tftypes.Type) (cty.Type, error) {
	switch {
	case t == nil:
		return cty.NilType, fmt.Errorf("no type")
	case t.Is(tftypes.String):
		return cty.String, nil
	case t.Is(tftypes.Number):
		return cty.Number, nil
	case t.Is(tftypes.Bool):
		return cty.Bool, nil
	case t.Is(tftypes.DynamicPseudoType):
		return cty.DynamicPseudoType, nil
	}
	switch t := t.(type) {
	case tftypes.List:
		elem, err := ctyType(t.ElementType)
		return cty.List(elem), err
	case tftypes.Set:
		elem, err := ctyType(t.ElementType)
		return cty.Set(elem), err
	case tftypes.Map:
		elem, err := ctyType(t.ElementType)
		return cty.Map(elem), err
	case tftypes.Tuple:
		elems := make([]cty.Type, len(t.ElementTypes))
		for i, et := range t.ElementTypes {
			var err error
			if elems[i], err = ctyType(et); err != nil {
				return cty.NilType, err
			}
		}
		return cty.Tuple(elems), nil
	case tftypes.Object:
		attrs := make(map[string]cty.Type, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			var err error
			if attrs[name], err = ctyType(at); err != nil {
				return cty.NilType, fmt.Errorf("%s: %w", name, err)
			}
		}
		var optional []string
		for name := range t.OptionalAttributes {
			optional = append(optional, name)
		}
		return cty.ObjectWithOptionalAttrs(attrs, optional), nil
	}
	return cty.NilType, fmt.Errorf("unsupported type %s", t)
}

func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

func nestingMode(m tfprotov6.SchemaObjectNestingMode) tfjson.SchemaNestingMode {
	switch m {
	case tfprotov6.SchemaObjectNestingModeList:
		return tfjson.SchemaNestingModeList
	case tfprotov6.SchemaObjectNestingModeSet:
		return tfjson.SchemaNestingModeSet
	case tfprotov6.SchemaObjectNestingModeMap:
		return tfjson.SchemaNestingModeMap
	}
	return tfjson.SchemaNestingModeSingle
}

// undocumented lists every schema element whose docs entry would be empty.
func undocumented(ps *tfjson.ProviderSchema) []string {
	var problems []string
	var walk func(prefix string, attrs map[string]*tfjson.SchemaAttribute)
	walk = func(prefix string, attrs map[string]*tfjson.SchemaAttribute) {
		for name, a := range attrs {
			if strings.TrimSpace(a.Description) == "" {
				problems = append(problems, prefix+"."+name)
			}
			if a.AttributeNestedType != nil {
				walk(prefix+"."+name, a.AttributeNestedType.Attributes)
			}
		}
	}
	check := func(name string, s *tfjson.Schema) {
		if strings.TrimSpace(s.Block.Description) == "" {
			problems = append(problems, name)
		}
		walk(name, s.Block.Attributes)
	}
	check("provider", ps.ConfigSchema)
	for name, s := range ps.DataSourceSchemas {
		check(name, s)
	}
	for name, f := range ps.Functions {
		if strings.TrimSpace(f.Summary) == "" || strings.TrimSpace(f.Description) == "" {
			problems = append(problems, "function "+name+" (summary and description)")
		}
		for _, p := range append(append([]*tfjson.FunctionParameter{}, f.Parameters...), f.VariadicParameter) {
			if p != nil && strings.TrimSpace(p.Description) == "" {
				problems = append(problems, "function "+name+" parameter "+p.Name)
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// missingDocSources lists the template and the example every page needs, so
// that no page falls back to the bare default template without an example.
func missingDocSources(ps *tfjson.ProviderSchema, root string) []string {
	want := []string{"templates/index.md.tmpl", "examples/provider/provider.tf"}
	for name := range ps.DataSourceSchemas {
		short := strings.TrimPrefix(name, docsProviderKey+"_")
		want = append(want, "templates/data-sources/"+short+".md.tmpl", "examples/data-sources/"+name+"/data-source.tf")
	}
	for name := range ps.Functions {
		// One template serves every function unless a function has its own.
		want = append(want, "templates/functions/"+name+".md.tmpl|templates/functions.md.tmpl", "examples/functions/"+name+"/function.tf")
	}
	var missing []string
	for _, alternatives := range want {
		if !slices.ContainsFunc(strings.Split(alternatives, "|"), func(p string) bool {
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
			return err == nil
		}) {
			missing = append(missing, alternatives)
		}
	}
	sort.Strings(missing)
	return missing
}
