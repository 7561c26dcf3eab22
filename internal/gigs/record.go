package gigs

import (
	"fmt"
	"strings"
	"time"
)

// UsageRecord is one Gigs usage record. Start is inclusive and End exclusive.
type UsageRecord struct {
	Start, End time.Time
	// UpdatedAt is when the vendor last updated the aggregation; nil when absent.
	UpdatedAt *time.Time

	Data  int64 // bytes
	SMS   int64 // messages sent and received
	Voice int64 // seconds

	// Preview counters: nil when the vendor omits them, never a made-up 0.
	DataDeviceBytes           *int64
	DataTetheringBytes        *int64
	SMSInternationalMessages  *int64
	SMSLocalMessages          *int64
	VoiceInternationalSeconds *int64
	VoiceLocalSeconds         *int64

	Labels Labels
}

// Labels describe what a record was aggregated by; each may be empty.
type Labels struct {
	Country      string // ISO 3166-1 alpha-2
	Roaming      string // preview: none, international or domestic
	Subscription string
}

// name identifies r in an error: its period and, since several records can
// share a period, the labels that tell them apart (the subscription is
// already named by the caller).
func (r UsageRecord) name() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s to %s", r.Start.UTC().Format(time.RFC3339Nano), r.End.UTC().Format(time.RFC3339Nano))
	if r.Labels.Country != "" {
		fmt.Fprintf(&b, ", country %q", r.Labels.Country)
	}
	if r.Labels.Roaming != "" {
		fmt.Fprintf(&b, ", roaming %q", r.Labels.Roaming)
	}
	return b.String()
}

// cloneRecords deep-copies records so callers can never change a cached result.
func cloneRecords(in []UsageRecord) []UsageRecord {
	out := make([]UsageRecord, len(in))
	for i, r := range in {
		r.UpdatedAt = clonePtr(r.UpdatedAt)
		r.DataDeviceBytes = clonePtr(r.DataDeviceBytes)
		r.DataTetheringBytes = clonePtr(r.DataTetheringBytes)
		r.SMSInternationalMessages = clonePtr(r.SMSInternationalMessages)
		r.SMSLocalMessages = clonePtr(r.SMSLocalMessages)
		r.VoiceInternationalSeconds = clonePtr(r.VoiceInternationalSeconds)
		r.VoiceLocalSeconds = clonePtr(r.VoiceLocalSeconds)
		out[i] = r
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
