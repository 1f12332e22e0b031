package main

// Reports: every finding and every error, as readable lines, JSON Lines or
// GitHub Actions workflow commands, and the summary of a run. Each names
// the file, the place in it (NDJSON line, HTTP request, batch request,
// list item), the JSON path, and what was expected.

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
)

// Report formats.
const (
	reportText   = "text"
	reportJSON   = "json"
	reportGitHub = "github"
)

// record is one line of a report: a finding or an error. Its JSON form is
// the JSON Lines report.
type record struct {
	File       string `json:"file"`
	Part       string `json:"part,omitempty"` // "line 7", "request 2", "requests[1]"
	Item       int    `json:"item"`           // index in a list or collection, -1 otherwise
	Path       string `json:"path"`
	TargetPath string `json:"targetPath"`
	Code       string `json:"code"`
	Severity   string `json:"severity"` // info, loss, widening or error
	Message    string `json:"message"`
	Line       int    `json:"line"` // line of the file where Path is, from 1
	Column     int    `json:"column,omitempty"`
	OtherPath  string `json:"otherPath,omitempty"`
	Expected   string `json:"expected,omitempty"`
	Found      string `json:"found,omitempty"`
}

// writeRecord writes r in the report's format, in one write.
func (p *proc) writeRecord(r *record) {
	p.recBuf = p.appendRecord(p.recBuf[:0], r)
	p.rep.Write(p.recBuf)
}

// appendRecord appends r in the report's format.
func (p *proc) appendRecord(b []byte, r *record) []byte {
	switch p.cfg.report {
	case reportJSON:
		b = r.appendJSON(b)
	case reportGitHub:
		level := "notice"
		switch r.Severity {
		case string(convert.Loss), string(convert.Widening):
			level = "warning"
		case "error":
			level = "error"
		}
		props := "file=" + ghProperty(r.File) + ",line=" + strconv.Itoa(max(r.Line, 1))
		if r.Column > 0 {
			props += ",col=" + strconv.Itoa(r.Column)
		}
		props += ",title=" + ghProperty("apmigrate "+r.Code)
		b = fmt.Appendf(b, "::%s %s::%s\n", level, props, ghData(r.text(false)))
	default:
		b = append(r.appendText(b, true), '\n')
	}
	return b
}

// reportBatch bounds the findings a unit's report hands over at once.
const reportBatch = 64 << 10

// appendJSON appends r as one line of JSON, as encoding/json writes it
// (without HTML escaping): reports run to millions of records, and the
// reflection-driven encoder cost more than the conversion.
func (r *record) appendJSON(b []byte) []byte {
	b = append(b, `{"file":`...)
	b = appendJSONString(b, r.File)
	if r.Part != "" {
		b = append(b, `,"part":`...)
		b = appendJSONString(b, r.Part)
	}
	b = append(b, `,"item":`...)
	b = strconv.AppendInt(b, int64(r.Item), 10)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, r.Path)
	b = append(b, `,"targetPath":`...)
	b = appendJSONString(b, r.TargetPath)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, r.Code)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, r.Severity)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, r.Message)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(r.Line), 10)
	if r.Column != 0 {
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(r.Column), 10)
	}
	for _, f := range [...]struct{ k, v string }{{"otherPath", r.OtherPath}, {"expected", r.Expected}, {"found", r.Found}} {
		if f.v != "" {
			b = append(b, `,"`...)
			b = append(b, f.k...)
			b = append(b, `":`...)
			b = appendJSONString(b, f.v)
		}
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
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
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// text renders r as a readable line:
//
//	file: [part: ][item N: ]path -> target: severity: code: message
func (r *record) text(withFile bool) string { return string(r.appendText(nil, withFile)) }

func (r *record) appendText(b []byte, withFile bool) []byte {
	if withFile {
		b = append(b, r.File...)
		b = append(b, ": "...)
	}
	if r.Part != "" {
		b = append(b, r.Part...)
		b = append(b, ": "...)
	}
	if r.Item >= 0 {
		b = append(b, "item "...)
		b = strconv.AppendInt(b, int64(r.Item), 10)
		b = append(b, ": "...)
	}
	where := r.Path
	if where == "" && r.Severity != "error" {
		where = "(policy)"
	}
	moved := r.TargetPath != "" && r.TargetPath != r.Path
	b = append(b, where...)
	if moved {
		b = append(b, " -> "...)
		b = append(b, r.TargetPath...)
	}
	if where != "" || moved {
		b = append(b, ": "...)
	}
	b = append(b, r.Severity...)
	b = append(b, ": "...)
	b = append(b, r.Code...)
	b = append(b, ": "...)
	return append(b, r.Message...)
}

// ghData escapes the message of a workflow command.
func ghData(s string) string { return ghDataEscaper.Replace(s) }

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }

