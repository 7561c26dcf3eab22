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
	Sid        string `json:"sid"`
	UniqueName string `json:"unique_name"`
	ICCID      string `json:"iccid"`
	AccountSid string `json:"account_sid"`
	Status     string `json:"status"`
}

// UsageRecord is one account or SIM usage record. SimSid is empty for
// account records.
type UsageRecord struct {
	AccountSid string   `json:"account_sid"`
	SimSid     string   `json:"sim_sid"`
	Period     Period   `json:"period"`
	Commands   Commands `json:"commands"`
	Data       Data     `json:"data"`
}

// Period is the interval a record covers, as instants in UTC.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// CommandCounts counts machine-to-machine commands.
type CommandCounts struct {
	Total        int64   `json:"total"`
	ToSim        int64   `json:"to_sim"`
	FromSim      int64   `json:"from_sim"`
	Billed       float64 `json:"billed"`
	BillingUnits string  `json:"billing_units"`
}

// Commands is the command usage of a record; Home and NationalRoaming are
// nil when KORE sends none.
type Commands struct {
	CommandCounts
	Home                 *CommandCounts      `json:"home"`
	NationalRoaming      *CommandCounts      `json:"national_roaming"`
	InternationalRoaming []IntlCommandCounts `json:"international_roaming"`
}

// IntlCommandCounts is the command usage roamed in one country.
type IntlCommandCounts struct {
	CountryCode string `json:"country_code"`
	CommandCounts
}

// DataCounts counts data in Units (bytes).
type DataCounts struct {
	Total        int64   `json:"total"`
	Upload       int64   `json:"upload"`
	Download     int64   `json:"download"`
	Units        string  `json:"units"`
	Billed       float64 `json:"billed"`
	BillingUnits string  `json:"billing_units"`
}

// Data is the data usage of a record; Home and NationalRoaming are nil when
// KORE sends none.
type Data struct {
	DataCounts
	Home                 *DataCounts      `json:"home"`
	NationalRoaming      *DataCounts      `json:"national_roaming"`
	InternationalRoaming []IntlDataCounts `json:"international_roaming"`
}

// IntlDataCounts is the data usage roamed in one country.
type IntlDataCounts struct {
	CountryCode string `json:"country_code"`
	DataCounts
}
