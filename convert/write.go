package convert

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// The writer builds the output in one buffer, in one pass. Members copied
// from the source keep their own gap, key and colon bytes; members that a
// rule creates take the layout of their neighbours, or of the document
// (newline, indentation unit, colon spacing) when they have none. A value
// that moves to another depth (requestorSettings.allowedRequestors becomes
// the top-level specificAllowedTargets) is re-indented by the difference.

// layout is how the document is formatted.
type layout struct {
	nl    string // newline ("\n" or "\r\n"); "" when the document is on one line
	unit  string // one level of indentation
	colon string // what separates a new key from its value
	comma string // what follows a comma in one-line documents
}

func detectLayout(doc string) layout {
	l := layout{colon: ": ", unit: "  "}
	nl := strings.IndexByte(doc, '\n')
	if nl < 0 {
		l.colon = ":"
		if i := strings.IndexByte(doc, ':'); i >= 0 && i+1 < len(doc) && doc[i+1] == ' ' {
			l.colon = ": "
		}
		if i := strings.IndexByte(doc, ','); i >= 0 && i+1 < len(doc) && doc[i+1] == ' ' {
			l.comma = " "
		}
		return l
	}
	l.nl = "\n"
	if nl > 0 && doc[nl-1] == '\r' {
		l.nl = "\r\n"
	}
	// The first indented line after a newline is one level deep.
	for i := nl; i >= 0 && i < len(doc); {
		j := i + 1
		for j < len(doc) && (doc[j] == ' ' || doc[j] == '\t') {
			j++
		}
		if j > i+1 && j < len(doc) && doc[j] != '\n' && doc[j] != '\r' {
			l.unit = doc[i+1 : j]
			break
		}
		k := strings.IndexByte(doc[j:], '\n')
		if k < 0 {
			break
		}
		i = j + k
	}
	if i := strings.Index(doc, "\":"); i >= 0 && i+2 < len(doc) && doc[i+2] != ' ' {
		l.colon = ":"
	}
	return l
}

type writer struct {
	buf []byte
	lay layout
	// pad is padNL and then padUnit repeated: the gaps of new members are
	// its prefixes, where making each one was two allocations (every
	// made-up object of an indented document: 13 a typical policy). All
	// three are copies, not views of the input as the layout's unit is, so
	// that a caller reusing its buffer cannot change them.
	pad, padNL, padUnit string
}

// indent returns the gap that puts a new member or element at depth.
func (w *writer) indent(depth int) string {
	if w.lay.nl == "" {
		return w.lay.comma
	}
	nl, unit := w.lay.nl, w.lay.unit
	depth = max(depth, 0)
	n := len(nl) + depth*len(unit)
	if nl != w.padNL || unit != w.padUnit || n > len(w.pad) {
		w.padNL, w.padUnit = strings.Clone(nl), strings.Clone(unit)
		w.pad = nl + strings.Repeat(unit, max(depth, 16))
	}
	return w.pad[:n]
}

// appendShifted appends white space (or a raw value, outside its strings)
// with every line's indentation moved by shift levels.
func (w *writer) appendShifted(s string, shift int) {
	if shift == 0 || w.lay.nl == "" || strings.IndexByte(s, '\n') < 0 {
		w.buf = append(w.buf, s...)
		return
	}
	unit := w.lay.unit
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		w.buf = append(w.buf, c)
		switch {
		case inStr:
			if c == '\\' && i+1 < len(s) {
				i++
				w.buf = append(w.buf, s[i])
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '\n':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			run := s[i+1 : j]
			if shift > 0 {
				w.buf = append(w.buf, run...)
				for k := 0; k < shift; k++ {
					w.buf = append(w.buf, unit...)
				}
			} else if cut := -shift * len(unit); cut < len(run) {
				w.buf = append(w.buf, run[cut:]...)
			}
			i = j - 1
		}
	}
}

func (w *writer) raw(s string, shift int) { w.appendShifted(s, shift) }
func (w *writer) null()                   { w.buf = append(w.buf, "null"...) }
func (w *writer) bool(b bool)             { w.buf = strconv.AppendBool(w.buf, b) }
func (w *writer) int(n int64)             { w.buf = strconv.AppendInt(w.buf, n, 10) }
func (w *writer) str(s string)            { w.buf = appendQuoted(w.buf, s) }

// appendNameColon writes a name the converter chose (a registry name, never
// in need of escapes) as a JSON string, with no byte check, as a third of
// the keys of a converted policy are written this way, followed by colon
// (the few bytes between a key and its value): in one step, as separate
// appends cost more than the copying of a dozen bytes.
func appendNameColon(b []byte, name, colon string) []byte {
	n := len(name) + 2 + len(colon)
	b = slices.Grow(b, n)
	i := len(b)
	b = b[:i+n]
	b[i] = '"'
	copy(b[i+1:], name)
	j := i + 1 + len(name)
	b[j] = '"'
	for k := 0; k < len(colon); k++ {
		b[j+1+k] = colon[k]
	}
	return b
}

