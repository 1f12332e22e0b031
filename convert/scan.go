package convert

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// The scanner splits one JSON object or array into its members without
// building a tree: each member keeps the exact bytes around it (the gap
// before it, the colon with its spacing, the value as written) so that the
// writer can copy what no rule touches byte for byte. It validates as it
// goes, so one pass both checks the input and feeds the conversion.

// member is one member of a JSON object.
type member struct {
	// head is what comes before the value: the gap (white space since the
	// previous value or '{', and the comma for all but the first member),
	// the key as written (quotes included) from head[keyAt:], and the colon
	// with its spacing from head[colonAt:]. One string where three made
	// three pointers to write (and check for the collector) a member.
	head    string
	keyAt   int
	colonAt int
	key     string // the key, unescaped
	val     string // the value as written
	off     int    // offset of val in the document
	annot   bool   // key is an annotation's name (it has an '@')
}

// gap returns the bytes between the previous value (or '{') and the key.
func (m *member) gap() string { return m.head[:m.keyAt] }

// keyRaw returns the key as written, quotes included.
func (m *member) keyRaw() string { return m.head[m.keyAt:m.colonAt] }

// colon returns the bytes between the key and the value.
func (m *member) colon() string { return m.head[m.colonAt:] }

// isAnnotation reports whether m is an instance or property annotation.
func (m *member) isAnnotation() bool { return m.annot }

// readKey returns the key of a valid string literal (quotes included) and
// whether it names an annotation: one short loop where unquote and
// isAnnotation, each a call to IndexByte, cost a tenth of a conversion.
func readKey(raw string) (key string, annot bool) {
	key = raw[1 : len(raw)-1]
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '\\':
			key = unescape(key)
			return key, isAnnotation(key)
		case '@':
			annot = true
		}
	}
	return key, annot
}

// scanKey reads the object key whose quote is at j: it returns the offset
// after it, the key unescaped and whether it names an annotation (readKey).
// One loop over the key's bytes, eight at a time to the next quote, '@',
// backslash or control character, does all three for the keys without
// escapes, valid or not yet validated; the others go the general way.
func (s *scanner) scanKey(j int) (end int, key string, annot bool) {
	d := s.doc
	i := j + 1
	for i+8 <= len(d) {
		x := load8(d, i)
		t := (zeroBytes(x, '"') | zeroBytes(x, '@') | zeroBytes(x, '\\') | ((x - 0x20*ones) &^ x)) & highs
		if t == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(t) / 8
		switch d[i] {
		case '"':
			return i + 1, d[j+1 : i], annot
		case '@':
			annot = true
			i++
			continue
		}
		i = len(d) + 1 // a backslash or a control character: the general way below
	}
	for ; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			return i + 1, d[j+1 : i], annot
		case c == '@':
			annot = true
		case c == '\\' || c < 0x20:
			i = len(d) // the general way below
		}
	}
	end = s.skipString(j)
	if end < 0 {
		return end, "", false
	}
	key, annot = readKey(d[j:end])
	return end, key, annot
}

// object is a scanned JSON object.
type object struct {
	// members are the object's members: a view of the scanner's tape
	// (never written through) or own, which a scan fills.
	members []member
	own     []member
	tail    string // bytes between the last value (or '{') and '}'
	off     int    // offset of '{' in the document
}

// get returns the member named key, or nil.
func (o *object) get(key string) *member {
	for i := range o.members {
		if o.members[i].key == key {
			return &o.members[i]
		}
	}
	return nil
}

// gather sets out[index(key)] to the member of each key that index knows
// (the first, as get; index is -1 for the others): one pass for the
// members a rule reads together, where a get each compared every key once
// a name.
func (o *object) gather(index func(key string) int, out []*member) {
	for i := range o.members {
		if j := index(o.members[i].key); j >= 0 && out[j] == nil {
			out[j] = &o.members[i]
		}
	}
}

