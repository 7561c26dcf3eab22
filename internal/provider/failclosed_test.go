package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/simusage/terraform-provider-usage/internal/vendorsim"
)

// Fail closed: a fleet guardrail never passes on usage the provider did not
// read. Each test bends what the simulator answers the way a broken gateway
// or a careless configuration would, and expects a named failure or warning.

// koreOwn404 and gigsOwn404 are the vendors' own not-found bodies;
// gateway404 is what a gateway in front of either answers.
const (
	koreOwn404 = `{"code":20404,"status":404,"message":"The requested resource was not found","more_info":"https://docs.korewireless.com/errors/20404"}`
	gigsOwn404 = `{"object":"error","type":"notFound","message":"The requested resource does not exist."}`
	gateway404 = `{"message":"Not Found"}`
)

// answering is a wrap for newTestEnvBehind: requests that match get status
// and body (JSON) instead of the simulator's answer.
func answering(match func(*http.Request) bool, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
}

var simUsagePath = regexp.MustCompile(`^/v1/Sims/[^/]+/UsageRecords$`)

func isSimUsage(r *http.Request) bool { return simUsagePath.MatchString(r.URL.Path) }

// onlyDiagnostic fails unless resp holds exactly one diagnostic of severity,
// and returns it.
func onlyDiagnostic(t *testing.T, resp *tfprotov6.ReadDataSourceResponse, severity tfprotov6.DiagnosticSeverity) *tfprotov6.Diagnostic {
	t.Helper()
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != severity {
		t.Fatalf("want one %v diagnostic, got %s", severity, diagnosticsText(resp.Diagnostics))
	}
	if (severity == tfprotov6.DiagnosticSeverityError) != (resp.State == nil) {
		t.Fatalf("state %v with diagnostics %s", resp.State != nil, diagnosticsText(resp.Diagnostics))
	}
	t.Logf("%s: %s", resp.Diagnostics[0].Summary, resp.Diagnostics[0].Detail)
	return resp.Diagnostics[0]
}

// TestFleetGateway404IsNotAVanishedSim: every usage read answering a
// gateway's 404 is a failed read, not a fleet of deleted SIMs; no SIM is
// looked up again, since the answer was not KORE's.
func TestFleetGateway404IsNotAVanishedSim(t *testing.T) {
	e := newTestEnvBehind(t, vendorsim.Options{}, answering(isSimUsage, http.StatusNotFound, gateway404))
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !regexp.MustCompile(`Reading the usage of [1-9][0-9]* SIM\(s\) \(first: DE[0-9a-f]{32}`).MatchString(d.Detail) ||
		!strings.Contains(d.Detail, "404") || !strings.Contains(d.Detail, "without KORE's error code") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreSimsGet); n != 0 {
		t.Fatalf("%d SIM lookups after a gateway's 404, want 0", n)
	}
}

// TestFleetKore404ForALiveSimFailsTheRead: KORE's own 404 for a SIM's
// usage, while GET /v1/Sims/{Sid} still answers the SIM, fails the read
// naming it: the usage was not read, and the SIM is not gone.
func TestFleetKore404ForALiveSimFailsTheRead(t *testing.T) {
	var target string
	e := newTestEnvBehind(t, vendorsim.Options{}, answering(func(r *http.Request) bool {
		return r.URL.Path == "/v1/Sims/"+target+"/UsageRecords"
	}, http.StatusNotFound, koreOwn404))
	target = e.sim.SIMs()[3].Sid
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, "1 SIM(s) (first: "+target+")") || !strings.Contains(d.Detail, "still there") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreSimsGet); n != 1 {
		t.Fatalf("%d SIM lookups, want the 1 that checks the SIM", n)
	}
}

// gigsSubscriptionPath matches /projects/{p}/subscriptions/{id} and its
// usage.
var gigsSubscriptionPath = regexp.MustCompile(`^/projects/[^/]+/subscriptions/([^/]+)(/usage)?$`)

func gigsSubscriptionRequest(r *http.Request, id string, usageOnly bool) bool {
	m := gigsSubscriptionPath.FindStringSubmatch(r.URL.Path)
	return m != nil && (id == "" || m[1] == id) && (!usageOnly || m[2] != "")
}

