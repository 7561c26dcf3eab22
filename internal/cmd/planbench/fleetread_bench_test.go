package main

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/simusage/terraform-provider-usage/internal/provider"
	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// BenchmarkFleetRead is the usage_sims read of the fleet benchmark without
// Terraform: the provider's server in this process, configured from the
// environment as terraform would start it, reads one usage_sims over the
// last 30 days from the simulator (zero latency) and answers the state. Each
// operation configures a new server, as each plan starts a new provider: the
// provider shares identical queries within a configuration, which would make
// a second read free. The simulator serves in this process too, so a CPU
// profile (-cpuprofile) shows its handlers beside the provider's code.
func BenchmarkFleetRead(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("sims=%d", n), func(b *testing.B) {
			sim := vendorsim.New(vendorsim.Options{Seed: 1, SIMs: n})
			srv := httptest.NewServer(sim)
			defer srv.Close()
			for _, kv := range simulatorEnv(sim, srv.URL) {
				k, v, _ := strings.Cut(kv, "=")
				b.Setenv(k, v)
			}
			ctx := context.Background()
			b.ReportAllocs()
			sim.ResetCounts()
			for b.Loop() {
				server := configuredServer(ctx, b)
				state := readDataSource(ctx, b, server, "usage_sims", map[string]tftypes.Value{"window": tftypes.NewValue(tftypes.String, "last_30_days")})
				b.ReportMetric(float64(len(state.MsgPack)), "state-bytes/op")
			}
			requests := 0
			for _, c := range sim.Counts() {
				requests += c.N
			}
			if want := fleetMinimum(n).Total * b.N; requests != want {
				b.Errorf("%d requests in %d reads, want %d", requests, b.N, want)
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}

// TestFleetReadInProcess reads usage_sims over 1,001 SIMs in process, as
// BenchmarkFleetRead does: exactly the minimal requests by route (two list
// pages), without Terraform.
func TestFleetReadInProcess(t *testing.T) {
	const n = 1001
	sim := vendorsim.New(vendorsim.Options{Seed: 1, SIMs: n})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	for _, kv := range simulatorEnv(sim, srv.URL) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx := t.Context()
	state := readDataSource(ctx, t, configuredServer(ctx, t), "usage_sims", map[string]tftypes.Value{"window": tftypes.NewValue(tftypes.String, "last_30_days")})
	if state == nil || len(state.MsgPack) < n*100 {
		t.Fatalf("state of %d bytes for %d SIMs", len(state.MsgPack), n)
	}
	got := map[string]int{}
	for _, c := range sim.Counts() {
		got[c.Route] += c.N
		if c.Status != 200 {
			t.Errorf("%d requests of %s answered %d", c.N, c.Route, c.Status)
		}
	}
	if want := fleetMinimum(n).ByRoute; !maps.Equal(got, want) {
		t.Errorf("requests %v, want the minimum %v", got, want)
	}
}

// configuredServer is a new provider server configured with an empty
// provider block: credentials and endpoints from the environment.
func configuredServer(ctx context.Context, tb testing.TB) tfprotov6.ProviderServer {
	tb.Helper()
	server, err := provider.Server("bench")()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		tb.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	config := configValue(tb, schemas.Provider, nil)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return server
}

// readDataSource reads one data source with the given arguments, every other
// one null, and fails on any diagnostic.
func readDataSource(ctx context.Context, tb testing.TB, server tfprotov6.ProviderServer, typeName string, args map[string]tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	s, ok := schemas.DataSourceSchemas[typeName]
	if !ok {
		tb.Fatalf("no data source %s", typeName)
	}
	config := configValue(tb, s, args)
	resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("read %s: %v %v", typeName, err, resp.Diagnostics)
	}
	return resp.State
}

// configValue is a configuration of schema s as terraform sends it: the
// given arguments, every other attribute null, absent nested blocks empty
// (lists and sets) or null (single blocks).
func configValue(tb testing.TB, s *tfprotov6.Schema, args map[string]tftypes.Value) tfprotov6.DynamicValue {
	tb.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		tb.Fatalf("the schema's type is %T", s.ValueType())
	}
	vals := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	for _, bt := range s.Block.BlockTypes {
		t := typ.AttributeTypes[bt.TypeName]
		switch bt.Nesting {
		case tfprotov6.SchemaNestedBlockNestingModeList, tfprotov6.SchemaNestedBlockNestingModeSet:
			vals[bt.TypeName] = tftypes.NewValue(t, []tftypes.Value{})
		case tfprotov6.SchemaNestedBlockNestingModeMap:
			vals[bt.TypeName] = tftypes.NewValue(t, map[string]tftypes.Value{})
		}
	}
	for name, v := range args {
		if _, ok := vals[name]; !ok {
			tb.Fatalf("no argument %s", name)
		}
		vals[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		tb.Fatal(err)
	}
	return dv
}
