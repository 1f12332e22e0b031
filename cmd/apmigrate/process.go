package main

// Processing one input: open and decode it, recognize its form, hand each
// of its units to the command (convert, detect or validate), and for
// convert put the result where the mode says (standard output, a list, a
// diff, the file itself).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/apmigrate/apmigrate/convert"
)

// proc is one worker: it processes inputs one at a time with its own
// converter (converters are not safe for concurrent use).
type proc struct {
	cfg *config
	cv  *convert.Converter
	// helpers convert the lines of an NDJSON batch next to cv.
	helpers []*convert.Converter
	stdin   io.Reader
	file    string    // name of the current input, as reports show it
	out     io.Writer // the current input's output, in input order
	rep     io.Writer // the current input's report, in input order
	st      fileStats
}

// input is one file to process, or standard input.
type input struct {
	name string // as reports show it
	path string // "" for standard input
	err  error  // the argument could not be read; reported in its place
}

const stdinName = "<standard input>"

// process processes one input and leaves its counts in p.st.
func (p *proc) process(in input) {
	p.file = in.name
	p.st = fileStats{}
	if in.err != nil {
		p.reportError("", "read-failed", errorText(in.err), 0)
		return
	}
	src, err := openSource(in.name, in.path, p.stdin)
	if err != nil {
		p.readError(err, 0)
		return
	}
	defer src.close()
	f, err := src.sniff()
	if err != nil {
		p.readError(err, 0)
		return
	}
	if f == formNDJSON {
		p.processNDJSON(src)
		return
	}
	text, err := src.readAll()
	if err != nil {
		p.readError(err, 0)
		return
	}
	if f == formDocument && gjson.ValidBytes(text) && isBatch(text) {
		f = formBatch
	}
	var out []byte
	var failed bool
	switch f {
	case formBatch:
		out, failed = p.convertBatch(text)
	case formHTTP:
		out, failed = p.convertHTTP(text)
	default:
		out, failed = p.convertDocument(text)
	}
	if p.cfg.cmd != cmdConvert {
		return
	}
	state := src.state
	state.sum = src.sum()
	p.finish(src, state, text, out, failed)
}

// readError reports an input that cannot be read or decoded.
func (p *proc) readError(err error, line int) {
	code := "read-failed"
	if isEncodingError(err) {
		code = "invalid-encoding"
	}
	p.reportError("", code, "cannot read: "+errorText(err), line)
}

// errorText is an error's message without the path that reports already
// show.
func errorText(err error) string { return unwrapPath(err).Error() }

// finish puts the converted text of a whole-file input where the mode
// says.
func (p *proc) finish(src *source, state fileState, text, out []byte, failed bool) {
	cfg := p.cfg
	changed := out != nil && !bytes.Equal(out, text)
	if cfg.printDocuments() {
		// As the library does, what converted is printed even when some
		// policies failed (they are left out and reported).
		if out != nil {
			b, err := src.form.encode(out)
			if err != nil {
				p.reportError("", "invalid-encoding", errorText(err), 0)
				return
			}
			p.out.Write(b)
		}
		p.st.changed = changed
		return
	}
	if failed || !changed {
		return // a file with any failure is never rewritten
	}
	p.st.changed = true
	if cfg.list {
		fmt.Fprintln(p.out, p.file)
	}
	if cfg.diff {
		unifiedDiff(p.out, p.file, text, out)
	}
	if cfg.write {
		b, err := src.form.encode(out)
		if err != nil {
			p.reportError("", "invalid-encoding", errorText(err), 0)
			return
		}
		pw, err := prepareWrite(src.path, cfg.wopts)
		if err != nil {
			p.writeError(err)
			return
		}
		pw.Write(b)
		if err := pw.commit(state); err != nil {
			p.writeError(err)
		}
	}
}

func (p *proc) writeError(err error) {
	var fe *fileError
	if errors.As(err, &fe) {
		p.reportError("", fe.code, fe.msg, 0)
		return
	}
	p.reportError("", "write-failed", errorText(err), 0)
}

// splitEOL splits a line into its content and its line end.
func splitEOL(l []byte) ([]byte, []byte) {
	n := len(l)
	if n > 0 && l[n-1] == '\n' {
		n--
		if n > 0 && l[n-1] == '\r' {
			n--
		}
	}
	return l[:n], l[n:]
}