// odataType returns the member "@odata.type", or nil. Every object the
// converter walks is asked, and most have no annotation: the flag the
// scanner set spares comparing keys such as "displayName" or
// "description", which are as long.
func (o *object) odataType() *member {
	for i := range o.members {
		if m := &o.members[i]; m.annot && m.key == "@odata.type" {
			return m
		}
	}
	return nil
}

// element is one element of a JSON array.
type element struct {
	gap string // bytes between the previous value (or '[') and the element, comma included for all but the first
	val string
	off int
}

// array is a scanned JSON array.
type array struct {
	elems []element
	tail  string
	off   int
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 10000

// scanner reads values out of one document. doc is the whole document so
// that offsets in errors are absolute.
type scanner struct {
	doc string
	err *SyntaxError
	// trusted is set once the whole document has been validated: scans then
	// skip values without checking them again.
	trusted bool
	// ends, filled by the validating pass when record is set, holds every
	// object and array of the document with its end, in order of their
	// starts: a trusted scan skips a container with a lookup instead of
	// reading it again at every level above it.
	ends   []span
	record bool
	// tapes, filled by the validating pass when it records containers,
	// hold the members of the objects of the ends table, so that a trusted
	// scan of an object is a lookup instead of a second read of its keys
	// and values. Objects at depth n go to tapes[n-1]: while one is open,
	// no other object of its depth can start, so its members are
	// contiguous there without being copied. taped counts them all.
	tapes [][]member
	taped int
	// starts has the bit of each offset where a container of ends starts,
	// and below[w] counts the bits of the words of starts before w: the
	// index of the container at an offset is a rank, where a binary
	// search of ends took five or six mispredicted steps at every trusted
	// scan of an object. Both are made from ends once it is complete (index).
	starts []uint64
	below  []uint32
}

// span is one container: where it starts and where it ends (exclusive),
// and for an object whose members were recorded, where they are: members
// lo to hi of tapes[tape] (lo < 0: not recorded).
type span struct {
	start, end   int
	lo, hi, tape int32
}

// maxTape bounds the members recorded for one document (80 bytes each):
// a large collection's later objects are read again instead. Objects
// nested deeper than maxTapeDepth are not recorded either.
const maxTape, maxTapeDepth = 1 << 16, 32

// spanAt returns the index of the container starting at i, or -1.
func (s *scanner) spanAt(i int) int {
	w := uint(i) >> 6
	if w >= uint(len(s.starts)) || w >= uint(len(s.below)) {
		return -1
	}
	x, b := s.starts[w], uint64(1)<<(uint(i)&63)
	if x&b == 0 {
		return -1
	}
	return int(s.below[w]) + bits.OnesCount64(x&(b-1))
}

// index fills starts and below from ends, once ends is complete.
func (s *scanner) index() {
	n := len(s.doc)>>6 + 1
	if cap(s.starts) < n || cap(s.below) < n {
		s.starts, s.below = make([]uint64, n), make([]uint32, n)
	}
	s.starts, s.below = s.starts[:n], s.below[:n]
	clear(s.starts)
	for k := range s.ends {
		i := uint(s.ends[k].start)
		s.starts[i>>6] |= 1 << (i & 63)
	}
	c := uint32(0)
	for w, x := range s.starts {
		s.below[w] = c
		c += uint32(bits.OnesCount64(x))
	}
}

// containerEnd returns the end of the container starting at i, or -1.
func (s *scanner) containerEnd(i int) int {
	if k := s.spanAt(i); k >= 0 {
		return s.ends[k].end
	}
	return -1
}

// recordedMembers returns the recorded members of the object at off, if any,
// and the bytes between the last one (or '{') and '}'.
func (s *scanner) recordedMembers(off int) (members []member, tail string, ok bool) {
	if s.ends == nil {
		return nil, "", false
	}
	k := s.spanAt(off)
	if k < 0 || s.ends[k].lo < 0 {
		return nil, "", false
	}
	sp := s.ends[k]
	members = s.tapes[sp.tape][sp.lo:sp.hi:sp.hi]
	from := off + 1
	if n := len(members); n > 0 {
		m := &members[n-1]
		from = m.off + len(m.val)
	}
	return members, s.doc[from : sp.end-1], true
}

// strPlain marks the bytes that need no attention inside a string.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *scanner) fail(off int, expected string) {
	if s.err != nil {
		return
	}
	s.err = newSyntaxError(s.doc, off, "expected "+expected+", found "+describeFound(s.doc[min(off, len(s.doc)):]))
}

