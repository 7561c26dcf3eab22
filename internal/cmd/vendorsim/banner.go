package main

import "github.com/simusage/terraform-provider-usage/internal/vendorsim"

// banner is the first line the command prints: everything a client, the
// demo or the benchmark needs to talk to the simulator.
type banner struct {
	KoreEndpoint     string               `json:"kore_endpoint"`
	KoreTokenURL     string               `json:"kore_token_url"`
	KoreClientID     string               `json:"kore_client_id"`
	KoreClientSecret string               `json:"kore_client_secret"`
	KoreAccountSid   string               `json:"kore_account_sid"`
	GigsEndpoint     string               `json:"gigs_endpoint"`
	GigsAPIKey       string               `json:"gigs_api_key"`
	GigsProject      string               `json:"gigs_project"`
	CountersURL      string               `json:"counters_url"`
	SIMs             []bannerSIM          `json:"sims"`
	Subscriptions    []bannerSubscription `json:"subscriptions"`
}

type bannerSIM struct {
	Sid        string `json:"sid"`
	UniqueName string `json:"unique_name"`
	ICCID      string `json:"iccid"`
}

type bannerSubscription struct {
	ID      string `json:"id"`
	Project string `json:"project"`
}

func newBanner(sim *vendorsim.Server, base string) banner {
	c := sim.Credentials()
	b := banner{
		KoreEndpoint: base, KoreTokenURL: base + vendorsim.TokenPath,
		KoreClientID: c.KoreClientID, KoreClientSecret: c.KoreClientSecret, KoreAccountSid: sim.AccountSid(),
		GigsEndpoint: base, GigsAPIKey: c.GigsAPIKey, GigsProject: c.GigsProject,
		CountersURL: base + vendorsim.CountersPath,
	}
	for _, s := range sim.SIMs() {
		b.SIMs = append(b.SIMs, bannerSIM{Sid: s.Sid, UniqueName: s.UniqueName, ICCID: s.ICCID})
	}
	for _, s := range sim.Subscriptions() {
		b.Subscriptions = append(b.Subscriptions, bannerSubscription{ID: s.ID, Project: s.Project})
	}
	return b
}