// appendKey writes a key that may come from the input (a property
// annotation's name, a stashed member's name) as a JSON string.
func appendKey(b []byte, key string) []byte {
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return appendQuoted(b, key)
		}
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"')
}

// appendQuoted writes s as a JSON string, escaping only what JSON requires
// (and U+2028/U+2029, which some JavaScript parsers choke on).
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	// Eight bytes at a time while none needs a look (ASCII, no control
	// character, quote or backslash), as in type names and durations.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load8(s, i)
		if (x|zeroBytes(x, '"')|zeroBytes(x, '\\')|((x-0x20*ones)&^x))&highs != 0 {
			break
		}
	}
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' {
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, "89"[r-'\u2028'])
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// objWriter writes the members of one output object.
type objWriter struct {
	w         *writer
	n         int    // members written so far
	depth     int    // depth of the members in the output (the policy's own members are at 1 when it is the document)
	shift     int    // levels to add to the indentation of copied source bytes
	newGap    string // gap before a new member (after the comma)
	colon     string // colon of new members
	tail      string // bytes before the closing brace
	fromEmpty bool
	// newKeyPending makes key write a new member (the layout of new members)
	// instead of reusing the source member's gap: for a member written after
	// another one that took the source member's place.
	newKeyPending bool
}

// beginObject starts an output object that mirrors src (which may be nil
// for an object the converter makes up), at output depth depth.
func (w *writer) beginObject(src *object, depth, shift int) objWriter {
	o := objWriter{w: w, depth: depth, shift: shift, colon: w.lay.colon}
	w.buf = append(w.buf, '{')
	if src != nil && len(src.members) > 0 {
		o.colon = src.members[0].colon()
		o.newGap = src.members[0].gap()
		if len(src.members) > 1 {
			o.newGap = afterComma(src.members[1].gap())
		}
		o.tail = src.tail
		return o
	}
	o.fromEmpty = true
	o.newGap = ""
	if w.lay.nl != "" {
		o.newGap = w.indent(depth)
		o.tail = w.indent(depth - 1)
	}
	return o
}

// gap writes the bytes before a copied member or element: its own gap
// (first: it was the first of its source container, whose gap has no
// comma), with the comma added or taken away when its place among those
// written so far (n) differs.
func (w *writer) gap(g string, first bool, n, shift int) {
	switch {
	case n == 0 && first:
		w.appendShifted(g, shift)
	case n == 0:
		w.appendShifted(afterComma(g), shift)
	case first:
		w.buf = append(w.buf, ',')
		if g == "" && w.lay.nl == "" {
			w.buf = append(w.buf, w.lay.comma...)
		}
		w.appendShifted(g, shift)
	default:
		if commaAt(g) < 0 {
			w.buf = append(w.buf, ',')
		}
		w.appendShifted(g, shift)
	}
}

// placer writes new members at the place of a source member: the first
// takes its gap, the others follow as new members.
type placer struct {
	ow    *objWriter
	m     *member // nil: no place, every member is new
	first bool
	wrote bool
}

func (p *placer) key(k string) {
	if !p.wrote && p.m != nil {
		p.ow.key(p.m, p.first, k)
	} else {
		p.ow.newKey(k)
	}
	p.wrote = true
}

// commaAt is strings.IndexByte(gap, ','), for a gap: a few bytes of white
// space with the comma, if any, nearly always first, where the call to
// the vector search costs more than the look.
func commaAt(gap string) int {
	for i := 0; i < len(gap); i++ {
		if gap[i] == ',' {
			return i
		}
	}
	return -1
}

// afterComma returns the white space that follows the comma in a gap.
func afterComma(gap string) string {
	if i := commaAt(gap); i >= 0 {
		return gap[i+1:]
	}
	return gap
}

// key starts a member copied from src (at index idx of its object) under
// the registry name key (or its own key when key is ""), then the caller
// writes the value.
func (o *objWriter) key(m *member, first bool, key string) {
	if o.newKeyPending {
		if key == "" {
			o.startNew()
			o.w.buf = append(o.w.buf, m.keyRaw()...)
			o.w.buf = append(o.w.buf, o.colon...)
			return
		}
		o.newKey(key)
		return
	}
	o.place(m, first)
	if key == "" {
		// The key as written and the colon: together the end of the head.
		o.w.buf = append(o.w.buf, m.head[m.keyAt:]...)
		return
	}
	o.w.buf = appendNameColon(o.w.buf, key, m.colon())
}

// place writes the gap of a member that takes the place of the source
// member m.
func (o *objWriter) place(m *member, first bool) {
	o.w.gap(m.gap(), first, o.n, o.shift)
	o.n++
}

// keyFrom is key for a name made from the input (a property annotation's
// name under its property's new name), which may need escapes.
func (o *objWriter) keyFrom(m *member, first bool, key string) {
	if o.newKeyPending {
		o.newKeyFrom(key)
		return
	}
	o.place(m, first)
	o.w.buf = appendKey(o.w.buf, key)
	o.w.buf = append(o.w.buf, m.colon()...)
}

