package vendorsim

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// flatKore flattens a record's counters to "commands.home.to_sim"-style keys,
// so sums and invariants can be checked counter by counter.
func flatKore(r KoreUsageRecord) map[string]float64 {
	m := map[string]float64{}
	cmd := func(prefix string, c KoreCommandsCounts) {
		m[prefix+"total"] += float64(c.Total)
		m[prefix+"to_sim"] += float64(c.ToSim)
		m[prefix+"from_sim"] += float64(c.FromSim)
		m[prefix+"billed"] += c.Billed
	}
	data := func(prefix string, c KoreDataCounts) {
		m[prefix+"total"] += float64(c.Total)
		m[prefix+"upload"] += float64(c.Upload)
		m[prefix+"download"] += float64(c.Download)
		m[prefix+"billed"] += c.Billed
	}
	cmd("commands.", r.Commands.KoreCommandsCounts)
	if r.Commands.Home != nil {
		cmd("commands.home.", *r.Commands.Home)
	}
	if r.Commands.NationalRoaming != nil {
		cmd("commands.national.", *r.Commands.NationalRoaming)
	}
	for _, c := range r.Commands.InternationalRoaming {
		cmd("commands.intl."+c.CountryCode+".", c.KoreCommandsCounts)
	}
	data("data.", r.Data.KoreDataCounts)
	if r.Data.Home != nil {
		data("data.home.", *r.Data.Home)
	}
	if r.Data.NationalRoaming != nil {
		data("data.national.", *r.Data.NationalRoaming)
	}
	for _, c := range r.Data.InternationalRoaming {
		data("data.intl."+c.CountryCode+".", c.KoreDataCounts)
	}
	return m
}

func addFlat(dst, src map[string]float64) {
	for k, v := range src {
		dst[k] += v
	}
}

