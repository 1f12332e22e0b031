package model

import "strconv"

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
	path = append(path, '[')
	path = strconv.AppendInt(path, int64(i), 10)
	return append(path, ']')
}

// JoinPath returns path extended by key, as a string.
func JoinPath(path, key string) string {
	return string(AppendKey([]byte(path), key))
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
