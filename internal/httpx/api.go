package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/sync/singleflight"

	"github.com/simusage/terraform-provider-usage/internal/bytesize"
)

// API is one vendor's JSON API as both clients use it: an authenticated GET
// that fails the same way whoever the vendor is, and a page walker (Walk).
// A vendor client is a thin adapter: its wire types, its query rules, its
// error shape (DecodeError) and its credentials (Auth).
type API struct {
	Vendor  string       // "KORE" or "Gigs", as errors name it
	Base    *url.URL     // the configured endpoint; pages never leave its origin
	HTTP    *http.Client // from NewClient: retries, limits, no redirects
	Log     hclog.Logger
	Secrets *Redactor // scrubs every credential from vendor text
	// InFlight is the client's cap on requests in flight, for FanOut.
	InFlight int
	Auth     Auth
	// DecodeError turns a non-2xx JSON body into the vendor's typed error,
	// or returns nil when the body is not the vendor's error object. Vendor
	// text in it must go through Secrets.
	DecodeError func(status int, method, path string, body []byte) error
}

// Auth supplies the bearer credential of each request.
type Auth interface {
	// Token returns the credential to send now.
	Token(ctx context.Context) (string, error)
	// Rejected ends a use of token with a non-2xx answer: it reports whether
	// the answer refused token (rather than the request), dropping it, and
	// whether the token was a fresh one: one that never served a request, as
	// opposed to one revoked after use.
	Rejected(token string, status int, body []byte) (rejected, fresh bool)
	// Served ends a use of token that worked.
	Served(token string)
	// Done ends a use of token that got no answer.
	Done(token string)
}

// StaticToken is an Auth whose one key never changes (an API key): a
// refusal is final, for the vendor's error to explain.
type StaticToken string

func (k StaticToken) Token(context.Context) (string, error)   { return string(k), nil }
func (StaticToken) Rejected(string, int, []byte) (bool, bool) { return false, false }
func (StaticToken) Served(string)                             {}
func (StaticToken) Done(string)                               {}

// URL is the endpoint joined with path segments, each escaped on its own (an
// id holding "/" or "?" stays one segment), and query.
func (a *API) URL(query url.Values, segments ...string) *url.URL {
	u := *a.Base
	raw := u.EscapedPath()
	for _, s := range segments {
		raw += "/" + url.PathEscape(s)
	}
	u.Path, _ = url.PathUnescape(raw) // raw came from PathEscape, so it always unescapes
	u.RawPath = raw
	u.RawQuery = query.Encode()
	return &u
}

// Response is a successful, fully read JSON answer.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// maxFreshTokensRefused is how many freshly issued tokens one request may
// see refused before it gives up: an API that accepts none of the tokens its
// token endpoint issues would otherwise keep it going forever. Tokens that
// served requests and were then revoked do not count: under a vendor that
// revokes tokens again and again with many reads in flight, a request may
// see many of those, and each retry is still worth making.
const maxFreshTokensRefused = 3

// Get performs an authenticated GET of u and returns its 2xx JSON answer.
// Everything else is an error: the vendor's typed error, a *ResponseError for
// an answer nobody can use, a refused redirect, or a transport failure whose
// text names the path, never the URL.
func (a *API) Get(ctx context.Context, u *url.URL) (Response, error) {
	refused := 0
	for {
		tok, err := a.Auth.Token(ctx)
		if err != nil {
			return Response{}, err
		}
		resp, err := a.send(ctx, u, tok)
		if err != nil {
			a.Auth.Done(tok)
			return Response{}, err
		}
		if resp.Status >= 200 && resp.Status < 300 {
			a.Auth.Served(tok)
			if !isJSONType(resp.ContentType) {
				return Response{}, a.ResponseError(u, resp, fmt.Errorf("%s answered with a body that is not JSON", a.Vendor))
			}
			return resp, nil
		}
		rejected, fresh := a.Auth.Rejected(tok, resp.Status, resp.Body)
		if !rejected {
			return Response{}, a.vendorError(u, resp)
		}
		if fresh {
			if refused++; refused == maxFreshTokensRefused {
				return Response{}, fmt.Errorf("%s refused %d freshly issued access tokens in a row for this request; giving up: %w",
					a.Vendor, refused, a.vendorError(u, resp))
			}
		}
		Logger(ctx, a.Log).Debug("the access token was refused; retrying with the next one", "status", resp.Status, "path", u.EscapedPath())
	}
}

