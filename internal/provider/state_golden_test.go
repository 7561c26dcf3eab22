package provider

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// updateGolden rewrites testdata/state from the current read path.
var updateGolden = flag.Bool("update-golden", false, "rewrite the state golden files")

// stateCases are reads of every data source in every form, against the
// simulator at testNow. Their states were recorded from the read path that
// went through the framework's reflection (tfsdk State.Set with attr.Value
// trees); the read path must keep writing exactly these values.
func stateCases(e *testEnv) map[string]struct {
	typeName string
	args     map[string]any
} {
	sims, subs := e.sim.SIMs(), e.sim.Subscriptions()
	return map[string]struct {
		typeName string
		args     map[string]any
	}{
		"account_previous_month_daily": {"usage_account", map[string]any{"window": "previous_month", "granularity": "daily"}},
		"account_default":              {"usage_account", map[string]any{}},
		"account_hourly_offsets": {"usage_account", map[string]any{
			"start": "2026-03-01T01:00:00+01:00", "end": "2026-03-04T00:00:00Z", "granularity": "hourly"}},
		"sim_by_sid_hourly_5_days": {"usage_sim", map[string]any{
			"sid": sims[3].Sid, "start": "2026-03-20T00:00:00Z", "end": "2026-03-25T00:00:00Z", "granularity": "hourly"}},
		"sim_by_name_month_to_date": {"usage_sim", map[string]any{"unique_name": sims[4].UniqueName, "window": "month_to_date"}},
		"sim_by_iccid_7_days_daily": {"usage_sim", map[string]any{"iccid": sims[5].ICCID, "window": "last_7_days", "granularity": "daily"}},
		"sim_roaming_all":           {"usage_sim", map[string]any{"sid": sims[1].Sid, "window": "last_30_days", "timeouts": map[string]any{"read": "2m"}}},
		"subscription_latest":       {"usage_subscription", map[string]any{"subscription": subs[0].ID}},
		"subscription_period_2":     {"usage_subscription", map[string]any{"subscription": subs[1].ID, "period": int64(2)}},
		"subscription_dates":        {"usage_subscription", map[string]any{"subscription": subs[2].ID, "start": "2026-02-01", "end": "2026-02-28"}},
		"subscription_window_country": {"usage_subscription", map[string]any{
			"subscription": subs[3].ID, "window": "last_30_days", "aggregation": "daily,country"}},
		"subscription_preview_period": {"usage_subscription", map[string]any{"subscription": previewSubscription(e), "aggregation": "period"}},
	}
}

// previewSubscription is the first subscription that reports Gigs' preview
// counters, so that their values (and not only their nulls) are covered.
func previewSubscription(e *testEnv) string {
	for _, s := range e.sim.Subscriptions() {
		if s.Preview {
			return s.ID
		}
	}
	return e.sim.Subscriptions()[0].ID
}

// frameworkServer is the framework's own server, whose ReadDataSource
// decodes the state a stateReader wrote (readInto).
func frameworkServer(p *usageProvider) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(p)
}

// TestReadStateMatchesGolden reads every case through the protocol-6
// server, msgpack included, and compares the state with its golden file:
// both through the provider's server (direct reads) and through the
// framework's own.
func TestReadStateMatchesGolden(t *testing.T) {
	e := newTestEnv(t)
	servers := map[string]func(*usageProvider) func() (tfprotov6.ProviderServer, error){"direct": serverOf, "framework": frameworkServer}
	for name, c := range stateCases(e) {
		for via, serve := range servers {
			t.Run(name+"/"+via, func(t *testing.T) {
				r := newProtoReaderOf(t, e, serve)
				dv := r.read(t, c.typeName, c.args)
				v, err := dv.Unmarshal(r.schemas[c.typeName])
				if err != nil {
					t.Fatal(err)
				}
				got, err := json.MarshalIndent(plain(t, v), "", " ")
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join("testdata", "state", name+".json")
				if *updateGolden {
					if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, append(got, '\n'), 0o600); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
					t.Fatalf("the state differs from %s:\n%s", file, firstDifference(got, want))
				}
			})
		}
	}
}

// plain turns a state value into maps, lists, strings, numbers (as exact
// decimal strings), booleans and nil, for a stable JSON rendering.
func plain(t *testing.T, v tftypes.Value) any {
	t.Helper()
	if !v.IsKnown() {
		return "<unknown>"
	}
	if v.IsNull() {
		return nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		must(t, v.As(&s))
		return s
	case typ.Is(tftypes.Number):
		var n big.Float
		must(t, v.As(&n))
		return "n:" + n.Text('g', -1)
	case typ.Is(tftypes.Bool):
		var b bool
		must(t, v.As(&b))
		return b
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		must(t, v.As(&m))
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = plain(t, e)
		}
		return out
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}), typ.Is(tftypes.Tuple{}):
		var l []tftypes.Value
		must(t, v.As(&l))
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = plain(t, e)
		}
		return out
	}
	t.Fatalf("unexpected type %s", typ)
	return nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// firstDifference shows the lines around where two renderings part.
func firstDifference(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) && i < len(w); i++ {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d lines vs %d", len(g), len(w))
}
