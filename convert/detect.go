package convert

import (
	"strings"

	"github.com/apmigrate/apmigrate/model"
)

// Shape is what detection makes of a payload (decision 1): the version
// whose properties it has, both, or neither.
type Shape string

const (
	ShapeBeta    Shape = "beta"    // only beta-only properties (and shared ones)
	ShapeV1      Shape = "v1.0"    // only v1.0-only properties (and shared ones)
	ShapeMixed   Shape = "mixed"   // properties of both versions
	ShapeNeutral Shape = "neutral" // only properties both versions share: nothing to convert
)

// Detection is the shape of a payload and its evidence: the paths of the
// properties (and @odata.type values) that exist in only one version.
type Detection struct {
	Shape Shape    `json:"shape"`
	Beta  []string `json:"beta,omitempty"`
	V1    []string `json:"v1.0,omitempty"`
}

func (d *Detection) settle() {
	d.Beta, d.V1 = outermost(d.Beta), outermost(d.V1)
	var seen presence
	if len(d.Beta) > 0 {
		seen |= inBeta
	}
	if len(d.V1) > 0 {
		seen |= inV1
	}
	d.Shape = shapeOf(seen)
}

// shapeOf names the shape of a payload with evidence of the versions in
// seen.
func shapeOf(seen presence) Shape {
	switch seen {
	case inBoth:
		return ShapeMixed
	case inBeta:
		return ShapeBeta
	case inV1:
		return ShapeV1
	}
	return ShapeNeutral
}

// outermost drops the paths inside another path of the list: a member of a
// version-only property is no further evidence. Paths come in document
// order, so a descendant follows its ancestor.
func outermost(ps []string) []string {
	out := ps[:0]
	last := ""
	for _, p := range ps {
		if last != "" && inside(p, last) {
			continue
		}
		out = append(out, p)
		last = p
	}
	return out
}

// Has reports whether the payload has properties of version v.
func (d *Detection) Has(v model.Version) bool {
	if v == model.Beta {
		return len(d.Beta) > 0
	}
	return len(d.V1) > 0
}

// mayBeEvidence reports whether a member of property p can be evidence of
// a version (evidenceOf is 0 for every other): most properties are in
// both versions with one form, and their members need no call.
func (p *prop) mayBeEvidence() bool {
	return p.in != inBoth || p.name == "text" && p.elem != nil
}

// evidenceOf reports which version, if any, member m of an object of type
// t belongs to alone: inBeta, inV1 or 0. p is m's property when the caller
// has looked it up already (nil: looked up here).
func evidenceOf(t *typeRules, m *member, p *prop) presence {
	if m.isAnnotation() {
		if m.key != "@odata.type" {
			return 0
		}
		name, _ := stringValue(m.val)
		name = strings.TrimPrefix(name, "#")
		var b, v bool
		if e := typesNamed(name); e != nil {
			b, v = e[0] != nil, e[1] != nil
		}
		switch {
		case b && !v:
			return inBeta
		case v && !b:
			return inV1
		}
		return 0
	}
	if p == nil {
		if p = t.prop(m.key); p == nil {
			return 0
		}
	}
	if p.in != inBoth {
		return p.in
	}
	// Question and choice text: an object in beta, a string in v1.0.
	if p.name == "text" && p.elem != nil && m.val != "null" {
		switch m.val[0] {
		case '{':
			return inBeta
		case '"':
			return inV1
		}
	}
	return 0
}

// covers reports whether path lies inside the last path recorded for v,
// which makes it no further evidence.
func (d *Detection) covers(v presence, path []byte) bool {
	ps := d.V1
	if v == inBeta {
		ps = d.Beta
	}
	if len(ps) == 0 {
		return false
	}
	return inside(path, ps[len(ps)-1])
}

// inside reports whether path names something inside the value at outer.
func inside[P string | []byte](path P, outer string) bool {
	n := len(outer)
	return len(path) > n && string(path[:n]) == outer && (path[n] == '.' || path[n] == '[')
}