func sameFlat(a, b map[string]float64) bool {
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	for k := range b {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

func sumFlat(recs []KoreUsageRecord) map[string]float64 {
	m := map[string]float64{}
	for _, r := range recs {
		addFlat(m, flatKore(r))
	}
	return m
}

// checkKoreRecord asserts the per-record invariants.
func checkKoreRecord(t *testing.T, r KoreUsageRecord) {
	t.Helper()
	m := flatKore(r)
	for _, group := range []struct {
		kind     string
		counters []string
	}{{"commands", []string{"total", "to_sim", "from_sim", "billed"}}, {"data", []string{"total", "upload", "download", "billed"}}} {
		for _, c := range group.counters {
			parts := m[group.kind+".home."+c] + m[group.kind+".national."+c]
			for k, v := range m {
				if strings.HasPrefix(k, group.kind+".intl.") && strings.HasSuffix(k, "."+c) {
					parts += v
				}
			}
			if parts != m[group.kind+"."+c] {
				t.Fatalf("%s: home+national+international %s = %v, total %v", r.Period, group.kind+"."+c, parts, m[group.kind+"."+c])
			}
		}
	}
	for k, v := range m {
		if strings.HasSuffix(k, "billed") && v*1024 != math.Trunc(v*1024) {
			t.Fatalf("%s = %v is not a multiple of 1/1024", k, v)
		}
		if v < 0 {
			t.Fatalf("%s = %v is negative", k, v)
		}
	}
	checkCommands := func(c KoreCommandsCounts) {
		if c.ToSim+c.FromSim != c.Total || c.BillingUnits != "USD" {
			t.Fatalf("commands %+v: to_sim+from_sim != total or billing_units not USD", c)
		}
	}
	checkData := func(c KoreDataCounts) {
		if c.Upload+c.Download != c.Total || c.Units != "bytes" || c.BillingUnits != "USD" {
			t.Fatalf("data %+v: upload+download != total or wrong units", c)
		}
	}
	checkCommands(r.Commands.KoreCommandsCounts)
	checkData(r.Data.KoreDataCounts)
	for _, p := range []*KoreCommandsCounts{r.Commands.Home, r.Commands.NationalRoaming} {
		if p != nil {
			checkCommands(*p)
		}
	}
	for _, p := range []*KoreDataCounts{r.Data.Home, r.Data.NationalRoaming} {
		if p != nil {
			checkData(*p)
		}
	}
	for _, c := range r.Commands.InternationalRoaming {
		checkCommands(c.KoreCommandsCounts)
		if !contains(roamingCountries[:], c.CountryCode) {
			t.Fatalf("country_code %q is not one of %v", c.CountryCode, roamingCountries)
		}
	}
	for _, c := range r.Data.InternationalRoaming {
		checkData(c.KoreDataCounts)
		if !contains(roamingCountries[:], c.CountryCode) {
			t.Fatalf("country_code %q is not one of %v", c.CountryCode, roamingCountries)
		}
	}
}

func TestKoreEveryRecordAddsUp(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	start := testNow.AddDate(0, 0, -20)
	n := 0
	for _, sim := range s.SIMs() {
		for _, r := range s.KoreRecords(sim.Sid, start, testNow, "hourly") {
			checkKoreRecord(t, r)
			if r.SimSid != sim.Sid || r.AccountSid != s.AccountSid() {
				t.Fatalf("record of %s carries sim_sid %q account_sid %q", sim.Sid, r.SimSid, r.AccountSid)
			}
			n++
		}
	}
	for _, r := range s.KoreRecords("", start, testNow, "daily") {
		checkKoreRecord(t, r)
		if r.SimSid != "" {
			t.Fatalf("account record carries sim_sid %q", r.SimSid)
		}
	}
	if n == 0 {
		t.Fatal("no records checked")
	}
}

func TestKoreAccountIsSumOfSims(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	start, end := testNow.AddDate(0, 0, -40), testNow
	for _, g := range []string{"all", "daily", "hourly"} {
		account := s.KoreRecords("", start, end, g)
		sums := make([]map[string]float64, len(account))
		for i := range sums {
			sums[i] = map[string]float64{}
		}
		for _, sim := range s.SIMs() {
			recs := s.KoreRecords(sim.Sid, start, end, g)
			if len(recs) != len(account) {
				t.Fatalf("%s: SIM has %d records, account %d", g, len(recs), len(account))
			}
			for i, r := range recs {
				if r.Period != account[i].Period {
					t.Fatalf("%s: SIM period %v, account %v", g, r.Period, account[i].Period)
				}
				addFlat(sums[i], flatKore(r))
			}
		}
		for i := range account {
			if !sameFlat(flatKore(account[i]), sums[i]) {
				t.Fatalf("%s record %d: account %v != sum of SIMs %v", g, i, flatKore(account[i]), sums[i])
			}
		}
	}
}

func TestKoreDailyIsSumOfHourlyAndAllIsSumOfDaily(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	// Not hour-aligned, so the first and last days are clipped.
	start, end := testNow.AddDate(0, 0, -9).Add(-17*time.Minute), testNow.Add(-3*time.Hour-5*time.Minute)
	for _, sid := range append([]string{""}, sids(s)...) {
		hourly := s.KoreRecords(sid, start, end, "hourly")
		daily := s.KoreRecords(sid, start, end, "daily")
		all := s.KoreRecords(sid, start, end, "all")
		for _, d := range daily {
			ds, _ := time.Parse(time.RFC3339, d.Period.Start)
			de, _ := time.Parse(time.RFC3339, d.Period.End)
			var inDay []KoreUsageRecord
			for _, h := range hourly {
				hs, _ := time.Parse(time.RFC3339, h.Period.Start)
				if !hs.Before(ds) && hs.Before(de) {
					inDay = append(inDay, h)
				}
			}
			if !sameFlat(flatKore(d), sumFlat(inDay)) {
				t.Fatalf("sim %q day %v != sum of its %d hours", sid, d.Period, len(inDay))
			}
		}
		if len(all) != 1 || !sameFlat(flatKore(all[0]), sumFlat(daily)) || !sameFlat(sumFlat(hourly), sumFlat(daily)) {
			t.Fatalf("sim %q: all != sum of daily != sum of hourly", sid)
		}
	}
}

func sids(s *Server) []string {
	var out []string
	for _, sim := range s.SIMs() {
		out = append(out, sim.Sid)
	}
	return out
}

func TestKorePeriodsFollowTheQuery(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	sid := s.SIMs()[0].Sid
	start := time.Date(2026, 3, 13, 22, 15, 0, 0, time.UTC)
	end := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)

	hourly := s.KoreRecords(sid, start, end, "hourly")
	var got []string
	for _, r := range hourly {
		got = append(got, r.Period.Start+"/"+r.Period.End)
	}
	want := []string{ // a bucket belongs when Start <= h < End
		"2026-03-13T23:00:00Z/2026-03-14T00:00:00Z",
		"2026-03-14T00:00:00Z/2026-03-14T01:00:00Z",
		"2026-03-14T01:00:00Z/2026-03-14T02:00:00Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("hourly periods %v, want %v", got, want)
	}

	daily := s.KoreRecords(sid, start, end, "daily")
	if len(daily) != 2 || daily[0].Period != (KorePeriod{"2026-03-13T22:15:00Z", "2026-03-14T00:00:00Z"}) ||
		daily[1].Period != (KorePeriod{"2026-03-14T00:00:00Z", "2026-03-14T02:00:00Z"}) {
		t.Fatalf("daily periods not clipped to [Start, End]: %+v", daily)
	}

	all := s.KoreRecords(sid, start, end, "all")
	if len(all) != 1 || all[0].Period != (KorePeriod{"2026-03-13T22:15:00Z", "2026-03-14T02:00:00Z"}) {
		t.Fatalf("all: %+v", all)
	}
}

func TestKoreNoUsageAfterNowOrBeyondRetention(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	sid := s.SIMs()[0].Sid
	nowH := testNow.Truncate(time.Hour)

	future := s.KoreRecords(sid, nowH, nowH.Add(48*time.Hour), "all")
	if len(future) != 1 || future[0].Data.Total != 0 || future[0].Commands.Total != 0 {
		t.Fatalf("the current and future hours must be one empty record: %+v", future)
	}
	if got := s.KoreRecords(sid, nowH, nowH.Add(48*time.Hour), "hourly"); len(got) != 0 {
		t.Fatalf("hourly records after now: %d", len(got))
	}
	last := s.KoreRecords(sid, nowH.Add(-2*time.Hour), nowH.Add(5*time.Hour), "hourly")
	if len(last) != 2 || last[1].Period.End != koreTime(nowH) {
		t.Fatalf("the last hourly record must end at the current hour: %+v", last)
	}

	retention := nowH.AddDate(0, -18, 0)
	old := s.KoreRecords(sid, retention.AddDate(0, -2, 0), retention.Add(3*time.Hour), "hourly")
	if len(old) != 3 || old[0].Period.Start != koreTime(retention) {
		t.Fatalf("hourly records must start at the retention limit %v: %d records", retention, len(old))
	}
	if got := s.KoreRecords(sid, retention.AddDate(0, -2, 0), retention, "daily"); len(got) != 0 {
		t.Fatalf("daily records before retention: %d", len(got))
	}
}

func TestKoreDataSetHasTheProfilesClientsMustHandle(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return testNow }})
	start := testNow.AddDate(0, -6, 0)
	var idle, heavy, national int
	countries := map[string]bool{}
	homeNull := false
	for _, sim := range s.SIMs() {
		r := s.KoreRecords(sim.Sid, start, testNow, "all")[0]
		switch {
		case r.Data.Total == 0 && r.Commands.Total == 0:
			idle++
			if r.Data.Home != nil || r.Commands.Home != nil || r.Data.NationalRoaming != nil ||
				r.Data.InternationalRoaming == nil || len(r.Data.InternationalRoaming) != 0 {
				t.Fatalf("idle SIM %s must have null home/national and an empty international array: %+v", sim.UniqueName, r.Data)
			}
		case r.Data.Total > 10<<30:
			heavy++
		}
		if r.Data.NationalRoaming != nil {
			national++
		}
		for _, c := range r.Data.InternationalRoaming {
			countries[c.CountryCode] = true
		}
	}
	for _, r := range s.KoreRecords(s.SIMs()[0].Sid, start, testNow, "hourly") {
		if r.Data.Home == nil {
			homeNull = true
			break
		}
	}
	if idle < 2 || heavy < 2 || national < 2 || !homeNull {
		t.Fatalf("want >=2 idle, >=2 heavy, >=2 national roamers and some hour with null home; got %d, %d, %d, %v", idle, heavy, national, homeNull)
	}
	for _, c := range []string{"DE", "FR", "MX"} {
		if !countries[c] {
			t.Fatalf("no international roaming in %s over six months: %v", c, countries)
		}
	}
}

