package gigs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// page is one decoded list response.
type page struct {
	records []UsageRecord
	next    *string // moreItemsAfter
	status  int
	ctype   string
}

// listAll fetches every page of one query and vets the records together.
// Gigs does not document cursor parameters for this endpoint, so
// after=<moreItemsAfter> is sent only when the vendor reports more items.
// The query's budget bounds the pages and records taken, so a broken or
// hostile server stops the read early instead of filling memory.
func (c *Client) listAll(ctx context.Context, project, subscription string, q UsageQuery) ([]UsageRecord, error) {
	path := "/projects/" + url.PathEscape(project) + "/subscriptions/" + url.PathEscape(subscription) + "/usage"
	params := q.values()
	budget := newReadBudget(q)
	// Cursors are vendor text, so only the caller's own parameters are logged.
	c.log.Debug("listing usage records", "path", path, "query", params.Encode(), "max_records", budget.records)
	refuse := func(status int, ctype string, err error) error {
		return &ResponseError{Vendor: vendor, Status: status, ContentType: ctype, Method: http.MethodGet, Path: c.pathOf(path), Err: c.secrets.RedactError(err)}
	}
	seen := make(map[string]bool)
	all := make([]UsageRecord, 0)
	for n := 1; ; n++ {
		if n > budget.pages {
			return nil, refuse(0, "", budget.exceeded(fmt.Sprintf("more than %d pages", budget.pages)))
		}
		p, err := c.getPage(ctx, path, params, budget.records-len(all))
		if errors.Is(err, errTooManyRecords) {
			return nil, refuse(p.status, p.ctype, budget.exceeded(fmt.Sprintf("more than %d records by page %d", budget.records, n)))
		}
		if err != nil {
			return nil, err
		}
		all = append(all, p.records...)
		if p.next == nil {
			break
		}
		cursor := *p.next
		var bad error
		switch {
		case cursor == "":
			bad = errors.New("moreItemsAfter is an empty cursor")
		case seen[cursor]:
			bad = fmt.Errorf("moreItemsAfter cursor %q repeats after %d pages (cursor loop)", cursor, n)
		}
		if bad != nil {
			return nil, refuse(p.status, p.ctype, bad)
		}
		seen[cursor] = true
		params.Set("after", cursor)
		c.log.Debug("following moreItemsAfter cursor", "path", path, "page", n+1)
	}
	if err := vetRecords(all, q); err != nil {
		return nil, refuse(0, "", err)
	}
	c.log.Debug("usage records listed", "path", path, "records", len(all))
	return all, nil
}

// getPage makes one GET (retried by the transport) and decodes its answer,
// taking at most limit records. A page over the limit returns its status
// and an error wrapping errTooManyRecords.
func (c *Client) getPage(ctx context.Context, path string, params url.Values, limit int) (page, error) {
	target := c.base + path
	if len(params) > 0 {
		target += "?" + params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return page{}, fmt.Errorf("gigs: building request for %s: %w", c.pathOf(path), err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		// Drop the URL the transport error repeats: its cursor is vendor text.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return page{}, fmt.Errorf("gigs: GET %s: %w", req.URL.EscapedPath(), c.secrets.RedactError(err))
	}
	ctype := resp.Header.Get("Content-Type")
	fail := func(body []byte, err error) *ResponseError {
		return &ResponseError{Vendor: vendor,
			Status: resp.StatusCode, ContentType: ctype,
			Method: http.MethodGet, Path: req.URL.EscapedPath(),
			Snippet: httpx.Snippet([]byte(c.secrets.Redact(string(body)))), Err: c.secrets.RedactError(err),
		}
	}

	body, err := httpx.ReadBody(resp, httpx.MaxBodyBytes)
	if err != nil {
		return page{}, fail(nil, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if httpx.IsJSON(resp) {
			if e, ok := decodeError(body); ok {
				return page{}, c.apiError(resp.StatusCode, req.URL.EscapedPath(), e)
			}
		}
		return page{}, fail(body, errors.New("body is not a Gigs error object"))
	}
	if !httpx.IsJSON(resp) {
		return page{}, fail(body, errors.New("body is not JSON"))
	}
	records, next, err := decodePage(body, limit)
	if errors.Is(err, errTooManyRecords) {
		return page{status: resp.StatusCode, ctype: ctype}, err
	}
	if err != nil {
		return page{}, fail(body, err)
	}
	return page{records: records, next: next, status: resp.StatusCode, ctype: ctype}, nil
}

func (c *Client) apiError(status int, path string, e wireError) *APIError {
	docs := make([]string, len(e.Documentation))
	for i, d := range e.Documentation {
		docs[i] = c.secrets.Redact(d)
	}
	return &APIError{
		Status: status, Type: c.secrets.Redact(e.Type), Code: c.secrets.Redact(e.Code),
		Message: c.secrets.Redact(e.Message), Hint: c.secrets.Redact(e.Hint), Documentation: docs,
		Method: http.MethodGet, Path: path,
	}
}

// pathOf is the escaped request path including any base path of the endpoint.
func (c *Client) pathOf(path string) string {
	if u, err := url.Parse(c.base + path); err == nil {
		return u.EscapedPath()
	}
	return path
}
