package gigs

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
)

// Every Gigs list is the same envelope: {"object": "list", "items": [...],
// "moreItemsAfter": <cursor or null>}. These helpers read it once for the
// usage records and the subscriptions alike.

// errNotList reports a JSON body that is not a Gigs list.
var errNotList = errors.New(`body is not a Gigs list (object "list")`)

// readList decodes one list page onto dst: at most limit items, each by
// item, one at a time (so a hostile page never becomes that many structs),
// and the cursor of the next page (nil when there is none).
func readList[T any](dst []T, body []byte, limit int, item func(dec *httpx.ListDecoder, i int) (T, error)) ([]T, *string, error) {
	var (
		object string
		next   *string
	)
	_, err := httpx.DecodeList(body, "items", limit,
		func(dec *httpx.ListDecoder, i int) error {
			v, err := item(dec, i)
			if err != nil {
				return err
			}
			dst = append(dst, v)
			return nil
		},
		func(dec *httpx.ListDecoder, name string) error {
			switch { // names match in any case, as for every member (httpx.DecodeList)
			case strings.EqualFold(name, "object"):
				if err := httpx.Decode(dec, &object); err != nil || object != "list" {
					return errNotList
				}
				return nil
			case strings.EqualFold(name, "moreItemsAfter"):
				return httpx.Decode(dec, &next)
			}
			return httpx.SkipValue(dec)
		})
	switch {
	case errors.Is(err, httpx.ErrNotObject):
		return nil, nil, errNotList
	case err != nil:
		return nil, nil, err
	case object != "list":
		return nil, nil, errNotList
	}
	return dst, next, nil
}

// cursors are the moreItemsAfter cursors a walk has followed.
type cursors map[string]bool

// next is the reference of the page after u for cursor ("" on the last
// page). An empty cursor or one seen before (a loop) is refused.
func (seen cursors) next(u *url.URL, cursor *string) (string, error) {
	switch {
	case cursor == nil:
		return "", nil
	case *cursor == "":
		return "", errors.New("moreItemsAfter is an empty cursor")
	case seen[*cursor]:
		return "", fmt.Errorf("moreItemsAfter repeats an earlier cursor after %d pages (cursor loop)", len(seen)+1)
	}
	seen[*cursor] = true
	next := *u
	v := next.Query()
	v.Set("after", *cursor)
	next.RawQuery = v.Encode()
	return next.String(), nil
}
