package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// startCLI runs the command in-process and returns its banner.
func startCLI(t *testing.T, args ...string) (banner, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, stdout, io.Discard)
		stdout.Close()
		done <- err
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("reading the banner: %v (run: %v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	var b banner
	if err := json.Unmarshal([]byte(line), &b); err != nil {
		t.Fatalf("the first line is not one JSON object: %q: %v", line, err)
	}
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return b, stop
}

func TestBannerDescribesAServingSimulator(t *testing.T) {
	b, stop := startCLI(t, "-seed", "5")
	want := vendorsim.New(vendorsim.Options{Seed: 5})
	c := want.Credentials()
	if b.KoreClientID != c.KoreClientID || b.KoreClientSecret != c.KoreClientSecret || b.GigsAPIKey != c.GigsAPIKey ||
		b.GigsProject != c.GigsProject || b.KoreAccountSid != want.AccountSid() {
		t.Fatalf("banner credentials differ from seed 5: %+v", b)
	}
	if len(b.SIMs) != len(want.SIMs()) || b.SIMs[0].Sid != want.SIMs()[0].Sid || b.SIMs[0].ICCID == "" || b.SIMs[0].UniqueName == "" {
		t.Fatalf("banner SIMs %+v", b.SIMs)
	}
	if len(b.Subscriptions) != len(want.Subscriptions()) || b.Subscriptions[0].Project != c.GigsProject {
		t.Fatalf("banner subscriptions %+v", b.Subscriptions)
	}
	if !strings.HasPrefix(b.KoreEndpoint, "http://127.0.0.1:") || b.KoreTokenURL != b.KoreEndpoint+vendorsim.TokenPath || b.GigsEndpoint != b.KoreEndpoint {
		t.Fatalf("banner endpoints %q %q %q", b.KoreEndpoint, b.KoreTokenURL, b.GigsEndpoint)
	}

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {b.KoreClientID}, "client_secret": {b.KoreClientSecret}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, b.KoreTokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	get := func(u, key string) int {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(b.KoreEndpoint+"/v1/Sims/"+b.SIMs[0].Sid+"/UsageRecords", tok.AccessToken); s != 200 {
		t.Fatalf("KORE usage: %d", s)
	}
	if s := get(b.GigsEndpoint+"/projects/"+b.GigsProject+"/subscriptions/"+b.Subscriptions[0].ID+"/usage", b.GigsAPIKey); s != 200 {
		t.Fatalf("Gigs usage: %d", s)
	}
	if s := get(b.CountersURL, ""); s != 200 {
		t.Fatalf("counters: %d", s)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestFaultFlagsReachTheSimulator(t *testing.T) {
	b, stop := startCLI(t, "-rate429", "1", "-latency", "1ms")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, b.GigsEndpoint+"/projects/"+b.GigsProject+"/subscriptions/"+b.Subscriptions[0].ID+"/usage", nil)
	req.Header.Set("Authorization", "Bearer "+b.GigsAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 {
		t.Fatalf("-rate429 1: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestBadFlagsAreRefused(t *testing.T) {
	for _, args := range [][]string{
		{"-rate429", "1.5"}, {"-rate503", "-0.1"}, {"-rate429", "0.6", "-rate503", "0.6"},
		{"-latency", "-1s"}, {"-log-level", "loud"}, {"-nope"}, {"extra"}, {"-addr", "256.0.0.1:0"},
		{"-sims", "0"}, {"-sims", "100001"}, {"-sims", "many"}, {"-subscriptions", "0"}, {"-subscriptions", "-1"},
		{"-subscriptions", "100001"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestLatencyNeedsAUnit: "-latency 5" says what is missing, not "parse
// error", and names the flag; other bad durations say what a duration is.
func TestLatencyNeedsAUnit(t *testing.T) {
	for arg, want := range map[string][]string{
		"5":    {"-latency", "a duration needs a unit, such as 5ms or 5s"},
		"0.5":  {"-latency", "such as 0.5ms or 0.5s"},
		"soon": {"-latency", "not a duration such as 200ms"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), []string{"-latency", arg}, io.Discard, &stderr)
		if err == nil {
			t.Errorf("-latency %s accepted", arg)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("-latency %s: %q lacks %q", arg, err, w)
			}
		}
	}
	c, err := parseFlags([]string{"-latency", "1.5s"}, io.Discard)
	if err != nil || c.latency != 1500*time.Millisecond {
		t.Errorf("-latency 1.5s: %v, %v", c.latency, err)
	}
}

// TestHelpPrintsUsage: -h is a request, not a mistake, so the command exits
// 0 (run returns nil) after printing every flag, and serves nothing.
func TestHelpPrintsUsage(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second) // ends a run that serves instead
		var stdout, stderr bytes.Buffer
		err := run(ctx, []string{arg}, &stdout, &stderr)
		cancel()
		if err != nil {
			t.Errorf("%s: %v, want success (exit status 0)", arg, err)
		}
		if stdout.Len() != 0 {
			t.Errorf("%s: printed %q on stdout, want no banner", arg, stdout.String())
		}
		for _, want := range []string{"Usage: vendorsim", "first line on stdout is one JSON object",
			"-addr", "-seed", "-sims", "-subscriptions", "-latency", "-rate429", "-rate503", "-log-level"} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("%s: the usage lacks %q:\n%s", arg, want, stderr.String())
			}
		}
	}
}

func TestBannerAddressIsDialable(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:8080": "127.0.0.1:8080", "[::]:8080": "127.0.0.1:8080",
		"127.0.0.1:9": "127.0.0.1:9", "[::1]:9": "[::1]:9",
	} {
		addr, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := dialableAddr(addr); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// TestScaledBannerListsTheClassicSetAndCounts: at 10,000 SIMs and 3,000
// subscriptions the banner stays one short line: the first 25 SIMs and 6
// subscriptions, the counts, the rate plans and the plans; and the simulator
// serves all of them.
func TestScaledBannerListsTheClassicSetAndCounts(t *testing.T) {
	small, _ := startCLI(t, "-seed", "5")
	b, stop := startCLI(t, "-seed", "5", "-sims", "10000", "-subscriptions", "3000")
	want := vendorsim.New(vendorsim.Options{Seed: 5, SIMs: 10000, Subscriptions: 3000})
	if b.SIMCount != 10000 || b.SubscriptionCount != 3000 || len(b.SIMs) != 25 || len(b.Subscriptions) != 6 {
		t.Fatalf("banner: %d of %d SIMs, %d of %d subscriptions", len(b.SIMs), b.SIMCount, len(b.Subscriptions), b.SubscriptionCount)
	}
	if small.SIMCount != 25 || small.SubscriptionCount != 6 || !reflect.DeepEqual(small.SIMs, b.SIMs) || !reflect.DeepEqual(small.Subscriptions, b.Subscriptions) {
		t.Fatal("the banner's SIMs and subscriptions depend on the size")
	}
	for i, s := range want.SIMs()[:25] {
		if b.SIMs[i] != (bannerSIM{Sid: s.Sid, UniqueName: s.UniqueName, ICCID: s.ICCID}) {
			t.Fatalf("SIM %d: %+v", i, b.SIMs[i])
		}
	}
	if len(b.RatePlans) != len(want.RatePlans()) || b.RatePlans[0].UniqueName != "iot-standard" || len(b.Plans) != len(want.Plans()) || b.Plans[0].Name == "" {
		t.Fatalf("rate plans %+v, plans %+v", b.RatePlans, b.Plans)
	}
	if line, _ := json.Marshal(b); len(line) > 8192 {
		t.Fatalf("the banner is %d bytes", len(line))
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet,
		b.GigsEndpoint+"/projects/"+b.GigsProject+"/subscriptions?limit=200&status=pending,initiated,active,ended", nil)
	req.Header.Set("Authorization", "Bearer "+b.GigsAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list vendorsim.GigsSubscriptionList
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(list.Items) != 200 || list.MoreItemsAfter == nil {
		t.Fatalf("subscriptions: %d %v, %d items", resp.StatusCode, err, len(list.Items))
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