// TestFleetSubscriptionGoneOnlyWhenGigsSaysSoTwice: a subscription is left
// out with a warning only when its usage and the subscription itself both
// answer Gigs' own 404; Gigs' 404 for usage alone, or a gateway's, fails
// the read naming it.
func TestFleetSubscriptionGoneOnlyWhenGigsSaysSoTwice(t *testing.T) {
	id := vendorsim.New(vendorsim.Options{Seed: 1, Now: func() time.Time { return testNow }}).Subscriptions()[1].ID
	for _, c := range []struct {
		name      string
		usageOnly bool
		body      string
		warn      bool
	}{
		{"gone", false, gigsOwn404, true},
		{"usage 404, subscription still there", true, gigsOwn404, false},
		{"gateway", false, gateway404, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnvBehind(t, vendorsim.Options{}, answering(func(r *http.Request) bool {
				return gigsSubscriptionRequest(r, id, c.usageOnly)
			}, http.StatusNotFound, c.body))
			resp := newProtoReader(t, e).readResponse(t, "usage_subscriptions", map[string]any{"status": []string{"active", "ended", "pending", "initiated"}})
			if c.warn {
				d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
				if !strings.Contains(d.Detail, id) || !strings.Contains(d.Summary, "vanished") {
					t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
				}
				return
			}
			d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
			if !strings.Contains(d.Detail, "1 subscription(s) (first: "+id+")") || strings.Contains(d.Detail, "KORE") {
				t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
			}
		})
	}
}

// TestFleetEmptySelectionIsNeverSilent: a selection that keeps nothing warns,
// naming the filters and how many were listed, and says how to make a
// configuration that expects members fail.
func TestFleetEmptySelectionIsNeverSilent(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	used := map[string]bool{}
	statuses := map[string]bool{}
	for _, s := range e.sim.SIMs() {
		used[s.RatePlanSid], statuses[s.Status] = true, true
	}
	unused := ""
	for _, p := range e.sim.RatePlans() {
		if !used[p.Sid] {
			unused = p.Sid
		}
	}
	if unused == "" {
		t.Fatal("the simulator has no rate plan without SIMs")
	}
	absent := ""
	for _, st := range koreSimStatuses {
		if !statuses[st] {
			absent = st
		}
	}
	if absent == "" {
		t.Fatal("every SIM status has SIMs")
	}
	for _, args := range []map[string]any{
		{"unique_name_regex": "^trakcer-"},
		{"rate_plan": unused},
		{"status": absent},
	} {
		resp := r.readResponse(t, "usage_sims", withArgs(args))
		d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
		for name, value := range args {
			if !strings.Contains(d.Detail, fmt.Sprintf("%s = %q", name, value)) {
				t.Errorf("%v: the warning does not name %s: %s", args, name, d.Detail)
			}
		}
		if !strings.Contains(d.Detail, "length(self.sims) > 0") {
			t.Errorf("%v: no postcondition advice: %s", args, d.Detail)
		}
		v, err := resp.State.Unmarshal(r.schemas["usage_sims"])
		if err != nil {
			t.Fatal(err)
		}
		if n := len(pickList(t, plain(t, v), "sims")); n != 0 {
			t.Fatalf("%v: %d SIMs", args, n)
		}
	}
	if n := e.sim.Requests(vendorsim.RouteKoreUsageSim); n != 0 {
		t.Fatalf("%d usage requests for empty selections", n)
	}

	resp := r.readResponse(t, "usage_subscriptions", map[string]any{"status": []string{"initiated"}})
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
	if !strings.Contains(d.Detail, "status = [initiated]") || !strings.Contains(d.Detail, "length(self.subscriptions) > 0") {
		t.Fatalf("subscriptions: %s", d.Detail)
	}
	// A plan that exists but has no active subscription: one lookup, a warning.
	active := map[string]bool{}
	for _, s := range e.sim.Subscriptions() {
		if s.Status == "active" {
			active[s.PlanID] = true
		}
	}
	idle := ""
	for _, p := range e.sim.Plans() {
		if !active[p.ID] {
			idle = p.ID
		}
	}
	if idle == "" {
		t.Fatal("every plan has active subscriptions")
	}
	resp = r.readResponse(t, "usage_subscriptions", map[string]any{"plan": idle})
	d = onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
	if !strings.Contains(d.Detail, `plan = "`+idle+`"`) || e.sim.Requests(vendorsim.RouteGigsPlansGet) != 1 {
		t.Fatalf("plan without subscriptions: %s (%d lookups)", d.Detail, e.sim.Requests(vendorsim.RouteGigsPlansGet))
	}
}

// TestFleetFilterOnAPlanThatDoesNotExistFails: a rate_plan or plan filter
// that names no plan fails the read, naming it, with one lookup.
func TestFleetFilterOnAPlanThatDoesNotExistFails(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	resp := r.readResponse(t, "usage_sims", withArgs(map[string]any{"rate_plan": "no-such-plan"}))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, `rate_plan = "no-such-plan"`) || d.Attribute == nil || !strings.Contains(d.Attribute.String(), "rate_plan") {
		t.Fatalf("diagnostic %s: %s (%v)", d.Summary, d.Detail, d.Attribute)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreRatePlansGet); n != 1 {
		t.Fatalf("%d rate plan lookups, want 1", n)
	}

	resp = r.readResponse(t, "usage_subscriptions", map[string]any{"plan": "pln_typo"})
	d = onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, `plan = "pln_typo"`) || strings.Contains(d.Detail, "KORE") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
}

