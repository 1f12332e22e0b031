package convert

import (
	"encoding/json"
	"reflect"
	"strings"
	"unsafe"

	"github.com/apmigrate/apmigrate/model"
)

// conv is the state of one conversion direction. It is reused across
// policies (buffers, scratch objects) by a Converter.
type conv struct {
	doc       string
	d         direction
	srcIdx    int // version index of the source (0 beta, 1 v1.0)
	tgtIdx    int
	opts      *Options
	sc        scanner
	w         writer
	path      []byte // source path of the member being converted
	tpath     []byte // where it goes in the output
	item      int
	findings  []Finding
	err       *Error
	trial     int // > 0 while rendering a value only to compare it
	objs      []*object
	frames    []*frame
	evBuf     Detection
	evOut     []string // the evidence paths handed out by this call
	scratch   []byte   // for a value built before it is written
	names     []string // for a list of names in a message
	arrs      []*array
	ev        *Detection // evidence collected on the way, when not nil
	subj      subjectState
	ar        arena  // strings of findings and evidence
	inHandler bool   // converting a custom extension handler's reference
	apID      string // an accessPackageId waiting for the expanded accessPackage that lacks an id
	// evSeen has the versions of the evidence met, which is all that is
	// kept of it with Options.NoEvidence.
	evSeen presence
	sev    severities
}

// frame is one object being converted.
type frame struct {
	t        *typeRules
	src      *object
	ow       objWriter
	srcDepth int // depth of the source object's members
	outDepth int // depth of the output object's members
}

func (f *frame) shift() int { return f.outDepth - f.srcDepth }

func (c *conv) newObject() *object {
	if n := len(c.objs); n > 0 {
		o := c.objs[n-1]
		c.objs = c.objs[:n-1]
		return o
	}
	return &object{members: make([]member, 0, 16)}
}

func (c *conv) freeObject(o *object) { c.objs = append(c.objs, o) }

func (c *conv) newFrame() *frame {
	if n := len(c.frames); n > 0 {
		f := c.frames[n-1]
		c.frames = c.frames[:n-1]
		return f
	}
	return new(frame)
}

func (c *conv) newArray() *array {
	if n := len(c.arrs); n > 0 {
		a := c.arrs[n-1]
		c.arrs = c.arrs[:n-1]
		return a
	}
	return &array{elems: make([]element, 0, 8)}
}

func (c *conv) freeArray(a *array) { c.arrs = append(c.arrs, a) }

// scanObj scans the object value of m (which must start with '{').
func (c *conv) scanObj(val string, off int) *object {
	o := c.newObject()
	if !c.sc.scanObject(off, o) {
		c.syntax()
	}
	return o
}

func (c *conv) scanArr(off int) *array {
	a := c.newArray()
	if !c.sc.scanArray(off, a) {
		c.syntax()
	}
	return a
}

func (c *conv) syntax() {
	if c.err == nil && c.sc.err != nil {
		c.err = &Error{Name: c.opts.Name, Item: c.item, Err: c.sc.err}
	}
}

// failed reports whether conversion must stop.
func (c *conv) failed() bool { return c.err != nil }

// fail records an error about the value at the current path.
func (c *conv) fail(kind error, path, other, expected, found string) {
	if c.err != nil {
		return
	}
	c.err = &Error{Name: c.opts.Name, Item: c.item, Path: path, OtherPath: other, Expected: expected, Found: found, Err: kind}
}

// at returns the current source path extended by key.
func (c *conv) at(key string) string { return c.extended(&c.path, key, false) }

// tat returns the current target path extended by key.
func (c *conv) tat(key string) string { return c.extended(&c.tpath, key, false) }

// extended returns *path extended by key as a string in the arena, and
// leaves *path as it was (its buffer grown, for the next). A name (the
// Name variants below) is written bare; a key from the input as its
// path segment.
func (c *conv) extended(path *[]byte, key string, name bool) string {
	n := len(*path)
	if name {
		if n == 0 {
			return key // a literal: the path itself, with nothing to copy
		}
		*path = appendIdent(*path, key)
	} else {
		*path = model.AppendKey(*path, key)
	}
	s := c.ar.str(*path)
	*path = (*path)[:n]
	return s
}

func (c *conv) push(key, tkey string) (int, int) {
	n, tn := len(c.path), len(c.tpath)
	c.path = model.AppendKey(c.path, key)
	switch {
	case tkey == "":
	case tkey == key:
		// The segment just made, without looking at the key again.
		if seg := c.path[n:]; seg[0] == '[' {
			c.tpath = append(c.tpath, seg...)
		} else {
			c.tpath = appendIdent(c.tpath, key)
		}
	default:
		c.tpath = model.AppendKey(c.tpath, tkey)
	}
	return n, tn
}

