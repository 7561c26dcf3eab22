package gigs

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// The wire forms of Gigs' answers, as its API sends them: a usage record
// and a subscription with its plan (its error object is in apierror.go).
// Each converts to its model type and fails on what cannot be true.

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

func firstNonNil(ps ...*int64) *int64 {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// Wire types of the subscription resource: only what the provider reads;
// every other field is ignored.
type wireSubscription struct {
	Object        string      `json:"object"`
	ID            string      `json:"id"`
	Status        string      `json:"status"`
	Plan          *wirePlan   `json:"plan"`
	CurrentPeriod *wirePeriod `json:"currentPeriod"`
}

type wirePlan struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Allowances *wireAllowances `json:"allowances"`
}

// wireAllowances keeps a missing key apart from null: null is unlimited,
// while a missing one is an answer that does not say, and must not pass
// for unlimited.
type wireAllowances struct {
	DataBytes    wireAllowance `json:"dataBytes"`
	VoiceSeconds wireAllowance `json:"voiceSeconds"`
	SMSMessages  wireAllowance `json:"smsMessages"`
}

type wireAllowance struct {
	present bool
	value   *int64
}

// UnmarshalJSON is called for null too, so present records that the key
// was there.
func (a *wireAllowance) UnmarshalJSON(b []byte) error {
	a.present = true
	if string(b) == "null" {
		a.value = nil
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("not a whole number: %s", httpx.Clip(string(b)))
	}
	a.value = &n
	return nil
}

type wirePeriod struct {
	Number int    `json:"number"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

// subscription converts w and fails on what cannot be true: a subscription
// or plan id that is empty, a dot segment or too long, a status or plan name
// past its bound, an allowance missing or negative, a period not numbered
// from 1 or not moving forward.
func (w wireSubscription) subscription() (Subscription, error) {
	if w.Object != "" && w.Object != "subscription" {
		return Subscription{}, fmt.Errorf("the object is a %q, not a subscription", httpx.Clip(w.Object))
	}
	// Its id goes into the usage request's path.
	if err := vendorID("a subscription's id", w.ID); err != nil {
		return Subscription{}, err
	}
	s := Subscription{ID: w.ID, Status: w.Status}
	fail := func(format string, args ...any) (Subscription, error) {
		return Subscription{}, fmt.Errorf("%w: subscription %q: %s", httpx.ErrVendorData, httpx.Clip(w.ID), fmt.Sprintf(format, args...))
	}
	wrap := func(err error) (Subscription, error) {
		return Subscription{}, fmt.Errorf("subscription %q: %w", httpx.Clip(w.ID), err)
	}
	if err := httpx.CheckLength("its status", w.Status, maxStatusLength); err != nil {
		return wrap(err)
	}
	if w.Plan == nil {
		return fail("it has no plan")
	}
	if err := vendorID("its plan's id", w.Plan.ID); err != nil {
		return wrap(err)
	}
	if err := httpx.CheckLength("its plan's name", w.Plan.Name, maxNameLength); err != nil {
		return wrap(err)
	}
	s.Plan = Plan{ID: w.Plan.ID, Name: w.Plan.Name}
	if w.Plan.Allowances == nil {
		return fail("plan %q has no allowances", httpx.Clip(w.Plan.ID))
	}
	allowances := []struct {
		name string
		w    wireAllowance
		dst  **int64
	}{
		{"dataBytes", w.Plan.Allowances.DataBytes, &s.Plan.Allowances.DataBytes},
		{"voiceSeconds", w.Plan.Allowances.VoiceSeconds, &s.Plan.Allowances.VoiceSeconds},
		{"smsMessages", w.Plan.Allowances.SMSMessages, &s.Plan.Allowances.SMSMessages},
	}
	for _, a := range allowances {
		switch {
		case !a.w.present:
			return fail("plan %q does not say its %s allowance (null would be unlimited)", httpx.Clip(w.Plan.ID), a.name)
		case a.w.value != nil && *a.w.value < 0:
			return fail("plan %q has a negative %s allowance (%d)", httpx.Clip(w.Plan.ID), a.name, *a.w.value)
		}
		*a.dst = a.w.value
	}
	if p := w.CurrentPeriod; p != nil {
		if p.Number < 1 {
			return fail("currentPeriod number %d is not 1 or more", p.Number)
		}
		start, err := parseTimestamp("currentPeriod start", p.Start)
		if err != nil {
			return fail("%v", err)
		}
		end, err := parseTimestamp("currentPeriod end", p.End)
		if err != nil {
			return fail("%v", err)
		}
		if !end.After(start) {
			return fail("currentPeriod %d ends at %s, not after its start %s", p.Number, end.Format(time.RFC3339), start.Format(time.RFC3339))
		}
		s.CurrentPeriod = &Period{Number: p.Number, Start: start, End: end}
	}
	return s, nil
}
