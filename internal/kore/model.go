package kore

import "time"

// Granularity values KORE accepts.
const (
	GranularityAll    = "all"
	GranularityDaily  = "daily"
	GranularityHourly = "hourly"
)

// UsageQuery selects usage records. Start and End are required; an empty
// Granularity means "all".
type UsageQuery struct {
	Start, End  time.Time
	Granularity string // all, daily, hourly
}

// Sim is the part of a KORE Sim resource the provider needs.
type Sim struct {
	Sid         string `json:"sid"`
	UniqueName  string `json:"unique_name"`
	ICCID       string `json:"iccid"`
	AccountSid  string `json:"account_sid"`
	Status      string `json:"status"`
	RatePlanSid string `json:"rate_plan_sid"` // "" when the SIM has no rate plan
}

// SimFilter selects the SIMs ListSims returns; empty fields select all.
type SimFilter struct {
	Status   string // one of KORE's SIM statuses
	RatePlan string // a rate plan SID or unique name
}

// UsageRecord is one account or SIM usage record. SimSid is empty for
// account records.
type UsageRecord struct {
	AccountSid string
	SimSid     string
	Period     Period
	Commands   Commands
	Data       Data
}

// Period is the interval a record covers, as instants in UTC.
type Period struct {
	Start time.Time
	End   time.Time
}

// CommandCounts counts machine-to-machine commands.
type CommandCounts struct {
	Total        int64
	ToSim        int64
	FromSim      int64
	Billed       float64
	BillingUnits string
}

// DataCounts counts data in Units (bytes).
type DataCounts struct {
	Total        int64
	Upload       int64
	Download     int64
	Units        string
	Billed       float64
	BillingUnits string
}

// Commands is the command usage of a record, by network.
type Commands = Breakdown[CommandCounts, *CommandCounts]

// Data is the data usage of a record, by network.
type Data = Breakdown[DataCounts, *DataCounts]