// describeFound names what a syntax error found at the start of rest: its
// first character quoted, or the end of input.
func describeFound(rest string) string {
	if rest == "" {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return strconv.QuoteRune(r)
}

func (s *scanner) skipSpace(i int) int { return skipWS(s.doc, i) }

// skipWS returns the offset of the first byte at or after i in d that is
// not white space. The document as a parameter, not a field, keeps it in
// registers: called four times a member, the loop's reloads showed.
func skipWS(d string, i int) int {
	for i < len(d) && d[i] <= ' ' && isSpace(d[i]) {
		i++
	}
	return i
}

// skipValue validates the value starting at i (no leading space) and returns
// the offset just past it, or -1 after recording an error.
func (s *scanner) skipValue(i, depth int) int {
	if s.trusted {
		if s.ends != nil && (s.doc[i] == '{' || s.doc[i] == '[') {
			if e := s.containerEnd(i); e >= 0 {
				return e
			}
		}
		return skipTrusted(s.doc, i)
	}
	if i >= len(s.doc) {
		s.fail(i, "a JSON value")
		return -1
	}
	switch c := s.doc[i]; {
	case c == '"':
		return s.skipString(i)
	case c == '{':
		return s.skipObject(i, depth+1)
	case c == '[':
		return s.skipArray(i, depth+1)
	case c == 't':
		return s.skipLiteral(i, "true")
	case c == 'f':
		return s.skipLiteral(i, "false")
	case c == 'n':
		return s.skipLiteral(i, "null")
	case c == '-' || '0' <= c && c <= '9':
		return s.skipNumber(i)
	}
	s.fail(i, "a JSON value")
	return -1
}

func (s *scanner) skipLiteral(i int, lit string) int {
	if len(s.doc)-i >= len(lit) && s.doc[i:i+len(lit)] == lit {
		return i + len(lit)
	}
	s.fail(i, strconv.Quote(lit))
	return -1
}

func (s *scanner) skipNumber(i int) int {
	d := s.doc
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	default:
		s.fail(i, "a digit")
		return -1
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.fail(i, "a digit after the decimal point")
			return -1
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.fail(i, "a digit in the exponent")
			return -1
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	return i
}

// skipString validates the string starting at the quote at i.
func (s *scanner) skipString(i int) int {
	d := s.doc
	if s.trusted {
		return skipStringTrusted(d, i)
	}
	for i++; i < len(d); i++ {
		i = plainRun(d, i)
		if i >= len(d) {
			break
		}
		c := d[i]
		switch {
		case c == '"':
			return i + 1
		case c == '\\':
			i++
			if i >= len(d) {
				break
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(d)-i < 5 || !isHex(d[i+1]) || !isHex(d[i+2]) || !isHex(d[i+3]) || !isHex(d[i+4]) {
					s.fail(i+1, "four hexadecimal digits after \\u")
					return -1
				}
				i += 4
			default:
				s.fail(i, "a valid escape character after '\\'")
				return -1
			}
		case c < 0x20:
			s.fail(i, "no control character inside a string (escape it)")
			return -1
		}
	}
	s.fail(len(d), "'\"' to close the string")
	return -1
}

// ones and highs are the constants of the eight-bytes-at-a-time tests.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// load8 returns the eight bytes of d at i (i+8 <= len(d)), the first in
// the lowest byte. One bounds check, on the last byte, where taking d[i:]
// and unsafe.Slice's length made about ten instructions of the key and
// string loops' twenty-odd; every caller's loop tests i+8 <= len(d)
// already, but the compiler does not prove it, and a read past the end
// would be silent where a check panics.
func load8(d string, i int) uint64 {
	_ = d[i+7]
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(d)), i))[:])
}

