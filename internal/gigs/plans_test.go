package gigs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// planServer answers every request with status and body, counting them.
func planServer(t *testing.T, status int, body string) (*Client, *atomic.Int32, *atomic.Value) {
	t.Helper()
	var hits atomic.Int32
	var path atomic.Value
	c := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		path.Store(r.URL.EscapedPath())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
	return c, &hits, &path
}

// TestPlanLookup reads a plan leniently (id and name; other fields, the
// allowances included, may be anything) once per Client.
func TestPlanLookup(t *testing.T) {
	for name, body := range map[string]string{
		"embedded shape":  okPlan,
		"id and name":     `{"id":"pln_1","name":"P"}`,
		"odd allowances":  `{"object":"plan","id":"pln_1","name":"P","allowances":"lots"}`,
		"unknown members": `{"object":"plan","id":"pln_1","name":"P","price":{"amount":1},"new":[1]}`,
	} {
		c, hits, path := planServer(t, http.StatusOK, body)
		for range 2 {
			p, err := c.Plan(context.Background(), "proj", "pln_1")
			if err != nil || p.ID != "pln_1" || p.Name != "P" || p.Allowances != (Allowances{}) {
				t.Fatalf("%s: %+v, %v", name, p, err)
			}
		}
		if hits.Load() != 1 || path.Load() != "/projects/proj/plans/pln_1" {
			t.Fatalf("%s: %d requests, last to %v", name, hits.Load(), path.Load())
		}
	}
}

// TestPlanNotFoundIsGigsOwn404: Gigs' error body is the vendor's *APIError
// and IsNotFound; a gateway's 404 is a *ResponseError and is not.
func TestPlanNotFoundIsGigsOwn404(t *testing.T) {
	c, _, _ := planServer(t, http.StatusNotFound, `{"object":"error","type":"notFound","message":"Plan \"pln_x\" not found."}`)
	_, err := c.Plan(context.Background(), "proj", "pln_x")
	var ae *APIError
	if !errors.As(err, &ae) || !IsNotFound(err) || ae.Path != "/projects/proj/plans/pln_x" {
		t.Fatalf("Gigs' 404: %v", err)
	}
	for name, body := range map[string]string{
		"gateway JSON": `{"message":"Not Found"}`,
		"other object": `{"object":"list","type":"notFound","message":"x"}`,
	} {
		c, _, _ = planServer(t, http.StatusNotFound, body)
		_, err = c.Plan(context.Background(), "proj", "pln_x")
		var re *ResponseError
		if IsNotFound(err) || errors.As(err, &ae) || !errors.As(err, &re) || re.Status != http.StatusNotFound {
			t.Fatalf("%s: %v (%T) is taken for Gigs' own 404", name, err, err)
		}
	}
	// Another type of Gigs error with a 404 status is not "not found".
	c, _, _ = planServer(t, http.StatusNotFound, `{"object":"error","type":"invalid","message":"x"}`)
	if _, err := c.Plan(context.Background(), "proj", "pln_x"); IsNotFound(err) || !errors.As(err, &ae) {
		t.Fatalf("404 of type invalid: %v", err)
	}
	if IsNotFound(nil) || IsNotFound(errors.New("not found")) {
		t.Fatal("IsNotFound of a non-Gigs error")
	}
}

// TestPlanAnswerMustBeThePlanAsked: an answer for another plan, or without
// a name, fails naming what was wrong; nothing is kept.
func TestPlanAnswerMustBeThePlanAsked(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"another plan":   {`{"object":"plan","id":"pln_2","name":"P"}`, `asked for plan "pln_1", the answer is plan "pln_2"`},
		"no id":          {`{"object":"plan","name":"P"}`, `the answer is plan ""`},
		"no name":        {`{"object":"plan","id":"pln_1"}`, `plan "pln_1" has no name`},
		"long name":      {`{"id":"pln_1","name":"` + strings.Repeat("n", 300) + `"}`, "name is 300 characters long, past the bound of 256"},
		"another object": {`{"object":"subscription","id":"pln_1","name":"P"}`, `is a "subscription", not a plan`},
		"not an object":  {`["pln_1"]`, "decoding the plan"},
	}
	for name, c := range cases {
		client, hits, _ := planServer(t, http.StatusOK, c.body)
		for range 2 {
			_, err := client.Plan(context.Background(), "proj", "pln_1")
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) || httpx.VendorOf(err) != "Gigs" {
				t.Fatalf("%s: %v, want a ResponseError saying %q", name, err, c.want)
			}
		}
		if hits.Load() != 2 {
			t.Errorf("%s: a failure was kept (%d requests)", name, hits.Load())
		}
	}
}

func TestPlanArgumentsAreCheckedBeforeAnyRequest(t *testing.T) {
	c, hits, _ := planServer(t, http.StatusOK, okPlan)
	for _, args := range [][2]string{{"", "pln_1"}, {"..", "pln_1"}, {"proj", ""}, {"proj", "."}, {"proj", ".."}} {
		if _, err := c.Plan(context.Background(), args[0], args[1]); err == nil || httpx.VendorOf(err) != "Gigs" {
			t.Errorf("%q: %v", args, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests", hits.Load())
	}
}

// TestGateway404IsNotGigsNotFound: a gateway's {"message":"Not Found"} in
// front of any Gigs read is a *ResponseError, never Gigs' own 404, so no
// caller can take it for a subscription that is gone.
func TestGateway404IsNotGigsNotFound(t *testing.T) {
	c, _, _ := planServer(t, http.StatusNotFound, `{"message":"Not Found"}`)
	_, usageErr := c.SubscriptionUsage(context.Background(), "proj", "sub_1", UsageQuery{})
	_, subErr := c.Subscription(context.Background(), "proj", "sub_1")
	_, listErr := c.ListSubscriptions(context.Background(), "proj", SubscriptionFilter{})
	for name, err := range map[string]error{"usage": usageErr, "subscription": subErr, "list": listErr} {
		var re *ResponseError
		var ae *APIError
		if IsNotFound(err) || errors.As(err, &ae) || !errors.As(err, &re) || re.Status != http.StatusNotFound {
			t.Errorf("%s: %v (%T)", name, err, err)
		}
	}
}
