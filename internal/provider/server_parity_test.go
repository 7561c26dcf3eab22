package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The direct path (directReads) answers ReadDataSource without the
// framework's fwserver.ReadDataSource. These tests hold it to what the
// framework's read does with everything a request or a configuration can
// carry besides the data source's own configuration: a deferred provider,
// ProviderMeta, the client's capabilities, and the provider's type name.

// bothServers are the provider's server and the framework's own.
var bothServers = map[string]func(*usageProvider) func() (tfprotov6.ProviderServer, error){
	"direct": serverOf,
	"framework": func(p *usageProvider) func() (tfprotov6.ProviderServer, error) {
		return providerserver.NewProtocol6WithError(p)
	},
}

// parityReads are reads of every usage data source, limits included.
func parityReads(e *testEnv) map[string]struct {
	typeName string
	args     map[string]any
} {
	sims, subs := e.sim.SIMs(), e.sim.Subscriptions()
	return map[string]struct {
		typeName string
		args     map[string]any
	}{
		"account":       {"usage_account", map[string]any{"window": "last_7_days", "granularity": "daily"}},
		"sim":           {"usage_sim", map[string]any{"sid": sims[1].Sid, "window": "month_to_date", "include_limits": true}},
		"sims":          {"usage_sims", map[string]any{"window": "last_7_days", "include_limits": true}},
		"subscription":  {"usage_subscription", map[string]any{"subscription": subs[0].ID, "include_limits": true}},
		"subscriptions": {"usage_subscriptions", map[string]any{"include_limits": true}},
	}
}

// readRequest is a ReadDataSourceRequest of typeName with args (see
// valueOf), as Terraform sends it.
func readRequest(t *testing.T, r *protoReader, typeName string, args map[string]any) *tfprotov6.ReadDataSourceRequest {
	t.Helper()
	typ, ok := r.schemas[typeName]
	if !ok {
		t.Fatalf("no data source %s", typeName)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, valueOf(t, typ, args))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &dv}
}

// answer is a ReadDataSourceResponse made comparable: the state decoded
// (the two servers encode equal values in different bytes), the
// diagnostics as text, and the deferral.
type answer struct {
	state    tftypes.Value
	diags    string
	failed   bool // an error among the diagnostics
	deferred *tfprotov6.Deferred
}

func answerOf(t *testing.T, typ tftypes.Type, resp *tfprotov6.ReadDataSourceResponse) answer {
	t.Helper()
	a := answer{diags: diagnosticsText(resp.Diagnostics), deferred: resp.Deferred}
	for _, d := range resp.Diagnostics {
		if d.Attribute != nil {
			a.diags += " at " + d.Attribute.String()
		}
		a.failed = a.failed || d.Severity == tfprotov6.DiagnosticSeverityError
	}
	if resp.State != nil {
		v, err := resp.State.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		a.state = v
	}
	return a
}

// sameAnswer fails unless the two servers answered alike. A failed read's
// state is not compared: the framework answers the configuration as it came
// (fwserver.ReadDataSource starts the state from it), the direct path no
// state, and Terraform uses neither once a diagnostic is an error.
func sameAnswer(t *testing.T, direct, framework answer) {
	t.Helper()
	if direct.failed && framework.failed {
		direct.state, framework.state = tftypes.Value{}, tftypes.Value{}
	}
	if direct.diags != framework.diags {
		t.Errorf("diagnostics differ:\ndirect:    %s\nframework: %s", direct.diags, framework.diags)
	}
	if (direct.deferred == nil) != (framework.deferred == nil) ||
		direct.deferred != nil && direct.deferred.Reason != framework.deferred.Reason {
		t.Errorf("deferred: direct %v, framework %v", direct.deferred, framework.deferred)
	}
	if !direct.state.Equal(framework.state) {
		diffs, err := direct.state.Diff(framework.state)
		t.Errorf("states differ (%v): %v", err, diffs)
	}
}

