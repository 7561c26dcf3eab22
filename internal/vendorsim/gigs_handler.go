package vendorsim

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
)

// GigsList is the Gigs list envelope. The cursors are null when no items lie
// beyond the batch on that side.
type GigsList[T any] struct {
	Object          string  `json:"object"`
	Items           []T     `json:"items"`
	MoreItemsAfter  *string `json:"moreItemsAfter"`
	MoreItemsBefore *string `json:"moreItemsBefore"`
}

// gigsList is the body of the usage endpoint.
type gigsList = GigsList[GigsUsageRecord]

// gigsSubscriptionRequest runs the checks every request about one
// subscription starts with, in the vendor's order: the path (the project
// and subscription exist), then the query (it parses). ok is false when the
// error is answered.
func (s *Server) gigsSubscriptionRequest(w http.ResponseWriter, r *http.Request, project, id string) (*subRecord, url.Values, bool) {
	sub, e := s.subscription(project, id)
	if e != nil {
		writeGigsError(w, e)
		return nil, nil, false
	}
	v, e := gigsQuery(r)
	if e != nil {
		writeGigsError(w, e)
		return nil, nil, false
	}
	return sub, v, true
}

// serveGigsUsage is GET /projects/{project}/subscriptions/{subscription}/usage.
// Checks run in the vendor's order: auth (gigsRoute), then path, then query.
func (s *Server) serveGigsUsage(w http.ResponseWriter, r *http.Request, project, subscription string) {
	sub, v, ok := s.gigsSubscriptionRequest(w, r, project, subscription)
	if !ok {
		return
	}
	h := s.faults.currentHostile()
	paged := h.GigsPageSize > 0 || h.GigsCursorLoop
	q, after, e := parseGigsParams(v, paged)
	if e != nil {
		writeGigsError(w, e)
		return
	}
	items, e := s.gigsUsage(sub, q, s.now())
	if e != nil {
		writeGigsError(w, e)
		return
	}
	list := gigsList{Object: "list", Items: items}
	if paged {
		if e := pageGigsList(&list, sub.id, v, after, h); e != nil {
			writeGigsError(w, e)
			return
		}
	}
	if h.NegativeCounter && len(list.Items) > 0 {
		list.Items[0].Data = -list.Items[0].Data - 1
	}
	writeJSON(w, http.StatusOK, list)
}

// parseGigsParams enforces Gigs' strictness: known parameters only, each
// once, never empty. after is accepted only while hostile paging is on.
func parseGigsParams(v url.Values, paged bool) (GigsQuery, string, *GigsError) {
	var q GigsQuery
	allowed := []string{"period", "start", "end", "aggregation"}
	if paged {
		allowed = append(allowed, "after")
	}
	if e := checkGigsParams(v, allowed, "Allowed parameters: period, start, end, aggregation."); e != nil {
		return q, "", e
	}
	if p := v.Get("period"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return q, "", gigsInvalid("invalidPeriod", "The period must be an integer of at least 1.", "Pass a subscription period number such as 1.")
		}
		q.Period = n
	}
	q.Start, q.End, q.Aggregation = v.Get("start"), v.Get("end"), v.Get("aggregation")
	return q, v.Get("after"), nil
}

// checkGigsParams enforces Gigs' strictness: known parameters only, each
// once, never empty. hint names the parameters the endpoint takes.
func checkGigsParams(v url.Values, allowed []string, hint string) *GigsError {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case !contains(allowed, k):
			return gigsInvalid("unknownParameter", "Unknown query parameter "+quote(k)+".", hint)
		case len(v[k]) > 1:
			return gigsInvalid("duplicateParameter", "The parameter "+quote(k)+" is given more than once.", "Pass each parameter once.")
		case v[k][0] == "":
			return gigsInvalid("emptyParameter", "The parameter "+quote(k)+" is empty.", "Leave out parameters you do not need.")
		}
	}
	return nil
}

// gigsQuery parses the query string; a malformed one is an error.
func gigsQuery(r *http.Request) (url.Values, *GigsError) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, gigsError(http.StatusBadRequest, "malformed", "The query string is malformed.")
	}
	return v, nil
}

// pageGigsList applies the hostile paging knobs: cursor paging of
// GigsPageSize items, or a cursor that never moves on.
func pageGigsList(list *gigsList, subID string, v url.Values, after string, h Hostile) *GigsError {
	rest := url.Values{}
	for k, x := range v {
		if k != "after" {
			rest[k] = x
		}
	}
	sum := fingerprint(subID + "?" + rest.Encode())
	offset := 0
	if after != "" {
		off, ok := parseGigsCursor(after, sum)
		if !ok {
			return gigsInvalid("invalidCursor", "The after cursor is not valid for this list.", "Pass moreItemsAfter from the previous page unchanged.")
		}
		offset = off
	}
	if h.GigsCursorLoop {
		offset = 0 // the cursor never advances
	}
	all := list.Items
	offset = min(offset, len(all))
	end := len(all)
	if h.GigsPageSize > 0 {
		end = min(offset+h.GigsPageSize, len(all))
	}
	list.Items = all[offset:end]
	if offset > 0 {
		c := gigsCursor(sum, offset)
		list.MoreItemsBefore = &c
	}
	switch {
	case h.GigsCursorLoop:
		c := gigsCursor(sum, 0)
		list.MoreItemsAfter = &c
	case end < len(all):
		c := gigsCursor(sum, end)
		list.MoreItemsAfter = &c
	}
	return nil
}

func gigsCursor(fp uint32, offset int) string { return encodeCursor("cur_", fp, offset) }

func parseGigsCursor(c string, fp uint32) (int, bool) { return decodeCursor("cur_", c, fp) }
