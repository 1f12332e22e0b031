package convert

import "bytes"

// Documents: one policy, a JSON array of policies, or a Graph collection
// response ({"@odata.context": …, "value": […]}). Each policy converts on
// its own; a policy that fails is left out of the output and reported.

// Kind is the form of a document.
type Kind string

const (
	KindPolicy     Kind = "policy"     // one policy object
	KindList       Kind = "list"       // a JSON array of policies
	KindCollection Kind = "collection" // a Graph collection response with a value array
)

// ItemResult is the outcome for one policy of a document.
type ItemResult struct {
	Index int // position in the list or value array; -1 for a lone policy
	Result
	Err error // why the policy was left out of the output, if it was
}

// DocumentResult is the outcome of converting a document.
type DocumentResult struct {
	Kind   Kind
	Output []byte // the converted document; the input itself when nothing changed
	Items  []ItemResult
	// Changed reports whether Output differs from the input.
	Changed bool
}

// Failed counts the items that were left out.
func (d *DocumentResult) Failed() int {
	n := 0
	for i := range d.Items {
		if d.Items[i].Err != nil {
			n++
		}
	}
	return n
}

// ConvertDocument converts a document (one policy, a list or a Graph
// collection) to opts.To. The error is for a document that cannot be read
// at all (invalid JSON, not an object or array); a policy that cannot be
// converted is reported in its ItemResult and left out of the output.
func ConvertDocument(doc []byte, opts Options) (DocumentResult, error) {
	cv, err := pooledConverter(opts)
	if err != nil {
		return DocumentResult{}, err
	}
	defer releaseConverter(cv)
	res, err := cv.ConvertDocument(doc)
	if res.Changed {
		res.Output = bytes.Clone(res.Output)
	}
	return res.own(), err
}

// Clone returns a copy of d that shares no memory with a Converter or with
// the input.
func (d DocumentResult) Clone() DocumentResult {
	d.Output = bytes.Clone(d.Output)
	return d.own()
}

// own copies d's items (not its Output) out of the Converter's memory.
func (d DocumentResult) own() DocumentResult {
	items := make([]ItemResult, len(d.Items))
	for i, it := range d.Items {
		it.Result = it.Result.Clone()
		items[i] = it
	}
	if d.Items != nil {
		d.Items = items
	}
	return d
}

// ConvertDocument is ConvertDocument with the Converter's options and
// buffers. The DocumentResult is valid until the next call on cv, like a
// Result (Clone copies it); its Output is the input itself when nothing
// changed.
func (cv *Converter) ConvertDocument(doc []byte) (DocumentResult, error) {
	cv.begin()
	res := DocumentResult{Items: cv.items[:0]}
	err := cv.convertDocument(doc, &res)
	cv.items = res.Items[:0]
	if len(res.Items) == 0 {
		res.Items = nil
	}
	return res, err
}

func (cv *Converter) convertDocument(doc []byte, res *DocumentResult) error {
	s := bytesToString(doc)
	sc := scanner{doc: s}
	start := sc.skipSpace(0)
	if start >= len(s) {
		sc.fail(start, "a JSON object or array")
		return &Error{Name: cv.opts.Name, Item: -1, Err: sc.err}
	}
	end, serr := cv.validate(s, start, 0)
	if serr != nil {
		return &Error{Name: cv.opts.Name, Item: -1, Err: serr}
	}
	if rest := sc.skipSpace(end); rest < len(s) {
		sc.fail(rest, "the end of the input after the top-level value")
		return &Error{Name: cv.opts.Name, Item: -1, Err: sc.err}
	}
	c := &cv.c
	sc = cv.trustedScanner(s)
	c.w.buf = append(c.w.buf[:0], s[:start]...)
	c.w.lay = detectLayout(s)
	changed := false
	switch s[start] {
	case '{':
		// A second scan of a lone policy's members, by its conversion, is
		// a look-up on the validating pass's tape.
		o := c.newObject()
		defer c.freeObject(o)
		sc.scanObject(start, o)
		if isCollection(o) {
			res.Kind = KindCollection
			changed = cv.collection(s, o, res)
		} else {
			res.Kind = KindPolicy
			r, ch, err := cv.convertItem(s, start, end, -1, 1, c.w.lay)
			res.Items = append(res.Items, ItemResult{Index: -1, Result: r, Err: err})
			changed = ch || err != nil
			if err != nil {
				res.Output = nil
				return nil
			}
		}
	case '[':
		res.Kind = KindList
		a := c.newArray()
		defer c.freeArray(a)
		sc.scanArray(start, a)
		changed = cv.list(s, a, 0, res)
	default:
		return &Error{Name: cv.opts.Name, Item: -1, Err: ErrNotPolicy, Expected: "a policy object, a list of policies or a collection response", Found: kindOf(s[start:end])}
	}
	if !changed {
		res.Output = doc
		return nil
	}
	c.w.buf = append(c.w.buf, s[end:]...)
	res.Output = c.w.buf
	res.Changed = true
	return nil
}