// TestDirectReadsMatchTheFrameworkWhateverTheRequestCarries: every usage
// data source answers the same state through both servers whether or not
// the client allows deferral and whether or not a ProviderMeta comes along.
// The framework hands both to the data source's Read, which neither reads
// nor defers (readInto), and drops ProviderMeta when the provider has no
// meta schema (TestProviderHasNoMetaSchema); the direct path ignores both.
func TestDirectReadsMatchTheFrameworkWhateverTheRequestCarries(t *testing.T) {
	e := newTestEnv(t)
	metaType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"module_name": tftypes.String}}
	meta, err := tfprotov6.NewDynamicValue(metaType, tftypes.NewValue(metaType, map[string]tftypes.Value{
		"module_name": tftypes.NewValue(tftypes.String, "guardrails"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]func(*tfprotov6.ReadDataSourceRequest){
		"plain": func(*tfprotov6.ReadDataSourceRequest) {},
		"deferral allowed": func(r *tfprotov6.ReadDataSourceRequest) {
			r.ClientCapabilities = &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true}
		},
		"deferral refused": func(r *tfprotov6.ReadDataSourceRequest) {
			r.ClientCapabilities = &tfprotov6.ReadDataSourceClientCapabilities{}
		},
		"provider_meta sent": func(r *tfprotov6.ReadDataSourceRequest) { r.ProviderMeta = &meta },
	}
	readers := map[string]*protoReader{}
	for via, serve := range bothServers {
		readers[via] = newProtoReaderOf(t, e, serve)
	}
	for name, c := range parityReads(e) {
		for variant, bend := range variants {
			t.Run(name+"/"+variant, func(t *testing.T) {
				answers := map[string]answer{}
				for via, r := range readers {
					req := readRequest(t, r, c.typeName, c.args)
					bend(req)
					resp, err := r.server.ReadDataSource(context.Background(), req)
					if err != nil {
						t.Fatal(err)
					}
					if len(resp.Diagnostics) > 0 || resp.State == nil || resp.Deferred != nil {
						t.Fatalf("%s: diagnostics %s, state %v, deferred %v", via, diagnosticsText(resp.Diagnostics), resp.State != nil, resp.Deferred)
					}
					answers[via] = answerOf(t, r.schemas[c.typeName], resp)
				}
				sameAnswer(t, answers["direct"], answers["framework"])
			})
		}
	}
}

// TestDirectReadsDeferralDoesNotApply: the framework defers every read once
// the provider's Configure answers Deferred, which the direct path would not
// see. The usage provider never does: a setting known only after apply is
// an error naming it, even when Terraform allows deferral, and the reads
// that follow answer alike through both servers, with no deferral.
func TestDirectReadsDeferralDoesNotApply(t *testing.T) {
	e := newTestEnv(t)
	c := e.sim.Credentials()
	answers := map[string]answer{}
	configured := map[string]string{}
	for via, serve := range bothServers {
		server, err := serve(&usageProvider{version: "parity", now: func() time.Time { return e.now }})()
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		providerType := objectTypeOf(t, schemas.Provider)
		config := valueOf(t, providerType, map[string]any{
			"gigs":           map[string]any{"api_key": c.GigsAPIKey, "project": c.GigsProject, "endpoint": e.url},
			"retry_wait_min": "1ms",
		})
		// kore.client_secret is known only after apply.
		var attrs map[string]tftypes.Value
		must(t, config.As(&attrs))
		koreType, ok := providerType.AttributeTypes["kore"].(tftypes.Object)
		if !ok {
			t.Fatal("kore is not an object")
		}
		attrs["kore"] = tftypes.NewValue(koreType, map[string]tftypes.Value{
			"client_id":     tftypes.NewValue(tftypes.String, c.KoreClientID),
			"client_secret": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
			"endpoint":      tftypes.NewValue(tftypes.String, e.url),
			"token_url":     tftypes.NewValue(tftypes.String, e.url+"/api-services/v1/auth/token"),
		})
		dv, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, attrs))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
			TerraformVersion:   "1.11.0",
			Config:             &dv,
			ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		configured[via] = diagnosticsText(resp.Diagnostics)
		if !strings.Contains(configured[via], "Provider setting unknown at plan time") {
			t.Fatalf("%s: configure answered %s", via, configured[via])
		}

		r := &protoReader{server: server, schemas: map[string]tftypes.Object{}}
		for name, s := range schemas.DataSourceSchemas {
			r.schemas[name] = objectTypeOf(t, s)
		}
		req := readRequest(t, r, "usage_account", map[string]any{"window": "last_7_days"})
		req.ClientCapabilities = &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true}
		read, err := server.ReadDataSource(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if read.Deferred != nil || len(read.Diagnostics) == 0 {
			t.Fatalf("%s: a read after the failed configure answered deferred %v, %s", via, read.Deferred, diagnosticsText(read.Diagnostics))
		}
		answers[via] = answerOf(t, r.schemas["usage_account"], read)
	}
	if configured["direct"] != configured["framework"] {
		t.Errorf("configure: direct %s, framework %s", configured["direct"], configured["framework"])
	}
	sameAnswer(t, answers["direct"], answers["framework"])
	if n := e.sim.Requests("kore.token"); n != 0 {
		t.Errorf("%d token requests with an unknown secret", n)
	}
}

// TestProviderHasNoMetaSchema: the framework reads ProviderMeta only
// against the provider's meta schema, and the usage provider has none, so
// what a module's provider_meta block sends reaches no data source through
// either server. A meta schema added later fails this test: the direct path
// would then have to hand ProviderMeta to the data sources too.
func TestProviderHasNoMetaSchema(t *testing.T) {
	if _, ok := any(&usageProvider{}).(provider.ProviderWithMetaSchema); ok {
		t.Fatal("the usage provider has a meta schema, which directReads does not hand to the data sources")
	}
	for via, serve := range bothServers {
		server, err := serve(&usageProvider{version: "parity", now: time.Now})()
		if err != nil {
			t.Fatal(err)
		}
		schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if m := schemas.ProviderMeta; m != nil && m.Block != nil && (len(m.Block.Attributes) > 0 || len(m.Block.BlockTypes) > 0) {
			t.Errorf("%s: a provider_meta schema %v", via, m.Block)
		}
	}
}

