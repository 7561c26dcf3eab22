package gigs

import (
	"fmt"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// wireRecord mirrors usageRecord. The six preview counters are pointers so
// absence stays distinguishable from zero; dataTethering and smsInternational
// are older names of two of them that some renderings still show.
type wireRecord struct {
	Start     string  `json:"start"`
	End       string  `json:"end"`
	UpdatedAt *string `json:"updatedAt"`

	// Required by the vendor's contract: pointers, so that a missing or null
	// counter fails the read instead of passing for 0.
	Data  *int64 `json:"data"`
	SMS   *int64 `json:"sms"`
	Voice *int64 `json:"voice"`

	DataDeviceBytes           *int64 `json:"dataDeviceBytes"`
	DataTetheringBytes        *int64 `json:"dataTetheringBytes"`
	SMSInternationalMessages  *int64 `json:"smsInternationalMessages"`
	SMSLocalMessages          *int64 `json:"smsLocalMessages"`
	VoiceInternationalSeconds *int64 `json:"voiceInternationalSeconds"`
	VoiceLocalSeconds         *int64 `json:"voiceLocalSeconds"`

	LegacyDataTethering    *int64 `json:"dataTethering"`
	LegacySMSInternational *int64 `json:"smsInternational"`

	Labels struct {
		Country      string `json:"country"`
		Roaming      string `json:"roaming"`
		Subscription string `json:"subscription"`
	} `json:"labels"`
}

// wireError is the Gigs error object.
type wireError struct {
	Object        string   `json:"object"`
	Type          string   `json:"type"`
	Message       string   `json:"message"`
	Code          string   `json:"code"`
	Hint          string   `json:"hint"`
	Documentation []string `json:"documentation"`
}

// record converts and checks the i-th record of a page; its errors name the
// record by its period once that is known.
func (w wireRecord) record(i int) (UsageRecord, error) {
	r := UsageRecord{
		DataDeviceBytes:           w.DataDeviceBytes,
		DataTetheringBytes:        firstNonNil(w.DataTetheringBytes, w.LegacyDataTethering),
		SMSInternationalMessages:  firstNonNil(w.SMSInternationalMessages, w.LegacySMSInternational),
		SMSLocalMessages:          w.SMSLocalMessages,
		VoiceInternationalSeconds: w.VoiceInternationalSeconds,
		VoiceLocalSeconds:         w.VoiceLocalSeconds,
		Labels:                    Labels(w.Labels),
	}
	var err error
	if r.Start, err = parseTimestamp("start", w.Start); err != nil {
		return UsageRecord{}, fmt.Errorf("usage record %d: %w", i, err)
	}
	if r.End, err = parseTimestamp("end", w.End); err != nil {
		return UsageRecord{}, fmt.Errorf("usage record %d: %w", i, err)
	}
	labels := []struct{ name, v string }{
		{"labels.country", w.Labels.Country}, {"labels.roaming", w.Labels.Roaming}, {"labels.subscription", w.Labels.Subscription}}
	for _, l := range labels {
		if err := httpx.CheckLength(l.name, l.v, maxLabelLength); err != nil {
			return UsageRecord{}, fmt.Errorf("usage record %d: %w", i, err)
		}
	}
	// From here on the period is known, so errors name it.
	if !r.End.After(r.Start) {
		return UsageRecord{}, fmt.Errorf("usage record %d (%s): end is not after start", i, r.name())
	}
	required := []struct {
		name string
		v    *int64
		dst  *int64
	}{{"data", w.Data, &r.Data}, {"sms", w.SMS, &r.SMS}, {"voice", w.Voice, &r.Voice}}
	for _, c := range required {
		if c.v == nil {
			return UsageRecord{}, fmt.Errorf("usage record %d (%s): counter %s is missing or null", i, r.name(), c.name)
		}
		*c.dst = *c.v
	}
	if w.UpdatedAt != nil && *w.UpdatedAt != "" {
		t, err := parseTimestamp("updatedAt", *w.UpdatedAt)
		if err != nil {
			return UsageRecord{}, fmt.Errorf("usage record %d (%s): %w", i, r.name(), err)
		}
		r.UpdatedAt = &t
	}
	if err := r.checkCounters(); err != nil {
		return UsageRecord{}, fmt.Errorf("usage record %d (%s): %w", i, r.name(), err)
	}
	return r, nil
}

// parseTimestamp reads RFC 3339 with or without fractional seconds.
func parseTimestamp(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("%s is missing", field)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 timestamp", field, v)
	}
	return t, nil
}

// checkCounters rejects negative usage: it cannot be real, and summing it
// would quietly understate totals that policies depend on.
func (r UsageRecord) checkCounters() error {
	for i, v := range r.Counters() {
		if v != nil && *v < 0 {
			return fmt.Errorf("counter %s is negative (%d)", counterNames[i], *v)
		}
	}
	return nil
}

func firstNonNil(ps ...*int64) *int64 {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
