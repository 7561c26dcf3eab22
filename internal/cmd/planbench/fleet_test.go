package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestCapInForce(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envMaxConcurrent {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name string
		flag int
		env  string
		want capSetting
	}{
		{"the provider's default", 0, "", capSetting{N: 10, Source: "provider default"}},
		{"the environment's", 0, " 25 ", capSetting{N: 25, Source: envMaxConcurrent + " from the environment"}},
		{"the flag over the environment", 50, "25", capSetting{N: 50, Source: "-max-concurrent-requests"}},
	} {
		got, err := capInForce(tc.flag, env(tc.env))
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []string{"ten", "0", "101", "-3"} {
		if got, err := capInForce(0, env(bad)); err == nil {
			t.Errorf("%s=%q accepted: %+v", envMaxConcurrent, bad, got)
		}
	}
}

// The minimum and the critical path of each route, by the formulas the
// issue gives: usage_sims 1 token + ceil(N/1000) list pages + N usage
// requests in ceil(N/cap) waves; usage_sim per SIM 1 token + N requests in
// waves of min(parallelism, cap).
func TestFleetMinimumAndCriticalPath(t *testing.T) {
	for _, tc := range []struct {
		n, inFlight, parallelism   int
		fleetTotal, listPages      int
		fleetCritical, forEachCrit int
		forEachTotal               int
	}{
		{n: 1, inFlight: 10, parallelism: 10, fleetTotal: 3, listPages: 1, fleetCritical: 3, forEachCrit: 2, forEachTotal: 2},
		{n: 1000, inFlight: 10, parallelism: 10, fleetTotal: 1002, listPages: 1, fleetCritical: 102, forEachCrit: 101, forEachTotal: 1001},
		{n: 1000, inFlight: 50, parallelism: 50, fleetTotal: 1002, listPages: 1, fleetCritical: 22, forEachCrit: 21, forEachTotal: 1001},
		// The cap narrower than Terraform's parallelism limits for_each too.
		{n: 1000, inFlight: 10, parallelism: 50, fleetTotal: 1002, listPages: 1, fleetCritical: 102, forEachCrit: 101, forEachTotal: 1001},
		{n: 1000, inFlight: 50, parallelism: 10, fleetTotal: 1002, listPages: 1, fleetCritical: 22, forEachCrit: 101, forEachTotal: 1001},
		{n: 1001, inFlight: 10, parallelism: 10, fleetTotal: 1004, listPages: 2, fleetCritical: 104, forEachCrit: 102, forEachTotal: 1002},
		{n: 10000, inFlight: 10, parallelism: 10, fleetTotal: 10011, listPages: 10, fleetCritical: 1011, forEachCrit: 1001, forEachTotal: 10001},
	} {
		name := fmt.Sprintf("N=%d cap=%d parallelism=%d", tc.n, tc.inFlight, tc.parallelism)
		fm := fleetMinimum(tc.n)
		wantFleet := map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreSimsList: tc.listPages, vendorsim.RouteKoreUsageSim: tc.n}
		if fm.Total != tc.fleetTotal || !reflect.DeepEqual(fm.ByRoute, wantFleet) {
			t.Errorf("%s: usage_sims minimum %+v, want %d: %v", name, fm, tc.fleetTotal, wantFleet)
		}
		em := forEachMinimum(tc.n)
		wantEach := map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreUsageSim: tc.n}
		if em.Total != tc.forEachTotal || !reflect.DeepEqual(em.ByRoute, wantEach) {
			t.Errorf("%s: for_each minimum %+v, want %d: %v", name, em, tc.forEachTotal, wantEach)
		}
		if got := fleetCritical(tc.n, tc.inFlight); got != tc.fleetCritical {
			t.Errorf("%s: usage_sims critical path %d, want %d", name, got, tc.fleetCritical)
		}
		if got := forEachCritical(tc.n, tc.inFlight, tc.parallelism); got != tc.forEachCrit {
			t.Errorf("%s: for_each critical path %d, want %d", name, got, tc.forEachCrit)
		}
	}
}