// zeroBytes has the high bit of each byte of x equal to c set: exactly for
// the lowest such byte (borrows only reach the bytes above it), which is
// the one the scans look for.
func zeroBytes(x uint64, c byte) uint64 {
	y := x ^ (uint64(c) * ones)
	return (y - ones) &^ y
}

// plainRun returns the offset of the first byte at or after i that ends a
// run of plain string bytes ('"', '\\' or a control character), or len(d).
// It reads eight bytes at a time: strings are most of a policy's bytes.
func plainRun(d string, i int) int {
	for i+8 <= len(d) {
		x := load8(d, i)
		// Control characters: below 0x20, where x - 0x20 borrows.
		t := zeroBytes(x, '"') | zeroBytes(x, '\\') | ((x - 0x20*ones) &^ x)
		if t &= highs; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
		i += 8
	}
	for i < len(d) && strPlain[d[i]] {
		i++
	}
	return i
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (s *scanner) skipObject(i, depth int) int {
	if depth > maxDepth {
		s.fail(i, "less deeply nested input")
		return -1
	}
	return s.recorded(i, depth, (*scanner).skipObjectBody)
}

// recorded runs body on the container at i, noting where it ends when the
// scanner records containers.
func (s *scanner) recorded(i, depth int, body func(*scanner, int, int) int) int {
	if !s.record {
		return body(s, i, depth)
	}
	k := len(s.ends)
	s.ends = append(s.ends, span{start: i, lo: -1})
	e := body(s, i, depth)
	s.ends[k].end = e
	return e
}

func (s *scanner) skipObjectBody(i, depth int) int {
	if s.record && s.taped < maxTape && depth <= maxTapeDepth {
		return s.tapeObjectBody(i, depth)
	}
	d := s.doc
	i = s.skipSpace(i + 1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			s.fail(i, "'\"' to start an object key")
			return -1
		}
		if i = s.skipString(i); i < 0 {
			return -1
		}
		i = s.skipSpace(i)
		if i >= len(d) || d[i] != ':' {
			s.fail(i, "':' after an object key")
			return -1
		}
		i = s.skipSpace(i + 1)
		if i = s.skipValue(i, depth); i < 0 {
			return -1
		}
		i = s.skipSpace(i)
		if i < len(d) && d[i] == ',' {
			i = s.skipSpace(i + 1)
			continue
		}
		if i < len(d) && d[i] == '}' {
			return i + 1
		}
		s.fail(i, "',' or '}' after an object member")
		return -1
	}
}

// tapeObjectBody is skipObjectBody that also records the object's members
// on the tape of its depth, for the object whose span was added last.
func (s *scanner) tapeObjectBody(i, depth int) int {
	d := s.doc
	k := len(s.ends) - 1
	for len(s.tapes) < depth {
		s.tapes = append(s.tapes, nil)
	}
	tp := depth - 1
	base := len(s.tapes[tp])
	rec := true
	start := i + 1
	i = skipWS(d, start)
	if i < len(d) && d[i] == '}' {
		s.ends[k].lo, s.ends[k].hi, s.ends[k].tape = int32(base), int32(base), int32(tp)
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			s.fail(i, "'\"' to start an object key")
			return -1
		}
		j := i
		var key string
		var annot bool
		if i, key, annot = s.scanKey(i); i < 0 {
			return -1
		}
		c := skipWS(d, i)
		if c >= len(d) || d[c] != ':' {
			s.fail(c, "':' after an object key")
			return -1
		}
		v := skipWS(d, c+1)
		e := s.skipValue(v, depth)
		if e < 0 {
			return -1
		}
		if rec {
			s.tapes[tp] = append(s.tapes[tp], member{
				head: d[start:v], keyAt: j - start, colonAt: i - start,
				key: key, val: d[v:e], off: v, annot: annot,
			})
			if s.taped++; s.taped >= maxTape {
				// An object too large to record: read again when needed.
				rec = false
				s.taped -= len(s.tapes[tp]) - base
				s.tapes[tp] = s.tapes[tp][:base]
			}
		}
		i = skipWS(d, e)
		if i < len(d) && d[i] == ',' {
			start = e
			i = skipWS(d, i+1)
			continue
		}
		if i < len(d) && d[i] == '}' {
			if rec {
				s.ends[k].lo, s.ends[k].hi, s.ends[k].tape = int32(base), int32(len(s.tapes[tp])), int32(tp)
			}
			return i + 1
		}
		s.fail(i, "',' or '}' after an object member")
		return -1
	}
}

