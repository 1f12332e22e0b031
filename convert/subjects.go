package convert

import "github.com/apmigrate/apmigrate/model"

// Subject sets (mapping §5, decision 8): beta userSet entries carry
// isBackup; v1.0 subjectSet entries do not, and stages and reviews have
// separate fallback lists instead.

// Which entries of a source list a part takes, and what isBackup the
// output entries get.
const (
	anyBackup int8 = -1 // take every entry / write no isBackup
	noBackup  int8 = -1
	notBackup int8 = 0
	isBackup  int8 = 1
)

// listPart is one source list feeding an output list.
type listPart struct {
	m          *member
	want       int8 // anyBackup, notBackup or isBackup: which entries to take (by their isBackup)
	set        int8 // noBackup, or the isBackup value to write on each entry (beta output)
	noteBackup bool // report isBackup: true as meaningless (allowed requestors)
}

// subjectState is what the subject converters need to know of their list.
type subjectState struct {
	set        int8
	noteBackup bool
}

// subjectList writes one output array from the entries of parts. The
// arrays' members sit at depth srcDepth (of the first part) in the source
// and outDepth in the output. Paths: the caller has pushed the first part.
func (c *conv) subjectList(parts []listPart, srcDepth, outDepth int) {
	var layoutSrc *array
	arrays := make([]*array, len(parts))
	defer func() {
		for _, a := range arrays {
			if a != nil {
				c.freeArray(a)
			}
		}
	}()
	for i, p := range parts {
		if p.m == nil || p.m.val == "null" {
			continue
		}
		if p.m.val[0] != '[' {
			c.fail(ErrInvalidValue, c.ar.str(c.path), "", "a list of subject sets", kindOf(p.m.val))
			return
		}
		arrays[i] = c.scanArr(p.m.off)
		if c.failed() {
			return
		}
		if layoutSrc == nil && len(arrays[i].elems) > 0 {
			layoutSrc = arrays[i]
		}
	}
	shift := outDepth - srcDepth
	aw := c.w.beginArray(layoutSrc, outDepth+1, shift)
	// The caller pushed the first part's key; other parts are siblings.
	base := len(c.path) - len(lastSegment(c.path))
	orig := string(c.path[base:])
	defer func() { c.path = append(c.path[:base], orig...) }()
	saved := c.subj
	defer func() { c.subj = saved }()
	for i, p := range parts {
		a := arrays[i]
		if a == nil {
			continue
		}
		c.subj = subjectState{set: p.set, noteBackup: p.noteBackup}
		for j := range a.elems {
			e := &a.elems[j]
			if p.want != anyBackup {
				b := c.entryBackup(e)
				if c.failed() {
					return
				}
				if b != (p.want == isBackup) {
					continue
				}
			}
			if i == 0 {
				c.path = append(c.path[:base], orig...)
			} else {
				c.path = model.AppendKey(c.path[:base], p.m.key)
			}
			if c.d == toBeta && e.val[0] == '{' && !c.typeInTarget(userSetType, e, j) {
				continue
			}
			if a == layoutSrc {
				aw.elem(e, j == 0)
			} else {
				aw.newElem()
			}
			n, tn := len(c.path), len(c.tpath)
			c.path = model.AppendIndex(c.path, j)
			c.tpath = model.AppendIndex(c.tpath, aw.n-1)
			if e.val[0] == '{' {
				c.objectAt(e.val, e.off, userSetType, srcDepth+1, outDepth+1)
			} else {
				c.w.raw(e.val, shift)
			}
			c.path, c.tpath = c.path[:n], c.tpath[:tn]
			if c.failed() {
				return
			}
		}
	}
	aw.end()
}

// lastSegment returns the last key segment of a path, to swap the list
// name when a second part comes from another member of the same object.
func lastSegment(p []byte) []byte {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[i:]
		}
		if p[i] == '[' && i+1 < len(p) && p[i+1] == '"' {
			return p[i:]
		}
	}
	return p
}

// entryBackup reads the isBackup of a list entry (false when absent).
func (c *conv) entryBackup(e *element) bool {
	if e.val[0] != '{' {
		return false
	}
	o := c.scanObj(e.val, e.off)
	defer c.freeObject(o)
	m := o.get("isBackup")
	if m == nil {
		return false
	}
	v, _ := c.boolOf(m)
	return v
}

// subjectToV1 converts one beta subject set: isBackup goes (its list
// placement was decided by the caller).
func subjectToV1(c *conv, f *frame) {
	c.walk(f, func(i int, m *member) bool {
		if m.key != "isBackup" {
			return false
		}
		if c.subj.noteBackup {
			c.find(CodeIsBackupDropped, c.at(m.key), "", "isBackup has no meaning for an allowed requestor; dropped")
		}
		return true
	})
}

