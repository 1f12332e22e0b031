package main

// The input forms that are read whole: a JSON document, a Graph JSON
// batch, and saved HTTP requests. Each holds one or more units, JSON
// documents that the library converts; the form puts their outputs back in
// place and copies everything else byte for byte.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
)

// unit is one JSON document of an input: the whole file, an NDJSON line,
// or the body of an HTTP request or of a batch request.
type unit struct {
	label string // where it is in the file: "", "line 7", "request 2", "requests[1]"
	src   []byte // the document's text, as converted
	line  int    // line of the file where src starts, from 1
	col   int    // column of the file where src starts, from 1
	off   int64  // byte offset of the text where src starts
	shift int    // columns removed from each line of src after its first (batch bodies)
	res   convert.DocumentResult
	err   error // the document as a whole could not be read
	// elem: src is one policy of a streamed list or collection, not the
	// document its results' paths start from.
	elem bool
}

// failed reports whether any part of the unit could not be converted.
func (u *unit) failed() bool { return u.err != nil || u.res.Failed() > 0 }

// output is the converted document: nil when nothing of it converted.
func (u *unit) output() []byte {
	if u.err != nil {
		return nil
	}
	return u.res.Output
}

// convertUnit converts u with the worker's converter and reports it (or,
// for detect and validate, inspects it).
func (p *proc) convertUnit(u *unit) {
	if p.cfg.cmd != cmdConvert {
		p.inspectUnit(u)
		return
	}
	// The result lives in the converter's memory until its next call: a
	// caller that converts another unit before it is done with this one's
	// output copies it.
	u.res, u.err = p.cv.ConvertDocument(u.src)
	p.report(u)
}

// convertDocument converts a file that is one document. As the library
// does, policies that fail are left out of the output.
func (p *proc) convertDocument(text []byte) (out []byte, failed bool) {
	u := unit{src: text, line: 1, col: 1}
	p.convertUnit(&u)
	return u.output(), u.failed()
}

// edit replaces text[start:end] with repl.
type edit struct {
	start, end int
	repl       []byte
}

// splice applies edits, sorted and not overlapping, to text.
func splice(text []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return text
	}
	out := make([]byte, 0, len(text)+len(text)/4)
	at := 0
	for _, e := range edits {
		out = append(out, text[at:e.start]...)
		out = append(out, e.repl...)
		at = e.end
	}
	return append(out, text[at:]...)
}

// position returns the line and column (from 1, in bytes) of offset off.
func position(text []byte, off int) (line, col int) {
	line = 1 + bytes.Count(text[:off], []byte("\n"))
	return line, off - (bytes.LastIndexByte(text[:off], '\n') + 1) + 1
}

