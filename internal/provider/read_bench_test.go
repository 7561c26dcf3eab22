package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// protoReader drives the provider as Terraform does, over the protocol-6
// server: the provider is configured once, then each ReadDataSource gets its
// configuration as msgpack and answers its state as msgpack. Benchmarks of
// the full read path use it, so that everything the provider process spends
// on a read is measured, not only our own mapping.
type protoReader struct {
	server  tfprotov6.ProviderServer
	schemas map[string]tftypes.Object // data source type name -> its object type
}

func newProtoReader(tb testing.TB, e *testEnv) *protoReader {
	tb.Helper()
	return newProtoReaderOf(tb, e, serverOf)
}

// newProtoReaderOf is newProtoReader with another server: the framework's
// own, for one.
func newProtoReaderOf(tb testing.TB, e *testEnv, serve func(*usageProvider) func() (tfprotov6.ProviderServer, error)) *protoReader {
	tb.Helper()
	ctx := context.Background()
	server, err := serve(&usageProvider{version: "bench", now: func() time.Time { return e.now }})()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		tb.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	r := &protoReader{server: server, schemas: map[string]tftypes.Object{}}
	for name, s := range schemas.DataSourceSchemas {
		r.schemas[name] = objectTypeOf(tb, s)
	}
	c := e.sim.Credentials()
	config := valueOf(tb, objectTypeOf(tb, schemas.Provider), map[string]any{
		"kore": map[string]any{
			"client_id": c.KoreClientID, "client_secret": c.KoreClientSecret,
			"endpoint": e.url, "token_url": e.url + "/api-services/v1/auth/token",
		},
		"gigs":           map[string]any{"api_key": c.GigsAPIKey, "project": c.GigsProject, "endpoint": e.url},
		"retry_wait_min": "1ms",
		"retry_wait_max": "5ms",
		"max_retries":    int64(12),
	})
	dv, err := tfprotov6.NewDynamicValue(config.Type(), config)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.0", Config: &dv})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return r
}

// validate runs ValidateDataResourceConfig of typeName with the given
// arguments (all others null), as Terraform does first, and returns its
// diagnostics.
func (r *protoReader) validate(tb testing.TB, typeName string, args map[string]any) []*tfprotov6.Diagnostic {
	tb.Helper()
	typ := r.schemas[typeName]
	dv, err := tfprotov6.NewDynamicValue(typ, valueOf(tb, typ, args))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := r.server.ValidateDataResourceConfig(context.Background(),
		&tfprotov6.ValidateDataResourceConfigRequest{TypeName: typeName, Config: &dv})
	if err != nil {
		tb.Fatalf("%s: %v", typeName, err)
	}
	return resp.Diagnostics
}

// read runs one ReadDataSource of typeName with the given arguments (all
// others null) and returns the state it answered, still msgpack. Any
// diagnostic fails the test.
func (r *protoReader) read(tb testing.TB, typeName string, args map[string]any) *tfprotov6.DynamicValue {
	tb.Helper()
	resp := r.readResponse(tb, typeName, args)
	if len(resp.Diagnostics) > 0 {
		tb.Fatalf("read %s: %v", typeName, diagnosticsText(resp.Diagnostics))
	}
	return resp.State
}

// readResponse is read, answering the whole response, diagnostics included.
func (r *protoReader) readResponse(tb testing.TB, typeName string, args map[string]any) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	typ, ok := r.schemas[typeName]
	if !ok {
		tb.Fatalf("no data source %s", typeName)
	}
	config := valueOf(tb, typ, args)
	dv, err := tfprotov6.NewDynamicValue(typ, config)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := r.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &dv})
	if err != nil {
		tb.Fatalf("read %s: %v", typeName, err)
	}
	return resp
}

