package model

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"unsafe"
)

// Paths in findings, errors and validation problems are written like
// JavaScript property accesses: identifier keys joined by dots, array
// indexes in brackets, and any other key as a quoted string in brackets, so
// that keys such as "@odata.type" or "a.b" stay unambiguous:
//
//	requestApprovalSettings.stages[0].primaryApprovers[1]["@odata.type"]

// AppendKey appends the path segment for an object key to path.
func AppendKey(path []byte, key string) []byte {
	if isIdent(key) {
		if len(path) > 0 {
			path = append(path, '.')
		}
		return append(path, key...)
	}
	path = append(path, '[')
	path = strconv.AppendQuote(path, key)
	return append(path, ']')
}

// AppendIndex appends the path segment for an array index to path.
func AppendIndex(path []byte, i int) []byte {
	if uint(i) < 10 { // nearly every index: one digit, no conversion
		return append(path, '[', byte('0'+i), ']')
	}
	path = append(path, '[')
	path = strconv.AppendInt(path, int64(i), 10)
	return append(path, ']')
}

// JoinPath returns path extended by key, as a string.
func JoinPath(path, key string) string {
	return string(AppendKey([]byte(path), key))
}

func isIdent(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	i := 0
	// Eight bytes at a time while they are all ASCII letters, as nearly
	// every key is: every finding's and nearly every member's path goes
	// through here.
	for ; i+8 <= len(s); i += 8 {
		// The eight bytes at i, checked once (s[i+7]) where the slice and
		// unsafe.Slice checked twice.
		_ = s[i+7]
		x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i))[:])
		if x&highs != 0 {
			break
		}
		// Below 0x80, a byte of y + 0x80 - lo has its high bit set exactly
		// when the byte of y is lo or more, with no carry between bytes.
		y := x | 0x20*ones // 'A'-'Z' to 'a'-'z'
		if (y+(0x80-'a')*ones)&^(y+(0x80-'z'-1)*ones)&highs != highs {
			break
		}
	}
	for ; i < len(s); i++ {
		if !identByte[s[i]] {
			return false
		}
	}
	return true
}

const ones, highs = 0x0101010101010101, 0x8080808080808080

// identByte marks the bytes of an identifier (a digit only after the first).
var identByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return
}()

// PathSegment is one step of a path: an object key or an array index.
type PathSegment struct {
	Key     string
	Index   int
	IsIndex bool
}

// ParsePath reads a path written in the notation above back into its
// segments.
func ParsePath(p string) ([]PathSegment, error) {
	var segs []PathSegment
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '.' && i > 0:
			i++
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("path %q: empty key at byte %d", p, i)
			}
			segs = append(segs, PathSegment{Key: p[i:j]})
			i = j
		case c == '[' && i+1 < len(p) && p[i+1] == '"':
			j := i + 2
			for j < len(p) && (p[j] != '"' || p[j-1] == '\\' && !evenBackslashes(p[i+2:j])) {
				j++
			}
			if j+1 >= len(p) || p[j+1] != ']' {
				return nil, fmt.Errorf("path %q: unterminated quoted key at byte %d", p, i)
			}
			k, err := strconv.Unquote(p[i+1 : j+1])
			if err != nil {
				return nil, fmt.Errorf("path %q: bad quoted key at byte %d: %v", p, i, err)
			}
			segs = append(segs, PathSegment{Key: k})
			i = j + 2
		case c == '[':
			j := i + 1
			for j < len(p) && '0' <= p[j] && p[j] <= '9' {
				j++
			}
			if j == i+1 || j >= len(p) || p[j] != ']' {
				return nil, fmt.Errorf("path %q: bad index at byte %d", p, i)
			}
			n, err := strconv.Atoi(p[i+1 : j])
			if err != nil {
				return nil, fmt.Errorf("path %q: bad index at byte %d", p, i)
			}
			segs = append(segs, PathSegment{Index: n, IsIndex: true})
			i = j + 1
		case i == 0:
			j := 0
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == 0 {
				// A leading dot: no key before it. (Taken as an empty key,
				// this case came back to itself forever.)
				return nil, fmt.Errorf("path %q: empty key at byte 0", p)
			}
			segs = append(segs, PathSegment{Key: p[:j]})
			i = j
		default:
			return nil, fmt.Errorf("path %q: unexpected %q at byte %d", p, c, i)
		}
	}
	return segs, nil
}

// evenBackslashes reports whether s ends in an even number of backslashes
// (so a following quote is not escaped).
func evenBackslashes(s string) bool {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 0
}