// newKey starts a member that has no source member, named by the registry
// name key.
func (o *objWriter) newKey(key string) {
	o.startNew()
	o.w.buf = appendNameColon(o.w.buf, key, o.colon)
}

// newKeyFrom is newKey for a name that comes from the input.
func (o *objWriter) newKeyFrom(key string) {
	o.startNew()
	o.w.buf = appendKey(o.w.buf, key)
	o.w.buf = append(o.w.buf, o.colon...)
}

// startNew writes what comes before the key of a new member.
func (o *objWriter) startNew() {
	w := o.w
	if o.n > 0 {
		w.buf = append(w.buf, ',')
		if w.lay.nl == "" && o.newGap == "" && w.lay.comma != "" {
			w.buf = append(w.buf, w.lay.comma...)
		}
	}
	// (An empty gap, as in a one-line document, is common enough to skip
	// the call.)
	if o.newGap != "" {
		if o.fromEmpty {
			w.buf = append(w.buf, o.newGap...)
		} else {
			w.appendShifted(o.newGap, o.shift)
		}
	}
	o.n++
}

// copyMember copies a source member unchanged (but for re-indentation).
func (o *objWriter) copyMember(m *member, first bool) {
	if o.verbatim(first) {
		// Its gap, key, colon and value as they are: one copy when, as a
		// scan makes them, the value follows the head in the document.
		o.n++
		if h := unsafe.StringData(m.head); uintptr(unsafe.Pointer(h))+uintptr(len(m.head)) == uintptr(unsafe.Pointer(unsafe.StringData(m.val))) {
			o.w.buf = append(o.w.buf, unsafe.String(h, len(m.head)+len(m.val))...)
			return
		}
		o.w.buf = append(append(o.w.buf, m.head...), m.val...)
		return
	}
	o.key(m, first, "")
	o.w.appendShifted(m.val, o.shift)
}

// verbatim reports whether a member copied from the source (first: the
// first of its object) keeps its gap as it is: no re-indentation, and a
// comma in it exactly when members were written before it.
func (o *objWriter) verbatim(first bool) bool {
	return o.shift == 0 && !o.newKeyPending && (o.n == 0) == first
}

func (o *objWriter) end() {
	if o.n == 0 && o.fromEmpty {
		o.w.buf = append(o.w.buf, '}')
		return
	}
	if o.fromEmpty {
		o.w.buf = append(o.w.buf, o.tail...)
	} else {
		o.w.appendShifted(o.tail, o.shift)
	}
	o.w.buf = append(o.w.buf, '}')
}

// arrWriter writes the elements of one output array.
type arrWriter struct {
	w         *writer
	n         int
	depth     int
	shift     int
	newGap    string
	tail      string
	fromEmpty bool
}

func (w *writer) beginArray(src *array, depth, shift int) arrWriter {
	a := arrWriter{w: w, depth: depth, shift: shift}
	w.buf = append(w.buf, '[')
	if src != nil && len(src.elems) > 0 {
		a.newGap = src.elems[0].gap
		if len(src.elems) > 1 {
			a.newGap = afterComma(src.elems[1].gap)
		}
		a.tail = src.tail
		return a
	}
	a.fromEmpty = true
	if w.lay.nl != "" {
		a.newGap = w.indent(depth)
		a.tail = w.indent(depth - 1)
	}
	return a
}

// elem starts an element copied from e (first: e was its array's first).
func (a *arrWriter) elem(e *element, first bool) {
	a.w.gap(e.gap, first, a.n, a.shift)
	a.n++
}

// newElem starts an element that has no source element.
func (a *arrWriter) newElem() {
	w := a.w
	if a.n > 0 {
		w.buf = append(w.buf, ',')
		if w.lay.nl == "" && a.newGap == "" {
			w.buf = append(w.buf, w.lay.comma...)
		}
	}
	if a.fromEmpty {
		w.buf = append(w.buf, a.newGap...)
	} else {
		w.appendShifted(a.newGap, a.shift)
	}
	a.n++
}

func (a *arrWriter) end() {
	if a.n == 0 {
		a.w.buf = append(a.w.buf, ']')
		return
	}
	if a.fromEmpty {
		a.w.buf = append(a.w.buf, a.tail...)
	} else {
		a.w.appendShifted(a.tail, a.shift)
	}
	a.w.buf = append(a.w.buf, ']')
}

// laidOut writes a compact JSON value (from encoding/json) in the layout of
// the document, as the value of a member at depth.
func (w *writer) laidOut(v []byte, depth int) {
	if w.lay.nl == "" || len(v) == 0 || v[0] != '{' && v[0] != '[' {
		w.buf = append(w.buf, v...)
		return
	}
	var b bytes.Buffer
	if json.Indent(&b, v, strings.Repeat(w.lay.unit, depth), w.lay.unit) != nil {
		w.buf = append(w.buf, v...)
		return
	}
	out := b.Bytes()
	if w.lay.nl != "\n" {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte(w.lay.nl))
	}
	w.buf = append(w.buf, out...)
}