func (s *scanner) skipArray(i, depth int) int {
	if depth > maxDepth {
		s.fail(i, "less deeply nested input")
		return -1
	}
	return s.recorded(i, depth, (*scanner).skipArrayBody)
}

func (s *scanner) skipArrayBody(i, depth int) int {
	d := s.doc
	i = s.skipSpace(i + 1)
	if i < len(d) && d[i] == ']' {
		return i + 1
	}
	for {
		if i = s.skipValue(i, depth); i < 0 {
			return -1
		}
		i = s.skipSpace(i)
		if i < len(d) && d[i] == ',' {
			i = s.skipSpace(i + 1)
			continue
		}
		if i < len(d) && d[i] == ']' {
			return i + 1
		}
		s.fail(i, "',' or ']' after an array element")
		return -1
	}
}

// scanObject splits the object whose '{' is at off into members, appending
// them to o.members (which it resets). The values themselves are validated.
func (s *scanner) scanObject(off int, o *object) bool {
	o.off = off
	if s.trusted {
		if ms, tail, ok := s.recordedMembers(off); ok {
			o.members, o.tail = ms, tail
			return true
		}
	}
	d := s.doc
	o.members = o.own[:0]
	o.tail = ""
	start := off + 1
	i := s.skipSpace(start)
	if i < len(d) && d[i] == '}' {
		o.tail = d[start:i]
		return true
	}
	for {
		var m member
		e := s.readMember(start, i, &m)
		if e < 0 {
			return false
		}
		o.members = append(o.members, m)
		o.own = o.members
		var end bool
		if i, end = s.afterMember(e); i < 0 {
			return false
		}
		if end {
			o.tail = d[e : i-1]
			return true
		}
		start = e
	}
}

// readMember reads the member of an object whose head (see member) starts
// at start and whose key is at i or after white space, into m. It returns
// the offset after its value, or -1 on a syntax error.
func (s *scanner) readMember(start, i int, m *member) int {
	d := s.doc
	j := s.skipSpace(i)
	if j >= len(d) || d[j] != '"' {
		s.fail(j, "'\"' to start an object key")
		return -1
	}
	k, key, annot := s.scanKey(j)
	if k < 0 {
		return -1
	}
	c := s.skipSpace(k)
	if c >= len(d) || d[c] != ':' {
		s.fail(c, "':' after an object key")
		return -1
	}
	v := s.skipSpace(c + 1)
	e := s.skipValue(v, 1)
	if e < 0 {
		return -1
	}
	*m = member{head: d[start:v], keyAt: j - start, colonAt: k - start, key: key, val: d[v:e], off: v, annot: annot}
	return e
}

// afterMember reads what follows a member's value, which ends at e: a
// comma (it returns the offset after it) or the object's end (the offset
// after '}', and end), or else it fails (-1).
func (s *scanner) afterMember(e int) (i int, end bool) {
	d := s.doc
	i = s.skipSpace(e)
	if i < len(d) && d[i] == ',' {
		return i + 1, false
	}
	if i < len(d) && d[i] == '}' {
		return i + 1, true
	}
	s.fail(i, "',' or '}' after an object member")
	return -1, false
}

