package main

// The detect and validate commands. They read the same input forms as
// convert (through the same form walkers, whose output they ignore) and
// look at each policy instead of converting it.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
	"github.com/apmigrate/apmigrate/model"
)

// splitItems finds the policies of a document with the library's own rule
// (one policy, a list, or the value array of a collection response).
func splitItems(src []byte) (convert.Kind, []gjson.Result, error) {
	kind, ps, err := convert.Split(src)
	if err != nil {
		return "", nil, err
	}
	items := make([]gjson.Result, len(ps))
	for i, p := range ps {
		items[i] = gjson.ParseBytes(p.Raw)
	}
	return kind, items, nil
}

// inspectUnit runs detect or validate on each policy of a unit.
func (p *proc) inspectUnit(u *unit) {
	kind, items, err := splitItems(u.src)
	if err != nil {
		u.err = err
		p.report(u)
		return
	}
	u.res.Kind = kind
	for i, it := range items {
		idx := i
		if kind == convert.KindPolicy {
			idx = -1
		}
		p.st.policies++
		if !it.IsObject() {
			p.reportConvertError(u, idx, &convert.Error{Item: idx, Err: convert.ErrNotPolicy, Expected: "a policy object", Found: "a JSON " + it.Type.String()})
			p.st.failed++
			continue
		}
		raw := []byte(it.Raw)
		if p.cfg.cmd == cmdDetect {
			p.detectItem(u, idx, raw)
		} else {
			p.validateItem(u, idx, raw)
		}
	}
}

// detectRecord is a line of detect's JSON report.
type detectRecord struct {
	File  string   `json:"file"`
	Part  string   `json:"part,omitempty"`
	Item  int      `json:"item"`
	Shape string   `json:"shape"`
	Beta  []string `json:"beta"`
	V1    []string `json:"v1.0"`
}

func (p *proc) detectItem(u *unit, idx int, raw []byte) {
	d, err := convert.Detect(raw)
	if err != nil {
		p.reportConvertError(u, idx, err)
		p.st.failed++
		return
	}
	if p.cfg.report == reportJSON {
		r := detectRecord{File: p.file, Part: u.label, Item: idx, Shape: string(d.Shape), Beta: d.Beta, V1: d.V1}
		if r.Beta == nil {
			r.Beta = []string{}
		}
		if r.V1 == nil {
			r.V1 = []string{}
		}
		writeJSONLine(p.out, r)
		return
	}
	var b strings.Builder
	b.WriteString(p.prefix(u, idx))
	b.WriteString(string(d.Shape))
	switch d.Shape {
	case convert.ShapeBeta:
		fmt.Fprintf(&b, " (%s)", strings.Join(d.Beta, ", "))
	case convert.ShapeV1:
		fmt.Fprintf(&b, " (%s)", strings.Join(d.V1, ", "))
	case convert.ShapeMixed:
		fmt.Fprintf(&b, " (beta: %s; v1.0: %s)", strings.Join(d.Beta, ", "), strings.Join(d.V1, ", "))
	}
	b.WriteString("\n")
	p.out.Write([]byte(b.String()))
}

// prefix is the start of a line about item idx of u.
func (p *proc) prefix(u *unit, idx int) string {
	s := p.file + ": "
	if u.label != "" {
		s += u.label + ": "
	}
	if idx >= 0 {
		s += fmt.Sprintf("item %d: ", idx)
	}
	return s
}

// problemRecord is a line of validate's JSON report.
type problemRecord struct {
	File     string `json:"file"`
	Part     string `json:"part,omitempty"`
	Item     int    `json:"item"`
	Path     string `json:"path"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Expected string `json:"expected,omitempty"`
	Found    string `json:"found,omitempty"`
	Line     int    `json:"line"`
}

func (p *proc) validateItem(u *unit, idx int, raw []byte) {
	problems, err := model.Validate(raw, p.cfg.version)
	if err != nil {
		p.reportError(u.label, "invalid-json", err.Error(), u.line)
		p.st.failed++
		return
	}
	if len(problems) > 0 {
		p.st.errors++ // the exit status says the input is not valid
		p.st.failed++
	} else {
		p.st.unchanged++
	}
	for _, pr := range problems {
		if p.cfg.report == reportJSON {
			writeJSONLine(p.out, problemRecord{File: p.file, Part: u.label, Item: idx, Path: pr.Path, Code: string(pr.Code),
				Message: pr.Message, Expected: pr.Expected, Found: pr.Found, Line: u.lineOf(u.res.Kind, idx, pr.Path)})
			continue
		}
		fmt.Fprintf(p.out, "%s%s\n", p.prefix(u, idx), pr)
	}
}

func writeJSONLine(w interface{ Write([]byte) (int, error) }, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	w.Write(b.Bytes())
}