// The Name variants take names the converter chose, string literals that
// are path identifiers (TestNameCallsTakeIdentifiers holds every call to
// that): their segment is the bare name, with no look at its bytes.

// pushName is push for two such names (tkey may be "").
func (c *conv) pushName(key, tkey string) (int, int) {
	n, tn := len(c.path), len(c.tpath)
	c.path = appendIdent(c.path, key)
	if tkey != "" {
		c.tpath = appendIdent(c.tpath, tkey)
	}
	return n, tn
}

// atName is at for such a name.
func (c *conv) atName(key string) string { return c.extended(&c.path, key, true) }

// tatName is tat for such a name.
func (c *conv) tatName(key string) string { return c.extended(&c.tpath, key, true) }

// pushProp is push for a member of the known property p (key is p's
// name, tkey it or one of its new names, or "").
func (c *conv) pushProp(p *prop, key, tkey string) (int, int) {
	if !p.ident {
		return c.push(key, tkey)
	}
	n, tn := len(c.path), len(c.tpath)
	c.path = appendIdent(c.path, key)
	if tkey != "" {
		c.tpath = appendIdent(c.tpath, tkey)
	}
	return n, tn
}

func (c *conv) pop(n, tn int) { c.path, c.tpath = c.path[:n], c.tpath[:tn] }

// find records a finding whose message is the concatenation of msg.
// Paths are relative to the policy.
func (c *conv) find(code Code, path, target string, msg ...string) {
	if c.trial > 0 {
		return
	}
	c.findings = append(c.findings, Finding{Item: c.item, Path: path, TargetPath: target, Code: code, Severity: c.sev.of(code), Message: c.ar.join(msg...)})
}

// severities remembers the severity of the codes a conversion reported,
// by the identity of the code's string: the codes are the package's
// constants, and a hit costs a pointer comparison where Code.Severity
// hashes the code and compares it with the table's.
type severities [16]struct {
	code Code // held, so that its bytes stay where they are
	sev  Severity
}

func (s *severities) of(code Code) Severity {
	p := unsafe.StringData(string(code))
	e := &s[uintptr(unsafe.Pointer(p))>>3%uintptr(len(s))]
	if len(e.code) == len(code) && unsafe.StringData(string(e.code)) == p && p != nil {
		return e.sev
	}
	e.code, e.sev = code, code.Severity()
	return e.sev
}

// render converts something into a string without writing it or reporting
// its findings, to compare two forms of one value.
func (c *conv) render(fn func()) string {
	start, nf := len(c.w.buf), len(c.findings)
	c.trial++
	fn()
	c.trial--
	s := string(c.w.buf[start:])
	c.w.buf = c.w.buf[:start]
	c.findings = c.findings[:nf]
	return s
}

// isAnnotation reports whether key is an instance or property annotation.
func isAnnotation(key string) bool { return strings.IndexByte(key, '@') >= 0 }

// note records detection evidence for a member of type t.
func (c *conv) note(t *typeRules, m *member, p *prop) {
	if c.ev == nil {
		return
	}
	v := evidenceOf(t, m, p)
	if v == 0 {
		return
	}
	if c.opts.NoEvidence {
		c.evSeen |= v
		return
	}
	if len(c.path) == 0 && p != nil && p.ident {
		// A member of the policy itself: its path is the registry's name
		// of it, inside no other evidence.
		c.ev.add(v, p.name)
		return
	}
	// Only the outermost evidence is kept (settle drops paths inside
	// another one): a member inside the last one recorded costs no string.
	n := len(c.path)
	if p != nil && p.ident {
		c.path = appendIdent(c.path, m.key)
	} else {
		c.path = model.AppendKey(c.path, m.key)
	}
	if !c.ev.covers(v, c.path) {
		c.ev.add(v, c.ar.str(c.path))
	}
	c.path = c.path[:n]
}