// list converts the policies of an array whose elements' members sit at
// depth+2, writing the array. It reports whether anything changed.
func (cv *Converter) list(s string, a *array, depth int, res *DocumentResult) bool {
	c := &cv.c
	changed := false
	aw := c.w.beginArray(a, depth+1, 0)
	for i := range a.elems {
		e := &a.elems[i]
		if e.val[0] != '{' {
			res.Items = append(res.Items, ItemResult{Index: i, Err: &Error{Name: cv.opts.Name, Item: i, Err: ErrNotPolicy, Expected: "a policy object", Found: kindOf(e.val)}})
			changed = true
			continue
		}
		mark := len(c.w.buf)
		aw.elem(e, i == 0)
		r, ch, err := cv.convertItem(s, e.off, e.off+len(e.val), i, depth+2, c.w.lay)
		res.Items = append(res.Items, ItemResult{Index: i, Result: r, Err: err})
		switch {
		case err != nil:
			c.w.buf = c.w.buf[:mark]
			aw.n--
			changed = true
		case ch:
			res.Items[len(res.Items)-1].Changed = true
			changed = true
		default:
			c.w.buf = append(c.w.buf, e.val...)
		}
	}
	aw.end()
	return changed
}

// collection converts the value array of a Graph collection response,
// rewriting its @odata.context and keeping every other member.
func (cv *Converter) collection(s string, o *object, res *DocumentResult) bool {
	c := &cv.c
	changed := false
	ow := c.w.beginObject(o, 1, 0)
	for i := range o.members {
		m := &o.members[i]
		switch m.key {
		case "value":
			ow.key(m, i == 0, "")
			a := c.newArray()
			sc := cv.trustedScanner(s)
			sc.scanArray(m.off, a)
			if cv.list(s, a, 1, res) {
				changed = true
			}
			c.freeArray(a)
		case "@odata.context":
			ow.key(m, i == 0, "")
			if to, ok := c.rewrittenContext(m.val); ok {
				c.w.str(to)
				changed = true
			} else {
				c.w.buf = append(c.w.buf, m.val...)
			}
		default:
			ow.copyMember(m, i == 0)
		}
	}
	ow.end()
	if !changed {
		return false
	}
	// A context naming the source version only changes with the policies.
	anyPolicy := false
	for i := range res.Items {
		if res.Items[i].Changed || res.Items[i].Err != nil {
			anyPolicy = true
		}
	}
	return anyPolicy
}

// rewrittenContext returns a collection's @odata.context value (raw JSON)
// rewritten to the target version, when it is a context URL that changes.
// The string lies in the scratch buffer, as a policy's rewritten context
// does: valid until the scratch is used again.
func (c *conv) rewrittenContext(raw string) (string, bool) {
	str, ok := stringValue(raw)
	if !ok {
		return "", false
	}
	var known bool
	if c.scratch, known = appendContext(c.scratch[:0], str, c.d); !known || string(c.scratch) == str {
		return "", false
	}
	return bytesToString(c.scratch), true
}

// isCollection reports whether a top-level object is a Graph collection
// response rather than a policy: a value array with an @odata.context, or
// with at most two other members (@odata.nextLink, @odata.count). No policy
// has a property named value.
func isCollection(o *object) bool {
	v := o.get("value")
	return v != nil && v.val[0] == '[' && (o.get("@odata.context") != nil || len(o.members) <= 3)
}

// Policy is one policy of a document, as Split finds it.
type Policy struct {
	Index int    // position in the list or value array; -1 for a lone policy
	Raw   []byte // the policy as written (a slice of the document); not necessarily an object
}

// Split finds the policies of a document the way ConvertDocument does: one
// policy, the elements of a list, or the value array of a Graph collection.
// The error is for a document that is not valid JSON or not an object or
// array.
func Split(doc []byte) (Kind, []Policy, error) {
	s := bytesToString(doc)
	sc := scanner{doc: s}
	start := sc.skipSpace(0)
	if start >= len(s) {
		sc.fail(start, "a JSON object or array")
		return "", nil, &Error{Item: -1, Err: sc.err}
	}
	end := sc.skipValue(start, 0)
	if end < 0 {
		return "", nil, &Error{Item: -1, Err: sc.err}
	}
	if rest := sc.skipSpace(end); rest < len(s) {
		sc.fail(rest, "the end of the input after the top-level value")
		return "", nil, &Error{Item: -1, Err: sc.err}
	}
	sc.trusted = true
	items := func(off int) []Policy {
		var a array
		sc.scanArray(off, &a)
		ps := make([]Policy, len(a.elems))
		for i, e := range a.elems {
			ps[i] = Policy{Index: i, Raw: doc[e.off : e.off+len(e.val)]}
		}
		return ps
	}
	switch s[start] {
	case '{':
		var o object
		sc.scanObject(start, &o)
		if isCollection(&o) {
			return KindCollection, items(o.get("value").off), nil
		}
		return KindPolicy, []Policy{{Index: -1, Raw: doc[start:end]}}, nil
	case '[':
		return KindList, items(start), nil
	}
	return "", nil, &Error{Item: -1, Err: ErrNotPolicy, Expected: "a policy object, a list of policies or a collection response", Found: kindOf(s[start:end])}
}
