package provider

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// updateGolden rewrites testdata/state from the current read path (the
// provider's own server; the framework's must then answer the same):
// go test ./internal/provider -run TestReadStateMatchesGolden -update-golden.
var updateGolden = flag.Bool("update-golden", false, "rewrite the state golden files")

// stateCase is a read of one data source: its type name and arguments (the
// others null).
type stateCase struct {
	typeName string
	args     map[string]any
}

// stateCases are reads of every data source in every form, against the
// simulator at testNow: KORE's granularities (all, daily, hourly) and
// ranges (window, start and end, default, metering period), usage_sim by
// sid, unique_name and iccid, Gigs' period, start and end, window and
// default, the fleets' filters, and include_limits on and off wherever a
// data source has it. The first twelve states were recorded from the read
// path that went through the framework's reflection (tfsdk State.Set with
// attr.Value trees); the read path must keep writing exactly these values.
func stateCases(e *testEnv) map[string]stateCase {
	sims, subs := e.sim.SIMs(), e.sim.Subscriptions()
	roamingPlan := sims[20].RatePlanSid // traveller-01's: iot-roaming-global
	project := e.sim.Credentials().GigsProject
	allStatuses := []string{"pending", "initiated", "active", "ended"}
	return map[string]stateCase{
		// usage_account
		"account_previous_month_daily": {"usage_account", map[string]any{"window": "previous_month", "granularity": "daily"}},
		"account_default":              {"usage_account", map[string]any{}},
		"account_hourly_offsets": {"usage_account", map[string]any{
			"start": "2026-03-01T01:00:00+01:00", "end": "2026-03-04T00:00:00Z", "granularity": "hourly"}},
		"account_last_7_days_all": {"usage_account", map[string]any{"window": "last_7_days", "granularity": "all"}},
		"account_dates_daily": {"usage_account", map[string]any{
			"start": "2026-03-01T00:00:00Z", "end": "2026-03-08T00:00:00Z", "granularity": "daily"}},

		// usage_sim
		"sim_by_sid_hourly_5_days": {"usage_sim", map[string]any{
			"sid": sims[3].Sid, "start": "2026-03-20T00:00:00Z", "end": "2026-03-25T00:00:00Z", "granularity": "hourly"}},
		"sim_by_name_month_to_date": {"usage_sim", map[string]any{"unique_name": sims[4].UniqueName, "window": "month_to_date"}},
		"sim_by_iccid_7_days_daily": {"usage_sim", map[string]any{"iccid": sims[5].ICCID, "window": "last_7_days", "granularity": "daily"}},
		"sim_roaming_all":           {"usage_sim", map[string]any{"sid": sims[1].Sid, "window": "last_30_days", "timeouts": map[string]any{"read": "2m"}}},
		"sim_default":               {"usage_sim", map[string]any{"sid": sims[6].Sid}},
		"sim_metering_period": {"usage_sim", map[string]any{
			"unique_name": sims[9].UniqueName, "window": "metering_period", "metering_day": int64(31)}},
		"sim_limits_false": {"usage_sim", map[string]any{"sid": sims[2].Sid, "window": "last_24_hours", "include_limits": false}},
		"sim_by_sid_limits_hourly": {"usage_sim", map[string]any{
			"sid": sims[0].Sid, "start": "2026-03-28T00:00:00Z", "end": "2026-03-29T00:00:00Z", "granularity": "hourly",
			"include_limits": true}},
		"sim_by_name_limits_daily": {"usage_sim", map[string]any{
			"unique_name": sims[12].UniqueName, "window": "last_7_days", "granularity": "daily", "include_limits": true}},
		"sim_by_iccid_limits_all": {"usage_sim", map[string]any{"iccid": sims[20].ICCID, "window": "last_30_days", "include_limits": true}},
		"sim_metering_period_limits": {"usage_sim", map[string]any{
			"sid": sims[8].Sid, "window": "metering_period", "metering_day": int64(15), "include_limits": true}},

		// usage_sims
		"sims_all":        {"usage_sims", map[string]any{}},
		"sims_all_limits": {"usage_sims", map[string]any{"include_limits": true}},
		"sims_rate_plan_sid_limits": {"usage_sims", map[string]any{
			"rate_plan": roamingPlan, "window": "last_30_days", "include_limits": true}},
		"sims_rate_plan_name_previous_month": {"usage_sims", map[string]any{"rate_plan": "iot-roaming-global", "window": "previous_month"}},
		"sims_status_dates": {"usage_sims", map[string]any{
			"status": "suspended", "start": "2026-03-01T00:00:00Z", "end": "2026-03-15T00:00:00Z"}},
		"sims_regex_dates_limits": {"usage_sims", map[string]any{
			"unique_name_regex": "^meter-", "start": "2026-03-01T00:00:00Z", "end": "2026-03-15T00:00:00Z", "include_limits": true}},
		"sims_regex_metering_limits": {"usage_sims", map[string]any{
			"unique_name_regex": "^gateway-", "window": "metering_period", "metering_day": int64(10), "include_limits": true}},
		"sims_status_regex_month_to_date": {"usage_sims", map[string]any{
			"status": "active", "unique_name_regex": "^vehicle-", "window": "month_to_date", "include_limits": false,
			"timeouts": map[string]any{"read": "2m"}}},
		"sims_keep_percent_limits": {"usage_sims", map[string]any{
			"window": "last_30_days", "include_limits": true, "keep": map[string]any{"used_percent": 50.5}}},
		"sims_keep_data_bytes": {"usage_sims", map[string]any{
			"status": "active", "start": "2026-03-01T00:00:00Z", "end": "2026-03-15T00:00:00Z", "keep": map[string]any{"data_bytes": int64(100_000_000)}}},

		// usage_subscription
		"subscription_latest":   {"usage_subscription", map[string]any{"subscription": subs[0].ID}},
		"subscription_period_2": {"usage_subscription", map[string]any{"subscription": subs[1].ID, "period": int64(2)}},
		"subscription_dates":    {"usage_subscription", map[string]any{"subscription": subs[2].ID, "start": "2026-02-01", "end": "2026-02-28"}},
		"subscription_window_country": {"usage_subscription", map[string]any{
			"subscription": subs[3].ID, "window": "last_30_days", "aggregation": "daily,country"}},
		"subscription_preview_period": {"usage_subscription", map[string]any{"subscription": previewSubscription(e), "aggregation": "period"}},
		"subscription_latest_limits":  {"usage_subscription", map[string]any{"subscription": subs[0].ID, "include_limits": true}},
		"subscription_period_limits": {"usage_subscription", map[string]any{
			"subscription": subs[5].ID, "period": int64(3), "aggregation": "period", "include_limits": true}},
		"subscription_dates_limits": {"usage_subscription", map[string]any{
			"subscription": subs[1].ID, "start": "2026-03-01", "end": "2026-03-10", "include_limits": true}},
		"subscription_window_limits": {"usage_subscription", map[string]any{
			"subscription": subs[2].ID, "window": "last_7_days", "aggregation": "daily,roaming", "include_limits": true}},
		"subscription_project_limits_false": {"usage_subscription", map[string]any{
			"subscription": subs[4].ID, "project": project, "include_limits": false}},

		// usage_subscriptions
		"subscriptions_current":        {"usage_subscriptions", map[string]any{}},
		"subscriptions_current_limits": {"usage_subscriptions", map[string]any{"include_limits": true}},
		"subscriptions_dates":          {"usage_subscriptions", map[string]any{"start": "2026-03-01", "end": "2026-03-07"}},
		"subscriptions_window_limits": {"usage_subscriptions", map[string]any{
			"window": "last_7_days", "include_limits": true, "timeouts": map[string]any{"read": "2m"}}},
		"subscriptions_plan_project_limits": {"usage_subscriptions", map[string]any{
			"plan": subs[0].PlanID, "project": project, "include_limits": true}},
		"subscriptions_all_statuses_month_to_date": {"usage_subscriptions", map[string]any{
			"status": allStatuses, "window": "month_to_date", "include_limits": false}},
		"subscriptions_keep_percent_limits": {"usage_subscriptions", map[string]any{
			"include_limits": true, "keep": map[string]any{"used_percent": 75.0}}},
		"subscriptions_keep_voice_sms": {"usage_subscriptions", map[string]any{
			"status": allStatuses, "window": "last_30_days", "keep": map[string]any{"voice_seconds": int64(3000), "sms": int64(100)}}},
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
// decodes the state a stateWritingDataSource wrote (readInto).
func frameworkServer(p *usageProvider) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(p)
}

// goldenServers are the servers every golden state is read through: the
// provider's own (direct reads) first, as -update-golden writes its state,
// then the framework's.
var goldenServers = []struct {
	name  string
	serve func(*usageProvider) func() (tfprotov6.ProviderServer, error)
}{{"direct", serverOf}, {"framework", frameworkServer}}

// TestReadStateMatchesGolden reads every case through the protocol-6
// server, msgpack included, and compares the state with its golden file:
// both through the provider's server (direct reads) and through the
// framework's own.
func TestReadStateMatchesGolden(t *testing.T) {
	e := newTestEnv(t)
	readers := make([]*protoReader, len(goldenServers))
	for i, s := range goldenServers {
		readers[i] = newProtoReaderOf(t, e, s.serve)
	}
	cases := stateCases(e)
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		c := cases[name]
		file := filepath.Join("testdata", "state", name+".json")
		t.Run(name, func(t *testing.T) {
			for i, s := range goldenServers {
				t.Run(s.name, func(t *testing.T) {
					got := goldenState(t, readers[i], c)
					if *updateGolden && i == 0 {
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
		})
	}
}

// goldenState is the state r reads for c, rendered as JSON.
func goldenState(t *testing.T, r *protoReader, c stateCase) []byte {
	t.Helper()
	v, err := r.read(t, c.typeName, c.args).Unmarshal(r.schemas[c.typeName])
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(plain(t, v), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestStateCasesCoverEveryDataSource: every data source has golden states,
// with include_limits true in one and not set or false in another wherever
// its schema has it; and every golden file is a case's.
func TestStateCasesCoverEveryDataSource(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	cases := stateCases(e)
	for typeName, typ := range r.schemas {
		var on, off int
		for _, c := range cases {
			if c.typeName != typeName {
				continue
			}
			if c.args["include_limits"] == true {
				on++
			} else {
				off++
			}
		}
		_, hasLimits := typ.AttributeTypes["include_limits"]
		switch {
		case on+off == 0:
			t.Errorf("%s has no golden state", typeName)
		case hasLimits && (on == 0 || off == 0):
			t.Errorf("%s has golden states with include_limits in %d and without in %d; want both", typeName, on, off)
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "state", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := cases[strings.TrimSuffix(filepath.Base(f), ".json")]; !ok {
			t.Errorf("%s is no case's golden state", f)
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
