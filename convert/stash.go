package convert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/model"
)

// Lossless round trips (Options.Stash). What the target version cannot hold
// is kept in the instance annotation "@apmigrate.stash" on the policy: the
// source version, the source values by path (those that converting back
// would not give again) and a digest of the converted visible values.
// Converting back applies them when the visible values are unchanged; when
// someone has edited the policy since, the stash is ignored with a finding
// and the visible values win. A stashed payload is for storage: Graph does
// not know the annotation.

// StashKey is the name of the stash annotation.
const StashKey = "@apmigrate.stash"

type stash struct {
	Version model.Version `json:"version"`
	Digest  string        `json:"digest"`
	Values  []stashValue  `json:"values"`
}

// stashValue is one source value: at Path the source had Value, or had
// nothing when Absent.
type stashValue struct {
	Path   string          `json:"path"`
	Value  json.RawMessage `json:"value,omitempty"`
	Absent bool            `json:"absent,omitempty"`
}

// needsPolicyPass reports whether a policy takes the slow path: options that
// work on the whole policy, or a stash in it.
func (cv *Converter) needsPolicyPass(raw string) bool {
	return cv.opts.Stash || cv.opts.StripStash || cv.opts.ForCreate || strings.Contains(raw, StashKey)
}

// convertPolicyPass converts one policy with stash and create-body handling.
// It appends the output to the writer's buffer, like convertPlain.
func (cv *Converter) convertPolicyPass(doc string, start, end, item, depth int, lay layout) (Result, bool, error) {
	c := &cv.c
	raw := doc[start:end]
	visible, st, err := splitStash(raw)
	if err != nil {
		return Result{}, false, &Error{Name: cv.opts.Name, Item: item, Path: StashKey, Expected: "a stash written by apmigrate", Found: err.Error(), Err: ErrInvalidValue}
	}
	var pre []Finding // findings about the stash itself
	restore := false
	source := cv.opts.To.Other()
	if st != nil {
		switch {
		case cv.opts.StripStash:
			pre = append(pre, c.finding(item, CodeStashStripped, StashKey, "", "the stash ("+strconv.Itoa(len(st.Values))+" value(s)) is removed; converting back can no longer restore them"))
		case st.Version != cv.opts.To:
			pre = append(pre, c.finding(item, CodeStashIgnored, StashKey, "", "the stash holds "+string(st.Version)+" values, not "+string(cv.opts.To)+" ones; it is dropped"))
		case digestOf(visible) != st.Digest:
			pre = append(pre, c.finding(item, CodeStashIgnored, StashKey, "", "the policy was edited since it was stashed; the stash is dropped and the visible values win"))
		default:
			restore = true
		}
	}
	// The plain conversion of the visible policy.
	mark := len(c.w.buf)
	vs := bytesToString(visible)
	res, changed, err := cv.convertPlain(vs, 0, len(vs), item, depth, lay)
	var out []byte
	if err != nil {
		c.w.buf = c.w.buf[:mark]
		return res, false, err
	}
	if changed {
		out = append([]byte(nil), c.w.buf[mark:]...)
		c.w.buf = c.w.buf[:mark]
	} else {
		out = visible
	}
	if st != nil && !changed && !cv.opts.StripStash && !restore {
		// Already in the target version: the stash stays as it is, unless
		// it belongs to the target (then it was for converting back to it).
		if st.Version != cv.opts.To {
			out = []byte(raw)
			pre = nil
		}
	}
	if restore && changed {
		patched, perr := applyStash(out, st)
		if perr != nil {
			pre = append(pre, c.finding(item, CodeStashIgnored, StashKey, "", "the stash could not be applied ("+perr.Error()+"); the visible values win"))
		} else {
			out = patched
			res.Findings = []Finding{c.finding(item, CodeStashRestored, StashKey, "", strconv.Itoa(len(st.Values))+" stashed "+string(st.Version)+" value(s) restored")}
		}
	}
	res.Findings = append(pre, res.Findings...)
	// A new stash for what the target cannot hold.
	if cv.opts.Stash && changed && !restore {
		values, serr := cv.stashValues(visible, out, source, item)
		if serr != nil {
			return res, false, serr
		}
		if len(values) > 0 {
			s := stash{Version: source, Digest: digestOf(out), Values: values}
			b, _ := json.Marshal(s)
			out = appendMember(out, StashKey, b, lay)
			res.Findings = append(res.Findings, c.finding(item, CodeStashKept, StashKey, StashKey, strconv.Itoa(len(values))+" "+string(source)+" value(s) that "+string(cv.opts.To)+" cannot hold are kept in the stash"))
		}
	}
	if cv.opts.ForCreate {
		var removed []string
		out, removed = stripForCreate(out, lay)
		for _, p := range removed {
			res.Findings = append(res.Findings, c.finding(item, CodeRemovedForCreate, p, "", "set by Graph; removed for a create (POST) body"))
		}
	}
	if !bytes.Equal(out, []byte(raw)) {
		changed = true
	}
	if err := cv.policyCheck(res.Findings, item); err != nil {
		return res, false, err
	}
	if changed {
		c.w.buf = append(c.w.buf, out...)
	}
	return res, changed, nil
}

