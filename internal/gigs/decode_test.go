package gigs

import (
	"strings"
	"testing"
	"time"
)

// vendorExample is the usageRecord example from the Gigs reference, in a list.
const vendorExample = `{"object":"list","items":[{
  "object": "usageRecord",
  "data": 18883100,
  "dataDeviceBytes": 30029300,
  "dataTetheringBytes": 30029300,
  "end": "2021-02-15T01:01:01.0Z",
  "labels": {"country": "US", "roaming": "none", "subscription": "sub_0SNlurA049MEWV2gSfSxi00xlPIi"},
  "sms": 15,
  "smsInternationalMessages": 6,
  "smsLocalMessages": 6,
  "start": "2021-02-14T01:01:01.0Z",
  "updatedAt": "2024-02-15T12:13:14.0Z",
  "voice": 240,
  "voiceInternationalSeconds": 125,
  "voiceLocalSeconds": 6,
  "someFutureField": {"nested": [1, 2]}
}],"moreItemsAfter":null,"moreItemsBefore":null,"futureEnvelopeField":true}`

func TestDecodeVendorExample(t *testing.T) {
	recs, next, err := decodeList([]byte(vendorExample))
	if err != nil {
		t.Fatal(err)
	}
	if next != nil {
		t.Errorf("next = %q, want nil", *next)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if !r.Start.Equal(time.Date(2021, 2, 14, 1, 1, 1, 0, time.UTC)) || !r.End.Equal(time.Date(2021, 2, 15, 1, 1, 1, 0, time.UTC)) {
		t.Errorf("start/end = %v / %v", r.Start, r.End)
	}
	if r.UpdatedAt == nil || !r.UpdatedAt.Equal(time.Date(2024, 2, 15, 12, 13, 14, 0, time.UTC)) {
		t.Errorf("updatedAt = %v", r.UpdatedAt)
	}
	if r.Data != 18883100 || r.SMS != 15 || r.Voice != 240 {
		t.Errorf("counters = %d %d %d", r.Data, r.SMS, r.Voice)
	}
	want := map[string]*int64{
		"dataDeviceBytes": r.DataDeviceBytes, "dataTetheringBytes": r.DataTetheringBytes,
		"smsInternationalMessages": r.SMSInternationalMessages, "smsLocalMessages": r.SMSLocalMessages,
		"voiceInternationalSeconds": r.VoiceInternationalSeconds, "voiceLocalSeconds": r.VoiceLocalSeconds,
	}
	values := map[string]int64{
		"dataDeviceBytes": 30029300, "dataTetheringBytes": 30029300, "smsInternationalMessages": 6,
		"smsLocalMessages": 6, "voiceInternationalSeconds": 125, "voiceLocalSeconds": 6,
	}
	for name, p := range want {
		if p == nil || *p != values[name] {
			t.Errorf("%s = %v, want %d", name, p, values[name])
		}
	}
	if r.Labels != (Labels{Country: "US", Roaming: "none", Subscription: "sub_0SNlurA049MEWV2gSfSxi00xlPIi"}) {
		t.Errorf("labels = %+v", r.Labels)
	}
}

func TestDecodePreviewCountersAbsentOrNullAreNil(t *testing.T) {
	body := `{"object":"list","items":[
	  {"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":0,"sms":0,"voice":0,"labels":{}},
	  {"start":"2024-01-02T00:00:00Z","end":"2024-01-03T00:00:00Z","data":1,"sms":1,"voice":1,"labels":{},
	   "dataDeviceBytes":null,"dataTetheringBytes":null,"smsInternationalMessages":null,
	   "smsLocalMessages":null,"voiceInternationalSeconds":null,"voiceLocalSeconds":null,"updatedAt":null}
	],"moreItemsAfter":null}`
	recs, _, err := decodeList([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		for name, p := range map[string]*int64{
			"dataDeviceBytes": r.DataDeviceBytes, "dataTetheringBytes": r.DataTetheringBytes,
			"smsInternationalMessages": r.SMSInternationalMessages, "smsLocalMessages": r.SMSLocalMessages,
			"voiceInternationalSeconds": r.VoiceInternationalSeconds, "voiceLocalSeconds": r.VoiceLocalSeconds,
		} {
			if p != nil {
				t.Errorf("record %d: %s = %d, want nil", i, name, *p)
			}
		}
		if r.UpdatedAt != nil {
			t.Errorf("record %d: updatedAt = %v, want nil", i, r.UpdatedAt)
		}
	}
}

func TestDecodePreviewZeroIsNotNil(t *testing.T) {
	body := `{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z",
	  "data":0,"sms":0,"voice":0,"dataDeviceBytes":0,"smsLocalMessages":0}],"moreItemsAfter":null}`
	recs, _, err := decodeList([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].DataDeviceBytes == nil || *recs[0].DataDeviceBytes != 0 || recs[0].SMSLocalMessages == nil {
		t.Errorf("a sent 0 must decode as a non-nil 0: %+v", recs[0])
	}
}

func TestDecodeLegacyNames(t *testing.T) {
	body := `{"object":"list","items":[
	  {"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":7,"sms":3,"voice":0,"dataTethering":7,"smsInternational":3},
	  {"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":70,"sms":30,"voice":0,"dataTethering":7,"smsInternational":3,
	   "dataTetheringBytes":70,"smsInternationalMessages":30}
	],"moreItemsAfter":null}`
	recs, _, err := decodeList([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if p := recs[0].DataTetheringBytes; p == nil || *p != 7 {
		t.Errorf("legacy dataTethering = %v, want 7", p)
	}
	if p := recs[0].SMSInternationalMessages; p == nil || *p != 3 {
		t.Errorf("legacy smsInternational = %v, want 3", p)
	}
	if p := recs[1].DataTetheringBytes; p == nil || *p != 70 {
		t.Errorf("new name must win: dataTetheringBytes = %v, want 70", p)
	}
	if p := recs[1].SMSInternationalMessages; p == nil || *p != 30 {
		t.Errorf("new name must win: smsInternationalMessages = %v, want 30", p)
	}
}

func TestDecodeTimestampsWithAndWithoutFractions(t *testing.T) {
	body := `{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00.123456+01:00",
	  "data":0,"sms":0,"voice":0,"updatedAt":"2024-01-02T03:04:05.5Z"}],"moreItemsAfter":null}`
	recs, _, err := decodeList([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 1, 1, 23, 0, 0, 123456000, time.UTC); !recs[0].End.Equal(want) {
		t.Errorf("end = %v, want %v", recs[0].End, want)
	}
	if want := time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC); !recs[0].UpdatedAt.Equal(want) {
		t.Errorf("updatedAt = %v, want %v", recs[0].UpdatedAt, want)
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"negative data":    {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":-1,"sms":0,"voice":0}]}`, "data is negative"},
		"negative preview": {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":0,"sms":0,"voice":0,"voiceLocalSeconds":-5}]}`, "voiceLocalSeconds is negative"},
		"negative legacy":  {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":0,"sms":0,"voice":0,"smsInternational":-5}]}`, "smsInternationalMessages is negative"},
		"missing start":    {`{"object":"list","items":[{"end":"2024-01-02T00:00:00Z"}]}`, "start is missing"},
		"date-only end":    {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02"}]}`, "not an RFC 3339"},
		"bad updatedAt":    {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":0,"sms":0,"voice":0,"updatedAt":"yesterday"}]}`, "updatedAt"},
		"fractional bytes": {`{"object":"list","items":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-02T00:00:00Z","data":1.5}]}`, "decoding"},
		"not a list":       {`{"object":"error","type":"invalid","message":"x"}`, "not a Gigs list"},
		"no object":        {`{"items":[]}`, "not a Gigs list"},
		"truncated":        {`{"object":"list","items":[{"start":"20`, "decoding"},
		"null":             {`null`, "not a Gigs list"},
	}
	for name, c := range cases {
		_, _, err := decodeList([]byte(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func TestDecodeEmptyListIsEmptyNotNil(t *testing.T) {
	recs, next, err := decodeList([]byte(`{"object":"list","items":null,"moreItemsAfter":null}`))
	if err != nil || recs == nil || len(recs) != 0 || next != nil {
		t.Errorf("got %v %v %v", recs, next, err)
	}
}