// TestDirectReadsAnswerEveryUsageDataSource: the direct path knows every
// data source by the type name the framework serves it under, the
// provider's type name and the data source's suffix, so no read falls
// through to the framework unnoticed.
func TestDirectReadsAnswerEveryUsageDataSource(t *testing.T) {
	p := &usageProvider{version: "parity", now: time.Now}
	server, err := serverOf(p)()
	if err != nil {
		t.Fatal(err)
	}
	direct, ok := server.(*directReads)
	if !ok {
		t.Fatalf("Server serves a %T", server)
	}
	ctx := context.Background()
	meta, err := server.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	if err != nil || len(meta.Diagnostics) > 0 {
		t.Fatalf("metadata: %v %s", err, diagnosticsText(meta.Diagnostics))
	}
	var served []string
	for _, ds := range meta.DataSources {
		served = append(served, ds.TypeName)
	}
	direct.once.Do(direct.findReaders)
	read := slices.Sorted(maps.Keys(direct.readers))
	slices.Sort(served)
	if !slices.Equal(read, served) || len(read) != len(p.DataSources(ctx)) {
		t.Fatalf("the direct path reads %v; the framework serves %v", read, served)
	}
}

// TestDirectReadsWriteInstantsInUTC pins the one difference between the
// servers' reads: the framework walks the state for semantic equality, and
// timetypes.RFC3339 finds a configured start or end spelled "+00:00" or
// with zero fractions equal to the instant written, so the framework's
// server keeps the configuration's spelling. The direct path writes the
// instant as the documentation promises ("always written to state,
// resolved, in UTC"), an equal instant either way; Terraform does not hold
// a data source's state to its configuration's spelling.
func TestDirectReadsWriteInstantsInUTC(t *testing.T) {
	e := newTestEnv(t)
	args := map[string]any{"start": "2026-03-01T00:00:00+00:00", "end": "2026-03-02T00:00:00.000Z"}
	want := map[string]string{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}
	for _, typeName := range []string{"usage_account", "usage_sim", "usage_sims"} {
		args := maps.Clone(args)
		if typeName == "usage_sim" {
			args["sid"] = e.sim.SIMs()[0].Sid
		}
		states := map[string]map[string]any{}
		for via, serve := range bothServers {
			states[via] = newProtoReaderOf(t, e, serve).readPlain(t, typeName, args)
		}
		for name, utc := range want {
			if got := states["direct"][name]; got != utc {
				t.Errorf("%s: direct %s = %v, want %s", typeName, name, got, utc)
			}
			direct, _ := time.Parse(time.RFC3339, utc)
			framework, err := time.Parse(time.RFC3339, pickStr(t, states["framework"], name))
			if err != nil || !framework.Equal(direct) {
				t.Errorf("%s: framework %s = %v, not the instant %s", typeName, name, states["framework"][name], utc)
			}
		}
	}
}

// TestServersOfOneFactoryKeepTheirOwnConfiguration: the framework keeps
// what Configure answered per server, so two servers from one factory,
// configured differently, each read with their own configuration; so do the
// direct reads.
func TestServersOfOneFactoryKeepTheirOwnConfiguration(t *testing.T) {
	e := newTestEnv(t)
	c := e.sim.Credentials()
	sub := e.sim.Subscriptions()[0].ID
	for via, serve := range bothServers {
		t.Run(via, func(t *testing.T) {
			factory := serve(&usageProvider{version: "parity", now: func() time.Time { return e.now }})
			readers := map[string]*protoReader{}
			for _, key := range []string{"right", "wrong"} {
				server, err := factory()
				if err != nil {
					t.Fatal(err)
				}
				apiKey := c.GigsAPIKey
				if key == "wrong" {
					apiKey = "wrong-" + apiKey
				}
				readers[key] = configuredReader(t, server, map[string]any{
					"gigs": map[string]any{"api_key": apiKey, "project": c.GigsProject, "endpoint": e.url},
				})
			}
			for key, r := range readers {
				resp := r.readResponse(t, "usage_subscription", map[string]any{"subscription": sub})
				if failed := len(resp.Diagnostics) > 0; failed != (key == "wrong") {
					t.Errorf("the server configured with the %s key answered %s", key, diagnosticsText(resp.Diagnostics))
				}
			}
		})
	}
}

// configuredReader configures server with config (see valueOf) and reads
// through it.
func configuredReader(t *testing.T, server tfprotov6.ProviderServer, config map[string]any) *protoReader {
	t.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	r := &protoReader{server: server, schemas: map[string]tftypes.Object{}}
	for name, s := range schemas.DataSourceSchemas {
		r.schemas[name] = objectTypeOf(t, s)
	}
	typ := objectTypeOf(t, schemas.Provider)
	dv, err := tfprotov6.NewDynamicValue(typ, valueOf(t, typ, config))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.0", Config: &dv})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %s", err, diagnosticsText(resp.Diagnostics))
	}
	return r
}
