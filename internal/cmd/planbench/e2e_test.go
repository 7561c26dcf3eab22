package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envProvider names the built provider binary the end-to-end test plans with.
const envProvider = "PLANBENCH_PROVIDER"

// TestBenchEndToEnd runs the whole benchmark, small, with the real Terraform
// CLI and the built provider: the requests must be exactly the minimum, in
// the baseline and in the measured plan, and the output must end in the
// JSON line.
func TestBenchEndToEnd(t *testing.T) {
	provider := os.Getenv(envProvider)
	if provider == "" {
		t.Skip("set " + envProvider + " to the built provider binary (make build) to run the benchmark end to end")
	}
	provider, err := filepath.Abs(provider)
	if err != nil {
		t.Fatal(err)
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}

	o := options{Provider: provider, Terraform: terraform, Sims: 30, Subscriptions: 7, Latency: 5 * time.Millisecond,
		Granularity: "daily", Window: "last_7_days", Parallelism: 4, Timeout: 3 * time.Minute}
	r, err := bench(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []planRun{r.Baseline, r.Measured} {
		got := map[string]int{}
		for _, c := range run.Counts {
			got[c.Route] += c.N
			if c.Status != 200 {
				t.Errorf("%d requests of %s answered %d", c.N, c.Route, c.Status)
			}
		}
		for route, want := range r.Minimum.ByRoute {
			if got[route] != want {
				t.Errorf("%s: %d requests, minimal %d", route, got[route], want)
			}
		}
		if run.Requests != r.Minimum.Total || run.Traffic.Requests != run.Requests {
			t.Errorf("%d requests (meter %d), minimal %d", run.Requests, run.Traffic.Requests, r.Minimum.Total)
		}
	}

	var out bytes.Buffer
	if err := writeReport(&out, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var s summary
	dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("last line: %v\n%s", err, out.String())
	}
	if s.DataSources != 38 || s.Requests != s.MinimalRequests || s.WallSeconds <= 0 || s.BaselineSeconds <= 0 || s.IdealSeconds <= s.BaselineSeconds {
		t.Errorf("summary %+v", s)
	}
}
