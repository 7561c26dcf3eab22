package main

import "github.com/simusage/terraform-provider-usage/internal/vendorsim"

// banner is the first line the command prints: everything a client, the
// demo or the benchmark needs to talk to the simulator. However large the
// data set, it lists only the first SIMs and subscriptions (the classic ones)
// and counts them all, so that it stays one short line.
type banner struct {
	KoreEndpoint      string               `json:"kore_endpoint"`
	KoreTokenURL      string               `json:"kore_token_url"`
	KoreClientID      string               `json:"kore_client_id"`
	KoreClientSecret  string               `json:"kore_client_secret"`
	KoreAccountSid    string               `json:"kore_account_sid"`
	GigsEndpoint      string               `json:"gigs_endpoint"`
	GigsAPIKey        string               `json:"gigs_api_key"`
	GigsProject       string               `json:"gigs_project"`
	CountersURL       string               `json:"counters_url"`
	SIMs              []bannerSIM          `json:"sims"`
	SIMCount          int                  `json:"sim_count"`
	Subscriptions     []bannerSubscription `json:"subscriptions"`
	SubscriptionCount int                  `json:"subscription_count"`
	RatePlans         []bannerRatePlan     `json:"rate_plans"`
	Plans             []bannerPlan         `json:"plans"`
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

type bannerRatePlan struct {
	Sid        string `json:"sid"`
	UniqueName string `json:"unique_name"`
}

type bannerPlan struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newBanner(sim *vendorsim.Server, base string) banner {
	c := sim.Credentials()
	sims, subs := sim.SIMs(), sim.Subscriptions()
	b := banner{
		KoreEndpoint: base, KoreTokenURL: base + vendorsim.TokenPath,
		KoreClientID: c.KoreClientID, KoreClientSecret: c.KoreClientSecret, KoreAccountSid: sim.AccountSid(),
		GigsEndpoint: base, GigsAPIKey: c.GigsAPIKey, GigsProject: c.GigsProject,
		CountersURL: base + vendorsim.CountersPath,
		SIMCount:    len(sims), SubscriptionCount: len(subs),
	}
	for _, s := range sims[:min(len(sims), vendorsim.DefaultSIMs)] {
		b.SIMs = append(b.SIMs, bannerSIM{Sid: s.Sid, UniqueName: s.UniqueName, ICCID: s.ICCID})
	}
	for _, s := range subs[:min(len(subs), vendorsim.DefaultSubscriptions)] {
		b.Subscriptions = append(b.Subscriptions, bannerSubscription{ID: s.ID, Project: s.Project})
	}
	for _, p := range sim.RatePlans() {
		b.RatePlans = append(b.RatePlans, bannerRatePlan{Sid: p.Sid, UniqueName: p.UniqueName})
	}
	for _, p := range sim.Plans() {
		b.Plans = append(b.Plans, bannerPlan{ID: p.ID, Name: p.Name})
	}
	return b
}
