package vendorsim

import (
	"net/http"
	"net/url"
	"strconv"
)

// pager turns a page request into bounds and the meta block with absolute
// URLs. Every URL carries the query's filters and PageSize, so following
// next_page_url verbatim walks the same list.
type pager struct {
	base    string // scheme://host/path of this list
	path    string
	filters url.Values
	size    int
	page    int
	offset  int
	total   int
	fp      uint32 // binds page tokens to this list and PageSize
	token   bool   // the request carried a PageToken
}

func newPager(r *http.Request, filters url.Values, req pageRequest, total int) (*pager, *KoreError) {
	p := &pager{base: requestBase(r) + r.URL.Path, path: r.URL.Path, filters: filters,
		size: req.size, page: req.page, total: total}
	p.fp = listFingerprint(r.URL.Path, filters, req.size)
	if req.token == "" {
		p.offset = min(req.page, total) * req.size
	} else {
		off, ok := parsePageToken(req.token, p.fp)
		if !ok {
			return nil, koreError(400, koreCodeInvalidPaging, "Invalid PageToken: it does not belong to this query; follow next_page_url as given")
		}
		p.offset, p.token = off, true
		if !req.pageGiven {
			p.page = off / req.size
		}
	}
	p.offset = min(p.offset, total)
	return p, nil
}

// bounds are the list indexes [lo, hi) of this page.
func (p *pager) bounds() (int, int) {
	return p.offset, min(p.offset+p.size, p.total)
}

func (p *pager) url(base string, page, offset int, withToken bool) string {
	q := url.Values{}
	for k, v := range p.filters {
		q[k] = v
	}
	q.Set("PageSize", strconv.Itoa(p.size))
	q.Set("Page", strconv.Itoa(page))
	if withToken {
		q.Set("PageToken", pageToken(p.fp, offset))
	}
	return base + "?" + q.Encode()
}

// meta builds the paging block; the hostile knobs bend next_page_url.
func (p *pager) meta(key string, h Hostile) KoreListMeta {
	m := KoreListMeta{Page: p.page, PageSize: p.size, Key: key,
		FirstPageURL: p.url(p.base, 0, 0, false),
		URL:          p.url(p.base, p.page, p.offset, p.token)}
	if p.offset > 0 {
		prev := p.url(p.base, max(p.page-1, 0), max(p.offset-p.size, 0), true)
		m.PreviousPageURL = &prev
	}
	next := p.offset + p.size
	if next < p.total {
		u := p.url(p.base, p.page+1, next, true)
		m.NextPageURL = &u
	}
	switch {
	case h.KoreNextPageForeign:
		u := p.url(foreignHost+p.path, p.page+1, next, true)
		m.NextPageURL = &u
	case h.KoreNextPageLoop:
		u := m.URL
		m.NextPageURL = &u
	}
	return m
}

func requestBase(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func listFingerprint(path string, filters url.Values, size int) uint32 {
	return fingerprint(path + "?" + filters.Encode() + "#" + strconv.Itoa(size))
}

func pageToken(fp uint32, offset int) string { return encodeCursor("PT", fp, offset) }

func parsePageToken(token string, fp uint32) (int, bool) { return decodeCursor("PT", token, fp) }
