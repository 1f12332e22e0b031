package convert

import "unsafe"

// arena holds the strings of findings and evidence: paths and messages
// are appended to a chunk and handed out as views of it, so that a policy's
// dozens of small strings cost one allocation now and then instead of one
// each. Bytes once handed out are never written again; a full chunk is
// left to the strings that use it and a new one started.
type arena struct {
	chunk []byte
	// last is the string str handed out last: a finding's path is often
	// its target path too, or the path of the evidence just noted.
	last string
	// input is the document being converted: a string that lies in it is
	// a view of the caller's buffer and must be copied; any other string
	// (a literal, or one already in the arena) is immutable and is handed
	// out as it is.
	input string
	// list is scratch for joinList, whose result is only ever a part of a
	// message that join copies.
	list []byte
}

const arenaChunk = 16 << 10

// reserve makes room for n more bytes in the current chunk.
func (a *arena) reserve(n int) {
	if cap(a.chunk)-len(a.chunk) < n {
		a.chunk = make([]byte, 0, max(arenaChunk, n))
	}
}

// str returns b as a string in the arena.
func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if string(b) == a.last {
		return a.last
	}
	a.reserve(len(b))
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	a.last = unsafe.String(&a.chunk[start], len(b))
	return a.last
}

// within reports whether s lies in the n bytes at base.
func within(s string, base unsafe.Pointer, n int) bool {
	if len(s) == 0 || n == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(base)
	return p >= lo && p < lo+uintptr(n)
}

// mutable reports whether s is a view of memory that changes later: the
// caller's input, or the joinList scratch.
func (a *arena) mutable(s string) bool {
	return within(s, unsafe.Pointer(unsafe.StringData(a.input)), len(a.input)) ||
		within(s, unsafe.Pointer(unsafe.SliceData(a.list)), cap(a.list))
}

// join returns the concatenation of parts as a string in the arena.
func (a *arena) join(parts ...string) string {
	if len(parts) == 1 && !a.mutable(parts[0]) {
		return parts[0]
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n == 0 {
		return ""
	}
	a.reserve(n)
	start := len(a.chunk)
	for _, p := range parts {
		a.chunk = append(a.chunk, p...)
	}
	return unsafe.String(&a.chunk[start], n)
}

// joinList returns names separated by sep, for a part of a message: the
// string is scratch, valid until the next call (join copies it).
func (a *arena) joinList(names []string, sep string) string {
	b := a.list[:0]
	for i, s := range names {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, s...)
	}
	a.list = b
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
