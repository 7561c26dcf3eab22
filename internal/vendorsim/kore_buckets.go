package vendorsim

import "time"

// counts is one location's usage. Billed amounts are kept in ticks of 1/1024
// USD so every sum is exact, also once converted to float64 on the wire.
type counts struct {
	upload, download, toSim, fromSim, dataTicks, cmdTicks int64
}

func (c *counts) add(o counts) {
	c.upload += o.upload
	c.download += o.download
	c.toSim += o.toSim
	c.fromSim += o.fromSim
	c.dataTicks += o.dataTicks
	c.cmdTicks += o.cmdTicks
}

// Tariffs in ticks: data per whole 16 KiB, commands per
// command; roaming costs more.
var (
	dataTariff = [numLocations]int64{1, 2, 6, 6, 6, 6, 6}
	cmdTariff  = [numLocations]int64{1, 1, 3, 3, 3, 3, 3}
)

const ticksPerUSD = 1024

// hoursPerRoamingBlock: roaming trips last whole 4-day blocks.
const hoursPerRoamingBlock = 96

// location says where the SIM was during a unix hour.
func (sim *simRecord) location(hour int64) int {
	p := &sim.profile
	if p.nationalP == 0 && p.intlP == 0 {
		return locHome
	}
	h := hash3(sim.key, purposeSimLocation, uint64(hour/hoursPerRoamingBlock))
	u := unit(h)
	switch {
	case u < p.intlP && len(p.countries) > 0:
		return intlBase + p.countries[int(h&0xffff)%len(p.countries)]
	case u < p.intlP+p.nationalP:
		return locNational
	}
	return locHome
}

// bucket is the SIM's usage in one unix hour, and where it happened.
func (sim *simRecord) bucket(hour int64) (int, counts) {
	p := &sim.profile
	var c counts
	loc := sim.location(hour)
	rh := p.rhythm[(int(hour%24)+24+p.shift)%24]
	x := hash3(sim.key, uint64(hour), 0)
	if unit(x) < p.activeProb*rh {
		y := mix64(x)
		bytes := int64(p.meanBytes * rh * (0.2 + 1.6*unit(y)))
		up := int64(float64(bytes) * p.uploadShare * (0.5 + unit(mix64(y))))
		up = min(up, bytes)
		c.upload, c.download = up, bytes-up
		c.dataTicks = (bytes >> 14) * dataTariff[loc]
	}
	if p.dailyUpload && hour%24 == 0 {
		c.upload += midnightUpload(x)
		c.dataTicks = ((c.upload + c.download) >> 14) * dataTariff[loc]
	}
	w := mix64(x ^ 0x5bd1e995)
	if cmds := int64(p.cmdPerHour*rh*2*unit(w) + 0.5); cmds > 0 {
		toSim := int64(float64(cmds) * unit(mix64(w)))
		c.toSim, c.fromSim = toSim, cmds-toSim
		c.cmdTicks = cmds * cmdTariff[loc]
	}
	return loc, c
}

// midnightUpload is the size of a day's readings: 1.2 to 1.6 MB, more than
// a 1-MB limit read in decimal or in binary megabytes.
func midnightUpload(x uint64) int64 {
	return 1_200_000 + int64(400_000*unit(mix64(x^0x27d4eb2f165667c5)))
}

// slot is one record of a response: its period and the unix hours [from, to)
// of the buckets it sums.
type slot struct {
	start, end time.Time
	from, to   int64
}

// retentionMonths: KORE keeps usage for 18 months.
const retentionMonths = 18

// koreSlots lays out the records a query returns. A bucket at hour h belongs
// to the query when start <= h < end, h is inside retention and h is before
// the current (unfinished) hour.
func koreSlots(start, end time.Time, granularity string, now time.Time) []slot {
	start, end = start.UTC(), end.UTC()
	nowH := now.UTC().Truncate(time.Hour)
	lo := unixHour(later(ceilHour(start), nowH.AddDate(0, -retentionMonths, 0)))
	hi := max(lo, unixHour(earlier(ceilHour(end), nowH)))
	switch granularity {
	case "hourly":
		slots := make([]slot, 0, hi-lo)
		for h := lo; h < hi; h++ {
			t := hourTime(h)
			slots = append(slots, slot{start: t, end: t.Add(time.Hour), from: h, to: h + 1})
		}
		return slots
	case "daily":
		var slots []slot
		for h := lo; h < hi; {
			day := h - h%24
			next := min(day+24, hi)
			slots = append(slots, slot{
				start: later(hourTime(day), start), end: earlier(hourTime(day+24), end),
				from: h, to: next,
			})
			h = next
		}
		return slots
	default:
		return []slot{{start: start, end: end, from: lo, to: hi}}
	}
}

// usageOf sums the SIMs' buckets into each slot, by location.
func usageOf(sims []*simRecord, slots []slot) [][numLocations]counts {
	out := make([][numLocations]counts, len(slots))
	for _, sim := range sims {
		if sim.profile.idle {
			continue
		}
		for i := range slots {
			for h := slots[i].from; h < slots[i].to; h++ {
				loc, c := sim.bucket(h)
				out[i][loc].add(c)
			}
		}
	}
	return out
}

func unixHour(t time.Time) int64 { return t.Unix() / 3600 }
func hourTime(h int64) time.Time { return time.Unix(h*3600, 0).UTC() }
func ceilHour(t time.Time) time.Time {
	if tt := t.Truncate(time.Hour); tt.Before(t) {
		return tt.Add(time.Hour)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