// scanArray splits the array whose '[' is at off into elements.
func (s *scanner) scanArray(off int, a *array) bool {
	d := s.doc
	a.elems = a.elems[:0]
	a.off = off
	a.tail = ""
	start := off + 1
	i := s.skipSpace(start)
	if i < len(d) && d[i] == ']' {
		a.tail = d[start:i]
		return true
	}
	for {
		e := s.skipValue(i, 1)
		if e < 0 {
			return false
		}
		a.elems = append(a.elems, element{gap: d[start:i], val: d[i:e], off: i})
		j := s.skipSpace(e)
		if j < len(d) && d[j] == ',' {
			start = e
			i = s.skipSpace(j + 1)
			continue
		}
		if j < len(d) && d[j] == ']' {
			a.tail = d[e:j]
			return true
		}
		s.fail(j, "',' or ']' after an array element")
		return false
	}
}

// unquote returns the contents of a JSON string literal that is known to be
// valid. Strings without escapes are sliced, not copied.
func unquote(raw string) string {
	s := raw[1 : len(raw)-1]
	if strings.IndexByte(s, '\\') >= 0 {
		return unescape(s)
	}
	return s
}

func unescape(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := rune(hexVal(s[i+1 : i+5]))
			i += 4
			if 0xD800 <= r && r < 0xDC00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				r2 := rune(hexVal(s[i+3 : i+7]))
				if 0xDC00 <= r2 && r2 < 0xE000 {
					r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
					i += 6
				}
			}
			if 0xD800 <= r && r < 0xE000 {
				r = utf8.RuneError
			}
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, s[i])
		}
	}
	return string(b)
}

func hexVal(h string) int {
	n := 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case '0' <= c && c <= '9':
			n = n<<4 | int(c-'0')
		case 'a' <= c && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		default:
			n = n<<4 | int(c-'A'+10)
		}
	}
	return n
}

// stringValue returns the contents of a raw JSON value if it is a string.
func stringValue(raw string) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	return unquote(raw), true
}

// kindOf names the JSON kind of a raw value for messages.
func kindOf(raw string) string {
	if raw == "" {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// skipStringTrusted returns the offset after the valid string at i.
func skipStringTrusted(d string, i int) int {
	j := i + 1
	for {
		k := strings.IndexByte(d[j:], '"')
		if k < 0 {
			return len(d)
		}
		j += k
		n := 0
		for b := j - 1; b > i && d[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return j + 1
		}
		j++
	}
}

// skipTrusted returns the offset after the valid value at i.
func skipTrusted(d string, i int) int {
	switch d[i] {
	case '"':
		return skipStringTrusted(d, i)
	case '{', '[':
		depth := 0
		for i < len(d) {
			switch d[i] {
			case '"':
				i = skipStringTrusted(d, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(d) {
		switch d[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// maxRecorded bounds the documents whose containers are recorded: beyond
// it the table would cost more memory than re-reading saves time.
const maxRecorded = 16 << 20

// validated reports whether v is the document the ends table was made for.
func sameDoc(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b))
}

// eachMember calls fn for the members of the object at off in order, and
// stops when fn returns false: detection needs only the first few members
// of most policies. It reports false on a syntax error.
func (s *scanner) eachMember(off int, m *member, fn func(m *member) bool) bool {
	if s.trusted {
		if ms, _, ok := s.recordedMembers(off); ok {
			for i := range ms {
				*m = ms[i]
				if !fn(m) {
					break
				}
			}
			return true
		}
	}
	d := s.doc
	start := off + 1
	i := s.skipSpace(start)
	if i < len(d) && d[i] == '}' {
		return true
	}
	for {
		e := s.readMember(start, i, m)
		if e < 0 {
			return false
		}
		if !fn(m) {
			return true
		}
		var end bool
		if i, end = s.afterMember(e); i < 0 || end {
			return i >= 0
		}
		start = e
	}
}
