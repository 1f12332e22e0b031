package convert

import "unsafe"

// arena holds the strings of findings and evidence: paths and messages
// are appended to a chunk and handed out as views of it, so that a policy's
// dozens of small strings cost one allocation now and then instead of one
// each. Bytes once handed out are never written again; a full chunk is
// left to the strings that use it and a new one started.
type arena struct{ chunk []byte }

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
	a.reserve(len(b))
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return unsafe.String(&a.chunk[start], len(b))
}

// join returns the concatenation of parts as a string in the arena.
func (a *arena) join(parts ...string) string {
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

// joinList returns names separated by sep, as a string in the arena.
func (a *arena) joinList(names []string, sep string) string {
	n := 0
	for _, s := range names {
		n += len(s) + len(sep)
	}
	if n == 0 {
		return ""
	}
	a.reserve(n)
	start := len(a.chunk)
	for i, s := range names {
		if i > 0 {
			a.chunk = append(a.chunk, sep...)
		}
		a.chunk = append(a.chunk, s...)
	}
	return unsafe.String(&a.chunk[start], len(a.chunk)-start)
}
