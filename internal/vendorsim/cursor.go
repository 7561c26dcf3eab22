package vendorsim

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
)

// Page tokens and cursors are opaque to clients: a prefix, then a fingerprint
// of the list they belong to and an offset into it. A token from another
// query, page size or subscription does not decode.

func fingerprint(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

func encodeCursor(prefix string, fp uint32, offset int) string {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:4], fp)
	binary.BigEndian.PutUint32(b[4:], uint32(offset))
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeCursor(prefix, cursor string, fp uint32) (int, bool) {
	if len(cursor) < len(prefix) || cursor[:len(prefix)] != prefix {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor[len(prefix):])
	if err != nil || len(b) != 8 || binary.BigEndian.Uint32(b[:4]) != fp {
		return 0, false
	}
	off := binary.BigEndian.Uint32(b[4:])
	if off > 1<<30 {
		return 0, false
	}
	return int(off), true
}