func (c *conv) finding(item int, code Code, path, target, msg string) Finding {
	return Finding{Item: item, Path: path, TargetPath: target, Code: code, Severity: code.Severity(), Message: msg}
}

// splitStash returns the policy without its stash member, and the stash.
func splitStash(raw string) ([]byte, *stash, error) {
	if !strings.Contains(raw, StashKey) {
		return []byte(raw), nil, nil
	}
	sc := scanner{doc: raw}
	var o object
	if !sc.scanObject(0, &o) {
		return []byte(raw), nil, nil // the plain conversion reports the syntax error
	}
	m := o.get(StashKey)
	if m == nil {
		return []byte(raw), nil, nil
	}
	var st stash
	if err := json.Unmarshal([]byte(m.val), &st); err != nil || !st.Version.Valid() {
		if err == nil {
			err = fmt.Errorf("version %q", st.Version)
		}
		return nil, nil, err
	}
	return withoutMembers(raw, &o, func(k string) bool { return k == StashKey }), &st, nil
}

// withoutMembers rewrites the object o (scanned from raw) without the
// members drop names, keeping the layout of the rest.
func withoutMembers(raw string, o *object, drop func(string) bool) []byte {
	var w writer
	w.buf = append(w.buf, raw[:o.off]...)
	ow := w.beginObject(o, 1, 0)
	for i := range o.members {
		if !drop(o.members[i].key) {
			ow.copyMember(&o.members[i], i == 0)
		}
	}
	ow.end()
	return w.buf
}

// appendMember adds key: val as the last member of the object doc, in the
// layout of its first member.
func appendMember(doc []byte, key string, val []byte, lay layout) []byte {
	sc := scanner{doc: bytesToString(doc)}
	start := sc.skipSpace(0)
	var o object
	if start >= len(doc) || doc[start] != '{' || !sc.scanObject(start, &o) {
		return doc
	}
	var w writer
	w.lay = lay
	w.buf = append(w.buf, doc[:start]...)
	ow := w.beginObject(&o, 1, 0)
	for i := range o.members {
		ow.copyMember(&o.members[i], i == 0)
	}
	ow.newKeyFrom(key)
	w.buf = append(w.buf, val...)
	ow.end()
	end := sc.skipValue(start, 0)
	return append(w.buf, doc[end:]...)
}

// digestOf hashes the meaning of a JSON value: the same members and values
// give the same digest whatever the order and layout.
func digestOf(doc []byte) string {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		sum := sha256.Sum256(doc)
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// stashValues finds the source values that converting out back to the
// source version does not give again.
func (cv *Converter) stashValues(src, out []byte, source model.Version, item int) ([]stashValue, error) {
	back, err := NewConverter(Options{To: source, AllowWidening: true, ExtensionIDs: invert(cv.opts.ExtensionIDs)})
	if err != nil {
		return nil, err
	}
	r, err := back.Convert(out)
	if err != nil {
		return nil, &Error{Name: cv.opts.Name, Item: item, Err: fmt.Errorf("stash: converting the output back failed: %w", err)}
	}
	var a, b any
	if decodeNumbers(src, &a) != nil || decodeNumbers(r.Output, &b) != nil {
		return nil, &Error{Name: cv.opts.Name, Item: item, Err: fmt.Errorf("stash: the policy does not decode")}
	}
	var values []stashValue
	diffValues(nil, a, b, &values)
	return values, nil
}

func invert(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	r := make(map[string]string, len(m))
	for k, v := range m {
		r[v] = k
	}
	return r
}

func decodeNumbers(doc []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	return d.Decode(v)
}

// diffValues lists what b (the round trip) must change to equal a (the
// source): members to set, members to remove. Arrays of different lengths
// are set whole.
func diffValues(path []byte, a, b any, out *[]stashValue) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := sortedKeys(av)
		for _, k := range keys {
			p := model.AppendKey(append([]byte(nil), path...), k)
			if bx, ok := bv[k]; ok {
				diffValues(p, av[k], bx, out)
			} else {
				raw, _ := json.Marshal(av[k])
				*out = append(*out, stashValue{Path: string(p), Value: raw})
			}
		}
		for _, k := range sortedKeys(bv) {
			if _, ok := av[k]; !ok {
				*out = append(*out, stashValue{Path: string(model.AppendKey(append([]byte(nil), path...), k)), Absent: true})
			}
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok || len(bv) != len(av) {
			break
		}
		for i := range av {
			diffValues(model.AppendIndex(append([]byte(nil), path...), i), av[i], bv[i], out)
		}
		return
	default:
		if jsonScalarEqual(a, b) {
			return
		}
	}
	raw, _ := json.Marshal(a)
	*out = append(*out, stashValue{Path: string(path), Value: raw})
}

func jsonScalarEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x.String() == y.String()
	case map[string]any, []any:
		return false
	}
	return a == b
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// applyStash sets and removes the stashed values in doc, keeping the
// layout of everything else.
func applyStash(doc []byte, st *stash) ([]byte, error) {
	out := doc
	for _, v := range st.Values {
		segs, err := model.ParsePath(v.Path)
		if err != nil {
			return nil, err
		}
		if !v.Absent && !gjson.ValidBytes(v.Value) {
			return nil, fmt.Errorf("%s: not a JSON value", v.Path)
		}
		if len(segs) == 0 {
			if v.Absent {
				return nil, fmt.Errorf("the whole policy marked absent")
			}
			out = append([]byte(nil), v.Value...)
			continue
		}
		s := bytesToString(out)
		sc := scanner{doc: s}
		start := sc.skipSpace(0)
		var w writer
		w.lay = detectLayout(s)
		w.buf = append(w.buf, s[:start]...)
		end, err := patchValue(&w, &sc, start, 1, segs, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", v.Path, err)
		}
		out = append(w.buf, s[end:]...)
	}
	return out, nil
}

// patchValue writes the value at off with the stash value v set (or
// removed) at segs below it, and returns the end of the source value.
func patchValue(w *writer, sc *scanner, off, depth int, segs []model.PathSegment, v stashValue) (int, error) {
	d := sc.doc
	end := sc.skipValue(off, 0)
	if end < 0 {
		return 0, fmt.Errorf("invalid JSON")
	}
	seg, last := segs[0], len(segs) == 1
	switch {
	case !seg.IsIndex && d[off] == '{':
		var o object
		sc.scanObject(off, &o)
		ow := w.beginObject(&o, depth, 0)
		found := false
		for i := range o.members {
			m := &o.members[i]
			if m.key != seg.Key {
				ow.copyMember(m, i == 0)
				continue
			}
			found = true
			if last && v.Absent {
				continue
			}
			ow.key(m, i == 0, "")
			if last {
				w.laidOut(v.Value, depth)
			} else if _, err := patchValue(w, sc, m.off, depth+1, segs[1:], v); err != nil {
				return 0, err
			}
		}
		if !found && last && !v.Absent {
			ow.newKeyFrom(seg.Key)
			w.laidOut(v.Value, depth)
		} else if !found && !last {
			return 0, fmt.Errorf("no member %q to go into", seg.Key)
		}
		ow.end()
	case seg.IsIndex && d[off] == '[':
		var a array
		sc.scanArray(off, &a)
		if seg.Index >= len(a.elems) {
			return 0, fmt.Errorf("no element %d", seg.Index)
		}
		aw := w.beginArray(&a, depth, 0)
		for i := range a.elems {
			e := &a.elems[i]
			aw.elem(e, i == 0)
			switch {
			case i != seg.Index:
				w.buf = append(w.buf, e.val...)
			case last:
				w.laidOut(v.Value, depth)
			default:
				if _, err := patchValue(w, sc, e.off, depth+1, segs[1:], v); err != nil {
					return 0, err
				}
			}
		}
		aw.end()
	default:
		return 0, fmt.Errorf("the value there is %s", kindOf(d[off:end]))
	}
	return end, nil
}

// stripForCreate removes what Graph sets itself, so that an exported policy
// can be created again: the policy's id, timestamps, authors, context and
// etag, and question ids.
func stripForCreate(doc []byte, lay layout) ([]byte, []string) {
	s := bytesToString(doc)
	sc := scanner{doc: s}
	start := sc.skipSpace(0)
	var o object
	if start >= len(s) || s[start] != '{' || !sc.scanObject(start, &o) {
		return doc, nil
	}
	var removed []string
	var w writer
	w.lay = lay
	w.buf = append(w.buf, s[:start]...)
	ow := w.beginObject(&o, 1, 0)
	for i := range o.members {
		m := &o.members[i]
		switch m.key {
		case "id", "createdDateTime", "modifiedDateTime", "createdBy", "modifiedBy", "@odata.context", "@odata.etag":
			removed = append(removed, model.JoinPath("", m.key))
			continue
		case "questions":
			if m.val[0] == '[' {
				ow.key(m, i == 0, "")
				var a array
				sc.scanArray(m.off, &a)
				aw := w.beginArray(&a, 2, 0)
				for j := range a.elems {
					e := &a.elems[j]
					aw.elem(e, j == 0)
					var q object
					if e.val[0] == '{' && sc.scanObject(e.off, &q) && q.get("id") != nil {
						qw := w.beginObject(&q, 3, 0)
						for k := range q.members {
							if q.members[k].key == "id" {
								removed = append(removed, "questions["+strconv.Itoa(j)+"].id")
								continue
							}
							qw.copyMember(&q.members[k], k == 0)
						}
						qw.end()
					} else {
						w.buf = append(w.buf, e.val...)
					}
				}
				aw.end()
				continue
			}
		}
		ow.copyMember(m, i == 0)
	}
	ow.end()
	end := sc.skipValue(start, 0)
	w.buf = append(w.buf, s[end:]...)
	return w.buf, removed
}