func (a *API) send(ctx context.Context, u *url.URL, token string) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, fmt.Errorf("building the %s request for %s: %w", a.Vendor, u.EscapedPath(), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.HTTP.Do(req)
	var conn *ConnectionError
	if errors.As(err, &conn) {
		named := *conn
		named.Vendor = a.Vendor
		named.Err = a.Secrets.RedactError(conn.Err)
		return Response{}, &named
	}
	if err != nil {
		return Response{}, fmt.Errorf("%s GET %s: %w", a.Vendor, u.EscapedPath(), a.Secrets.RedactError(stripURL(err)))
	}
	defer resp.Body.Close()
	r := Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type")}
	r.Body, err = ReadBody(resp, MaxBodyBytes)
	if errors.Is(err, ErrBodyTooLarge) {
		return Response{}, a.ResponseError(u, r, err)
	}
	if err != nil {
		return Response{}, fmt.Errorf("reading the %s response to GET %s: %w", a.Vendor, u.EscapedPath(), a.Secrets.RedactError(err))
	}
	return r, nil
}

// vendorError is the vendor's typed error for a non-2xx answer, or a
// *ResponseError when the body is not the vendor's (an HTML 502, say).
func (a *API) vendorError(u *url.URL, r Response) error {
	if isJSONType(r.ContentType) && a.DecodeError != nil {
		if err := a.DecodeError(r.Status, http.MethodGet, u.EscapedPath(), r.Body); err != nil {
			return err
		}
	}
	return a.ResponseError(u, r, fmt.Errorf("the error body is not %s's JSON", a.Vendor))
}

// ResponseError describes an answer to GET u that cannot be used, with a
// scrubbed excerpt of its body.
func (a *API) ResponseError(u *url.URL, r Response, err error) *ResponseError {
	const head = 64 << 10 // far more than a snippet shows, far less than a page
	body := r.Body
	if len(body) > head {
		body = body[:head]
	}
	return &ResponseError{Vendor: a.Vendor,
		Status:      r.Status,
		ContentType: Clip(r.ContentType),
		Method:      http.MethodGet,
		Path:        u.EscapedPath(),
		// Scrubbed before it is cut, so that half a secret cannot slip through.
		Snippet: Snippet([]byte(a.Secrets.Redact(string(body)))),
		Err:     a.Secrets.RedactError(err),
	}
}

// stripURL drops the URL a *url.Error prints: a next page's URL is the
// vendor's text and need not be echoed.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// ErrVendorData marks answers whose content cannot be true: counters no
// meter produces, records outside the query, more records than the query
// can have. A guardrail must never pass on them, so the read fails.
var ErrVendorData = errors.New("vendor data error")

// Budget bounds what one read may cost. A query's range bounds how many
// records can be true, and so how many pages: a server that sends more is
// broken or hostile, and the read stops there instead of filling memory.
type Budget struct {
	MaxPages, MaxRecords int64
	// MaxBytes bounds the bytes of all the pages together; 0 takes
	// DefaultMaxReadBytes, or DefaultBytesPerRecord for each record allowed
	// when that is more (see ByteBound).
	MaxBytes int64
	// Query names the query in the error, with what bounds it.
	Query                 string
	pages, records, bytes atomic.Int64
}