// subjectToBeta converts one v1.0 subject set, adding isBackup when its
// list asks for it.
func subjectToBeta(c *conv, f *frame) {
	// An entry that says isBackup already (mixed input) keeps it in a
	// primary list; a fallback entry is a backup whatever it says.
	own := f.src.get("isBackup") != nil
	override := c.subj.set == isBackup || c.subj.set == notBackup && !own
	c.walk(f, func(i int, m *member) bool {
		return m.key == "isBackup" && override
	})
	if override {
		f.ow.newKey("isBackup")
		c.w.bool(c.subj.set == isBackup)
	}
}

// splitToV1 writes a beta approver or reviewer list m as the v1.0 list
// primary and its fallback list fbKey, at m's place (decision 8). A list
// whose entries are all backups stays primary, with a loss finding.
// existing is a fallback list the (mixed) source already has.
func (c *conv) splitToV1(f *frame, m *member, first bool, primary, fbKey string, existing *member) {
	n, tn := c.push(m.key, primary)
	defer c.pop(n, tn)
	if m.val == "null" {
		f.ow.key(m, first, primary)
		c.w.raw(m.val, f.shift())
		return
	}
	if m.val[0] != '[' {
		c.fail(ErrInvalidValue, c.ar.str(c.path), "", "a list of subject sets", kindOf(m.val))
		return
	}
	a := c.scanArr(m.off)
	if c.failed() {
		c.freeArray(a)
		return
	}
	total, backups := 0, 0
	for i := range a.elems {
		if a.elems[i].val[0] == '{' {
			total++
			if c.entryBackup(&a.elems[i]) {
				backups++
			}
		}
	}
	c.freeArray(a)
	if c.failed() {
		return
	}
	f.ow.key(m, first, primary)
	allBackup := total > 0 && backups == total
	if allBackup {
		c.subjectList([]listPart{{m: m, want: anyBackup, set: noBackup}}, f.srcDepth, f.outDepth)
		c.find(CodeAllBackupKeptPrimary, c.ar.str(c.path), c.ar.str(c.tpath), "every entry (", c.ar.num(int64(total)), ") is a backup; they stay in ", primary, " and lose isBackup")
	} else {
		c.subjectList([]listPart{{m: m, want: notBackup, set: noBackup}}, f.srcDepth, f.outDepth)
	}
	if c.failed() {
		return
	}
	c.tpath = c.tpath[:tn]
	c.tpath = model.AppendKey(c.tpath, fbKey)
	f.ow.newKey(fbKey)
	parts := []listPart{}
	if !allBackup {
		parts = append(parts, listPart{m: m, want: isBackup, set: noBackup})
	}
	if existing != nil {
		parts = append(parts, listPart{m: existing, want: anyBackup, set: noBackup})
	}
	if len(parts) == 0 {
		c.w.buf = append(c.w.buf, "[]"...)
		return
	}
	c.subjectList(parts, f.srcDepth, f.outDepth)
	if backups > 0 && !allBackup {
		c.find(CodeApproversSplit, c.ar.str(c.path), c.ar.str(c.tpath), c.ar.num(int64(backups)), " isBackup entr", plural(backups, "y", "ies"), " move to ", fbKey)
	}
}

// mergeToBeta writes the v1.0 list primary and its fallback list as one
// beta list named key: primary entries with isBackup false, fallback
// entries with isBackup true (decision 8).
func (c *conv) mergeToBeta(f *frame, m *member, first bool, key string, prim, fb *member) {
	fbPath := ""
	if fb != nil {
		fbPath = c.at(fb.key)
	}
	n, tn := c.push(m.key, key)
	defer c.pop(n, tn)
	f.ow.key(m, first, key)
	if prim != nil && prim.val == "null" && fb == nil {
		c.w.raw(prim.val, f.shift())
		return
	}
	var parts []listPart
	if prim != nil {
		parts = append(parts, listPart{m: prim, want: anyBackup, set: notBackup})
	}
	if fb != nil {
		parts = append(parts, listPart{m: fb, want: anyBackup, set: isBackup})
	}
	c.subjectList(parts, f.srcDepth, f.outDepth)
	if fb != nil && !isEmptyValue(fb.val) {
		c.find(CodeApproversSplit, fbPath, c.ar.str(c.tpath), fb.key, " are appended to ", key, " with isBackup: true")
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
