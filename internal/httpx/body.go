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
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w of %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// Snippet is a short, printable excerpt of a body for an error message, so a
// diagnostic never carries a whole HTML page.
func Snippet(b []byte) string {
	const n = 120
	// C0, DEL and C1 controls become spaces: none may reach a terminal.
	// strings.Map also turns invalid UTF-8 into U+FFFD.
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(b))
	return cut(strings.Join(strings.Fields(s), " "), n)
}

// Clip bounds vendor text copied into an error, so that a diagnostic stays
// readable.
func Clip(s string) string {
	return cut(strings.ToValidUTF8(s, "\uFFFD"), 300)
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// isJSONType reports whether a Content-Type declares JSON; none counts, as
// some gateways send none.
func isJSONType(contentType string) bool {
	ct := strings.ToLower(contentType) // media types are case-insensitive
	return ct == "" || strings.Contains(ct, "json")
}
