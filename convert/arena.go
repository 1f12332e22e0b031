package convert

import (
	"strconv"
	"unsafe"
)

// arena holds the strings of findings and evidence: paths and messages
// are appended to a chunk and handed out as views of it, so that a policy's
// dozens of small strings cost no allocation once the chunk has grown to
// what a call needs. Within a call, bytes once handed out are never written
// again (a full chunk is left to the strings that use it and a new one
// started); reset takes the chunk back for the next call.
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

// reset takes back the memory of the strings handed out so far: the
// results that hold them are valid only until the Converter's next call.
func (a *arena) reset() {
	a.chunk = a.chunk[:0]
	a.last = ""
}

// reserve makes room for n more bytes in the current chunk.
func (a *arena) reserve(n int) {
	if cap(a.chunk)-len(a.chunk) < n {
		// Twice the last chunk: after a reset the arena keeps the largest,
		// so a call needs new chunks only while the calls grow.
		a.chunk = make([]byte, 0, max(arenaChunk, 2*cap(a.chunk), n))
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
	start := a.mark(len(b))
	a.chunk = append(a.chunk, b...)
	a.last = a.since(start)
	return a.last
}

// mark makes room for about n more bytes and returns where the string
// appended next starts; since(mark) is that string.
func (a *arena) mark(n int) int {
	a.reserve(n)
	return len(a.chunk)
}

// since returns the bytes appended from start on as a string. (An append
// past the room made may move the chunk: the strings handed out before
// keep the old one.)
func (a *arena) since(start int) string {
	if len(a.chunk) == start {
		return ""
	}
	return unsafe.String(&a.chunk[start], len(a.chunk)-start)
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
	start := a.mark(n)
	for _, p := range parts {
		a.chunk = append(a.chunk, p...)
	}
	return a.since(start)
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

// compact returns the JSON value raw on one line (see compact) as a string
// in the arena, or raw itself when it is on one line already.
func (a *arena) compact(raw string) string {
	if !needsCompact(raw) {
		return raw
	}
	start := a.mark(len(raw))
	a.chunk = appendCompact(a.chunk, raw)
	return a.since(start)
}

// num returns n in decimal as a string in the arena.
func (a *arena) num(n int64) string {
	start := a.mark(20)
	a.chunk = strconv.AppendInt(a.chunk, n, 10)
	return a.since(start)
}

// quote returns s as a Go-quoted string in the arena, as strconv.Quote.
func (a *arena) quote(s string) string {
	start := a.mark(3*len(s)/2 + 2)
	a.chunk = strconv.AppendQuote(a.chunk, s)
	return a.since(start)
}

// days returns n days as an ISO 8601 duration (see appendDays), in the
// arena.
func (a *arena) days(n int64) string {
	start := a.mark(24)
	a.chunk = appendDays(a.chunk, n)
	return a.since(start)
}

// minutes returns n minutes as an ISO 8601 duration (see appendMinutes), in
// the arena.
func (a *arena) minutes(n int64) string {
	start := a.mark(48)
	a.chunk = appendMinutes(a.chunk, n)
	return a.since(start)
}