// quoteJSON writes s as a JSON string, without the HTML escapes of
// encoding/json (a URL's & stays &).
func quoteJSON(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// lineIndent returns the white space that starts the line holding off.
func lineIndent(text []byte, off int) []byte {
	ls := bytes.LastIndexByte(text[:off], '\n') + 1
	j := ls
	for j < off && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	return text[ls:j]
}

// dedent removes ind from the start of every line of raw after the first,
// so that a value nested in a larger document converts with its own
// indentation (the converter takes the indentation unit from the first
// indented line). JSON has no line breaks inside strings, so lines are
// white space boundaries. It returns raw unchanged, and false, when a line
// does not start with ind.
func dedent(raw, ind []byte) ([]byte, bool) {
	if len(ind) == 0 || bytes.IndexByte(raw, '\n') < 0 {
		return raw, false
	}
	lines := bytes.Split(raw, []byte("\n"))
	for _, l := range lines[1:] {
		if !bytes.HasPrefix(l, ind) {
			return raw, false
		}
	}
	for i := 1; i < len(lines); i++ {
		lines[i] = lines[i][len(ind):]
	}
	return bytes.Join(lines, []byte("\n")), true
}

// reindent puts ind back at the start of every line after the first.
func reindent(text, ind []byte) []byte {
	return bytes.ReplaceAll(text, []byte("\n"), append([]byte("\n"), ind...))
}

// convertBatch converts a Graph JSON batch: the URL and the body of every
// request that addresses policies. Other requests are copied. A request
// whose body fails is left out of the output (the file is then not
// rewritten).
func (p *proc) convertBatch(text []byte) (out []byte, failed bool) {
	reqs := gjson.GetBytes(text, "requests")
	type elem struct {
		start, end int
		edits      []edit
		drop       bool
	}
	var elems []elem
	i := 0
	reqs.ForEach(func(_, v gjson.Result) bool {
		e := elem{start: v.Index, end: v.Index + len(v.Raw)}
		defer func() { elems = append(elems, e); i++ }()
		url := v.Get("url")
		if url.Type != gjson.String {
			return true
		}
		pu := rewriteURL(url.String(), p.cfg.to)
		if !pu.policies {
			return true
		}
		if pu.url != url.String() {
			e.edits = append(e.edits, edit{url.Index, url.Index + len(url.Raw), quoteJSON(pu.url)})
		}
		body := v.Get("body")
		if !pu.body || !body.IsObject() && !body.IsArray() {
			return true
		}
		ind := lineIndent(text, body.Index)
		src, dedented := dedent([]byte(body.Raw), ind)
		line, col := position(text, body.Index)
		u := unit{label: fmt.Sprintf("requests[%d]", i), src: src, line: line, col: col, off: int64(body.Index)}
		if dedented {
			u.shift = len(ind)
		}
		p.convertUnit(&u)
		if u.failed() {
			e.drop = true
			failed = true
			return true
		}
		if u.res.Changed {
			o := u.output()
			if dedented {
				o = reindent(o, ind)
			} else {
				o = bytes.Clone(o) // kept past the next unit's conversion
			}
			e.edits = append(e.edits, edit{body.Index, body.Index + len(body.Raw), o})
		}
		return true
	})
	var edits []edit
	for _, e := range elems {
		edits = append(edits, e.edits...)
	}
	if !failed {
		return splice(text, edits), false
	}
	// Rebuild the array without the failed requests: each kept element
	// keeps the separator that preceded it, the first one the array's
	// opening.
	arr := text[reqs.Index : reqs.Index+len(reqs.Raw)]
	base := reqs.Index
	rebuilt := append([]byte(nil), arr[:elems[0].start-base]...)
	first := true
	for k, e := range elems {
		if e.drop {
			continue
		}
		if !first {
			rebuilt = append(rebuilt, text[elems[k-1].end:e.start]...)
		}
		first = false
		var inner []edit
		for _, ed := range e.edits {
			inner = append(inner, edit{ed.start - e.start, ed.end - e.start, ed.repl})
		}
		rebuilt = append(rebuilt, splice(text[e.start:e.end], inner)...)
	}
	rebuilt = append(rebuilt, arr[elems[len(elems)-1].end-base:]...)
	return splice(text, []edit{{reqs.Index, reqs.Index + len(reqs.Raw), rebuilt}}), true
}

// convertHTTP converts saved HTTP requests: for each request to a policy
// URL, the URL and the JSON body; for each response, its JSON body. The
// request line's method and version, the headers, comments, separators and
// every other request are copied. A request whose body fails is left out
// of the output (the file is then not rewritten).
func (p *proc) convertHTTP(text []byte) (out []byte, failed bool) {
	var edits []edit
	for _, b := range parseHTTP(text) {
		if b.err != "" {
			p.reportError(b.label, "invalid-http", fmt.Sprintf("line %d: %s", b.errLine, b.err), b.errLine)
			failed = true
			continue
		}
		if !b.request && !b.response {
			continue
		}
		var be []edit
		convertBody := b.response
		if b.request {
			pu := rewriteURL(string(text[b.urlStart:b.urlEnd]), p.cfg.to)
			if !pu.policies {
				continue
			}
			if pu.url != string(text[b.urlStart:b.urlEnd]) {
				be = append(be, edit{b.urlStart, b.urlEnd, []byte(pu.url)})
			}
			convertBody = pu.body
		}
		if convertBody && b.bodyStart >= 0 {
			line, col := position(text, b.bodyStart)
			u := unit{label: b.label, src: text[b.bodyStart:b.bodyEnd], line: line, col: col, off: int64(b.bodyStart)}
			p.convertUnit(&u)
			if u.failed() {
				edits = append(edits, edit{b.start, b.end, nil})
				failed = true
				continue
			}
			if u.res.Changed {
				o := bytes.Clone(u.output()) // kept past the next unit's conversion
				// A saved Content-Length follows the body (by the change in
				// its length, whatever it counted before).
				if b.lengthEnd > b.lengthStart {
					if n, err := strconv.Atoi(string(text[b.lengthStart:b.lengthEnd])); err == nil {
						n += len(o) - (b.bodyEnd - b.bodyStart)
						be = append(be, edit{b.lengthStart, b.lengthEnd, []byte(strconv.Itoa(n))})
					}
				}
				be = append(be, edit{b.bodyStart, b.bodyEnd, o})
			}
		}
		edits = append(edits, be...)
	}
	return splice(text, edits), failed
}

// httpBlock is one request (or response) of an HTTP file: the lines from
// its ### separator (or the start of the file) to the next separator.
type httpBlock struct {
	start, end         int    // bytes of the block
	label              string // "request N"
	request, response  bool   // it has a request line or a status line
	urlStart, urlEnd   int    // the request URL
	bodyStart, bodyEnd int    // the JSON body, trimmed; -1 when there is none
	lengthStart        int    // the value of a Content-Length header, if any
	lengthEnd          int
	err                string // why the block is not a request
	errLine            int
}

// parseHTTP splits an HTTP file into blocks, in the format of Microsoft's
// documentation and of editor REST clients: optional comments (# or //)
// and variables (@name = value), the request line (METHOD URL [HTTP/1.1])
// or a status line (HTTP/1.1 200 OK), query continuation lines (? or &),
// headers, a blank line and the body, up to the next line that starts
// with ###.
func parseHTTP(text []byte) []httpBlock {
	type span struct{ start, end, next int } // end excludes the line end
	var lines []span
	for at := 0; at < len(text); {
		nl := bytes.IndexByte(text[at:], '\n')
		next := len(text)
		if nl >= 0 {
			next = at + nl + 1
		}
		end := next
		if end > at && text[end-1] == '\n' {
			end--
		}
		if end > at && text[end-1] == '\r' {
			end--
		}
		lines = append(lines, span{at, end, next})
		at = next
	}
	trim := func(l span) []byte { return bytes.TrimSpace(text[l.start:l.end]) }
	var blocks []httpBlock
	n := 0
	for i := 0; i < len(lines); {
		b := httpBlock{start: lines[i].start, bodyStart: -1}
		j := i
		if bytes.HasPrefix(trim(lines[j]), []byte("###")) {
			j++
		}
		k := j
		for k < len(lines) && !bytes.HasPrefix(trim(lines[k]), []byte("###")) {
			k++
		}
		b.end = len(text)
		if k < len(lines) {
			b.end = lines[k].start
		}
		i = k
		// Comments, variables and blank lines before the request line.
		for j < k {
			t := trim(lines[j])
			if len(t) == 0 || t[0] == '#' || t[0] == '@' || bytes.HasPrefix(t, []byte("//")) {
				j++
				continue
			}
			break
		}
		if j == k {
			blocks = append(blocks, b) // nothing but comments
			continue
		}
		n++
		b.label = "request " + strconv.Itoa(n)
		l := lines[j]
		t := text[l.start:l.end]
		switch {
		case bytes.HasPrefix(t, []byte("HTTP/")):
			b.response = true
		case looksLikeHTTP(t) && t[0] != '#' && t[0] != '/':
			b.request = true
			sp := bytes.IndexAny(t, " \t")
			u := sp
			for u < len(t) && (t[u] == ' ' || t[u] == '\t') {
				u++
			}
			e := u
			for e < len(t) && t[e] != ' ' && t[e] != '\t' {
				e++
			}
			b.urlStart, b.urlEnd = l.start+u, l.start+e
		default:
			b.err = fmt.Sprintf("expected a request line (METHOD URL) or a status line (HTTP/1.1 200 OK), found %q", truncate(string(bytes.TrimSpace(t)), 40))
			b.errLine = j + 1
			blocks = append(blocks, b)
			continue
		}
		j++
		// Query continuation lines, then headers up to a blank line.
		for j < k {
			if t := trim(lines[j]); len(t) > 0 && (t[0] == '?' || t[0] == '&') {
				j++
				continue
			}
			break
		}
		// Headers, up to a blank line. A line that starts JSON ends them
		// too: a body written without the blank line is still the body.
		bodyAt := -1 // offset where the body starts
		for ; j < k; j++ {
			t := trim(lines[j])
			if len(t) == 0 {
				bodyAt = lines[j].next
				break
			}
			if t[0] == '{' || t[0] == '[' {
				bodyAt = lines[j].start
				break
			}
			if name, value, ok := bytes.Cut(text[lines[j].start:lines[j].end], []byte(":")); ok && bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
				v := bytes.TrimSpace(value)
				vs := lines[j].start + len(name) + 1 + bytes.Index(value, v)
				b.lengthStart, b.lengthEnd = vs, vs+len(v)
			}
		}
		if bodyAt >= 0 {
			body := text[bodyAt:b.end]
			s := len(body) - len(bytes.TrimLeft(body, " \t\r\n"))
			e := len(bytes.TrimRight(body, " \t\r\n"))
			if s < e && (body[s] == '{' || body[s] == '[') {
				b.bodyStart, b.bodyEnd = bodyAt+s, bodyAt+e
			}
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// truncate shortens s to n bytes for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