// readPlain is read with the state decoded into maps, lists and values (see
// plain).
func (r *protoReader) readPlain(t *testing.T, typeName string, args map[string]any) map[string]any {
	t.Helper()
	v, err := r.read(t, typeName, args).Unmarshal(r.schemas[typeName])
	if err != nil {
		t.Fatal(err)
	}
	m, ok := plain(t, v).(map[string]any)
	if !ok {
		t.Fatal("the state is not an object")
	}
	return m
}

func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	s := ""
	for _, d := range diags {
		s += fmt.Sprintf("[%s: %s] ", d.Summary, d.Detail)
	}
	return s
}

func objectTypeOf(tb testing.TB, s *tfprotov6.Schema) tftypes.Object {
	tb.Helper()
	o, ok := s.ValueType().(tftypes.Object)
	if !ok {
		tb.Fatalf("schema type %T is not an object", s.ValueType())
	}
	return o
}

// valueOf builds a value of typ from a nested map of Go values; attributes
// it does not name are null.
func valueOf(tb testing.TB, typ tftypes.Object, args map[string]any) tftypes.Value {
	tb.Helper()
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		v, ok := args[name]
		switch {
		case !ok:
			vals[name] = tftypes.NewValue(at, nil)
		case at.Is(tftypes.List{}):
			strs, isStrs := v.([]string)
			list, isList := at.(tftypes.List)
			if !isStrs || !isList {
				tb.Fatalf("%s: want a []string for a list", name)
			}
			elems := make([]tftypes.Value, len(strs))
			for i, s := range strs {
				elems[i] = tftypes.NewValue(list.ElementType, s)
			}
			vals[name] = tftypes.NewValue(at, elems)
		case at.Is(tftypes.Object{}):
			nested, isMap := v.(map[string]any)
			obj, isObj := at.(tftypes.Object)
			if !isMap || !isObj {
				tb.Fatalf("%s: want a map for an object", name)
			}
			vals[name] = valueOf(tb, obj, nested)
		default:
			vals[name] = tftypes.NewValue(at, v)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// BenchmarkReadDataSource is a usage_sim read of 1, 1,000 and 10,000 hourly
// records through the protocol-6 server, msgpack included, against the
// simulator on loopback: the whole cost of a read in the provider process.
func BenchmarkReadDataSource(b *testing.B) {
	e := newTestEnv(b)
	sid := e.sim.SIMs()[0].Sid
	end := e.now.Truncate(time.Hour).Add(-48 * time.Hour)
	for _, n := range []int{1, 1000, 10000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			args := map[string]any{
				"sid": sid, "granularity": "hourly",
				"start": end.Add(-time.Duration(n) * time.Hour).Format(time.RFC3339), "end": end.Format(time.RFC3339),
			}
			b.ReportAllocs()
			for b.Loop() {
				// A fresh provider each time: the client's run cache would
				// otherwise answer every read after the first.
				r := newProtoReader(b, e)
				r.read(b, "usage_sim", args)
			}
		})
	}
}

// BenchmarkGuardrailPlan is what a plan of 100 usage_sim guardrails (30
// days, daily) asks of the provider over the protocol: one configure, then
// for each data source a validation and a read, as Terraform does.
func BenchmarkGuardrailPlan(b *testing.B) {
	e := newTestEnvWith(b, vendorsim.Options{SIMs: 100})
	sims := e.sim.SIMs()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r := newProtoReader(b, e)
		typ := r.schemas["usage_sim"]
		for _, s := range sims {
			args := map[string]any{"sid": s.Sid, "window": "last_30_days", "granularity": "daily"}
			dv, err := tfprotov6.NewDynamicValue(typ, valueOf(b, typ, args))
			if err != nil {
				b.Fatal(err)
			}
			v, err := r.server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "usage_sim", Config: &dv})
			if err != nil || len(v.Diagnostics) > 0 {
				b.Fatalf("validate: %v %v", err, diagnosticsText(v.Diagnostics))
			}
			r.read(b, "usage_sim", args)
		}
	}
}