// TestFleetBoundFailsBeforeAnyUsageRequest: a selection past
// max_fleet_members fails after the list, naming the count, the bound and
// the filters, without a usage request.
func TestFleetBoundFailsBeforeAnyUsageRequest(t *testing.T) {
	t.Setenv(envMaxFleetMembers, "4")
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	resp := r.readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	for _, want := range []string{"select 25 SIMs", "max_fleet_members (4", envMaxFleetMembers, "unique_name_regex"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("the diagnostic does not say %q: %s", want, d.Detail)
		}
	}
	resp = r.readResponse(t, "usage_subscriptions", map[string]any{"status": []string{"active", "ended", "pending", "initiated"}})
	d = onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, "select 6 subscriptions") {
		t.Errorf("subscriptions: %s", d.Detail)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreUsageSim) + e.sim.Requests(vendorsim.RouteGigsUsage); n != 0 {
		t.Fatalf("%d usage requests past the bound", n)
	}
}

// TestFleetRatePlansAreReadBeforeTheUsage: with include_limits, a broken
// rate plan list fails the read before any usage request.
func TestFleetRatePlansAreReadBeforeTheUsage(t *testing.T) {
	e := newTestEnvBehind(t, vendorsim.Options{}, answering(func(r *http.Request) bool {
		return r.URL.Path == "/v1/RatePlans"
	}, http.StatusForbidden, `{"code":20006,"status":403,"message":"Access Denied"}`))
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(map[string]any{"include_limits": true}))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, "rate plans") || !strings.Contains(d.Detail, "403") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
	if n := e.sim.Requests(vendorsim.RouteKoreUsageSim); n != 0 {
		t.Fatalf("%d usage requests before the failing plan list", n)
	}
}

