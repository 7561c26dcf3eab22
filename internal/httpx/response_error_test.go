package httpx

import (
	"errors"
	"io"
	"testing"
)

func TestResponseErrorNamesVendorRequestAndCause(t *testing.T) {
	err := error(&ResponseError{Vendor: "KORE", Status: 502, ContentType: "text/html", Method: "GET", Path: "/v1/UsageRecords",
		Snippet: "<html>", Err: io.ErrUnexpectedEOF})
	want := `unexpected response from KORE to GET /v1/UsageRecords: HTTP 502 (text/html): unexpected EOF; body starts "<html>"`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatal("the cause is not reachable with errors.Is")
	}
	if got := (&ResponseError{Vendor: "Gigs", Err: io.EOF}).Error(); got != "unexpected response from Gigs: EOF" {
		t.Fatalf("without a request: %s", got)
	}
}