// walk writes every member of f.src through the registry, except those
// that fn takes (it returns true for them).
func (c *conv) walk(f *frame, fn func(i int, m *member) bool) {
	var seen uint64 // the known properties met so far (bit 63: @odata.type)
	for i := range f.src.members {
		if c.err != nil {
			return
		}
		m := &f.src.members[i]
		var p *prop
		if m.isAnnotation() {
			if m.key == "@odata.type" {
				if seen&(1<<63) != 0 {
					c.twice(m)
					return
				}
				seen |= 1 << 63
				c.note(f.t, m, nil)
			}
		} else {
			var k int
			p, k = f.t.propIndex(m.key)
			if p != nil && k < 63 {
				if seen&(1<<k) != 0 {
					c.twice(m)
					return
				}
				seen |= 1 << k
			}
			if p != nil && p.mayBeEvidence() {
				c.note(f.t, m, p)
			}
		}
		if fn != nil && fn(i, m) {
			continue
		}
		c.member(f, i, m, p)
	}
}

// twice reports a property given twice in one object: JSON readers
// disagree on which one counts, so the converter will not guess.
func (c *conv) twice(m *member) {
	c.fail(ErrInvalidValue, c.at(m.key), "", "each property once in an object", m.key+" twice")
}

// member converts one member by its registry rule.
func (c *conv) member(f *frame, i int, m *member, p *prop) {
	first := i == 0
	if m.isAnnotation() {
		c.annotation(f, i, m)
		return
	}
	if p == nil {
		c.find(CodeUnknownProperty, c.at(m.key), "", "not a property of ", f.t.display(c.srcIdx), " in either version; kept as it was")
		f.ow.copyMember(m, first)
		return
	}
	r := p.rules[c.d]
	if p.in&c.d.source() == 0 || p.in == inBoth && (r.act == aSpecial || r.act == aConsumed) {
		// A property of the target version (mixed input), or one both have
		// whose restructure did not apply (its value is already in the
		// target's form): kept.
		r = rule{act: aKeep}
	}
	if m.val == "null" && p.nonNull[c.tgtIdx] && (r.act == aKeep || r.act == aRename) {
		to := m.key
		if r.act == aRename {
			to = r.to
		}
		c.find(CodeNullDropped, c.at(m.key), "", to, " may not be null in ", c.target(), "; left out (no value)")
		return
	}
	// A renamed member whose new name is in the object too.
	var other *member
	if r.act == aRename {
		other = f.src.get(r.to)
	}
	// The common case, a value copied under its own or a new name with no
	// type to walk and nothing to report, needs no path.
	if (r.act == aKeep || r.act == aRename && other == nil) && r.code == "" && (p.elem == nil || m.val == "null") {
		if r.act == aKeep {
			f.ow.copyMember(m, first)
			return
		}
		f.ow.key(m, first, r.to)
		c.w.raw(m.val, f.shift())
		return
	}
	switch r.act {
	case aKeep:
		n, tn := c.pushProp(p, m.key, m.key)
		if r.code != "" && m.val != "null" {
			c.find(r.code, c.ar.str(c.path), c.ar.str(c.tpath), r.note)
		}
		f.ow.key(m, first, "")
		c.value(f, m, p.elem)
		c.pop(n, tn)
	case aRename:
		if other != nil {
			c.duplicate(f, m, other, p.elem)
			return
		}
		n, tn := c.pushProp(p, m.key, r.to)
		if r.code != "" && m.val != "null" {
			c.find(r.code, c.ar.str(c.path), c.ar.str(c.tpath), r.note)
		}
		f.ow.key(m, first, r.to)
		c.value(f, m, p.elem)
		c.pop(n, tn)
	default: // aDrop, and specials that the type's converter left to the table
		n, tn := c.pushProp(p, m.key, "")
		code := r.code
		if code == "" {
			code = CodeNoCounterpart
		}
		if isEmptyValue(m.val) && c.sev.of(code) != Info {
			code = CodeEmptySettingDropped
		}
		msg := r.note
		if msg == "" {
			msg = "no counterpart in " + c.target()
		}
		c.find(code, c.ar.str(c.path), "", "dropped: ", msg)
		c.pop(n, tn)
	}
}

// duplicate handles a member whose counterpart of the target version is in
// the same object: the same meaning drops it, a different one is an error.
func (c *conv) duplicate(f *frame, m, other *member, elem *typeRules) {
	mine := c.render(func() { c.valueAt(m.val, m.off, elem, f.srcDepth, f.srcDepth) })
	theirs := c.render(func() { c.valueAt(other.val, other.off, elem, f.srcDepth, f.srcDepth) })
	if jsonEqual(mine, theirs) {
		c.find(CodeDuplicateDropped, c.at(m.key), c.at(other.key), "same value as ", other.key, "; dropped")
		return
	}
	c.fail(ErrConflict, c.at(m.key), c.at(other.key), "the same meaning as "+c.at(other.key), "a different value")
}

