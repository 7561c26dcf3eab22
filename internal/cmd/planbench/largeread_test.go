package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// The large reads ask for the longest ranges the simulator serves, to the
// last whole hour, and need one token and ceil(records/1000) pages each.
func TestLargeReads(t *testing.T) {
	sim := testSimulator()
	reads := largeReads(sim, fixedNow)
	if len(reads) != 2 {
		t.Fatalf("%d large reads", len(reads))
	}
	end := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		read         largeRead
		source       string
		start        time.Time
		records      int
		route        string
		pages, total int
	}{
		{reads[0], "usage_sim", time.Date(2024, 9, 17, 9, 0, 0, 0, time.UTC), 13104, vendorsim.RouteKoreUsageSim, 14, 15},
		{reads[1], "usage_account", time.Date(2025, 3, 17, 9, 0, 0, 0, time.UTC), 8760, vendorsim.RouteKoreUsageAccount, 9, 10},
	} {
		r := tc.read
		if r.Source != tc.source || !r.Start.Equal(tc.start) || !r.End.Equal(end) {
			t.Errorf("%s: %s from %s to %s, want %s from %s to %s", r.Name, r.Source, r.Start, r.End, tc.source, tc.start, end)
		}
		if r.Records != tc.records || r.Records != int(r.End.Sub(r.Start).Hours()) {
			t.Errorf("%s: %d records, want %d, one per hour", r.Name, r.Records, tc.records)
		}
		if r.pages() != tc.pages || r.Minimum.Total != tc.total || r.Minimum.ByRoute[tc.route] != tc.pages || r.Minimum.ByRoute[vendorsim.RouteKoreToken] != 1 {
			t.Errorf("%s: minimum %+v, want %d pages of %s and a token", r.Name, r.Minimum, tc.pages, tc.route)
		}
	}

	// The usage_sim reads the SIM with the most data, so that its records
	// carry values rather than nulls.
	data := func(sid string) (total int64) {
		for _, rec := range sim.KoreRecords(sid, end.AddDate(0, 0, -30), end, "all") {
			total += rec.Data.Total
		}
		return total
	}
	busiest := data(reads[0].SIM.Sid)
	if busiest <= 0 {
		t.Fatalf("the usage_sim reads %s, which used no data", reads[0].SIM.Sid)
	}
	for _, s := range sim.SIMs() {
		if data(s.Sid) > busiest {
			t.Errorf("%s used more data than %s", s.Sid, reads[0].SIM.Sid)
		}
	}
}

