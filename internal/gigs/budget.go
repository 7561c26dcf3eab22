package gigs

import (
	"fmt"
	"time"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// What one read may truly hold. A record is one label combination of one
// period, and no aggregation Gigs documents groups finer than a day, so a
// query's days times its label combinations bound its records.
const (
	// labelsPerDay bounds the label combinations of one day: one per
	// country (ISO 3166-1 assigns 249 codes), plus the home country a second
	// time for domestic roaming, rounded up. A real day holds one or two; the
	// margin is wide on purpose, since no true read may fail, while a
	// hostile page of hundreds of thousands of records still stops early.
	labelsPerDay = 256
	// maxPeriodDays bounds a period=N or parameterless query, whose period
	// the client never learns: Gigs subscription periods are monthly, at
	// most 31 days. A longer plan period still fits with one record a day,
	// since labelsPerDay leaves 256 times that.
	maxPeriodDays = 31
	// usagePageItems is the page size the page budget assumes: Gigs' list
	// default of 10 items (the usage endpoint documents no paging at all).
	// Far fewer records are true than the budget allows, so a server paging
	// a record or a day at a time still fits; one sending empty pages with
	// fresh cursors stops after a tenth of the record budget, not at it.
	usagePageItems = 10
)

// newReadBudget bounds the records and pages one read may take: past them
// the server is broken or hostile, and the read stops before decoding more.
func newReadBudget(q UsageQuery) *httpx.Budget {
	days, basis := maxPeriodDays, fmt.Sprintf("a subscription period of at most %d days", maxPeriodDays)
	if from, to, ok := q.queryRange(); ok {
		days = int(to.Sub(from) / (24 * time.Hour))
		unit := "days"
		if days == 1 {
			unit = "day"
		}
		basis = fmt.Sprintf("the %d %s from %s to %s", days, unit, q.Start, q.End)
	}
	// One more day, for records that start mid-day and so straddle two. A
	// page costs even when it brings no record: pages of usagePageItems,
	// plus a last one that may be partial or empty.
	return httpx.NewBudget(int64((days+1)*labelsPerDay), usagePageItems,
		fmt.Sprintf("%s at %d label combinations per day, %d a page", basis, labelsPerDay, usagePageItems))
}