func TestKoreIdentitiesAreWellFormedAndDeterministic(t *testing.T) {
	a := New(Options{Seed: 42, Now: func() time.Time { return testNow }})
	b := New(Options{Seed: 42, Now: func() time.Time { return testNow }})
	c := New(Options{Seed: 43, Now: func() time.Time { return testNow }})
	if !reflect.DeepEqual(a.SIMs(), b.SIMs()) || a.Credentials() != b.Credentials() || a.AccountSid() != b.AccountSid() {
		t.Fatal("same seed, different identities")
	}
	if a.SIMs()[0].Sid == c.SIMs()[0].Sid || a.Credentials() == c.Credentials() {
		t.Fatal("different seeds, same identities")
	}
	if New(Options{}).AccountSid() != New(Options{Seed: 1}).AccountSid() {
		t.Fatal("seed 0 must mean 1")
	}
	ja, _ := json.Marshal(a.KoreRecords("", testNow.AddDate(0, 0, -3), testNow, "hourly"))
	jb, _ := json.Marshal(b.KoreRecords("", testNow.AddDate(0, 0, -3), testNow, "hourly"))
	if string(ja) != string(jb) {
		t.Fatal("same seed, different usage")
	}
	if !isHex(strings.TrimPrefix(a.AccountSid(), "AC"), 32) || !strings.HasPrefix(a.AccountSid(), "AC") {
		t.Fatalf("account sid %q", a.AccountSid())
	}
	sims := a.SIMs()
	if len(sims) < 20 || len(sims) > 30 {
		t.Fatalf("%d SIMs", len(sims))
	}
	seen := map[string]bool{}
	for _, sim := range sims {
		if !strings.HasPrefix(sim.Sid, "DE") || !isHex(sim.Sid[2:], 32) || len(sim.ICCID) != 20 ||
			luhnDigit(sim.ICCID[:19]) != sim.ICCID[19] || sim.UniqueName == "" {
			t.Fatalf("malformed SIM %+v", sim)
		}
		for _, k := range []string{sim.Sid, sim.UniqueName, sim.ICCID} {
			if seen[k] {
				t.Fatalf("duplicate %q", k)
			}
			seen[k] = true
		}
	}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(hexDigits, r) {
			return false
		}
	}
	return true
}