// Each large read's configuration is one data source with an explicit range.
func TestLargeReadConfig(t *testing.T) {
	for _, r := range largeReads(testSimulator(), fixedNow) {
		file, diags := hclsyntax.ParseConfig(r.config(), "main.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", r.Name, diags.Error())
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			t.Fatalf("the parsed body is %T, not native syntax", file.Body)
		}
		var data []*hclsyntax.Block
		for _, b := range body.Blocks {
			if b.Type == "data" {
				data = append(data, b)
			}
		}
		if len(data) != 1 || data[0].Labels[0] != r.Source {
			t.Fatalf("%s: data blocks %v", r.Name, data)
		}
		args := map[string]string{}
		for name, attr := range data[0].Body.Attributes {
			v, d := attr.Expr.Value(nil)
			if d.HasErrors() {
				t.Fatal(d.Error())
			}
			args[name] = v.AsString()
		}
		want := map[string]string{"start": r.Start.Format(time.RFC3339), "end": r.End.Format(time.RFC3339), "granularity": "hourly"}
		if r.Source == "usage_sim" {
			want["sid"] = r.SIM.Sid
		}
		if len(args) != len(want) {
			t.Errorf("%s: arguments %v, want %v", r.Name, args, want)
		}
		for k, v := range want {
			if args[k] != v {
				t.Errorf("%s: %s = %q, want %q", r.Name, k, args[k], v)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}

func TestLargeReport(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reads := largeReads(testSimulator(), fixedNow)
	run := func(wall, cpu float64, rssMiB int64) planRun {
		return planRun{Start: t0, Wall: seconds(wall), Requests: 15, TreeCPU: seconds(wall + cpu),
			Provider: providerUsage{Processes: 3, User: seconds(cpu * 0.8), Sys: seconds(cpu * 0.2), PeakRSS: rssMiB * mib, MostlyDone: t0.Add(time.Second)}}
	}
	interrupted := func(at, toExit float64) planRun {
		r := run(at+toExit, 0.4, 40)
		r.Interrupt = &interruption{Sent: true, At: seconds(at), Pages: 14, ToExit: seconds(toExit), Exit: "exit status 1", Said: "Error: execution halted"}
		return r
	}
	notSent := run(0.5, 0.4, 40)
	notSent.Interrupt = &interruption{}
	r := largeResult{
		Options: options{Latency: 0, Parallelism: 10, Runs: 3},
		Reads: []largeReadRuns{
			{Read: reads[0], Runs: []planRun{run(4.5, 0.6, 60), run(4.0, 0.5, 58), run(5.0, 0.7, 62)}},
			{Read: reads[1], Runs: []planRun{run(5.2, 0.5, 57), {Provider: providerUsage{NA: "needs Linux's /proc"}, Wall: seconds(5)}, run(5.0, 0.4, 56)}},
		},
		Interrupt: &interruptRuns{Read: reads[0], Point: interruptPoint{Delay: time.Second},
			Runs: []planRun{interrupted(1.0, 0.7), notSent, interrupted(1.0, 0.5)}},
	}

	var out bytes.Buffer
	if err := writeLargeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	rows := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		rows[strings.Join(strings.Fields(l), " ")] = true
	}
	for _, want := range []string{
		"usage_sim, 18 months hourly 13104 15 15 4.500 s 0.600 s 60.0 MiB 3 5.100 s",
		"usage_account, 365 days hourly 8760 15 10 5.000 s n/a n/a n/a n/a",
		"usage_sim, 18 months hourly, run 2: wall 4.000 s, 15 requests; provider 0.500 s CPU (user 0.400 s, sys 0.100 s), peak RSS 58.0 MiB, 3 processes; it had used 95% of that by 1.000 s, terraform ended at 4.000 s",
		"usage_account, 365 days hourly, run 2: wall 5.000 s, 0 requests; provider n/a (needs Linux's /proc)",
		"Ctrl-C (SIGINT to terraform) during usage_sim, 18 months hourly, 1s after terraform started:",
		`run 1: sent at 1.000 s with 14 of 14 usage pages answered; terraform exited 0.700 s later (exit status 1, last saying "Error: execution halted"); provider 0.400 s CPU (user 0.320 s, sys 0.080 s), peak RSS 40.0 MiB, 3 processes`,
		"run 2: the plan ended at 0.500 s, before the interrupt was due",
		"from the interrupt to terraform's exit: 0.600 s (median of 2); sent at 1.000 s",
	} {
		if !rows[want] {
			t.Errorf("no line %q in\n%s", want, text)
		}
	}

	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
	dec.DisallowUnknownFields()
	var s largeSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("last line: %v", err)
	}
	if s.Mode != "large_read" || s.Runs != 3 || len(s.Reads) != 2 || s.Interrupt == nil {
		t.Fatalf("summary %+v", s)
	}
	sim, account := s.Reads[0], s.Reads[1]
	if sim.Read != "usage_sim_18_months_hourly" || sim.Records != 13104 || sim.WallSeconds != 4.5 ||
		*sim.ProviderCPUSeconds != 0.6 || *sim.ProviderPeakRSSBytes != 60*mib || *sim.ProviderProcesses != 3 || *sim.TreeCPUSeconds != 5.1 {
		t.Errorf("usage_sim summary %+v", sim)
	}
	if account.Read != "usage_account_365_days_hourly" || account.ProviderCPUSeconds != nil || account.ProviderPeakRSSBytes != nil {
		t.Errorf("usage_account summary %+v: one run without figures makes them null", account)
	}
	if in := s.Interrupt; in.Point != "1s" || in.Sent != 2 || *in.ToExitSeconds != 0.6 || *in.SentAtSeconds != 1 {
		t.Errorf("interrupt summary %+v", in)
	}
}

func TestLargeReportInterruptNeverSent(t *testing.T) {
	reads := largeReads(testSimulator(), fixedNow)
	r := largeResult{Options: options{Runs: 1}, Interrupt: &interruptRuns{Read: reads[0], Point: interruptPoint{Event: eventLastPage},
		Runs: []planRun{{Wall: time.Second, Interrupt: &interruption{}}}}}
	var out bytes.Buffer
	if err := writeLargeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "once the simulator has answered the last usage page:") ||
		!strings.Contains(out.String(), "every plan ended before the interrupt was due: nothing measured") ||
		!strings.Contains(out.String(), `"interrupt":{"read":"usage_sim_18_months_hourly","point":"last-page","sent":0,"sent_at_seconds":null,"to_exit_seconds":null}`) {
		t.Errorf("report:\n%s", out.String())
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