// The bound on the bytes of one read's list pages, when Budget.MaxBytes is
// 0. Every page is also at most MaxBodyBytes.
const (
	// DefaultMaxReadBytes is the least any list may take: hundreds of times
	// a month of usage records, whose countries make them the largest.
	DefaultMaxReadBytes = 64 << 20
	// DefaultBytesPerRecord lets a long list take more: four times the
	// largest list item measured (a KORE SIM is about 1 KB, a Gigs
	// subscription with its plan 1.5 KB), so a list of 1,000,000 SIMs may
	// take up to 4 GiB, while a server that pads its pages fails long
	// before the record budget runs out.
	DefaultBytesPerRecord = 4 << 10
)

// NewBudget allows maxRecords records in full pages of perPage, plus a last
// page that may be partial or empty.
func NewBudget(maxRecords, perPage int64, query string) *Budget {
	return &Budget{MaxRecords: maxRecords, MaxPages: (maxRecords+perPage-1)/perPage + 1, Query: query}
}

// ByteBound is the most bytes the pages may hold together: MaxBytes when
// set, else the larger of DefaultMaxReadBytes and DefaultBytesPerRecord for
// each record of MaxRecords.
func (b *Budget) ByteBound() int64 {
	if b.MaxBytes > 0 {
		return b.MaxBytes
	}
	if b.MaxRecords > math.MaxInt64/DefaultBytesPerRecord {
		return math.MaxInt64
	}
	return max(DefaultMaxReadBytes, b.MaxRecords*DefaultBytesPerRecord)
}

func (b *Budget) takePage() error {
	if b.pages.Add(1) > b.MaxPages {
		return b.exceeded(fmt.Sprintf("more than %d pages", b.MaxPages))
	}
	return nil
}

// addBytes counts a page of n bytes, failing once the pages pass ByteBound.
func (b *Budget) addBytes(n int) error {
	bound := b.ByteBound()
	if b.bytes.Add(int64(n)) <= bound {
		return nil
	}
	size := bytesize.Format(uint64(max(bound, 0))) //nolint:gosec // max keeps it non-negative
	return fmt.Errorf("%w: the pages of %s passed %s (%d bytes) in all by page %d, the bound on one read's list pages; "+
		"this looks like a broken or hostile server, so the read stops here",
		ErrVendorData, b.Query, size, bound, b.pages.Load())
}

// AddRecords counts n more records, failing once they pass the budget.
func (b *Budget) AddRecords(n int) error {
	if b.records.Add(int64(n)) > b.MaxRecords {
		return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
	}
	return nil
}

// Overflow is the error of a page that holds more records than are Left.
func (b *Budget) Overflow() error {
	return b.exceeded(fmt.Sprintf("more than %d records by page %d", b.MaxRecords, b.pages.Load()))
}

// Left is how many records may still come.
func (b *Budget) Left() int64 { return max(0, b.MaxRecords-b.records.Load()) }

func (b *Budget) exceeded(what string) error {
	return fmt.Errorf("%w: the server sent %s, past the budget of %d records and %d pages derived from %s; "+
		"this looks like a broken or hostile server, so the read stops here", ErrVendorData, what, b.MaxRecords, b.MaxPages, b.Query)
}

// CheckLength refuses vendor text longer than limit characters: an id or name
// past any true length is a broken or hostile answer, and kept it would make
// one list hold gigabytes. The error names field and the bound, never the
// text.
func CheckLength(field, s string, limit int) error {
	if len(s) <= limit { // bytes are never fewer than characters
		return nil
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Errorf("%w: %s is %d characters long, past the bound of %d", ErrVendorData, field, n, limit)
	}
	return nil
}

// PageFunc decodes one page: it returns how many records it held and the
// reference of the next page ("" on the last), absolute or relative to the
// page's URL.
type PageFunc func(u *url.URL, r Response) (records int, next string, err error)

