package vendorsim

import "time"

// KoreRecords is the simulator's own arithmetic: exactly the records the API
// returns, all pages concatenated, for that query. sid "" is the account
// endpoint; granularity "" means "all". An unknown SIM or granularity gives nil.
// Hostile knobs and VanishAfterListing do not apply here.
func (s *Server) KoreRecords(sid string, start, end time.Time, granularity string) []KoreUsageRecord {
	sims := s.fleet.sims
	if sid != "" {
		sim := s.fleet.bySid[sid] // a vanished SIM still counts here
		if sim == nil {
			return nil
		}
		sims = []*simRecord{sim}
	}
	if granularity == "" {
		granularity = "all"
	}
	if !validGranularity(granularity) {
		return nil
	}
	return s.koreRecords(sims, sid, koreSlots(start, end, granularity, s.now()))
}

func validGranularity(g string) bool { return g == "all" || g == "daily" || g == "hourly" }

// koreRecords builds the wire records of the given slots.
func (s *Server) koreRecords(sims []*simRecord, simSid string, slots []slot) []KoreUsageRecord {
	usage := usageOf(sims, slots)
	out := make([]KoreUsageRecord, len(slots))
	for i, sl := range slots {
		out[i] = KoreUsageRecord{
			AccountSid: s.accountSid,
			SimSid:     simSid,
			Period:     KorePeriod{Start: koreTime(sl.start), End: koreTime(sl.end)},
			Commands:   commandsUsage(&usage[i]),
			Data:       dataUsage(&usage[i]),
		}
	}
	return out
}

func koreTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func usd(ticks int64) float64 { return float64(ticks) / ticksPerUSD }

func commandsCounts(c counts) KoreCommandsCounts {
	return KoreCommandsCounts{Total: c.toSim + c.fromSim, ToSim: c.toSim, FromSim: c.fromSim,
		Billed: usd(c.cmdTicks), BillingUnits: "USD"}
}

func dataCounts(c counts) KoreDataCounts {
	return KoreDataCounts{Total: c.upload + c.download, Upload: c.upload, Download: c.download,
		Units: "bytes", Billed: usd(c.dataTicks), BillingUnits: "USD"}
}

// commandsUsage builds the commands object. home and national_roaming are null
// when the record has no commands of that kind, so clients meet nulls.
func commandsUsage(u *[numLocations]counts) KoreCommandsUsage {
	var out KoreCommandsUsage
	out.KoreCommandsCounts, out.Home, out.NationalRoaming, out.InternationalRoaming = byLocation(u,
		func(c counts) bool { return c.toSim+c.fromSim > 0 }, commandsCounts,
		func(code string, c KoreCommandsCounts) KoreInternationalCommandsCounts {
			return KoreInternationalCommandsCounts{CountryCode: code, KoreCommandsCounts: c}
		})
	return out
}

// dataUsage builds the data object, with the same null rules as commandsUsage.
func dataUsage(u *[numLocations]counts) KoreDataUsage {
	var out KoreDataUsage
	out.KoreDataCounts, out.Home, out.NationalRoaming, out.InternationalRoaming = byLocation(u,
		func(c counts) bool { return c.upload+c.download > 0 }, dataCounts,
		func(code string, c KoreDataCounts) KoreInternationalDataCounts {
			return KoreInternationalDataCounts{CountryCode: code, KoreDataCounts: c}
		})
	return out
}

// byLocation splits one kind of usage by where it happened: the total, home
// and national roaming (nil when unused), and one entry per country abroad.
func byLocation[C, I any](u *[numLocations]counts, used func(counts) bool, wire func(counts) C,
	abroad func(string, C) I) (total C, home, national *C, roaming []I) {
	var sum counts
	roaming = []I{}
	for loc, c := range u {
		sum.add(c)
		if !used(c) {
			continue
		}
		w := wire(c)
		switch loc {
		case locHome:
			home = &w
		case locNational:
			national = &w
		default:
			roaming = append(roaming, abroad(roamingCountries[loc-intlBase], w))
		}
	}
	return wire(sum), home, national, roaming
}