// parseData parses a generated configuration and returns its data blocks.
func parseData(t *testing.T, src []byte) []*hclsyntax.Block {
	t.Helper()
	file, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the configuration does not parse: %s\n%s", diags.Error(), src)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("the parsed body is %T, not native syntax", file.Body)
	}
	var data []*hclsyntax.Block
	for _, b := range body.Blocks {
		switch b.Type {
		case "data":
			data = append(data, b)
		case "terraform", "locals", "check", "output":
		case "provider":
			if len(b.Body.Attributes) != 0 || len(b.Body.Blocks) != 0 {
				t.Errorf("the provider block is not empty: credentials and the cap must come from the environment")
			}
		default:
			t.Errorf("unexpected %s block", b.Type)
		}
	}
	return data
}

// literal evaluates an attribute that needs no context.
func literal(t *testing.T, b *hclsyntax.Block, name string) string {
	t.Helper()
	attr, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s.%s has no %s", b.Labels[0], b.Labels[1], name)
	}
	v, d := attr.Expr.Value(nil)
	if d.HasErrors() {
		t.Fatalf("%s: %s", name, d.Error())
	}
	return v.AsString()
}

func TestFleetConfigs(t *testing.T) {
	sids := []string{"DE01", "DE02", `DE"${x}`}

	data := parseData(t, fleetConfig("last_30_days"))
	if len(data) != 1 || data[0].Labels[0] != "usage_sims" || len(data[0].Body.Attributes) != 1 || literal(t, data[0], "window") != "last_30_days" {
		t.Fatalf("usage_sims configuration: %d data blocks, want one usage_sims with only window = last_30_days", len(data))
	}

	src := forEachConfig(sids, "last_30_days")
	data = parseData(t, src)
	if len(data) != 1 || data[0].Labels[0] != "usage_sim" {
		t.Fatalf("for_each configuration: %d data blocks, want one usage_sim", len(data))
	}
	each := data[0]
	if literal(t, each, "window") != "last_30_days" || literal(t, each, "granularity") != "all" {
		t.Errorf("for_each: window or granularity wrong")
	}
	exprText := func(name string) string {
		r := each.Body.Attributes[name].Expr.Range()
		return string(r.SliceBytes(src))
	}
	if exprText("for_each") != "toset(local.sids)" || exprText("sid") != "each.value" {
		t.Errorf("for_each = %s, sid = %s", exprText("for_each"), exprText("sid"))
	}
	file, _ := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("the parsed body is %T", file.Body)
	}
	locals := 0
	for _, b := range body.Blocks {
		if b.Type != "locals" {
			continue
		}
		v, d := b.Body.Attributes["sids"].Expr.Value(nil)
		if d.HasErrors() {
			t.Fatal(d.Error())
		}
		var got []string
		for _, e := range v.AsValueSlice() {
			got = append(got, e.AsString())
		}
		if !slices.Equal(got, sids) {
			t.Errorf("local.sids = %q, want %q", got, sids)
		}
		locals++
	}
	if locals != 1 {
		t.Errorf("%d locals blocks, want the one with sids", locals)
	}

	data = parseData(t, blocksConfig(sids, "last_7_days"))
	if len(data) != len(sids) {
		t.Fatalf("blocks configuration: %d data blocks, want %d", len(data), len(sids))
	}
	for i, b := range data {
		if b.Labels[0] != "usage_sim" || literal(t, b, "sid") != sids[i] || literal(t, b, "window") != "last_7_days" ||
			literal(t, b, "granularity") != "all" || len(b.Body.Attributes) != 3 {
			t.Errorf("block %d: %s %s", i, b.Labels[0], b.Labels[1])
		}
	}
}

func TestRouteListFlag(t *testing.T) {
	var l routeList
	if err := l.Set("blocks, usage_sims"); err != nil || !slices.Equal(l, routeList{routeBlocks, routeFleet}) || l.String() != "blocks,usage_sims" {
		t.Errorf("Set: %v, %v", l, err)
	}
	if !l.has(routeFleet) || l.has(routeForEach) || !l.perSIM() {
		t.Errorf("has/perSIM of %v", l)
	}
	if err := l.Set("usage_sims,usage_sims_keep"); err != nil || !l.has(routeKeep) || l.perSIM() {
		t.Errorf("has/perSIM of %v", l)
	}
	for _, bad := range []string{"", "fleet", "usage_sims,usage_sims", "for_each,"} {
		var l routeList
		if err := l.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted: %v", bad, l)
		}
	}
	if d := defaultRoutes(); d.String() != "usage_sims,for_each" {
		t.Errorf("default routes %v", defaultRoutes())
	}
}