// Walk reads the pages of one list from first until the last, within
// budget. Before the credential is sent to a next page, that page must stay
// on the configured endpoint's origin and must not repeat an earlier one.
func (a *API) Walk(ctx context.Context, first *url.URL, budget *Budget, page PageFunc) error {
	seen := map[string]bool{first.String(): true}
	u := first
	for n := 1; ; n++ {
		if err := budget.takePage(); err != nil {
			return a.ResponseError(u, Response{}, err)
		}
		resp, err := a.Get(ctx, u)
		if err != nil {
			return err
		}
		if err := budget.addBytes(len(resp.Body)); err != nil {
			return a.ResponseError(u, Response{Status: resp.Status}, err)
		}
		records, next, err := page(u, resp)
		if err != nil {
			return a.ResponseError(u, resp, err)
		}
		var nextURL *url.URL
		if next != "" {
			// A loop is named as such before the records it repeats overflow the budget.
			if nextURL, err = a.nextPage(u, next, seen); err != nil {
				return a.ResponseError(u, Response{Status: resp.Status}, err)
			}
		}
		if err := budget.AddRecords(records); err != nil {
			return a.ResponseError(u, Response{Status: resp.Status}, err)
		}
		Logger(ctx, a.Log).Debug("page read", "path", u.EscapedPath(), "page", n, "records", records)
		if nextURL == nil {
			return nil
		}
		u = nextURL
	}
}

// nextPage resolves a next-page reference against the current page and
// checks it: same scheme, host and port as the endpoint (the credential must
// never reach another origin), no user information, not seen before (a loop
// would never end).
func (a *API) nextPage(current *url.URL, next string, seen map[string]bool) (*url.URL, error) {
	ref, err := url.Parse(next)
	if err != nil {
		return nil, errors.New("the next page's URL is not a valid URL")
	}
	u := current.ResolveReference(ref)
	if origin(u) != origin(a.Base) {
		return nil, fmt.Errorf("the next page's URL points away from the configured %s endpoint; refusing to send the credential there", a.Vendor)
	}
	if u.User != nil {
		return nil, errors.New("the next page's URL carries user information")
	}
	u.Fragment, u.RawFragment = "", ""
	key := u.String()
	if seen[key] {
		return nil, errors.New("the next page's URL repeats an earlier page; pagination would never end")
	}
	seen[key] = true
	return u, nil
}

// origin is scheme://host:port, lower-cased, with the default port made
// explicit so that "https://h" and "https://H:443" compare equal.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// ErrTooManyItems reports a page holding more items than the caller allows.
var ErrTooManyItems = errors.New("too many items on one page")

// ErrNotObject reports a body that is not a JSON object at all.
var ErrNotObject = errors.New("the body is not a JSON object")

// DecodeList walks a JSON object holding one list, element by element, so
// that a page of a hundred thousand records fails at the first record past
// limit instead of after all of them became structs. For the member named
// list (an array, or null for none) it calls item with each element's
// index; for every other member it calls member, which must consume the
// value (or skip it with SkipValue). A member that appears twice is refused:
// a decoder keeping the last copy would hide an attempt to count usage twice.
// It reports whether the list member was there.
func DecodeList(body []byte, list string, limit int, item func(dec *json.Decoder, index int) error,
	member func(dec *json.Decoder, name string) error) (found bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		return false, fmt.Errorf("%w: %w", ErrNotObject, err)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false, listError(err)
		}
		name, ok := tok.(string)
		if !ok {
			return false, errors.New("a member name was expected")
		}
		if seen[name] {
			return false, fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		if name != list {
			if err := member(dec, name); err != nil {
				return false, err
			}
			continue
		}
		found = true
		if err := decodeItems(dec, list, limit, item); err != nil {
			return false, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return false, errors.New("the body has data after its closing brace")
	}
	return found, nil
}