// add records the path of a member that belongs to version v alone.
func (d *Detection) add(v presence, path string) {
	if v == inBeta {
		d.Beta = append(d.Beta, path)
	} else {
		d.V1 = append(d.V1, path)
	}
}

// detector walks a document for evidence, stopping early when told to.
type detector struct {
	sc      scanner
	ev      Detection
	stop    presence // stop at the first evidence of these versions
	path    []byte
	objs    []*object
	scratch []member // members of the objects being walked member by member
	ar      arena
	arrs    []*array
}

// reset prepares a reused detector for a validated document.
func (d *detector) reset(sc scanner, stop presence) {
	d.sc = sc
	d.stop = stop
	d.path = d.path[:0]
	d.ev.Shape = ""
	d.ev.Beta = d.ev.Beta[:0]
	d.ev.V1 = d.ev.V1[:0]
}

func (d *detector) done() bool {
	return d.stop&inBeta != 0 && len(d.ev.Beta) > 0 || d.stop&inV1 != 0 && len(d.ev.V1) > 0
}

// object walks the object at off, declared as type t. It returns false on a
// syntax error.
func (d *detector) object(off int, t *typeRules) bool {
	var o *object
	if n := len(d.objs); n > 0 {
		o, d.objs = d.objs[n-1], d.objs[:n-1]
	} else {
		o = &object{}
	}
	defer func() { d.objs = append(d.objs, o) }()
	if t != nil && !t.abstract && len(t.derived) == 0 {
		// No @odata.type to look for first: go member by member, and stop
		// as soon as detection is done.
		ok := true
		d.scratch = append(d.scratch, member{})
		m := &d.scratch[len(d.scratch)-1]
		defer func() { d.scratch = d.scratch[:len(d.scratch)-1] }()
		d.sc.eachMember(off, m, func(m *member) bool {
			ok = d.member(t, m)
			return ok && !d.done()
		})
		return ok && d.sc.err == nil
	}
	if !d.sc.scanObject(off, o) {
		return false
	}
	if m := o.odataType(); m != nil && t != nil {
		name, _ := stringValue(m.val)
		if rt := t.resolve(name, 1); rt != nil {
			t = rt
		} else {
			t = t.union() // as the converter reads it
		}
	}
	if t == nil {
		return true
	}
	for i := range o.members {
		if !d.member(t, &o.members[i]) {
			return false
		}
		if d.done() {
			return true
		}
	}
	return true
}

// member notes the evidence of one member and walks its value.
func (d *detector) member(t *typeRules, m *member) bool {
	var p *prop
	if !m.isAnnotation() {
		if p = t.prop(m.key); p == nil {
			return true // no evidence, and nothing to walk
		}
	}
	v := evidenceOf(t, m, p)
	walk := p != nil && p.elem != nil
	if v == 0 && !walk {
		// Most members: no path to build.
		return true
	}
	n := len(d.path)
	d.path = model.AppendKey(d.path, m.key)
	ok := true
	if v != 0 {
		d.ev.add(v, d.ar.str(d.path))
	}
	if walk && !d.done() {
		ok = d.value(m.val, m.off, p.elem)
	}
	d.path = d.path[:n]
	return ok
}

func (d *detector) value(val string, off int, t *typeRules) bool {
	switch val[0] {
	case '{':
		return d.object(off, t)
	case '[':
		var a *array
		if n := len(d.arrs); n > 0 {
			a, d.arrs = d.arrs[n-1], d.arrs[:n-1]
		} else {
			a = &array{}
		}
		defer func() { d.arrs = append(d.arrs, a) }()
		if !d.sc.scanArray(off, a) {
			return false
		}
		for i := range a.elems {
			e := &a.elems[i]
			if e.val[0] != '{' {
				continue
			}
			n := len(d.path)
			d.path = model.AppendIndex(d.path, i)
			ok := d.object(e.off, t)
			d.path = d.path[:n]
			if !ok {
				return false
			}
			if d.done() {
				return true
			}
		}
	}
	return true
}