// fileStats counts what happened to one input, for the summary.
type fileStats struct {
	policies  int  // policies seen
	converted int  // policies converted (or that would be)
	unchanged int  // policies already in the target version
	withLoss  int  // converted policies with a loss or widening finding
	failed    int  // policies and documents that could not be converted
	errors    int  // errors of any kind
	changed   bool // the input changes (or would)
}

// add adds the counts of part of a file (changed is the caller's).
func (st *fileStats) add(o *fileStats) {
	st.policies += o.policies
	st.converted += o.converted
	st.unchanged += o.unchanged
	st.withLoss += o.withLoss
	st.failed += o.failed
	st.errors += o.errors
}

// report writes the findings and errors of a unit and counts its policies.
func (p *proc) report(u *unit) {
	st := &p.st
	if u.err != nil {
		st.failed++
		p.reportConvertError(u, -1, u.err)
		return
	}
	// The findings go to the report in batches, not a write each: every
	// write takes the output sequencer's lock, which two workers fought
	// over a dozen times a file.
	b := p.batchBuf[:0]
	flush := func() {
		if len(b) > 0 {
			p.rep.Write(b)
			b = b[:0]
		}
	}
	defer func() { flush(); p.batchBuf = b }()
	for i := range u.res.Items {
		it := &u.res.Items[i]
		st.policies++
		loss := false
		for _, f := range it.Findings {
			if f.Severity != convert.Info {
				loss = true
			}
			r := record{File: p.file, Part: u.label, Item: it.Index, Path: f.Path, TargetPath: f.TargetPath,
				Code: string(f.Code), Severity: string(f.Severity), Message: f.Message}
			if p.cfg.report != reportText {
				r.Line = u.lineOf(u.res.Kind, it.Index, f.Path)
			}
			if b = p.appendRecord(b, &r); len(b) >= reportBatch {
				flush()
			}
		}
		switch {
		case it.Err != nil:
			st.failed++
			flush()
			p.reportConvertError(u, it.Index, it.Err)
		case it.Changed || u.res.Kind == convert.KindPolicy && u.res.Changed:
			st.converted++
			if loss {
				st.withLoss++
			}
		default:
			st.unchanged++
		}
	}
}

// reportConvertError reports an error of the library for item (-1 for the
// unit as a whole).
func (p *proc) reportConvertError(u *unit, item int, err error) {
	p.st.errors++
	r := record{File: p.file, Part: u.label, Item: item, Severity: "error", Code: "error", Message: err.Error()}
	var ce *convert.Error
	if !errors.As(err, &ce) {
		r.Line = u.line
		p.writeRecord(&r)
		return
	}
	e := *ce
	r.Code = e.Code()
	r.Path, r.OtherPath, r.Expected, r.Found = e.Path, e.OtherPath, e.Expected, e.Found
	if errors.Is(e.Err, convert.ErrRefused) {
		// The library words the loss policy with its Go options.
		if p.cfg.strict {
			e.Expected = "no loss or widening finding (--strict)"
		} else {
			e.Expected = "no widening finding (convert anyway with --allow-widening)"
		}
		r.Expected = e.Expected
	}
	var se *convert.SyntaxError
	if errors.As(e.Err, &se) {
		// Locate the error in the file, not in the unit.
		s := *se
		s.Line, s.Column = u.filePos(se.Line, se.Column)
		s.Offset = u.off + se.Offset + int64(u.shift*(se.Line-1))
		e.Err = &s
		r.Line, r.Column = s.Line, s.Column
	} else if p.cfg.report != reportText {
		path := e.Path
		if path == "" && len(e.Findings) > 0 {
			path = e.Findings[0].Path // a refusal: where its first reason is
		}
		r.Line = u.lineOf(u.res.Kind, item, path)
	}
	e.Name, e.Item, e.Path = "", -1, ""
	r.Message = e.Error()
	p.writeRecord(&r)
}

