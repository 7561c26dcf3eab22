package vendorsim

// KORE wire types: the JSON field names are the vendor's.

// KoreUsageRecord is one usage record; SimSid is empty (omitted) on account records.
type KoreUsageRecord struct {
	AccountSid string            `json:"account_sid"`
	SimSid     string            `json:"sim_sid,omitempty"`
	Period     KorePeriod        `json:"period"`
	Commands   KoreCommandsUsage `json:"commands"`
	Data       KoreDataUsage     `json:"data"`
}

// KorePeriod bounds a record (RFC 3339, UTC).
type KorePeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// KoreCommandsCounts are command counters; Billed is in BillingUnits.
type KoreCommandsCounts struct {
	Total        int64   `json:"total"`
	ToSim        int64   `json:"to_sim"`
	FromSim      int64   `json:"from_sim"`
	Billed       float64 `json:"billed"`
	BillingUnits string  `json:"billing_units"`
}

// KoreInternationalCommandsCounts are command counters in one roaming country.
type KoreInternationalCommandsCounts struct {
	CountryCode string `json:"country_code"`
	KoreCommandsCounts
}

// KoreCommandsUsage is a record's commands object.
type KoreCommandsUsage struct {
	KoreCommandsCounts
	Home                 *KoreCommandsCounts               `json:"home"`
	NationalRoaming      *KoreCommandsCounts               `json:"national_roaming"`
	InternationalRoaming []KoreInternationalCommandsCounts `json:"international_roaming"`
}

// KoreDataCounts are data counters in bytes; Billed is in BillingUnits.
type KoreDataCounts struct {
	Total        int64   `json:"total"`
	Upload       int64   `json:"upload"`
	Download     int64   `json:"download"`
	Units        string  `json:"units"`
	Billed       float64 `json:"billed"`
	BillingUnits string  `json:"billing_units"`
}

// KoreInternationalDataCounts are data counters in one roaming country.
type KoreInternationalDataCounts struct {
	CountryCode string `json:"country_code"`
	KoreDataCounts
}

// KoreDataUsage is a record's data object.
type KoreDataUsage struct {
	KoreDataCounts
	Home                 *KoreDataCounts               `json:"home"`
	NationalRoaming      *KoreDataCounts               `json:"national_roaming"`
	InternationalRoaming []KoreInternationalDataCounts `json:"international_roaming"`
}

// KoreListMeta is the paging block of every KORE list.
type KoreListMeta struct {
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	FirstPageURL    string  `json:"first_page_url"`
	PreviousPageURL *string `json:"previous_page_url"`
	URL             string  `json:"url"`
	NextPageURL     *string `json:"next_page_url"`
	Key             string  `json:"key"`
}

// KoreUsageList is the body of both usage-record endpoints.
type KoreUsageList struct {
	UsageRecords []KoreUsageRecord `json:"usage_records"`
	Meta         KoreListMeta      `json:"meta"`
}

// KoreSim is the Sim resource.
type KoreSim struct {
	Sid                    string       `json:"sid"`
	UniqueName             string       `json:"unique_name"`
	FriendlyName           string       `json:"friendly_name"`
	AccountSid             string       `json:"account_sid"`
	Status                 string       `json:"status"`
	RatePlanSid            *string      `json:"rate_plan_sid"` // null when the SIM has no rate plan
	ICCID                  string       `json:"iccid"`
	EID                    *string      `json:"eid"`
	CommandsCallbackURL    *string      `json:"commands_callback_url"`
	CommandsCallbackMethod string       `json:"commands_callback_method"`
	DateCreated            string       `json:"date_created"`
	DateUpdated            string       `json:"date_updated"`
	IPAddress              *string      `json:"ip_address"`
	ResetStatus            *string      `json:"reset_status"`
	Links                  KoreSimLinks `json:"links"`
	URL                    string       `json:"url"`
	VoiceURL               *string      `json:"voice_url"`
	VoiceMethod            *string      `json:"voice_method"`
	VoiceFallbackURL       *string      `json:"voice_fallback_url"`
	VoiceFallbackMethod    *string      `json:"voice_fallback_method"`
	SmsURL                 *string      `json:"sms_url"`
	SmsMethod              *string      `json:"sms_method"`
	SmsFallbackURL         *string      `json:"sms_fallback_url"`
	SmsFallbackMethod      *string      `json:"sms_fallback_method"`
}

// KoreSimLinks are a Sim's related resources; RatePlan is null when the SIM
// has no rate plan.
type KoreSimLinks struct {
	RatePlan     *string `json:"rate_plan"`
	UsageRecords string  `json:"usage_records"`
	DataSessions string  `json:"data_sessions"`
}

// KoreSimList is the body of GET /v1/Sims.
type KoreSimList struct {
	Sims []KoreSim    `json:"sims"`
	Meta KoreListMeta `json:"meta"`
}

// KoreRatePlan is the RatePlan resource. The three limits are megabytes per
// month, null when the plan sets none.
type KoreRatePlan struct {
	Sid                           string   `json:"sid"`
	UniqueName                    string   `json:"unique_name"`
	AccountSid                    string   `json:"account_sid"`
	FriendlyName                  string   `json:"friendly_name"`
	DataEnabled                   bool     `json:"data_enabled"`
	DataMetering                  string   `json:"data_metering"`
	DataLimit                     *int64   `json:"data_limit"`
	MessagingEnabled              bool     `json:"messaging_enabled"`
	VoiceEnabled                  bool     `json:"voice_enabled"`
	NationalRoamingEnabled        bool     `json:"national_roaming_enabled"`
	NationalRoamingDataLimit      *int64   `json:"national_roaming_data_limit"`
	InternationalRoaming          []string `json:"international_roaming"`
	InternationalRoamingDataLimit *int64   `json:"international_roaming_data_limit"`
	DateCreated                   string   `json:"date_created"`
	DateUpdated                   string   `json:"date_updated"`
	URL                           string   `json:"url"`
	// KORE-only fields the vendor leaves undocumented; the notification
	// pair is left out on plans that have none.
	UsageNotificationURL    string `json:"usage_notification_url,omitempty"`
	UsageNotificationMethod string `json:"usage_notification_method,omitempty"`
	DataLimitStrategy       string `json:"data_limit_strategy,omitempty"`
}

// KoreRatePlanList is the body of GET /v1/RatePlans.
type KoreRatePlanList struct {
	RatePlans []KoreRatePlan `json:"rate_plans"`
	Meta      KoreListMeta   `json:"meta"`
}

// KoreError is the API's UsageApiErrorResponse body.
type KoreError struct {
	Code     int    `json:"code"`
	Status   int    `json:"status"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info,omitempty"`
}