func decodeItems(dec *json.Decoder, list string, limit int, item func(*json.Decoder, int) error) error {
	tok, err := dec.Token()
	if err != nil {
		return listError(err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s is not a list", list)
	}
	for i := 0; dec.More(); i++ {
		if i == limit {
			return fmt.Errorf("%w: more than %d", ErrTooManyItems, limit)
		}
		if err := item(dec, i); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

// SkipValue consumes the next value, whatever it is.
func SkipValue(dec *json.Decoder) error {
	var skip json.RawMessage
	return listError(dec.Decode(&skip))
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return listError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%q was expected in the JSON", want)
	}
	return nil
}

// listError names a syntax or type error; io.EOF inside a value is a
// truncated body.
func listError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("decoding the list: %w", err)
}

// ResponseError is a response a vendor client cannot use: not the vendor's
// JSON, too large, an impossible page, pagination that would loop or leave
// the endpoint's host, or counters no meter can produce. Both clients return
// it (as kore.ResponseError and gigs.ResponseError).
type ResponseError struct {
	Vendor      string // "KORE" or "Gigs"
	Status      int    // HTTP status; 0 when the problem is not tied to one response
	ContentType string // as the server declared it
	Method      string
	Path        string // URL path, never the query
	Snippet     string // a short printable excerpt of the body, if useful
	Err         error  // what was wrong
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("unexpected response from " + e.Vendor)
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, " to %s %s", e.Method, e.Path)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, "; body starts %q", e.Snippet)
	}
	return b.String()
}

func (e *ResponseError) Unwrap() error { return e.Err }

// Identical questions answered once: a run-long cache over shared flights.

// Flights runs one fetch per key for all callers asking at the same time.
// The fetch's context is detached from every single caller, so one caller
// giving up does not fail the others, and it is cancelled once the last
// caller has given up, so abandoned work does not linger. The zero value is
// ready to use.
type Flights[T any] struct {
	group singleflight.Group
	mu    sync.Mutex
	calls map[string]*call
}

// call is one fetch in flight and how many callers wait on it.
type call struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
}

// Do returns fetch's answer for key, shared with every concurrent caller of
// the same key.
func (f *Flights[T]) Do(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("before sending the request: %w", err)
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = make(map[string]*call)
	}
	cl := f.calls[key]
	if cl == nil {
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cl = &call{ctx: cctx, cancel: cancel}
		f.calls[key] = cl
	}
	cl.waiters++
	f.mu.Unlock()

	ch := f.group.DoChan(key, func() (any, error) {
		v, err := fetch(cl.ctx)
		f.mu.Lock()
		if f.calls[key] == cl {
			delete(f.calls, key)
		}
		f.mu.Unlock()
		cl.cancel()
		return v, err
	})

	select {
	case r := <-ch:
		f.mu.Lock()
		cl.waiters--
		f.mu.Unlock()
		if r.Err != nil {
			return zero, r.Err
		}
		v, ok := r.Val.(T)
		if !ok { // only fetch fills a flight of T; reported, never a panic
			return zero, fmt.Errorf("shared request answered a %T, not a %T", r.Val, zero)
		}
		return v, nil
	case <-ctx.Done():
		f.mu.Lock()
		cl.waiters--
		if cl.waiters == 0 && f.calls[key] == cl {
			// Nobody is left: stop the work, and let the next caller start
			// afresh rather than join a fetch that is being cancelled.
			delete(f.calls, key)
			f.group.Forget(key)
			cl.cancel()
		}
		f.mu.Unlock()
		return zero, fmt.Errorf("waiting for a shared request: %w", ctx.Err())
	}
}

// RunCache answers each key once: concurrent callers share one fetch
// (Flights), and a successful answer is kept for the life of the RunCache, in
// the provider one Terraform run. Failures are not kept. Callers must copy
// what they hand out: the value is shared. The zero value is ready to use.
type RunCache[T any] struct {
	flights Flights[T]
	mu      sync.Mutex
	results map[string]T
}

// Do returns the kept answer for key, or fetches it once for all callers.
func (s *RunCache[T]) Do(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	if v, ok := s.kept(key); ok {
		return v, nil
	}
	return s.flights.Do(ctx, key, func(ctx context.Context) (T, error) {
		if v, ok := s.kept(key); ok { // a fetch for key may have just finished
			return v, nil
		}
		v, err := fetch(ctx)
		if err == nil {
			s.mu.Lock()
			if s.results == nil {
				s.results = make(map[string]T)
			}
			s.results[key] = v
			s.mu.Unlock()
		}
		return v, err
	})
}

func (s *RunCache[T]) kept(key string) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.results[key]
	return v, ok
}
