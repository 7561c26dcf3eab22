package vendorsim

import "time"

// gigsCounts is usage split the way the preview counters split it.
type gigsCounts struct {
	device, tethering, smsLocal, smsIntl, voiceLocal, voiceIntl int64
}

func (c *gigsCounts) add(o gigsCounts) {
	c.device += o.device
	c.tethering += o.tethering
	c.smsLocal += o.smsLocal
	c.smsIntl += o.smsIntl
	c.voiceLocal += o.voiceLocal
	c.voiceIntl += o.voiceIntl
}

// each applies f to every counter.
func (c gigsCounts) each(f func(int64) int64) gigsCounts {
	return gigsCounts{f(c.device), f(c.tethering), f(c.smsLocal), f(c.smsIntl), f(c.voiceLocal), f(c.voiceIntl)}
}

// gigsSegment is the part of a day's usage spent in one country and roaming state.
type gigsSegment struct {
	country, roaming string
	c                gigsCounts
}

const daysPerTripBlock = 7

// dayUsage is the subscription's usage on a unix day of which elapsedHours
// (1..24) have passed; a travel day splits between two countries.
func (sub *subRecord) dayUsage(day int64, elapsedHours int64) []gigsSegment {
	x := hash3(sub.key, uint64(day), 0)
	data := int64(sub.dataPerDay * (0.3 + 1.4*unit(x)))
	x = mix64(x)
	tethering := int64(float64(data) * 0.3 * unit(x))
	x = mix64(x)
	sms := int64(sub.smsPerDay * 2 * unit(x))
	x = mix64(x)
	voice := int64(sub.voicePerDay * 2 * unit(x))
	x = mix64(x)
	smsIntl := int64(float64(sms) * 0.4 * unit(x))
	x = mix64(x)
	voiceIntl := int64(float64(voice) * 0.3 * unit(x))
	c := gigsCounts{device: data - tethering, tethering: tethering, smsLocal: sms - smsIntl, smsIntl: smsIntl,
		voiceLocal: voice - voiceIntl, voiceIntl: voiceIntl}
	if elapsedHours < 24 { // today: only the hours so far
		c = c.each(func(v int64) int64 { return v * elapsedHours / 24 })
	}

	home := gigsSegment{country: sub.home, roaming: "none"}
	if sub.domesticP > 0 && unit(hash3(sub.key, purposeGigsTrip, uint64(day))) < sub.domesticP {
		home.roaming = "domestic"
	}
	dest, abroad := sub.tripDestination(day)
	if !abroad {
		home.c = c
		return []gigsSegment{home}
	}
	away := gigsSegment{country: dest, roaming: "international", c: c}
	switch day % daysPerTripBlock {
	case 0, 4: // travel days: part at home, part away
		f := 0.3 + 0.4*unit(mix64(x))
		away.c = c.each(func(v int64) int64 { return int64(float64(v) * f) })
		home.c = gigsCounts{c.device - away.c.device, c.tethering - away.c.tethering, c.smsLocal - away.c.smsLocal,
			c.smsIntl - away.c.smsIntl, c.voiceLocal - away.c.voiceLocal, c.voiceIntl - away.c.voiceIntl}
		return []gigsSegment{home, away}
	}
	return []gigsSegment{away}
}

// tripDestination says where a day is spent abroad: trips fill days 0..4 of a
// 7-day block.
func (sub *subRecord) tripDestination(day int64) (string, bool) {
	if len(sub.travel) == 0 || day%daysPerTripBlock > 4 {
		return "", false
	}
	h := hash3(sub.key, purposeGigsTrip, uint64(day/daysPerTripBlock)+1<<40)
	if unit(h) >= sub.tripP {
		return "", false
	}
	return sub.travel[int(h&0xffff)%len(sub.travel)], true
}

func unixDay(t time.Time) int64 { return t.Unix() / 86400 }
func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }
