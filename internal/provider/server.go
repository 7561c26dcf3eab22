package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Server returns the protocol-6 server main serves: the framework's, except
// that a usage data source's ReadDataSource answers with the msgpack state
// the data source wrote (stateWritingDataSource), as it is. The framework would decode
// those bytes, walk them for semantic equality and null blocks and encode
// them again, which for a year of hourly records costs seconds of CPU and
// hundreds of megabytes; everything else (schemas, validation, Configure,
// functions, diagnostics) stays the framework's, written once.
func Server(version string) func() (tfprotov6.ProviderServer, error) {
	return serverOf(&usageProvider{version: version, now: time.Now})
}

// serverOf serves a provider of p's version and clock. Each server gets a
// provider of its own, as the framework keeps what Configure answered per
// server: the direct reads take it from the provider (configured), so two
// servers of one factory, configured differently, must not share one.
func serverOf(p *usageProvider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		own := &usageProvider{version: p.version, now: p.now}
		framework, err := providerserver.NewProtocol6WithError(own)()
		if err != nil {
			return nil, err
		}
		return &directReads{ProviderServer: framework, provider: own}, nil
	}
}

// directReads is the framework's server with ReadDataSource answered by the
// stateWritingDataSources directly. Of what the framework's read does besides calling
// the data source, the direct path needs none (server_parity_test.go):
//   - deferral: the framework answers every read deferred once Configure
//     answered Deferred, which the usage provider never does (a setting
//     known only after apply is an error naming it);
//   - ProviderMeta: the framework reads it only against a meta schema, and
//     the provider has none;
//   - client capabilities: the framework hands them to Read, and a
//     stateWritingDataSource neither reads them nor defers;
//   - semantic equality: the framework keeps a configured RFC 3339 spelling
//     equal to the instant written ("+00:00" for "Z"); the direct path
//     writes the instant in UTC, as the documentation says.
//
// A failed read answers no state, where the framework answers the
// configuration; Terraform uses neither.
type directReads struct {
	tfprotov6.ProviderServer
	provider *usageProvider

	once    sync.Once
	readers map[string]directReader // by type name
}

// directReader is a stateWritingDataSource's constructor and its schema, built once:
// a usage schema is hundreds of attributes, too many to build for every read.
type directReader struct {
	newDS  func() datasource.DataSource
	schema datasource.SchemaResponse
	typ    tftypes.Type
}

func (s *directReads) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.once.Do(s.findReaders)
	reader, ok := s.readers[req.TypeName]
	if !ok || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	ds, ok := reader.newDS().(stateWritingDataSource)
	if !ok {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	var diags diag.Diagnostics
	diags.Append(reader.schema.Diagnostics...)
	data := s.provider.configured.Load()
	if data != nil {
		var configureResp datasource.ConfigureResponse
		ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &configureResp)
		diags.Append(configureResp.Diagnostics...)
	}
	var state []byte
	if !diags.HasError() {
		raw, err := req.Config.Unmarshal(reader.typ)
		if err != nil {
			diags.AddError("Reading the configuration failed", err.Error())
		} else {
			state = ds.readState(ctx, tfsdk.Config{Raw: raw, Schema: reader.schema.Schema}, &diags)
		}
	}
	diags = data.clean(diags)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// findReaders notes which data sources write their own state, with their
// schemas.
func (s *directReads) findReaders() {
	ctx := context.Background()
	s.readers = map[string]directReader{}
	// Type names as the framework makes them: the provider's, then each
	// data source's from it.
	var named provider.MetadataResponse
	s.provider.Metadata(ctx, provider.MetadataRequest{}, &named)
	for _, newDS := range s.provider.DataSources(ctx) {
		ds := newDS()
		if _, ok := ds.(stateWritingDataSource); !ok {
			continue
		}
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: named.TypeName}, &meta)
		r := directReader{newDS: newDS}
		ds.Schema(ctx, datasource.SchemaRequest{}, &r.schema)
		r.typ = r.schema.Schema.Type().TerraformType(ctx)
		s.readers[meta.TypeName] = r
	}
}

// protoDiagnostics converts the framework's diagnostics for the protocol,
// as the framework itself would.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is a framework path as the protocol spells it.
func attributePath(p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		default:
			ap = ap.WithAttributeName(fmt.Sprint(s))
		}
	}
	return ap
}