// processNDJSON streams an NDJSON input line by line: each line is
// converted and written (to standard output, to the temporary file of a
// rewrite, to the diff) before the next is read, so that the size of the
// file does not matter.
func (p *proc) processNDJSON(src *source) {
	cfg := p.cfg
	var (
		enc   *textWriter
		pw    *pending
		pwErr error
		diff  spill
		ld    *lineDiff
	)
	if cfg.cmd == cmdConvert {
		switch {
		case cfg.printDocuments():
			enc = src.form.encoder(p.out)
		case cfg.write:
			// Errors that prevent a rewrite only matter when the file
			// changes, which is known at the end.
			pw, pwErr = prepareWrite(src.path, cfg.wopts)
			if pw != nil {
				enc = src.form.encoder(pw)
				defer pw.abort()
			}
		}
		if cfg.diff {
			ld = &lineDiff{w: &diff, name: p.file}
			defer diff.reset()
		}
	}
	changed, failed := false, false
	var off int64
	var batch []ndLine
	stop := error(nil)
	for n := 1; ; n++ {
		if len(batch) == 0 {
			if stop != nil {
				// What ended the input, after the lines before it.
				switch {
				case stop == io.EOF:
				case stop == errLineTooLong:
					p.reportError(fmt.Sprintf("line %d", n), "line-too-long", "the line is longer than 64 MiB; the file is not converted", n)
					failed = true
				default:
					p.readError(stop, n)
					failed = true
				}
				break
			}
			// Read a batch and convert it on all workers; then report and
			// write it in order, line by line, as before.
			batch, stop = p.readBatch(src, n)
			p.convertLines(batch)
			if len(batch) == 0 {
				n--
				continue
			}
		}
		e := &batch[0]
		batch = batch[1:]
		l := e.l
		body, eol := splitEOL(l)
		outLine := l
		if len(bytes.TrimSpace(body)) > 0 {
			u := unit{label: fmt.Sprintf("line %d", n), src: body, line: n, col: 1, off: off}
			if e.done {
				u.res, u.err = e.res, e.err
				p.report(&u)
			} else {
				p.convertUnit(&u)
			}
			if u.failed() {
				failed = true
			}
			switch o := u.output(); {
			case o == nil:
				outLine = nil
			case u.res.Changed:
				outLine = append(o[:len(o):len(o)], eol...)
			}
		}
		off += int64(len(l))
		if outLine == nil || !bytes.Equal(outLine, l) {
			changed = true
		}
		if enc != nil && outLine != nil && (cfg.printDocuments() || !failed) {
			if _, err := enc.Write(outLine); err != nil && !cfg.printDocuments() {
				pwErr = err
			}
		}
		if ld != nil && !failed {
			ld.add(l, outLine)
		}
	}
	if cfg.cmd != cmdConvert {
		return
	}
	if cfg.printDocuments() {
		if err := enc.Close(); err != nil {
			p.reportError("", "invalid-encoding", errorText(err), 0)
		}
		p.st.changed = changed
		return
	}
	if failed || !changed {
		return
	}
	p.st.changed = true
	if cfg.list {
		fmt.Fprintln(p.out, p.file)
	}
	if ld != nil {
		ld.finish()
		diff.flushTo(p.out)
	}
	if cfg.write {
		if pwErr == nil {
			pwErr = enc.Close()
		}
		if pwErr != nil {
			p.writeError(pwErr)
			return
		}
		state := src.state
		state.sum = src.sum()
		if err := pw.commit(state); err != nil {
			p.writeError(err)
		}
	}
}

// ndLine is one line of an NDJSON batch, converted ahead of its turn.
type ndLine struct {
	l    []byte // the line with its end
	n    int    // its number
	done bool   // converted: res and err hold the outcome
	res  convert.DocumentResult
	err  error
}

// NDJSON batches: at most this many lines or bytes are read ahead, so that
// memory stays bounded whatever the file's size.
const (
	batchLines = 512
	batchBytes = 4 << 20
)

// readBatch reads the next lines (the first is line n). It returns the
// error that ended the input (io.EOF at its end) with the lines before it.
func (p *proc) readBatch(src *source, n int) ([]ndLine, error) {
	var batch []ndLine
	size := 0
	for len(batch) < batchLines && size < batchBytes {
		l, err := src.readLine()
		if err != nil {
			if len(batch) == 0 && err == io.EOF {
				return nil, io.EOF
			}
			return batch, err
		}
		batch = append(batch, ndLine{l: bytes.Clone(l), n: n + len(batch)})
		size += len(l)
	}
	return batch, nil
}

// convertLines converts the non-blank lines of an NDJSON batch on up to -j
// goroutines, each with its own Converter. Detect and validate stay in
// line order (they are cheap).
func (p *proc) convertLines(batch []ndLine) {
	if p.cfg.cmd != cmdConvert || len(batch) < 2 || p.cfg.jobs < 2 {
		return
	}
	workers := min(p.cfg.jobs, len(batch))
	for len(p.helpers) < workers-1 {
		cv, err := convert.NewConverter(p.cfg.options())
		if err != nil {
			return // (checked at start-up: cannot happen)
		}
		p.helpers = append(p.helpers, cv)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		cv := p.cv
		if w > 0 {
			cv = p.helpers[w-1]
		}
		wg.Add(1)
		go func(w int, cv *convert.Converter) {
			defer wg.Done()
			for i := w; i < len(batch); i += workers {
				e := &batch[i]
				body, _ := splitEOL(e.l)
				if len(bytes.TrimSpace(body)) == 0 {
					continue
				}
				e.res, e.err = cv.ConvertDocument(body)
				if e.res.Changed && e.res.Output != nil {
					e.res.Output = bytes.Clone(e.res.Output) // the converter reuses its buffer
				}
				e.done = true
			}
		}(w, cv)
	}
	wg.Wait()
}