// value writes the value of m, converted by its type when it has one.
func (c *conv) value(f *frame, m *member, elem *typeRules) {
	c.valueAt(m.val, m.off, elem, f.srcDepth, f.outDepth)
}

// valueAt writes a value whose containing members sit at depth srcDepth in
// the source and outDepth in the output.
func (c *conv) valueAt(val string, off int, elem *typeRules, srcDepth, outDepth int) {
	if elem == nil || val == "" || (val[0] != '{' && val[0] != '[') {
		c.w.raw(val, outDepth-srcDepth)
		return
	}
	if val[0] == '{' {
		c.objectAt(val, off, elem, srcDepth+1, outDepth+1)
		return
	}
	a := c.scanArr(off)
	if c.err != nil {
		c.freeArray(a)
		return
	}
	aw := c.w.beginArray(a, outDepth+1, outDepth-srcDepth)
	partial := elem.partial(c.tgtIdx)
	for i := range a.elems {
		e := &a.elems[i]
		if partial && e.val[0] == '{' && !c.typeInTarget(elem, e, i) {
			continue
		}
		aw.elem(e, i == 0)
		n, tn := len(c.path), len(c.tpath)
		c.path = model.AppendIndex(c.path, i)
		c.tpath = model.AppendIndex(c.tpath, aw.n-1)
		c.valueAt(e.val, e.off, elem, srcDepth+1, outDepth+1)
		c.pop(n, tn)
		if c.err != nil {
			break
		}
	}
	aw.end()
	c.freeArray(a)
}

// objectAt converts the object at off, declared as type t, whose members
// are at depth srcDepth (source) and outDepth (output).
func (c *conv) objectAt(val string, off int, t *typeRules, srcDepth, outDepth int) {
	o := c.scanObj(val, off)
	defer c.freeObject(o)
	if c.err != nil {
		return
	}
	rt := t
	if m := o.odataType(); m != nil {
		name, _ := stringValue(m.val)
		rt = t.resolve(name, c.srcIdx)
		if rt == nil {
			n, tn := c.push("@odata.type", "@odata.type")
			c.find(CodeUnknownType, c.ar.str(c.path), "", "type ", name, " is not ", t.display(c.srcIdx), " or derived from it in either version; kept, and the members converted by the rules of ", t.display(c.srcIdx), " and its derived types")
			c.pop(n, tn)
			rt = t.union()
		}
	}
	// Frames come from a pool: the converter functions are called through
	// a table, so a frame on the stack would escape anyway.
	f := c.newFrame()
	*f = frame{t: rt, src: o, srcDepth: srcDepth, outDepth: outDepth}
	f.ow = c.w.beginObject(o, outDepth, outDepth-srcDepth)
	if fn := rt.convert[c.d]; fn != nil {
		fn(c, f)
	} else {
		c.walk(f, nil)
	}
	f.ow.end()
	c.frames = append(c.frames, f)
}

// typeInTarget reports whether the list entry e, declared as t, has a type
// the target version has; an entry that has not is reported as dropped.
func (c *conv) typeInTarget(t *typeRules, e *element, i int) bool {
	o := c.scanObj(e.val, e.off)
	defer c.freeObject(o)
	m := o.odataType()
	if m == nil {
		return true
	}
	name, _ := stringValue(m.val)
	rt := t.resolve(name, c.srcIdx)
	if rt == nil || rt.names[c.tgtIdx] != "" {
		return true
	}
	code := CodeNoCounterpart
	if t == userSetType {
		code = CodeSubjectNotExpressible
	}
	n := len(c.path)
	c.path = model.AppendIndex(c.path, i)
	c.find(code, c.ar.str(c.path), "", strings.TrimPrefix(name, "#"), " has no ", c.target(), " type; the entry is dropped")
	c.path = c.path[:n]
	return false
}