// The routes come in knownRoutes order whatever the flag's, each with its
// configuration, minimum and critical path.
func TestFleetRoutes(t *testing.T) {
	sids := make([]string, 1001)
	for i := range sids {
		sids[i] = fmt.Sprintf("DE%04d", i)
	}
	o := options{Window: "last_30_days", Parallelism: 50, Routes: routeList{routeBlocks, routeKeep, routeForEach, routeFleet}, KeepPercent: 80}
	routes := fleetRoutes(o, sids, 10, 6)
	var names []string
	for _, r := range routes {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, knownRoutes) {
		t.Fatalf("routes %v, want %v", names, knownRoutes)
	}
	fleet, keep, each, blocks := routes[0], routes[1], routes[2], routes[3]
	// keep lists the rate plans for include_limits (one page) and reads
	// every SIM as usage_sims does: the same requests but one.
	wantKeep := map[string]int{vendorsim.RouteKoreToken: 1, vendorsim.RouteKoreRatePlansList: 1, vendorsim.RouteKoreSimsList: 2, vendorsim.RouteKoreUsageSim: 1001}
	if keep.DataSources != 1 || keep.Minimum.Total != 1005 || !reflect.DeepEqual(keep.Minimum.ByRoute, wantKeep) || keep.Critical != 1+1+2+101 ||
		!bytes.Equal(keep.Config, keepConfig("last_30_days", 80, 0)) ||
		keep.Path != "1 token + 1 rate plan page + 2 list pages + ceil(1001/10) waves of usage requests" {
		t.Errorf("usage_sims_keep route %+v", keep)
	}
	if fleet.DataSources != 1 || fleet.Minimum.Total != 1004 || fleet.Critical != 1+2+101 || !bytes.Equal(fleet.Config, fleetConfig("last_30_days")) {
		t.Errorf("usage_sims route %+v", fleet)
	}
	for _, r := range []fleetRoute{each, blocks} {
		if r.DataSources != 1001 || r.Minimum.Total != 1002 || r.Critical != 1+101 {
			t.Errorf("%s route: %d data sources, minimum %d, critical %d", r.Name, r.DataSources, r.Minimum.Total, r.Critical)
		}
	}
	if !bytes.Equal(each.Config, forEachConfig(sids, "last_30_days")) || !bytes.Equal(blocks.Config, blocksConfig(sids, "last_30_days")) {
		t.Error("the per-SIM routes do not carry their configurations")
	}
	// keep = { data_bytes } lists no rate plans: usage_sims' requests.
	o.KeepPercent, o.KeepDataBytes = 0, 1<<30
	if kb := fleetRoutes(o, sids, 10, 6)[1]; kb.Name != routeKeep || !reflect.DeepEqual(kb.Minimum, fleet.Minimum) || kb.Critical != fleet.Critical ||
		!bytes.Equal(kb.Config, keepConfig("last_30_days", 0, 1<<30)) {
		t.Errorf("usage_sims_keep by data_bytes %+v", kb)
	}
	if got := fleetRoutes(options{Window: "last_30_days", Parallelism: 10, Routes: routeList{routeFleet}}, sids, 10, 6); len(got) != 1 {
		t.Errorf("-routes usage_sims planned %d routes", len(got))
	}
}

