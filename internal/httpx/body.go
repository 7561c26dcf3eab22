package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// MaxBodyBytes bounds any vendor response we read: a 1000-record KORE page
// is about 2.5 MB, so 32 MiB leaves room without letting a hostile or broken
// server exhaust memory.
const MaxBodyBytes = 32 << 20

// ErrBodyTooLarge reports a response larger than the limit passed to ReadBody.
var ErrBodyTooLarge = errors.New("response body exceeds the size limit")

// ReadBody reads at most limit bytes of resp.Body and closes it.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	b, err := readAll(io.LimitReader(resp.Body, limit+1), resp.ContentLength)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w of %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// maxPresize is the largest declared Content-Length that readAll reserves
// ahead: a larger body (a list page) is read as io.ReadAll reads it, its
// buffer following the bytes that arrive, so that a server announcing a
// huge body it never sends costs nothing.
const maxPresize = 64 << 10

// readAll is io.ReadAll whose buffer, for a small declared length, starts at
// it (one byte more, to see the end without growing): a fleet read reads one
// small body per SIM, and io.ReadAll would grow a buffer for each.
func readAll(r io.Reader, declared int64) ([]byte, error) {
	if declared <= 0 || declared > maxPresize {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, declared+1)
	for len(b) < cap(b) {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	// More than declared arrived: read the rest as io.ReadAll would.
	rest, err := io.ReadAll(r)
	return append(b, rest...), err
}

// MaxVendorText is how many bytes of one vendor text (a message, hint, code,
// link or value quoted in an error) a diagnostic shows: both vendors alike.
const MaxVendorText = 300

// Snippet is a short, printable excerpt of a body for an error message, so a
// diagnostic never carries a whole HTML page.
func Snippet(b []byte) string {
	return clip(strings.Join(strings.Fields(printable(string(b))), " "), 120)
}

// Clip makes vendor text safe to copy into an error: control characters and
// bidirectional overrides cannot reach a terminal (see printable), and the
// text is cut to MaxVendorText bytes so that a diagnostic stays readable.
func Clip(s string) string { return clip(s, MaxVendorText) }

// clip is printable(s) cut to at most n bytes on a rune boundary, the cut
// marked.
func clip(s string, n int) string {
	// Only what can be shown is cleaned: printable changes a rune's width by
	// at most half, so 4n bytes always cover n.
	more := len(s) > 4*n
	if more {
		s = s[:4*n]
	}
	s = printable(s)
	if len(s) <= n && !more {
		return s
	}
	end := min(n, len(s))
	for end > 0 && end < len(s) && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// printable replaces what must not reach a terminal: C0 controls, DEL and C1
// controls (ESC sequences, BEL, CR rewriting a line) and the Unicode line
// separators become spaces; bidirectional controls, which reorder what is
// shown, become U+FFFD; invalid UTF-8 becomes U+FFFD.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Bidi_Control, r):
			return utf8.RuneError
		case unsafeRune(r):
			return ' '
		}
		return r
	}, s)
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// isJSONType reports whether a Content-Type declares JSON; none counts, as
// some gateways send none.
func isJSONType(contentType string) bool {
	ct := strings.ToLower(contentType) // media types are case-insensitive
	return ct == "" || strings.Contains(ct, "json")
}
