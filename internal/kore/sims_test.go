package kore

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

func TestSimLookupsCostOneRequestEach(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	want := e.sim.SIMs()[2]
	for range 3 {
		byName, err := e.client.SimByUniqueName(ctx, want.UniqueName)
		if err != nil {
			t.Fatal(err)
		}
		byICCID, err := e.client.SimByICCID(ctx, want.ICCID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []Sim{byName, byICCID} {
			if s.Sid != want.Sid || s.UniqueName != want.UniqueName || s.ICCID != want.ICCID ||
				s.AccountSid != e.sim.AccountSid() || s.Status == "" {
				t.Fatalf("got %+v, want %+v", s, want)
			}
		}
	}
	if n := e.requests(vendorsim.RouteKoreSimsGet); n != 1 {
		t.Errorf("GET /v1/Sims/{name} requests = %d, want 1", n)
	}
	if n := e.requests(vendorsim.RouteKoreSimsList); n != 1 {
		t.Errorf("GET /v1/Sims?Iccid requests = %d, want 1", n)
	}
}

func TestUnknownSims(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	_, err := e.client.SimByUniqueName(ctx, "no such sim/..")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("by name: %T %v", err, err)
	}
	if apiErr.Status != http.StatusNotFound || apiErr.Code == 0 || apiErr.Message == "" ||
		apiErr.Method != http.MethodGet || apiErr.Path != "/v1/Sims/no%20such%20sim%2F.." {
		t.Errorf("by name: %+v", apiErr)
	}

	_, err = e.client.SimByICCID(ctx, "8901000000000000000")
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || apiErr.Path != "/v1/Sims" {
		t.Fatalf("by ICCID: %v", err)
	}

	_, err = e.client.SimUsage(ctx, "DE00000000000000000000000000000000", window(1, "all"))
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || apiErr.Code == 0 {
		t.Fatalf("usage of unknown SIM: %v", err)
	}
	if apiErr.Path != "/v1/Sims/DE00000000000000000000000000000000/UsageRecords" {
		t.Errorf("path = %q", apiErr.Path)
	}
	for _, s := range []string{"404", "GET /v1/Sims/DE00000000000000000000000000000000/UsageRecords", apiErr.Message} {
		if !contains(err.Error(), s) {
			t.Errorf("%q does not name %q", err, s)
		}
	}
}