// TestFleetTimeoutNamesTheSimsInFlight: a fleet read that runs out of
// timeouts.read says which SIMs it was still waiting for.
func TestFleetTimeoutNamesTheSimsInFlight(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	r.read(t, "usage_sims", map[string]any{"window": "last_30_days"}) // the token and the list are kept for the run
	e.sim.SetFaults(vendorsim.Faults{Latency: time.Minute})
	defer e.sim.SetFaults(vendorsim.Faults{})
	resp := r.readResponse(t, "usage_sims", map[string]any{"window": "last_7_days", "timeouts": map[string]any{"read": "1s"}})
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !regexp.MustCompile(`\(10 SIM\(s\) still in flight: DE[0-9a-f]{32}, .* and 5 more\)`).MatchString(d.Detail) {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
}

// TestDiagnosticsAreRedactedAndPrintable: a SIM named after the client
// secret, gone during the read, is named in the warning without the secret;
// vendor text with terminal control sequences reaches no diagnostic raw.
func TestDiagnosticsAreRedactedAndPrintable(t *testing.T) {
	creds := vendorsim.New(vendorsim.Options{Seed: 1, Now: func() time.Time { return testNow }}).Credentials()
	secret := creds.KoreClientSecret
	var victim vendorsim.SIM
	e := newTestEnvBehind(t, vendorsim.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/Sims" {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			name, _ := json.Marshal(secret)
			body := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"unique_name":"`+victim.UniqueName+`"`), []byte(`"unique_name":`+string(name)))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	})
	victim = e.sim.SIMs()[2]
	e.sim.VanishAfterListing(victim.Sid)
	r := newProtoReader(t, e)
	resp := r.readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
	if !strings.Contains(d.Detail, victim.Sid) || strings.Contains(d.Detail, secret) {
		t.Fatalf("warning %s", d.Detail)
	}

	hostile := newTestEnvBehind(t, vendorsim.Options{}, answering(isSimUsage, http.StatusBadRequest,
		`{"code":33101,"status":400,"message":"bad \u001b[31mred\u001b[0m \u0007 \r over\u202ewritten"}`))
	resp = newProtoReader(t, hostile).readResponse(t, "usage_sims", withArgs(nil))
	d = onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if i := strings.IndexFunc(d.Summary+d.Detail, func(r rune) bool {
		return slices.Contains([]rune{0x1b, 0x07, '\r', 0x202e}, r)
	}); i >= 0 || !strings.Contains(d.Detail, "red") {
		t.Fatalf("diagnostic %q", d.Detail)
	}
}

// TestDiagnosticsAreRedactedOfAccessTokens: an access token KORE issued is a
// credential like the client secret: vendor text that echoes it (here a
// SIM named with it) shows in no diagnostic. The simulator's tokens are
// longer than a name may be, so the token endpoint's answer is swapped for a
// short token, swapped back on the requests that carry it.
func TestDiagnosticsAreRedactedOfAccessTokens(t *testing.T) {
	const short = "tok-7f3a9c21e5"
	var issued atomic.Value
	var victim vendorsim.SIM
	e := newTestEnvBehind(t, vendorsim.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if long, ok := issued.Load().(string); ok && r.Header.Get("Authorization") == "Bearer "+short {
				r.Header.Set("Authorization", "Bearer "+long)
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			switch r.URL.Path {
			case "/api-services/v1/auth/token":
				var tok map[string]any
				if json.Unmarshal(body, &tok) == nil {
					if long, ok := tok["access_token"].(string); ok {
						issued.Store(long)
						tok["access_token"] = short
						body, _ = json.Marshal(tok)
					}
				}
			case "/v1/Sims":
				body = bytes.ReplaceAll(body, []byte(`"unique_name":"`+victim.UniqueName+`"`), []byte(`"unique_name":"`+short+`"`))
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	})
	victim = e.sim.SIMs()[2]
	e.sim.VanishAfterListing(victim.Sid)
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityWarning)
	if !strings.Contains(d.Detail, victim.Sid) || strings.Contains(d.Detail, short) {
		t.Fatalf("warning %s", d.Detail)
	}
}

// TestFleetTimeoutNamesTheSubscriptionsInFlight: usage_subscriptions' read
// that runs out of timeouts.read names the subscriptions still being read,
// as usage_sims' names its SIMs.
func TestFleetTimeoutNamesTheSubscriptionsInFlight(t *testing.T) {
	e := newTestEnv(t)
	r := newProtoReader(t, e)
	r.read(t, "usage_subscriptions", nil) // the list is kept for the run
	e.sim.SetFaults(vendorsim.Faults{Latency: time.Minute})
	defer e.sim.SetFaults(vendorsim.Faults{})
	resp := r.readResponse(t, "usage_subscriptions", map[string]any{"period": int64(1), "timeouts": map[string]any{"read": "1s"}})
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !regexp.MustCompile(`\([0-9]+ subscription\(s\) still in flight: \S+`).MatchString(d.Detail) || strings.Contains(d.Detail, "KORE") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
}

// TestFleetMemberNotConfirmedGoneFailsTheRead: when the usage read answers
// the vendor's own 404 and reading the member again fails otherwise, the
// member is not taken as gone: the read fails, saying so.
func TestFleetMemberNotConfirmedGoneFailsTheRead(t *testing.T) {
	var target string
	e := newTestEnvBehind(t, vendorsim.Options{}, func(next http.Handler) http.Handler {
		return answering(func(r *http.Request) bool { return r.URL.Path == "/v1/Sims/"+target+"/UsageRecords" }, http.StatusNotFound, koreOwn404)(
			answering(func(r *http.Request) bool { return r.URL.Path == "/v1/Sims/"+target }, http.StatusForbidden,
				`{"code":20006,"status":403,"message":"Access Denied"}`)(next))
	})
	target = e.sim.SIMs()[3].Sid
	resp := newProtoReader(t, e).readResponse(t, "usage_sims", withArgs(nil))
	d := onlyDiagnostic(t, resp, tfprotov6.DiagnosticSeverityError)
	if !strings.Contains(d.Detail, target) || !strings.Contains(d.Detail, "reading the resource again to confirm it is gone failed") {
		t.Fatalf("diagnostic %s: %s", d.Summary, d.Detail)
	}
}

// TestFleetPlanFilterUncheckedIsAWarning: when the plan filter selects no
// subscription and looking the plan up fails otherwise than with Gigs' own
// 404, the read says it could not check the plan, beside the empty
// selection's warning; it does not fail.
func TestFleetPlanFilterUncheckedIsAWarning(t *testing.T) {
	e := newTestEnvBehind(t, vendorsim.Options{}, answering(func(r *http.Request) bool {
		return strings.Contains(r.URL.Path, "/plans/")
	}, http.StatusBadGateway, `{"message":"Bad Gateway"}`))
	resp := newProtoReader(t, e).readResponse(t, "usage_subscriptions", map[string]any{"plan": "pln_typo"})
	var summaries []string
	for _, d := range resp.Diagnostics {
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
		summaries = append(summaries, d.Summary)
		if d.Summary == "Could not check the plan filter" && !strings.Contains(d.Detail, `plan = "pln_typo"`) {
			t.Errorf("the warning does not name the plan: %s", d.Detail)
		}
	}
	if resp.State == nil || !slices.Contains(summaries, "Could not check the plan filter") {
		t.Fatalf("state %v, diagnostics %s", resp.State != nil, diagnosticsText(resp.Diagnostics))
	}
}
