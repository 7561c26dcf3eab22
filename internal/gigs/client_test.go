package gigs

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestNewValidatesWithoutNetwork(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()

	if _, err := New(Config{Endpoint: srv.URL, APIKey: "k"}); err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := New(Config{APIKey: "k"}); err != nil {
		t.Fatalf("New with default endpoint: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("New made %d requests, want 0", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	const secret = "sk_live_do-not-print"
	cases := map[string]Config{
		"relative endpoint":   {Endpoint: "api.gigs.com", APIKey: "k"},
		"ftp endpoint":        {Endpoint: "ftp://api.gigs.com", APIKey: "k"},
		"no host":             {Endpoint: "https://", APIKey: "k"},
		"query in endpoint":   {Endpoint: "https://api.gigs.com?x=1", APIKey: "k"},
		"fragment":            {Endpoint: "https://api.gigs.com#x", APIKey: "k"},
		"credentials in URL":  {Endpoint: "https://u:" + secret + "@api.gigs.com", APIKey: "k"},
		"unparsable endpoint": {Endpoint: "https://api.gigs.com/%zz" + secret, APIKey: "k"},
		"empty key":           {},
		"key with newline":    {APIKey: secret + "\nX-Evil: 1"},
		"key with space":      {APIKey: "Bearer " + secret},
	}
	for name, cfg := range cases {
		_, err := New(cfg)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	}
}
