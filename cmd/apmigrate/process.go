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
	"runtime"
	"strconv"
	"sync"

	"github.com/apmigrate/apmigrate/convert"
)

// proc is one worker: it processes inputs one at a time with its own
// converter (converters are not safe for concurrent use).
type proc struct {
	cfg *config
	cv  *convert.Converter
	// helpers convert the lines of an NDJSON batch next to cv.
	helpers  []*convert.Converter
	stdin    io.Reader
	file     string    // name of the current input, as reports show it
	out      io.Writer // the current input's output, in input order
	rep      io.Writer // the current input's report, in input order
	st       fileStats
	recBuf   []byte // scratch of writeRecord
	batchBuf []byte // a unit's findings on their way to the report (report)
	// group, when not nil, takes whole-file rewrites to commit together:
	// finish leaves the input's rewrite in sealed instead of committing it.
	group  *commitGroup
	sealed *sealed
	bufs   readBufs // what inputs are read into, one input at a time
}

// input is one file to process, or standard input.
type input struct {
	name string // as reports show it
	path string // "" for standard input
	err  error  // the argument could not be read; reported in its place
	// walked marks a regular file met by walking a directory (not through
	// a symlink): within one walk such a file has no other name.
	walked bool
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
	src, err := openSource(in.name, in.path, p.stdin, p.cfg.cmd == cmdConvert && p.cfg.write, &p.bufs)
	if err != nil {
		p.readError(err, 0)
		return
	}
	defer p.bufs.release()
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
	var text []byte
	if f == formDocument {
		var big bool
		text, big, err = p.streamable(src)
		if err == nil && big {
			p.processStream(src, text)
			return
		}
	} else {
		text, err = src.readAll()
	}
	if err != nil {
		p.readError(err, 0)
		return
	}
	if f == formDocument && isBatch(text) {
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
		pw, err := prepareWrite(src.path, cfg.wopts, false) // b is written whole
		if err != nil {
			p.writeError(err)
			return
		}
		pw.Write(b)
		if p.group != nil {
			if err := pw.seal(); err != nil {
				pw.abort()
				p.writeError(err)
				return
			}
			p.sealed = &sealed{pw: pw, orig: state}
			return
		}
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

// processNDJSON streams an NDJSON input a batch of lines at a time: each
// batch is converted and written (to standard output, to the temporary
// file of a rewrite, to the diff) before more than a few batches after it
// are read, so that the size of the file does not matter.
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
		enc, pw, pwErr = p.streamedOutput(src)
		if pw != nil {
			defer pw.abort()
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
	// Without a diff, which needs each line, the workers assemble each
	// batch's output and report, and they go out in one write each.
	next := p.ndjsonBatches(src, enc != nil && ld == nil)
	defer next(false)
	written := false // the current batch went out whole
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
			// The next batch, converted and reported on the workers while
			// the one before was written; written here in order.
			b, err := next(true)
			stop = err
			batch, written = nil, false
			if b != nil {
				batch = b.lines
			}
			if len(batch) == 0 {
				n--
				continue
			}
			if b.whole {
				p.rep.Write(b.rep.Bytes())
				if enc != nil && b.out.Len() > 0 && (cfg.printDocuments() || !failed) {
					if _, err := enc.Write(b.out.Bytes()); err != nil && !cfg.printDocuments() {
						pwErr = err
					}
				}
				written = true
			}
		}
		e := &batch[0]
		batch = batch[1:]
		l := e.l
		body, eol := splitEOL(l)
		// What the line becomes: out (nil when it is left out) and outEOL;
		// the output is not joined with its line end, which would copy it.
		out, outEOL, lineChanged := l, []byte(nil), false
		if len(bytes.TrimSpace(body)) > 0 {
			if !e.done {
				u := lineUnit(e, body, string(appendLineLabel(nil, e.n)))
				p.convertUnit(&u)
				e.out, e.changed, e.failed = u.output(), u.res.Changed, u.failed()
			} else {
				if !written {
					p.rep.Write(e.rep)
				}
				p.st.add(&e.st)
			}
			if e.failed {
				failed = true
			}
			switch o := e.out; {
			case o == nil:
				out, lineChanged = nil, true
			case e.changed:
				out, outEOL, lineChanged = o, eol, true
			}
		}
		off += int64(len(l))
		if lineChanged {
			changed = true
		}
		if enc != nil && out != nil && !written && (cfg.printDocuments() || !failed) {
			_, err := enc.Write(out)
			if err == nil && len(outEOL) > 0 {
				_, err = enc.Write(outEOL)
			}
			if err != nil && !cfg.printDocuments() {
				pwErr = err
			}
		}
		if ld != nil && !failed {
			if out != nil && lineChanged {
				out = append(out[:len(out):len(out)], outEOL...)
			}
			ld.add(l, out)
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
		p.commitStreamed(src, pw, pwErr)
	}
}

// streamedOutput opens where an input converted as it is read (NDJSON, a
// big document) goes: an encoder on standard output when documents are
// printed, on the temporary file of a rewrite (pw) with -w, else none.
// pwErr is why a rewrite cannot be made, which matters only when the file
// changes, known at the end.
func (p *proc) streamedOutput(src *source) (enc *textWriter, pw *pending, pwErr error) {
	switch {
	case p.cfg.printDocuments():
		enc = src.form.encoder(p.out)
	case p.cfg.write:
		if pw, pwErr = prepareWrite(src.path, p.cfg.wopts, true); pw != nil {
			enc = src.form.encoder(pw)
		}
	}
	return enc, pw, pwErr
}

// commitStreamed commits the rewrite of an input that was written as it
// was read (NDJSON, a big document), unless writing it failed (pwErr).
func (p *proc) commitStreamed(src *source, pw *pending, pwErr error) {
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

// ndLine is one line of an NDJSON batch, converted ahead of its turn.
type ndLine struct {
	l   []byte // the line with its end
	n   int    // its number
	off int64  // offset of the line in the file
	// done: a worker converted the line, wrote its report records to rep
	// and counted its policies in st, so that only the ordered write of
	// finished bytes is left to the goroutine that writes. The worker's
	// converter has converted other lines since, so of the result only
	// what outlives that is kept: out (nil when nothing of the line
	// converted), whether it changed and whether any of it failed.
	done    bool
	out     []byte
	changed bool
	failed  bool
	rep     []byte
	st      fileStats
}

// NDJSON batches: at most this many lines or bytes are read at a time, so
// that memory stays bounded whatever the file's size (with -j N, at most
// 2N + 4 batches are in flight). Small enough that the batches in flight
// and their output and report stay a few megabytes: with 256 lines and
// 512 KiB, making and first touching them cost a -j 2 run on 64 MB 6%
// more CPU (418 against 445 ms; -j 1 2.5%), and nothing on 384 MB.
const (
	batchLines = 64
	batchBytes = 128 << 10
)

// lineUnit is the unit of an NDJSON line, labelled label (see
// appendLineLabel).
func lineUnit(e *ndLine, body []byte, label string) unit {
	return unit{label: label, src: body, line: e.n, col: 1, off: e.off}
}

// appendLineLabel appends the label of line n of an NDJSON file.
func appendLineLabel(b []byte, n int) []byte {
	return strconv.AppendInt(append(b, "line "...), int64(n), 10)
}

// ndBatch is a batch of NDJSON lines on its way through the workers. Its
// buffers are reused by the batches after it: a batch (then 256 lines) made
// megabytes of garbage, and the collector that cleaned it up held back the
// workers.
type ndBatch struct {
	lines []ndLine
	err   error         // what ended the input after these lines
	done  chan struct{} // closed when the lines are converted and reported
	text  []byte        // the lines, one after another
	ends  []int         // where each line ends in text
	out   bytes.Buffer  // the converted lines (whole: every line's output)
	rep   bytes.Buffer  // their report records
	spans []lineSpans
	// labels has the lines' labels ("line 7"), made one string a batch
	// (convertLines): two allocations a line were 2% of a run.
	labels []byte
	// repBuf is the report's scratch (proc.batchBuf) kept with the batch:
	// a new one for every batch grew to 64 KiB each time, a third of what
	// a run allocated.
	repBuf   []byte
	panicked *workerPanic // converting the batch panicked
	// whole: out holds the batch's output as it goes out, line ends and
	// unchanged lines included, and rep the report records of all its
	// lines, so that the goroutine that writes makes one write of each a
	// batch, where a write (a lock and a copy into a buffer) a line and
	// destination was a fifth of its work and ran beside the workers.
	whole bool
}

// reusable reports whether b's buffers are worth keeping for the next
// batch: not after a line far longer than usual (up to 64 MiB), whose
// buffers would otherwise stay for the rest of the run.
func (b *ndBatch) reusable() bool {
	const keep = 4 * batchBytes
	return cap(b.text) <= keep && b.out.Cap() <= 2*keep && b.rep.Cap() <= 4*keep
}

// lineSpans locate a line's output and report records in its batch, and
// its label in the batch's labels.
type lineSpans struct{ out, rep, label [2]int }

// ndjsonBatches returns the source of an NDJSON file's batches: next(true)
// returns the next one, next(false) stops reading. With -j 2 or more (for
// convert), a reader goroutine hands batches to -j workers, each of which
// converts and reports a whole batch with its own Converter, while the
// caller writes the finished batches in order: reading, converting and
// writing overlap, and no worker waits for another. At most 2·-j + 4
// batches are in flight (queued, read, written), which bounds memory.
// Otherwise next reads (and, for convert, converts) in the caller's
// goroutine. A batch's memory is reused once the caller asks for the next
// one.
func (p *proc) ndjsonBatches(src *source, whole bool) func(more bool) (*ndBatch, error) {
	n, off := 1, int64(0)
	read := func(b *ndBatch) {
		b.err = p.readBatch(b, src, n, off)
		for i := range b.lines {
			off += int64(len(b.lines[i].l))
		}
		n += len(b.lines)
	}
	converting := p.cfg.cmd == cmdConvert
	one := new(ndBatch)
	sequential := func(more bool) (*ndBatch, error) {
		if !more {
			return nil, nil
		}
		if !one.reusable() {
			one = new(ndBatch)
		}
		read(one)
		one.whole = false
		if converting && p.cv != nil {
			p.convertLines(p.cv, one, whole)
		}
		return one, one.err
	}
	jobs := p.cfg.jobs
	if !converting || jobs < 2 {
		return sequential
	}
	for len(p.helpers) < jobs {
		cv, err := convert.NewConverter(p.cfg.options())
		if err != nil { // (the options were checked at start-up)
			return sequential
		}
		p.helpers = append(p.helpers, cv)
	}
	// The reader may run ahead of the writer by two batches a worker and
	// two more: with one each, a worker that finished early waited for the
	// batch before its own to be written before it got another (workers
	// idled 5% of a -j 2 run; 3.5% now, mostly the run's last batch).
	ahead := 2*jobs + 2
	queue := make(chan *ndBatch, ahead)  // in input order, to the writer
	work := make(chan *ndBatch, ahead)   // to the workers, in any order
	free := make(chan *ndBatch, ahead+2) // written, for the reader to reuse
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1 + jobs)
	// At most ahead+2 batches are ever in flight (queued, read, written):
	// the reader makes that many and then waits for a written one, where
	// a new batch whenever none was free at that moment made batches,
	// and garbage, all through a run.
	limit := ahead + 2
	go func() { // the reader
		defer wg.Done()
		defer close(queue)
		defer close(work)
		made := 0
		for {
			var b *ndBatch
			select {
			case b = <-free:
			default:
				if made < limit {
					b = new(ndBatch)
					made++
					break
				}
				select {
				case b = <-free:
				case <-quit:
					return
				}
			}
			b.done = make(chan struct{})
			b.whole, b.panicked = false, nil
			read(b)
			select {
			case queue <- b:
			case <-quit:
				return
			}
			select {
			case work <- b:
			case <-quit:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	for w := 0; w < jobs; w++ {
		go func(cv *convert.Converter) {
			defer wg.Done()
			for b := range work {
				p.convertLinesSafely(cv, b, whole)
				close(b.done)
				// The writer and the reader this batch woke wait in
				// this worker's run queue until it blocks: with -j
				// workers busy on as many cores, that was when the
				// reader had fallen behind and the workers ran dry
				// (a trace of -j 2 on 64 MB: workers runnable but
				// not running 162 ms, blocked on an empty queue 17
				// ms; 47 and 0 with the yield).
				runtime.Gosched()
			}
		}(p.helpers[w])
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			close(quit)
			for range queue { // let a reader blocked on a send go
			}
			wg.Wait() // the source is the caller's again
		}
	}
	var held *ndBatch // the batch the caller is writing
	return func(more bool) (*ndBatch, error) {
		if held != nil {
			if !held.reusable() {
				held = new(ndBatch) // its buffers go; the reader counts on its place
			}
			free <- held // (never blocks: free holds every batch there is)
		}
		held = nil
		if !more {
			stop()
			return nil, nil
		}
		b, ok := <-queue
		if !ok {
			return nil, io.EOF
		}
		<-b.done
		if b.panicked != nil {
			// Raised here, where the input's recovery reports it as it
			// does with one worker, once the reader and workers stopped.
			stop()
			panic(b.panicked.value)
		}
		held = b
		return b, b.err
	}
}

// testHookLine, set by tests, is called with each NDJSON line converted.
var testHookLine func(line []byte)

// convertLinesSafely is convertLines on a worker: a panic is kept in the
// batch for the goroutine that takes it to raise, where on the worker it
// would end the program.
func (p *proc) convertLinesSafely(cv *convert.Converter, b *ndBatch, whole bool) {
	defer func() {
		if r := recover(); r != nil {
			b.panicked = &workerPanic{r}
		}
	}()
	p.convertLines(cv, b, whole)
}

// workerPanic is a worker's panic value.
type workerPanic struct{ value any }

// readBatch reads the next lines into b (the first is line n, at offset
// off). It returns the error that ended the input (io.EOF at its end) with
// the lines before it.
func (p *proc) readBatch(b *ndBatch, src *source, n int, off int64) error {
	b.lines, b.text, b.ends = b.lines[:0], b.text[:0], b.ends[:0]
	var err error
	for len(b.lines) < batchLines && len(b.text) < batchBytes {
		var l []byte
		l, err = src.readLine()
		if err != nil {
			break
		}
		b.lines = append(b.lines, ndLine{n: n + len(b.lines), off: off + int64(len(b.text))})
		b.text = append(b.text, l...)
		b.ends = append(b.ends, len(b.text))
	}
	start := 0
	for i, e := range b.ends {
		b.lines[i].l = b.text[start:e:e]
		start = e
	}
	if len(b.lines) == 0 && err == io.EOF {
		return io.EOF
	}
	return err
}

// convertLines converts and reports the non-blank lines of an NDJSON
// batch with cv. The outputs and the report records of its lines share
// one buffer each; with whole, the output buffer holds the batch's whole
// output (see ndBatch.whole).
func (p *proc) convertLines(cv *convert.Converter, b *ndBatch, whole bool) {
	batch := b.lines
	b.spans = append(b.spans[:0], make([]lineSpans, len(batch))...)
	out, rep := &b.out, &b.rep
	out.Reset()
	rep.Reset()
	wp := proc{cfg: p.cfg, file: p.file, rep: rep, batchBuf: b.repBuf}
	defer func() { b.repBuf = wp.batchBuf }()
	b.labels = b.labels[:0]
	for i := range batch {
		sp := &b.spans[i]
		sp.label[0] = len(b.labels)
		b.labels = appendLineLabel(b.labels, batch[i].n)
		sp.label[1] = len(b.labels)
	}
	labels := string(b.labels)
	for i := range batch {
		e := &batch[i]
		body, eol := splitEOL(e.l)
		if len(bytes.TrimSpace(body)) == 0 {
			if whole {
				out.Write(e.l) // a blank line stays as it is
			}
			continue
		}
		if testHookLine != nil {
			testHookLine(body)
		}
		sp := &b.spans[i]
		u := lineUnit(e, body, labels[sp.label[0]:sp.label[1]])
		u.res, u.err = cv.ConvertDocument(body)
		e.out, e.changed, e.failed = u.output(), u.res.Changed, u.failed()
		switch {
		case e.changed && e.out != nil:
			// The converter reuses its buffer: the output is copied.
			sp.out[0] = out.Len()
			out.Write(e.out)
			sp.out[1] = out.Len()
			if whole {
				out.Write(eol)
			}
		case whole && e.out != nil:
			out.Write(e.l) // unchanged: the line as it is, its end included
		}
		// (A line of which nothing converted (out nil) is left out.)
		// The report is formatted here too, before the converter's next
		// call reuses the findings: for lines with many findings it costs
		// more than the conversion.
		wp.st = fileStats{}
		sp.rep[0] = rep.Len()
		wp.report(&u)
		sp.rep[1] = rep.Len()
		e.st = wp.st
		e.done = true
	}
	ob, rb := out.Bytes(), rep.Bytes()
	for i := range batch {
		e, sp := &batch[i], b.spans[i]
		if e.changed && e.out != nil {
			e.out = ob[sp.out[0]:sp.out[1]:sp.out[1]]
		}
		e.rep = rb[sp.rep[0]:sp.rep[1]]
	}
	b.whole = whole
}
