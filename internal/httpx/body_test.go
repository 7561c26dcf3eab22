package httpx

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// closeSpy records whether a body was closed.
type closeSpy struct {
	io.ReadCloser
	closed bool
}

func (c *closeSpy) Close() error {
	c.closed = true
	return c.ReadCloser.Close()
}

func TestReadBodyCapsTheSize(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		_, _ = io.WriteString(w, strings.Repeat("x", len(r.URL.Query().Get("n"))))
	})
	c := NewClient(Config{})
	read := func(n int, limit int64) ([]byte, bool, error) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"?n="+strings.Repeat("n", n), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		spy := &closeSpy{ReadCloser: resp.Body}
		resp.Body = spy
		b, err := ReadBody(resp, limit)
		return b, spy.closed, err
	}

	b, closed, err := read(10, 10)
	if err != nil || string(b) != strings.Repeat("x", 10) || !closed {
		t.Fatalf("at the limit: %q, %v, closed %v", b, err, closed)
	}
	b, closed, err = read(11, 10)
	if !errors.Is(err, ErrBodyTooLarge) || b != nil || !closed {
		t.Fatalf("over the limit: %q, %v, closed %v", b, err, closed)
	}
	if !strings.Contains(err.Error(), "10 bytes") {
		t.Errorf("error %q does not say the limit", err)
	}
	if _, _, err := read(0, 0); err != nil {
		t.Fatalf("empty body: %v", err)
	}
}

func TestSnippet(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", `{"error":"busy"}`, `{"error":"busy"}`},
		{"whitespace collapses", "<html>\n\t<body>  Bad   Gateway </body>\r\n</html>", "<html> <body> Bad Gateway </body> </html>"},
		{"C0 controls and escapes", "a\x00b\x1b[31mc\x07d\x7fe", "a b [31mc d e"},
		{"C1 controls", "a\u009b31mb\u0085c", "a 31mb c"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Snippet([]byte(c.in)); got != c.want {
				t.Fatalf("Snippet(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestSnippetTruncatesOnARuneBoundary(t *testing.T) {
	long := strings.Repeat("y", 500)
	if got := Snippet([]byte(long)); got != strings.Repeat("y", 120)+"…" {
		t.Fatalf("Snippet of 500 bytes = %q", got)
	}
	// One ASCII byte, then two-byte runes: byte 120 falls inside a rune.
	multi := "a" + strings.Repeat("é", 200)
	got := Snippet([]byte(multi))
	if !utf8.ValidString(got) {
		t.Fatalf("Snippet split a rune: %q", got)
	}
	if !strings.HasSuffix(got, "…") || len(got) > 120+len("…") {
		t.Fatalf("Snippet = %q (%d bytes)", got, len(got))
	}
	if !utf8.ValidString(Snippet([]byte("ok \xff\xfe bytes"))) {
		t.Fatal("invalid UTF-8 passed through")
	}
}

func TestIsJSON(t *testing.T) {
	cases := map[string]bool{
		"application/json":                true,
		"application/json; charset=utf-8": true,
		"application/problem+json":        true,
		"Application/JSON":                true,
		"":                                true, // undeclared: let the decoder decide
		"text/html; charset=utf-8":        false,
		"text/plain":                      false,
	}
	for ct, want := range cases {
		resp := &http.Response{Header: http.Header{}}
		if ct != "" {
			resp.Header.Set("Content-Type", ct)
		}
		if got := isJSONType(resp.Header.Get("Content-Type")); got != want {
			t.Errorf("isJSONType(%q) = %v, want %v", ct, got, want)
		}
	}
}

// readAll reads the whole body whatever length the server declared: none,
// the true one, too small or too large (the buffer only starts there).
func TestReadAllWhateverTheDeclaredLength(t *testing.T) {
	body := strings.Repeat("0123456789", 300)
	for _, declared := range []int64{-1, 0, 1, 511, int64(len(body)), int64(len(body)) + 7, 1 << 40} {
		got, err := readAll(iotest.OneByteReader(strings.NewReader(body)), declared)
		if err != nil || string(got) != body {
			t.Errorf("declared %d: %d bytes, %v; want the %d-byte body", declared, len(got), err, len(body))
		}
		if declared == int64(len(body)) && cap(got) != len(body)+1 {
			t.Errorf("declared %d: capacity %d, want the body's length and one byte, with no growing", declared, cap(got))
		}
	}
	if _, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a failing read: %v, want io.ErrUnexpectedEOF", err)
	}
}