// reportError reports an error that is not the library's: reading,
// writing, an HTTP file that is not one.
func (p *proc) reportError(part, code, msg string, line int) {
	p.st.errors++
	p.writeRecord(&record{File: p.file, Part: part, Item: -1, Code: code, Severity: "error", Message: msg, Line: line})
}

// filePos converts a line and column of the unit's text to the file's.
func (u *unit) filePos(line, col int) (int, int) {
	if line <= 1 {
		return u.line, u.col + col - 1
	}
	return u.line + line - 1, col + u.shift
}

// lineOf returns the line of the file that holds the value at path of
// item, or of its nearest ancestor that the source has (a finding's path
// may name a value the conversion added).
func (u *unit) lineOf(kind convert.Kind, item int, path string) int {
	var comps []string
	switch {
	case u.elem:
	case kind == convert.KindCollection && item >= 0:
		comps = []string{"value", strconv.Itoa(item)}
	case item >= 0:
		comps = []string{strconv.Itoa(item)}
	}
	base := len(comps)
	comps = append(comps, gjsonPath(path)...)
	for n := len(comps); n > 0; n-- {
		if r := gjson.GetBytes(u.src, strings.Join(comps[:n], ".")); r.Exists() {
			line, _ := u.filePos(1+bytes.Count(u.src[:r.Index], []byte("\n")), 1)
			return line
		}
		if n == base {
			break
		}
	}
	// The policy itself: its first line.
	off := len(u.src) - len(bytes.TrimLeft(u.src, " \t\r\n"))
	line, _ := u.filePos(1+bytes.Count(u.src[:off], []byte("\n")), 1)
	return line
}

// gjsonPath turns a path of the library's notation (a.b[0]["@odata.type"])
// into gjson path components.
func gjsonPath(p string) []string {
	var comps []string
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
		case '[':
			if i+1 < len(p) && p[i+1] == '"' {
				q, err := strconv.QuotedPrefix(p[i+1:])
				if err != nil {
					return comps
				}
				k, _ := strconv.Unquote(q)
				comps = append(comps, gjson.Escape(k))
				i += 1 + len(q) + 1
				continue
			}
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return comps
			}
			comps = append(comps, p[i+1:i+j])
			i += j + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			comps = append(comps, gjson.Escape(p[i:j]))
			i = j
		}
	}
	return comps
}

// runStats sums the stats of a run.
type runStats struct {
	files, failedFiles, changedFiles int
	fileStats
}

func (r *runStats) add(s *fileStats) {
	r.files++
	if s.errors > 0 {
		r.failedFiles++
	}
	if s.changed {
		r.changedFiles++
	}
	r.fileStats.add(s)
}

// summary renders the summary line of a convert run.
func (r *runStats) summary(cfg *config) string {
	verb := "converted"
	if !cfg.write && (cfg.list || cfg.diff || cfg.check) {
		verb = "to convert"
	}
	files := plural(r.files, "file")
	if r.failedFiles > 0 {
		files += fmt.Sprintf(" (%d failed)", r.failedFiles)
	}
	return fmt.Sprintf("apmigrate: %s; %s: %d %s, %d already %s, %d with loss findings, %d failed\n",
		files, plural(r.policies, "policy"), r.converted, verb, r.unchanged, cfg.to, r.withLoss, r.failed)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