func TestFleetOptions(t *testing.T) {
	good := options{Provider: "p", Terraform: "t", Latency: 50 * time.Millisecond, Granularity: "daily", Window: "last_30_days",
		Parallelism: 50, Timeout: 5 * time.Minute, Runs: 3, Fleet: 1000, Routes: defaultRoutes(), MaxConcurrent: 50}
	if err := good.validate(); err != nil {
		t.Fatalf("rejected: %v", err)
	}
	keep := good
	keep.Fleet, keep.Routes, keep.KeepPercent = 50000, routeList{routeFleet, routeKeep}, 95.5
	if err := keep.validate(); err != nil {
		t.Errorf("usage_sims and usage_sims_keep over 50,000 rejected: %v", err)
	}
	keep.KeepPercent, keep.KeepDataBytes = 0, 1<<30
	if err := keep.validate(); err != nil {
		t.Errorf("usage_sims_keep by data_bytes rejected: %v", err)
	}
	big := good
	big.Fleet, big.Routes = 20000, routeList{routeFleet}
	if err := big.validate(); err != nil {
		t.Errorf("a usage_sims-only fleet of 20,000 rejected: %v", err)
	}
	for name, change := range map[string]func(*options){
		"negative fleet":                   func(o *options) { o.Fleet = -1 },
		"fleet over the simulator":         func(o *options) { o.Fleet, o.Routes = maxFleet+1, routeList{routeFleet} },
		"for_each over 10,000":             func(o *options) { o.Fleet = maxSims + 1 },
		"blocks over 10,000":               func(o *options) { o.Fleet, o.Routes = maxSims+1, routeList{routeFleet, routeBlocks} },
		"no routes":                        func(o *options) { o.Routes = nil },
		"fleet and large reads":            func(o *options) { o.LargeRead = true },
		"negative cap":                     func(o *options) { o.MaxConcurrent = -1 },
		"cap over the provider's":          func(o *options) { o.MaxConcurrent = maxConcurrent + 1 },
		"interrupt of a fleet read":        func(o *options) { o.InterruptAfter = interruptPoint{Event: eventFirstPage} },
		"keep route without -keep-percent": func(o *options) { o.Routes = routeList{routeFleet, routeKeep} },
		"-keep-percent without the route":  func(o *options) { o.KeepPercent = 1 },
		"-keep-percent without -fleet": func(o *options) {
			o.Fleet, o.Routes, o.KeepPercent = 0, routeList{routeKeep}, 1
		},
		"negative -keep-percent": func(o *options) { o.Routes, o.KeepPercent = routeList{routeKeep}, -1 },
		"-keep-percent too high": func(o *options) { o.Routes, o.KeepPercent = routeList{routeKeep}, maxKeepPercent+1 },
	} {
		o := good
		change(&o)
		if err := o.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The flag's cap reaches terraform after the inherited environment, so it
// wins, and the report names it instead of the inherited value.
func TestLabEnvSetsTheCap(t *testing.T) {
	t.Setenv(envMaxConcurrent, "7")
	t.Setenv("USAGE_RATE_LIMIT", "5")
	sim := testSimulator()
	o := options{MaxConcurrent: 50}
	env := labEnv(o, sim, "http://127.0.0.1:1")
	if env[len(env)-1] != envMaxConcurrent+"=50" {
		t.Errorf("the environment ends %q", env[len(env)-1])
	}
	knobs := labKnobs(o)
	if !slices.Contains(knobs, envMaxConcurrent+"=50") || slices.Contains(knobs, envMaxConcurrent+"=7") || !slices.Contains(knobs, "USAGE_RATE_LIMIT=5") {
		t.Errorf("knobs %v", knobs)
	}
	o.MaxConcurrent = 0
	for _, kv := range labEnv(o, sim, "http://127.0.0.1:1") {
		if strings.HasPrefix(kv, envMaxConcurrent+"=") {
			t.Errorf("without the flag the lab sets %s", kv)
		}
	}
	if knobs := labKnobs(o); !slices.Contains(knobs, envMaxConcurrent+"=7") {
		t.Errorf("knobs %v: the inherited cap is not named", knobs)
	}
}

// fakeRun is a plan of the given wall with the minimal requests of m.
func fakeRun(wall time.Duration, m minimum, peak int, cpu time.Duration, rss int64) planRun {
	run := planRun{Wall: wall, Requests: m.Total, TreeCPU: 2 * cpu, Traffic: trafficStats{Peak: peak},
		Provider:  providerUsage{Processes: 3, User: cpu, PeakRSS: rss},
		Terraform: terraformUsage{Seen: true, User: cpu * 3 / 4, Sys: cpu / 4, PeakRSS: 3 * rss}}
	for route, n := range m.ByRoute {
		run.Counts = append(run.Counts, vendorsim.Count{Route: route, Status: 200, N: n})
	}
	return run
}

func TestFleetReport(t *testing.T) {
	o := options{Fleet: 1000, Window: "last_30_days", Latency: 50 * time.Millisecond, Parallelism: 50, Runs: 3,
		Routes: defaultRoutes(), MaxConcurrent: 50}
	sids := make([]string, 1000)
	routes := fleetRoutes(o, sids, 50, 6)
	fleet, each := fleetRouteRuns{Route: routes[0]}, fleetRouteRuns{Route: routes[1]}
	for i, ms := range []int{1000, 1200, 1100} {
		w := time.Duration(ms) * time.Millisecond
		fleet.Baseline = append(fleet.Baseline, fakeRun(w, fleet.Route.Minimum, 2, 400*time.Millisecond, 40*mib))
		fleet.Measured = append(fleet.Measured, fakeRun(w+1100*time.Millisecond, fleet.Route.Minimum, 50, 500*time.Millisecond, 42*mib))
		each.Baseline = append(each.Baseline, fakeRun(time.Duration(8+i)*time.Second, each.Route.Minimum, 3, 5*time.Second, 60*mib))
		each.Measured = append(each.Measured, fakeRun(time.Duration(9+i)*time.Second, each.Route.Minimum, 50, 6*time.Second, 62*mib))
	}
	// One 503 the provider retried: one more request than the minimum.
	each.Measured[2].Counts = append(each.Measured[2].Counts, vendorsim.Count{Route: vendorsim.RouteKoreUsageSim, Status: 503, N: 1})
	each.Measured[2].Requests++
	r := fleetResult{Options: o, Cap: capSetting{N: 50, Source: "-max-concurrent-requests"}, Knobs: labKnobs(o), Routes: []fleetRouteRuns{fleet, each}}

	var out bytes.Buffer
	if err := writeFleetReport(&out, r); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	squeezed := make([]string, len(lines))
	for i, l := range lines {
		squeezed[i] = strings.Join(strings.Fields(l), " ")
	}
	for _, want := range []string{
		// ideal = 1.1 s + 50 ms × (1 + 1 + 20) = 2.2 s; wall 2.2 s.
		"usage_sims 1 1002 1002 0 2.200 s 1.100 s 2.200 s 1.000 50 0.500 s 42.0 MiB 0.500 s 126.0 MiB 1.000 s -",
		// ideal = 9 s + 50 ms × 21 = 10.05 s; wall 10 s.
		"for_each 1000 1002 1001 1 10.000 s 9.000 s 10.050 s 0.995 50 6.000 s 62.0 MiB 6.000 s 186.0 MiB 12.000 s -",
		"ideal of usage_sims = baseline + 50ms × 22 round trips: 1 token + 1 list page + ceil(1000/50) waves of usage requests",
		"ideal of for_each = baseline + 50ms × 21 round trips: 1 token + ceil(1000/min(parallelism 50, cap 50)) waves",
		"for_each / usage_sims wall: 4.55× at 50ms (rounds 4.29–5.00), 8.18× at zero latency (rounds 7.50–9.09)",
		"usage_sims at zero latency: provider 0.400 s CPU, peak RSS 40.0 MiB",
		"provider settings: USAGE_MAX_CONCURRENT_REQUESTS=50",
	} {
		if !slices.Contains(squeezed, want) {
			t.Errorf("no line %q in\n%s", want, text)
		}
	}
	if !strings.Contains(text, "for_each, run 3: at 50ms: wall 11.000 s, 1002 requests (1 not 2xx), peak in flight 50") ||
		!strings.Contains(text, "; terraform itself 6.000 s CPU, peak RSS 186.0 MiB; terraform with its providers 12.000 s CPU\n") {
		t.Errorf("the per-run lines do not show the retried request:\n%s", text)
	}

	var s fleetSummary
	dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("last line: %v", err)
	}
	if s.Mode != "fleet" || s.SIMs != 1000 || s.MaxConcurrent != 50 || len(s.Routes) != 2 {
		t.Fatalf("summary %+v", s)
	}
	f, e := s.Routes[0], s.Routes[1]
	if f.WallOverFleet != nil || e.WallOverFleet == nil || *e.WallOverFleet != 4.545 || *e.BaselineOverFleet != 8.182 {
		t.Errorf("ratios: usage_sims %v, for_each %v/%v", f.WallOverFleet, e.WallOverFleet, e.BaselineOverFleet)
	}
	if f.Requests != 1002 || e.Requests != 1002 || e.Not2xx != 1 || *f.ProviderPeakRSSBytes != 42*mib || *f.BaselineProviderPeakRSSBytes != 40*mib {
		t.Errorf("routes %+v %+v", f, e)
	}
	if *f.TerraformCPUSeconds != 0.5 || *f.TerraformPeakRSSBytes != 126*mib || *e.TerraformCPUSeconds != 6 || *e.TerraformPeakRSSBytes != 186*mib ||
		f.KeptSIMs != nil || e.KeptSIMs != nil {
		t.Errorf("terraform's figures or kept: usage_sims %+v, for_each %+v", f, e)
	}
}

// The keep route beside usage_sims: its wall over usage_sims', terraform's
// and the provider's figures, and the median of the SIMs it kept; a plan
// that did not print the count leaves it null, and a terraform not seen
// leaves terraform's figures null.
func TestFleetReportKeep(t *testing.T) {
	o := options{Fleet: 10000, Window: "last_30_days", Latency: 0, Parallelism: 10, Runs: 3, Routes: routeList{routeFleet, routeKeep}, KeepPercent: 95}
	routes := fleetRoutes(o, make([]string, 10000), 10, 6)
	fleet, keep := fleetRouteRuns{Route: routes[0]}, fleetRouteRuns{Route: routes[1]}
	for i, n := range []string{"3", "5", "4"} {
		run := fakeRun(time.Duration(8+i)*time.Second, fleet.Route.Minimum, 10, 3*time.Second, 80*mib)
		fleet.Baseline, fleet.Measured = append(fleet.Baseline, run), append(fleet.Measured, run)
		k := fakeRun(time.Duration(2+i)*time.Second, keep.Route.Minimum, 10, 2*time.Second, 60*mib)
		k.Outputs = map[string]string{keptOutput: n}
		keep.Baseline, keep.Measured = append(keep.Baseline, k), append(keep.Measured, k)
	}
	r := fleetResult{Options: o, Cap: capSetting{N: 10, Source: "provider default"}, Routes: []fleetRouteRuns{fleet, keep}}
	var out bytes.Buffer
	if err := writeFleetReport(&out, r); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	squeezed := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"usage_sims_keep 1 10012 10012 0 3.000 s 3.000 s 3.000 s 1.000 10 2.000 s 60.0 MiB 2.000 s 180.0 MiB 4.000 s 4",
		"usage_sims_keep / usage_sims wall: 0.33× at 0s (rounds 0.25–0.40)",
		"ideal of usage_sims_keep = baseline + 0s × 1012 round trips: 1 token + 1 rate plan page + 10 list pages + ceil(10000/10) waves of usage requests",
		"usage_sims_keep, run 2: at zero latency: wall 3.000 s",
		"terraform with its providers 4.000 s CPU; kept 5 SIMs",
	} {
		if !strings.Contains(squeezed, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	s := r.summary()
	k := s.Routes[1]
	if k.Route != routeKeep || k.KeptSIMs == nil || *k.KeptSIMs != 4 || k.WallOverFleet == nil || *k.WallOverFleet != 0.333 ||
		*k.TerraformCPUSeconds != 2 || *k.TerraformPeakRSSBytes != 180*mib || k.MinimalRequests != 10012 || s.Routes[0].KeptSIMs != nil {
		t.Errorf("usage_sims_keep summary %+v", k)
	}

	keep.Measured[1].Outputs = map[string]string{keptOutput: "(known after apply)"}
	keep.Measured[2].Terraform = terraformUsage{}
	r.Routes[1] = keep
	if k := r.summary().Routes[1]; k.KeptSIMs != nil || k.TerraformCPUSeconds != nil || k.TerraformPeakRSSBytes != nil {
		t.Errorf("a count not printed, a terraform not seen: %+v", k)
	}
	out.Reset()
	if err := writeFleetReport(&out, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), "60.0 MiB n/a n/a 4.000 s n/a") {
		t.Errorf("report:\n%s", out.String())
	}
}

// keepConfig: usage_sims with include_limits and keep = { used_percent },
// a check that no SIM was kept, naming them, and the output of the count.
func TestKeepConfig(t *testing.T) {
	src := keepConfig("last_30_days", 99.5, 0)
	data := parseData(t, src)
	if len(data) != 1 || data[0].Labels[0] != "usage_sims" || data[0].Labels[1] != "fleet" || literal(t, data[0], "window") != "last_30_days" {
		t.Fatalf("usage_sims_keep configuration: %d data blocks\n%s", len(data), src)
	}
	b := data[0].Body
	if len(b.Attributes) != 3 {
		t.Errorf("attributes %v, want window, include_limits, keep", b.Attributes)
	}
	if v, d := b.Attributes["include_limits"].Expr.Value(nil); d.HasErrors() || !v.True() {
		t.Errorf("include_limits = %#v", v)
	}
	keep, d := b.Attributes["keep"].Expr.Value(nil)
	if d.HasErrors() || !keep.Type().IsObjectType() || len(keep.Type().AttributeTypes()) != 1 {
		t.Fatalf("keep = %#v: want an object of used_percent alone", keep)
	}
	if p, _ := keep.GetAttr("used_percent").AsBigFloat().Float64(); p != 99.5 {
		t.Errorf("keep.used_percent = %v", p)
	}
	file, _ := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("the parsed body is %T", file.Body)
	}
	var checks, outputs int
	for _, blk := range body.Blocks {
		switch {
		case blk.Type == "check" && len(blk.Body.Blocks) == 1 && blk.Body.Blocks[0].Type == "assert":
			a := blk.Body.Blocks[0].Body.Attributes
			cond := string(a["condition"].Expr.Range().SliceBytes(src))
			msg := string(a["error_message"].Expr.Range().SliceBytes(src))
			if cond != "length(data.usage_sims.fleet.sims) == 0" || !strings.Contains(msg, "99.5% of a limit") || !strings.Contains(msg, "s.sid") {
				t.Errorf("check: condition %s, error_message %s", cond, msg)
			}
			checks++
		case blk.Type == "output" && blk.Labels[0] == keptOutput:
			if v := string(blk.Body.Attributes["value"].Expr.Range().SliceBytes(src)); v != "length(data.usage_sims.fleet.sims)" {
				t.Errorf("output %s = %s", keptOutput, v)
			}
			outputs++
		}
	}
	if checks != 1 || outputs != 1 {
		t.Errorf("%d checks, %d outputs of the count, want one each:\n%s", checks, outputs, src)
	}

	// keep = { data_bytes }: no include_limits.
	src = keepConfig("last_30_days", 0, 5_000_000_000)
	data = parseData(t, src)
	if len(data) != 1 || len(data[0].Body.Attributes) != 2 || data[0].Body.Attributes["include_limits"] != nil {
		t.Fatalf("keep by data_bytes:\n%s", src)
	}
	keep, d = data[0].Body.Attributes["keep"].Expr.Value(nil)
	if d.HasErrors() || len(keep.Type().AttributeTypes()) != 1 {
		t.Fatalf("keep = %#v: want an object of data_bytes alone", keep)
	}
	if n, _ := keep.GetAttr("data_bytes").AsBigFloat().Int64(); n != 5_000_000_000 || !strings.Contains(string(src), "SIMs at or over 5000000000 bytes of data") {
		t.Errorf("keep.data_bytes = %d\n%s", n, src)
	}
}

