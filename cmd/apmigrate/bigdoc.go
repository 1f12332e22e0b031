package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/apmigrate/apmigrate/convert"
)

// Big documents. A list or a Graph collection larger than streamMin is
// converted a policy at a time (convert.ConvertStream): read whole, a
// 32 MiB collection of 37,000 policies peaked at 491 MiB, and the document,
// its output and the results of all its policies grow with it. Smaller
// documents, which a tree of exported policies is made of, are read whole
// as before, and so are documents that are neither, batch and HTTP files,
// and documents whose output is a diff (which needs both texts).

// streamMin is the size from which a document streams; tests lower it.
var streamMin = 1 << 20

// sniffLine bounds the first line that sniffing reads to tell NDJSON from
// a document: a document on one line (a saved Graph response) longer than
// this is not held whole to be told apart. NDJSON lines stay bounded by
// maxLine after it.
var sniffLine = 4 << 20

// streamable reads a document up to streamMin bytes and reports whether
// it streams: it is larger, and it starts as a list or a collection does
// ('[', or '{' and an annotation or value first). text is what was read: the
// whole document when it does not stream (err is then the read's), the
// start of it when it does (the rest follows in src).
func (p *proc) streamable(src *source) (text []byte, ok bool, err error) {
	cfg := p.cfg
	b := src.takeBack()
	rest := func() ([]byte, bool, error) {
		text, err := src.readRest(b)
		return text, false, err
	}
	if cfg.cmd != cmdConvert || cfg.diff {
		return rest()
	}
	if n := int64(streamMin + 1 - b.Len()); n > 0 {
		if _, err := b.ReadFrom(io.LimitReader(src.r, n)); err != nil {
			return b.Bytes(), false, err
		}
	}
	head := b.Bytes()
	if len(head) <= streamMin {
		return head, false, nil // the whole document, read whole
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(t) > 0 && t[0] == '[':
		return head, true, nil
	case len(t) > 0 && t[0] == '{':
		// The library streams an object whose members before its value
		// array are annotations, and reads any other whole; only a batch
		// request ({"requests": …}) must not reach it, which this tells.
		k := bytes.TrimLeft(t[1:], " \t\r\n")
		if bytes.HasPrefix(k, []byte(`"@`)) || bytes.HasPrefix(k, []byte(`"value"`)) {
			return head, true, nil
		}
	}
	return rest()
}

// processStream converts a big document read from head and then src,
// writing its output as it goes (standard output, or the temporary file
// of a rewrite) and reporting each policy when it has converted.
func (p *proc) processStream(src *source, head []byte) {
	cfg := p.cfg
	enc, pw, pwErr := p.streamedOutput(src)
	if pw != nil {
		defer pw.abort()
	}
	var out io.Writer = io.Discard
	if enc != nil {
		out = enc
	}
	failed := false
	whole := unit{line: 1, col: 1}
	cw := &captureWriter{w: out}
	items := make([]convert.ItemResult, 1) // each policy's, reported as a document of one
	res, err := p.cv.ConvertStream(io.MultiReader(bytes.NewReader(head), src.r), cw, func(it *convert.StreamItem) error {
		u := unit{src: it.Raw, line: it.Line, col: it.Column, off: it.Offset, elem: !it.Whole}
		items[0] = it.ItemResult
		u.res = convert.DocumentResult{Kind: it.Kind, Items: items, Changed: it.Changed}
		if it.Err != nil {
			failed = true
		}
		p.report(&u)
		return nil
	})
	for _, f := range res.Findings {
		p.writeRecord(&record{File: p.file, Item: f.Item, Path: f.Path, TargetPath: f.TargetPath,
			Code: string(f.Code), Severity: string(f.Severity), Message: f.Message, Line: 1})
	}
	switch {
	case err == nil:
	case cw.err != nil && errors.Is(err, cw.err):
		// The output could not be written: what the whole path reports
		// when it writes (standard output's errors are the run's).
		failed = true
		switch {
		case isEncodingError(err):
			p.reportError("", "invalid-encoding", errorText(err), 0)
		case cfg.write:
			p.writeError(fileErr("write-failed", "writing the new content: %v", unwrapPath(err)))
		}
	case isEncodingError(err):
		failed = true
		p.readError(err, 0)
	default:
		failed = true
		p.st.failed++
		p.reportConvertError(&whole, -1, err)
	}
	if enc != nil {
		if cerr := enc.Close(); cerr != nil && pwErr == nil {
			pwErr = cerr
		}
	}
	if cfg.printDocuments() {
		if pwErr != nil {
			p.reportError("", "invalid-encoding", errorText(pwErr), 0)
		}
		p.st.changed = res.Changed
		return
	}
	if failed || !res.Changed {
		return
	}
	p.st.changed = true
	if cfg.list {
		fmt.Fprintln(p.out, p.file)
	}
	if cfg.write {
		p.commitStreamed(src, pw, pwErr)
	}
}

// captureWriter keeps the first error of the writes through it, to tell
// an output that failed from an input that did.
type captureWriter struct {
	w   io.Writer
	err error
}

func (c *captureWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