// annotation converts an instance or property annotation.
func (c *conv) annotation(f *frame, i int, m *member) {
	first := i == 0
	if m.key == "@odata.type" {
		name, ok := stringValue(m.val)
		bare := strings.TrimPrefix(name, "#")
		// The name is translated by the type it names (which is the object's
		// own type, or, when it is misplaced, another one).
		tn := f.t.names[c.tgtIdx]
		var named [2]*typeRules
		if e := typesNamed(bare); e != nil {
			named = *e
		}
		if u := named[c.srcIdx]; ok && u != nil && u.names[c.srcIdx] == bare && named[c.tgtIdx] == nil {
			tn = u.names[c.tgtIdx]
			if tn == "" {
				c.find(CodeAnnotationDropped, c.at(m.key), "", bare, " has no ", c.target(), " counterpart; the annotation is dropped")
				return
			}
		}
		if !ok || tn == "" || bare == tn {
			f.ow.copyMember(m, first)
			return
		}
		f.ow.key(m, first, "")
		if strings.HasPrefix(name, "#") {
			tn = "#" + tn
		}
		c.w.str(tn)
		return
	}
	if m.key == "@odata.context" && f.t == policyType {
		f.ow.key(m, first, "")
		c.context(m)
		return
	}
	at := strings.IndexByte(m.key, '@')
	if at <= 0 { // an instance annotation: passes through
		f.ow.copyMember(m, first)
		return
	}
	// A property annotation follows its property.
	p := f.t.prop(m.key[:at])
	if p == nil || p.in&c.d.source() == 0 {
		f.ow.copyMember(m, first)
		return
	}
	switch r := p.rules[c.d]; r.act {
	case aKeep:
		f.ow.copyMember(m, first)
	case aRename:
		f.ow.keyFrom(m, first, r.to+m.key[at:])
		c.w.raw(m.val, f.shift())
	default:
		c.find(CodeEmptySettingDropped, c.at(m.key), "", "an annotation of a property that is not kept")
	}
}

// target names the target version.
func (c *conv) target() string {
	if c.d == toV1 {
		return "v1.0"
	}
	return "beta"
}

// display names a type as the source version calls it.
func (t *typeRules) display(prefer int) string {
	if t.label != "" {
		return t.label
	}
	n := t.names[prefer]
	if n == "" {
		n = t.names[1-prefer]
	}
	return strings.TrimPrefix(n, ns)
}

// isEmptyValue reports whether a raw value is null, false, empty or zero.
func isEmptyValue(v string) bool {
	switch v {
	case "null", "false", "[]", "{}", `""`, "0":
		return true
	}
	if len(v) > 1 && (v[0] == '[' || v[0] == '{') && strings.TrimSpace(v[1:len(v)-1]) == "" {
		return true
	}
	return false
}

// jsonEqual compares two JSON texts by meaning: object member order and
// number spelling do not count.
func jsonEqual(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	da := json.NewDecoder(strings.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(strings.NewReader(b))
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(normNumbers(x), normNumbers(y))
}

func normNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return f
		}
		return string(t)
	case []any:
		for i := range t {
			t[i] = normNumbers(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = normNumbers(t[k])
		}
	}
	return v
}

// compact returns a JSON value on one line, for messages.
func compact(raw string) string {
	if !needsCompact(raw) {
		return raw
	}
	return string(appendCompact(nil, raw))
}

// compactLimit is the longest value a message shows whole.
const compactLimit = 120

// needsCompact reports whether compact would change raw.
func needsCompact(raw string) bool {
	if len(raw) > compactLimit {
		return true
	}
	for i := 0; i < len(raw); i++ {
		if isSpace(raw[i]) {
			return true
		}
	}
	return false
}

// appendCompact appends the value raw without the white space outside its
// strings, cut to compactLimit bytes ("..." ending the cut).
func appendCompact(dst []byte, raw string) []byte {
	start := len(dst)
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString && c == '\\' && i+1 < len(raw):
			dst = append(dst, c, raw[i+1])
			i++
			continue
		case c == '"':
			inString = !inString
		case !inString && isSpace(c):
			continue
		}
		dst = append(dst, c)
	}
	if len(dst)-start > compactLimit {
		dst = append(dst[:start+compactLimit-3], "..."...)
	}
	return dst
}

// leftovers reports the members of a consumed object o (at the current
// path) that its converter did not use: annotations have no place in the
// target, a null or empty value means nothing, anything else is a loss.
func (c *conv) leftovers(o *object, used func(key string) bool, where string) {
	for i := range o.members {
		m := &o.members[i]
		if used(m.key) {
			continue
		}
		switch {
		case m.isAnnotation():
			// Dropped, but a type name of one version is still evidence of
			// the input's shape, as Detect reads it.
			c.note(nil, m, nil)
			c.find(CodeAnnotationDropped, c.at(m.key), "", "an annotation of ", where, ", which the conversion takes apart; dropped")
		case isEmptyValue(m.val):
			c.find(CodeEmptySettingDropped, c.at(m.key), "", m.key, " is empty and has no place once ", where, " is taken apart; dropped")
		default:
			c.find(CodeNoCounterpart, c.at(m.key), "", m.key, " (", compact(m.val), ") has no place once ", where, " is taken apart; dropped")
		}
	}
}