// planOutputs reads the outputs terraform plan prints.
func TestPlanOutputs(t *testing.T) {
	stdout := `data.usage_sims.fleet: Reading...
data.usage_sims.fleet: Read complete after 3s

Changes to Outputs:
  + kept_sims = 42
  + name      = "x = y"
  ~ old       = 1 -> 2

You can apply this plan to save these new output values to the Terraform
state, without changing any real infrastructure.
`
	got := planOutputs(stdout)
	want := map[string]string{"kept_sims": "42", "name": `"x = y"`, "old": "1 -> 2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outputs %q, want %q", got, want)
	}
	if got := planOutputs("No changes. Your infrastructure matches the configuration.\n"); got != nil {
		t.Errorf("no outputs: %q", got)
	}
}

// At zero latency the measured plans are the baseline's: wall = baseline =
// ideal, and there is no second line of provider figures.
func TestFleetReportAtZeroLatency(t *testing.T) {
	o := options{Fleet: 10000, Window: "last_30_days", Latency: 0, Parallelism: 10, Runs: 1, Routes: routeList{routeFleet}}
	route := fleetRoutes(o, make([]string, 10000), 10, 6)[0]
	run := fakeRun(4*time.Second, route.Minimum, 10, 3*time.Second, 100*mib)
	r := fleetResult{Options: o, Cap: capSetting{N: 10, Source: "provider default"},
		Routes: []fleetRouteRuns{{Route: route, Baseline: []planRun{run}, Measured: []planRun{run}}}}
	var out bytes.Buffer
	if err := writeFleetReport(&out, r); err != nil {
		t.Fatal(err)
	}
	s := r.summary()
	if rs := s.Routes[0]; rs.WallSeconds != 4 || rs.BaselineSeconds != 4 || rs.IdealSeconds != 4 || rs.WallOverIdeal != 1 ||
		rs.Requests != 10011 || rs.MinimalRequests != 10011 || *rs.ProviderPeakRSSBytes != 100*mib {
		t.Errorf("summary %+v", rs)
	}
	if strings.Contains(out.String(), "at zero latency: provider") || strings.Contains(out.String(), "/ usage_sims wall") {
		t.Errorf("report at zero latency:\n%s", out.String())
	}
}
