package gigs

import (
	"strings"
	"testing"
)

func TestUsageQueryValidate(t *testing.T) {
	valid := []UsageQuery{
		{},
		{Period: 1},
		{Period: 3, Aggregation: "period"},
		{Start: "2024-02-01", End: "2024-02-29"},
		{Start: "2024-02-01", End: "2024-02-01"},
		{Aggregation: "daily,country"},
	}
	for _, q := range valid {
		if err := q.Validate(); err != nil {
			t.Errorf("%+v: unexpected error %v", q, err)
		}
	}
	invalid := map[string]UsageQuery{
		"negative period":      {Period: -1},
		"period with dates":    {Period: 2, Start: "2024-01-01", End: "2024-01-02"},
		"period with start":    {Period: 2, Start: "2024-01-01"},
		"start alone":          {Start: "2024-01-01"},
		"end alone":            {End: "2024-01-01"},
		"date-time start":      {Start: "2024-01-01T00:00:00Z", End: "2024-01-02"},
		"impossible date":      {Start: "2024-02-30", End: "2024-03-01"},
		"end before start":     {Start: "2024-03-02", End: "2024-03-01"},
		"aggregation space":    {Aggregation: "daily, country"},
		"aggregation comma":    {Aggregation: "daily,"},
		"aggregation leading":  {Aggregation: ",daily"},
		"aggregation injected": {Aggregation: "daily&period=1"},
	}
	for name, q := range invalid {
		if err := q.Validate(); err == nil {
			t.Errorf("%s (%+v): no error", name, q)
		}
	}
}

func TestUsageQueryValuesHaveOneFormAndNoEmptyParameter(t *testing.T) {
	cases := map[string]struct {
		q    UsageQuery
		want string
	}{
		"latest period": {UsageQuery{}, ""},
		"period":        {UsageQuery{Period: 4}, "period=4"},
		"dates":         {UsageQuery{Start: "2024-01-01", End: "2024-01-31"}, "end=2024-01-31&start=2024-01-01"},
		"aggregation":   {UsageQuery{Period: 1, Aggregation: "period,country"}, "aggregation=period%2Ccountry&period=1"},
	}
	for name, c := range cases {
		got := c.q.values()
		if enc := got.Encode(); enc != c.want {
			t.Errorf("%s: encoded %q, want %q", name, enc, c.want)
		}
		for k, vs := range got {
			for _, v := range vs {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: empty parameter %s", name, k)
				}
			}
		}
	}
}

func TestUsageQueryKeyDistinguishesQueries(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range []string{
		UsageQuery{}.key("p", "s"),
		UsageQuery{Period: 1}.key("p", "s"),
		UsageQuery{Aggregation: "period"}.key("p", "s"),
		UsageQuery{Start: "2024-01-01", End: "2024-01-02"}.key("p", "s"),
		UsageQuery{}.key("p s", ""),
		UsageQuery{}.key("p", " s"),
		UsageQuery{}.key("q", "s"),
	} {
		if keys[k] {
			t.Errorf("key %q collides", k)
		}
		keys[k] = true
	}
}
