package convert

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Streaming documents. ConvertDocument holds a whole document, its output
// and the results of all its policies: a 32 MiB Graph collection of
// 37,000 policies peaked at 491 MiB through the command line. ConvertStream
// reads a list or a collection one policy at a time, writes the output as
// it goes and hands each policy's result to a callback, so that memory is
// bounded by the largest policy whatever the document's size.

// StreamItem is one policy of a streamed document, as the callback of
// ConvertStream sees it. It is valid only during the call.
type StreamItem struct {
	ItemResult
	// Raw is the policy as written, and Offset, Line and Column (from 1,
	// in bytes) where it starts in the input. For a document that is not
	// streamed (see ConvertStream), Raw is the whole document, Offset 0,
	// and Whole is true: the ItemResult is then ConvertDocument's, but
	// that a lone policy's Changed is the document's.
	Raw          []byte
	Offset       int64
	Line, Column int
	Whole        bool
	Kind         Kind // the document's
}

// StreamResult is the outcome of ConvertStream.
type StreamResult struct {
	Kind Kind
	// Changed reports whether the output differs from the input.
	Changed bool
	// Streamed reports whether the document was read a policy at a time
	// (a list, or a collection with only annotations before its value
	// array); otherwise it was read whole and converted as ConvertDocument
	// does.
	Streamed bool
	// ContextKept: the collection's @odata.context names the source
	// version and was written as it was, because more than StreamHold
	// bytes of unchanged policies came before the first one that changed
	// (ConvertDocument would have rewritten it). Never set otherwise;
	// Findings then holds a context-kept finding that says so.
	ContextKept bool
	// Findings are about the document rather than one of its policies.
	Findings []Finding
}

// StreamHold bounds the output ConvertStream holds back while a
// collection's @odata.context waits for the first policy that changes:
// ConvertDocument rewrites a context that names the source version only
// when a policy changes, and an unchanged document is written as it was.
const StreamHold = 8 << 20

// streamHold is StreamHold, lowered by tests.
var streamHold = StreamHold

// streamLookahead is how far ahead of a streamed document's first policy
// its layout is read.
const streamLookahead = 256 << 10

// maxStreamItem bounds one policy of a streamed document, as a line of
// an NDJSON file is bounded.
const maxStreamItem = 64 << 20

// ConvertStream is Converter.ConvertStream with a Converter for opts from
// a pool.
func ConvertStream(r io.Reader, w io.Writer, opts Options, item func(*StreamItem) error) (StreamResult, error) {
	cv, err := pooledConverter(opts)
	if err != nil {
		return StreamResult{}, err
	}
	defer releaseConverter(cv)
	res, err := cv.ConvertStream(r, w, item)
	res.Findings = cloneFindings(res.Findings)
	return res, err
}

// ConvertStream converts the document read from r (one policy, a list or a
// Graph collection response) to the Converter's target, writing the
// converted document to w, and calls item for each policy with its result
// (valid only during the call; an error from item stops the conversion and
// is returned).
//
// A list, and a collection whose members before its value array are
// annotations (as Graph writes them: @odata.context first, or nothing), are
// read one policy at a time: each
// is validated and converted when it has been read, and the output is
// written as it goes, so that memory is bounded by the largest policy (up
// to 64 MiB) and by StreamHold. The output is ConvertDocument's Output
// byte for byte (the input itself when nothing changed), with two
// differences that follow from reading once: a syntax error after the
// first policy ends the conversion after the policies before it were
// converted and written (ConvertDocument validates the whole document
// first and converts nothing), and see StreamResult.ContextKept. (An
// object that starts as a collection but has neither an @odata.context
// nor at most three members, which ConvertDocument takes for a policy,
// ends in an ErrNotPolicy error.) Any other document is read whole and
// converted by ConvertDocument.
//
// With Options.Jobs above 1, the policies of a streamed list or value
// array are validated and converted by that many goroutines, a batch of
// about 32 KiB at a time, while the calling goroutine writes the output and
// calls item, in the document's order: the output, the results and the
// errors are those of one goroutine. An error from item or from the writer
// stops the goroutines before ConvertStream returns.
//
// The error is for a document that cannot be read (an *Error, as
// ConvertDocument's, with a *SyntaxError located in the whole input), for
// a failed read or write, or item's.
func (cv *Converter) ConvertStream(r io.Reader, w io.Writer, item func(*StreamItem) error) (StreamResult, error) {
	s := &streamer{cv: cv, w: w, item: item, line: 1, col: 1, keep: true}
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= streamLookahead {
		s.br = br
	} else {
		s.br = bufio.NewReaderSize(r, streamLookahead)
	}
	err := s.run()
	return s.res, err
}

// streamer is the state of one ConvertStream.
type streamer struct {
	cv   *Converter
	br   *bufio.Reader
	w    io.Writer
	item func(*StreamItem) error
	res  StreamResult

	off       int64 // offset of the next byte in the input
	line, col int   // its position
	// kept holds what was read while it is not yet known whether the
	// document streams: the fallback converts it with the rest.
	keep bool
	kept []byte
	// log is the batch that what is consumed goes to (arrayJobs).
	log *streamBatch

	lay layout
	// nMembers counts the collection object's members, and sawContext
	// says whether one was @odata.context (see isCollection).
	nMembers   int
	sawContext bool
	elem       []byte // the policy being read
	// where the value being read starts
	vOff        int64
	vLine, vCol int
	ws          []byte // the white space space read last
	gap         []byte // the gap before the policy being read
	it          StreamItem
	any         bool // a policy changed or failed

	// The output: straight to w, or held back while a context waits (see
	// StreamHold), with the places where the contexts go.
	holding bool
	hold    []byte
	ctxs    []heldContext
	rewrite bool // contexts met from now on are written rewritten
	werr    error
}

// heldContext is an @odata.context value in the held-back output: at is
// where it goes in hold, raw as written, rewritten as a JSON string.
type heldContext struct {
	at             int
	raw, rewritten string
}

func (s *streamer) run() error {
	lead := bytes.Clone(s.space()) // (space reuses its buffer)
	c, err := s.peek()
	if err != nil {
		return s.fallback()
	}
	switch c {
	case '[':
		s.res.Kind = KindList
		s.startStream()
		s.emit(lead)
		if err := s.array(0); err != nil {
			return err
		}
	case '{':
		ok, err := s.collection()
		if err != nil || !ok {
			if err == nil {
				err = s.fallback()
			}
			return err
		}
	default:
		return s.fallback()
	}
	if err := s.trailing(); err != nil {
		return err
	}
	s.release(false)
	return s.werr
}

// startStream commits to streaming. The layout comes from the document
// up to 256 KiB ahead, where detectLayout finds the first newline,
// indented line, colon and comma that it reads in a whole document.
func (s *streamer) startStream() {
	s.res.Streamed = true
	look, _ := s.br.Peek(min(s.br.Size(), streamLookahead))
	s.lay = detectLayout(bytesToString(append(s.kept[:len(s.kept):len(s.kept)], look...)))
	s.keep, s.kept = false, nil
}

// collection reads a top-level object up to its value array and streams
// it when it is a collection as Graph writes them: nothing but
// annotations (@odata.context, @odata.count) before the value array.
// Otherwise (ok false, nothing written) the caller converts the whole
// document.
func (s *streamer) collection() (ok bool, err error) {
	s.next()                           // '{'
	type ctxSpan struct{ at, end int } // (scan.go's span is a container's)
	var ctxs []ctxSpan                 // the @odata.context values read, in kept
	for first := true; ; first = false {
		if !first {
			s.space()
			if c, err := s.next(); err != nil || c != ',' {
				return false, nil // '}' (a policy) or an error: ConvertDocument says
			}
		}
		s.space()
		if c, err := s.peek(); err != nil || c != '"' {
			return false, nil
		}
		_, key, err := s.readKey()
		if err != nil || key != "value" && !strings.HasPrefix(key, "@") {
			return false, nil
		}
		s.nMembers++
		s.space()
		if c, err := s.next(); err != nil || c != ':' {
			return false, nil
		}
		s.space()
		if key == "value" {
			if c, err := s.peek(); err != nil || c != '[' {
				return false, nil
			}
			// A collection: what was read goes out as it was, but for
			// its contexts.
			kept := s.kept
			s.res.Kind = KindCollection
			s.startStream()
			at := 0
			for _, sp := range ctxs {
				s.emit(kept[at:sp.at])
				s.context(kept[sp.at:sp.end])
				at = sp.end
			}
			s.emit(kept[at:])
			if err := s.array(1); err != nil {
				return true, err
			}
			return true, s.members(false)
		}
		at := len(s.kept)
		v, err := s.value()
		if err != nil || s.check(v, 0, 1, 1) != nil {
			return false, nil
		}
		if key == "@odata.context" {
			ctxs = append(ctxs, ctxSpan{at, len(s.kept)})
			s.sawContext = true
		}
	}
}

// members copies the members of the collection object (the first key
// next), converting the policies of every value array and rewriting
// every @odata.context, up to and including '}'.
// (first: no member came before).
func (s *streamer) members(first bool) error {
	for ; ; first = false {
		if !first {
			gap := s.space()
			c, err := s.peek()
			switch {
			case err != nil || c != ',' && c != '}':
				return s.syntax("',' or '}' after an object member")
			case c == '}':
				s.next()
				s.emit(gap)
				s.emit([]byte{'}'})
				if !s.sawContext && s.nMembers > 3 {
					// ConvertDocument takes such an object for a policy
					// (isCollection); streamed, it was taken for a
					// collection from its start.
					return &Error{Name: s.cv.opts.Name, Item: -1, Err: ErrNotPolicy,
						Expected: "a collection response: an @odata.context, or no more than three members",
						Found:    "an object with a value array and " + strconv.Itoa(s.nMembers) + " members"}
				}
				return nil
			}
			s.next()
			s.emit(gap)
			s.emit([]byte{','})
			s.emit(s.space())
		}
		rawKey, key, err := s.readKey()
		if err != nil {
			return err
		}
		s.nMembers++
		s.sawContext = s.sawContext || key == "@odata.context"
		s.emit(rawKey)
		s.emit(s.space())
		if c, err := s.peek(); err != nil || c != ':' {
			return s.syntax("':' after an object key")
		}
		s.next()
		s.emit([]byte{':'})
		s.emit(s.space())
		c, err := s.peek()
		if err != nil {
			return s.syntax("a JSON value")
		}
		if key == "value" && c == '[' {
			if err := s.array(1); err != nil {
				return err
			}
			continue
		}
		off, line, col := s.off, s.line, s.col
		v, err := s.value()
		if err != nil {
			return err
		}
		if err := s.check(v, off, line, col); err != nil {
			return err
		}
		if key == "@odata.context" {
			s.context(v)
			continue
		}
		s.emit(v)
	}
}

// context writes an @odata.context value: rewritten when a policy changed
// before it, held back when none has yet, as it is when the context
// names no version to rewrite.
func (s *streamer) context(v []byte) {
	to, ok := s.cv.c.rewrittenContext(bytesToString(v))
	if !ok {
		s.emit(v)
		return
	}
	q := appendQuoted(nil, to)
	switch {
	case s.rewrite:
		s.emit(q)
	case s.res.ContextKept || s.any:
		s.emit(v)
	default:
		if !s.holding {
			s.holding = true
			s.hold = s.hold[:0]
		}
		s.ctxs = append(s.ctxs, heldContext{at: len(s.hold), raw: string(v), rewritten: string(q)})
	}
}

// array streams the array at the reader, whose elements are policies with
// their members at depth+2 (0: a top-level list, 1: a value array).
func (s *streamer) array(depth int) error {
	cv, c := s.cv, &s.cv.c
	s.next() // '['
	s.emit([]byte{'['})
	c.w.lay = s.lay // (convertItem sets it too; the gaps need it first)
	aw := arrWriter{w: &c.w, depth: depth + 1}
	if cv.opts.Jobs > 1 {
		return s.arrayJobs(&aw, depth)
	}
	for i := 0; ; i++ {
		var end bool
		var err error
		if s.gap, end, err = s.elementGap(i, s.gap[:0]); err != nil {
			return err
		}
		if end {
			s.next()
			return s.closeArray(&aw, s.gap, i == 0)
		}
		off, line, col := s.off, s.line, s.col
		raw, err := s.value()
		if err != nil {
			return err
		}
		doc := bytesToString(raw)
		if serr := cv.validateElement(doc, depth); serr != nil {
			return s.elementError(serr, len(raw), depth, off, line, col)
		}
		s.it = StreamItem{Raw: raw, Offset: off, Line: line, Column: col, Kind: s.res.Kind}
		it := &s.it
		it.Index = i
		cv.begin()
		c.w.buf = c.w.buf[:0]
		_, it.Result, it.Changed, it.Err = cv.writeElement(&aw, bytesToString(s.gap), doc, i, depth, s.lay)
		if it.Err != nil || it.Changed {
			s.changed()
		}
		s.emit(c.w.buf)
		if err := s.handOver(it); err != nil {
			return err
		}
	}
}

// elementGap reads what comes before element i of a streamed array (its
// '[' read), appending it to gap: white space, and for all but the first
// element a comma and white space. end reports the array's ']' instead,
// not consumed (gap is then the white space before it).
func (s *streamer) elementGap(i int, gap []byte) (_ []byte, end bool, err error) {
	gap = s.spaceTo(gap)
	ch, err := s.peek()
	switch {
	case err != nil && i == 0:
		return gap, false, s.syntax("a JSON value")
	case err == nil && ch == ']':
		return gap, true, nil
	case i == 0:
		return gap, false, nil
	case err != nil || ch != ',':
		return gap, false, s.syntax("',' or ']' after an array element")
	}
	s.next()
	return s.spaceTo(append(gap, ',')), false, nil
}

// writeElement writes policy idx of a streamed array at depth (doc,
// validated, after gap) through aw: the gap, then the policy converted,
// or as it was when nothing changed; nothing when its conversion fails. It
// returns where the policy starts in the writer's buffer, and its
// conversion's result.
func (cv *Converter) writeElement(aw *arrWriter, gap, doc string, idx, depth int, lay layout) (at int, r Result, changed bool, err error) {
	c := &cv.c
	c.w.lay = lay
	start := len(c.w.buf)
	aw.elem(&element{gap: gap}, idx == 0)
	at = len(c.w.buf)
	r, changed, err = cv.convertElement(doc, idx, depth, lay)
	switch {
	case err != nil:
		c.w.buf = c.w.buf[:start]
		aw.n--
		changed = false
	case !changed:
		c.w.buf = append(c.w.buf[:at], doc...)
	}
	return at, r, changed, err
}

// elementError is the error of the policy that starts s.elem (n bytes,
// read at off, line, col) and is not valid JSON (serr), located in the
// whole input. When the fault lies past the end that value found for it
// (misjudged), the rest of the input is read onto s.elem, which holds
// what was read after the policy, for the scanner to find it there.
func (s *streamer) elementError(serr *SyntaxError, n, depth int, off int64, line, col int) error {
	raw := s.elem[:n]
	if misjudged(serr, raw) {
		s.rest()
		raw = s.elem
		serr = s.cv.validateElement(bytesToString(raw), depth)
	}
	return &Error{Name: s.cv.opts.Name, Item: -1, Err: s.locate(serr, raw, off, line, col)}
}

// handOver follows a policy written: the write's error, or the callback's.
func (s *streamer) handOver(it *StreamItem) error {
	if s.werr != nil {
		return s.werr
	}
	if s.item != nil {
		return s.item(it)
	}
	return nil
}

// closeArray writes the end of a streamed array, gap being the white
// space before its ']': as it was in an array without elements, else as
// aw lays it out.
func (s *streamer) closeArray(aw *arrWriter, gap []byte, empty bool) error {
	if empty {
		s.emit(gap)
		s.emit([]byte{']'})
		return s.werr
	}
	c := &s.cv.c
	aw.tail = bytesToString(gap)
	c.w.buf = c.w.buf[:0]
	aw.end()
	s.emit(c.w.buf)
	return s.werr
}

// validateElement validates a policy of a streamed array at depth (the
// array's) and says what follows it, if anything does.
func (cv *Converter) validateElement(doc string, depth int) *SyntaxError {
	end, serr := cv.validate(doc, 0, depth+1)
	if serr == nil && end != len(doc) {
		serr = afterElement(doc, end)
	}
	return serr
}

// convertElement converts the validated policy doc, element idx of a
// streamed array at depth, appending its output to the writer's buffer
// when it changed (ConvertDocument's item). Its results join those of
// the policies converted since the call's begin.
func (cv *Converter) convertElement(doc string, idx, depth int, lay layout) (Result, bool, error) {
	if doc[0] != '{' {
		return Result{}, false, &Error{Name: cv.opts.Name, Item: idx, Err: ErrNotPolicy, Expected: "a policy object", Found: kindOf(doc)}
	}
	return cv.convertItem(doc, 0, len(doc), idx, depth+2, lay)
}

// changed notes a policy that changed or failed: the document changes,
// and a context held back is rewritten.
func (s *streamer) changed() {
	s.any = true
	s.res.Changed = true
	if s.holding {
		s.release(true)
	}
	if !s.res.ContextKept {
		s.rewrite = true
	}
}

// emit writes b to the output, or to the held-back part.
func (s *streamer) emit(b []byte) {
	if len(b) == 0 || s.werr != nil {
		return
	}
	if s.holding {
		s.hold = append(s.hold, b...)
		if len(s.hold) > streamHold {
			s.release(false)
			s.res.ContextKept = true
		}
		return
	}
	if _, err := s.w.Write(b); err != nil {
		s.werr = err
	}
}

// release writes the held-back output with its contexts rewritten or as
// they were.
func (s *streamer) release(rewrite bool) {
	if !s.holding {
		return
	}
	s.holding = false
	at := 0
	for _, hc := range s.ctxs {
		s.emit(s.hold[at:hc.at])
		if rewrite {
			s.emit([]byte(hc.rewritten))
		} else {
			s.emit([]byte(hc.raw))
		}
		at = hc.at
	}
	s.emit(s.hold[at:])
	s.hold, s.ctxs = s.hold[:0], s.ctxs[:0]
}

// trailing checks that nothing but white space follows the top-level
// value, and writes it.
func (s *streamer) trailing() error {
	s.emit(s.space())
	if _, err := s.peek(); err == nil {
		return s.syntax("the end of the input after the top-level value")
	} else if err != io.EOF {
		return err
	}
	if s.res.ContextKept && !s.any {
		s.res.ContextKept = false // nothing changed: as it was is right
	}
	if s.res.ContextKept {
		s.res.Findings = append(s.res.Findings, Finding{Item: -1, Path: "@odata.context", Code: CodeContextKept, Severity: CodeContextKept.Severity(),
			Message: "names the source version and was written as it was: more than " + strconv.Itoa(streamHold>>20) + " MiB of unchanged policies came before the first that changed"})
	}
	return nil
}

// fallback reads the rest of the input and converts the whole document.
func (s *streamer) fallback() error {
	rest, err := io.ReadAll(s.br)
	if err != nil {
		return err
	}
	doc := append(s.kept, rest...)
	s.kept = nil
	res, err := s.cv.ConvertDocument(doc)
	if err != nil {
		return err
	}
	s.res.Kind, s.res.Changed = res.Kind, res.Changed
	out := res.Output
	if out != nil {
		if _, err := s.w.Write(out); err != nil {
			return err
		}
	}
	if s.item == nil {
		return nil
	}
	for i := range res.Items {
		it := StreamItem{ItemResult: res.Items[i], Raw: doc, Line: 1, Column: 1, Whole: true, Kind: res.Kind}
		if res.Kind == KindPolicy {
			it.Changed = res.Changed // (a lone policy's change is the document's)
		}
		if err := s.item(&it); err != nil {
			return err
		}
	}
	return nil
}

// syntax is the error of the document at the reader's position.
func (s *streamer) syntax(expected string) error {
	next, _ := s.br.Peek(utf8.UTFMax) // (fewer at the end of input)
	return &Error{Name: s.cv.opts.Name, Item: -1, Err: &SyntaxError{Offset: s.off, Line: s.line, Column: s.col,
		Msg: "expected " + expected + ", found " + describeFound(bytesToString(next))}}
}

// locate moves a syntax error in raw, which starts at off (line, col), to
// its place in the whole input.
func (s *streamer) locate(e *SyntaxError, raw []byte, off int64, line, col int) *SyntaxError {
	out := *e
	out.Offset = off + e.Offset
	n := int(min(e.Offset, int64(len(raw))))
	if nl := bytes.LastIndexByte(raw[:n], '\n'); nl >= 0 {
		out.Line = line + bytes.Count(raw[:n], []byte{'\n'})
		out.Column = n - nl
	} else {
		out.Line, out.Column = line, col+n
	}
	return &out
}

// Reading. The position advances with every byte consumed; what is
// consumed is kept while keep is set.

// advance consumes b, the next bytes buffered.
func (s *streamer) advance(b []byte) {
	s.consumed(b)
	s.br.Discard(len(b))
}

func (s *streamer) consumed(b []byte) {
	s.off += int64(len(b))
	// IndexByte first: it is a vector search, where LastIndexByte walks a
	// byte at a time, and a document on one line has no newline at all
	// (5% of a streamed conversion went to that walk).
	if bytes.IndexByte(b, '\n') >= 0 {
		s.line += bytes.Count(b, []byte{'\n'})
		s.col = len(b) - bytes.LastIndexByte(b, '\n')
	} else {
		s.col += len(b)
	}
	if s.keep {
		s.kept = append(s.kept, b...)
	}
	if s.log != nil {
		s.log.in = append(s.log.in, b...)
	}
}

func (s *streamer) peek() (byte, error) {
	b, err := s.br.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (s *streamer) next() (byte, error) {
	c, err := s.br.ReadByte()
	if err != nil {
		return 0, err
	}
	s.consumed([]byte{c})
	return c, nil
}

// space consumes white space and returns it (valid until the next call).
func (s *streamer) space() []byte {
	s.ws = s.spaceTo(s.ws[:0])
	return s.ws
}

// spaceTo consumes white space and appends it to out.
func (s *streamer) spaceTo(out []byte) []byte {
	for {
		b, err := s.br.Peek(1)
		if err != nil || !isSpace(b[0]) {
			return out
		}
		n := s.br.Buffered()
		buf, _ := s.br.Peek(n)
		k := 0
		for k < len(buf) && isSpace(buf[k]) {
			k++
		}
		out = append(out, buf[:k]...)
		s.advance(buf[:k])
	}
}

// readKey reads an object key: its raw bytes and its value.
func (s *streamer) readKey() (raw []byte, key string, err error) {
	if c, err := s.peek(); err != nil || c != '"' {
		return nil, "", s.syntax("'\"' to start an object key")
	}
	off, line, col := s.off, s.line, s.col
	v, err := s.value()
	if err != nil {
		return nil, "", err
	}
	sc := scanner{doc: bytesToString(v)}
	if end := sc.skipString(0); end < 0 || end != len(v) {
		if sc.err == nil {
			sc.fail(len(v), "'\"' to close the string")
		}
		return nil, "", &Error{Name: s.cv.opts.Name, Item: -1, Err: s.locate(sc.err, v, off, line, col)}
	}
	v = bytes.Clone(v)
	return v, unquote(string(v)), nil
}

// value reads one JSON value (a copy, in s.elem until the next call): its
// extent only; validation is the converter's.
func (s *streamer) value() ([]byte, error) {
	s.elem = s.elem[:0]
	if s.log != nil {
		s.elem = nil // (a view of the batch from here on, not its own buffer)
	}
	c, err := s.peek()
	if err != nil {
		return nil, s.syntax("a JSON value")
	}
	s.vOff, s.vLine, s.vCol = s.off, s.line, s.col
	x := extent{scalar: c != '{' && c != '[' && c != '"'}
	for {
		buf, err := s.br.Peek(max(1, s.br.Buffered()))
		if len(buf) == 0 {
			if err == io.EOF && x.scalar && len(s.elem) > 0 {
				return s.elem, nil
			}
			if err != io.EOF {
				return nil, err
			}
			return nil, s.broken()
		}
		k, done := x.scan(buf)
		if s.log != nil {
			// What is consumed goes to the batch: the value is its end,
			// without a second copy.
			n := len(s.elem)
			s.advance(buf[:k])
			s.elem = s.log.in[len(s.log.in)-n-k:]
		} else {
			s.elem = append(s.elem, buf[:k]...)
			s.advance(buf[:k])
		}
		if len(s.elem) > maxStreamItem {
			return nil, &Error{Name: s.cv.opts.Name, Item: -1, Err: ErrItemTooLarge,
				Found: "a value at line " + strconv.Itoa(s.vLine) + ", column " + strconv.Itoa(s.vCol) + " (byte " + strconv.FormatInt(s.vOff, 10) + ") is longer"}
		}
		if done {
			if x.scalar && len(s.elem) == 0 {
				return nil, s.syntax("a JSON value")
			}
			return s.elem, nil
		}
	}
}

// extent finds where a JSON value ends, a buffer at a time: its nesting
// and whether it is in a string (after a backslash) or a scalar. It only
// delimits the value; the scanner validates it. Strings, most of a
// policy's bytes, are skipped eight bytes at a time (plainRun): a byte
// at a time, finding the extent was a fifth of a streamed conversion.
type extent struct {
	depth              int
	inStr, esc, scalar bool
}

// scan returns how much of buf belongs to the value, and whether it ends
// there.
func (x *extent) scan(buf []byte) (int, bool) {
	str := bytesToString(buf)
	k := 0
	for k < len(buf) {
		if x.inStr {
			if x.esc {
				x.esc = false
				k++
				continue
			}
			if k = plainRun(str, k); k >= len(buf) {
				return k, false
			}
			switch buf[k] {
			case '"':
				x.inStr = false
				k++
				if x.depth == 0 && !x.scalar {
					return k, true
				}
			case '\\':
				x.esc = true
				k++
			default: // a control character: the scanner says what is wrong
				k++
			}
			continue
		}
		b := buf[k]
		if x.scalar {
			if isSpace(b) || b == ',' || b == ']' || b == '}' {
				return k, true
			}
			k++
			continue
		}
		switch b {
		case '"':
			x.inStr = true
		case '{', '[':
			x.depth++
		case '}', ']':
			if x.depth--; x.depth == 0 {
				return k + 1, true
			}
		}
		k++
	}
	return k, false
}

// afterElement is the error of an element of an array followed by more
// than white space at end, worded as the scanner words it.
func afterElement(doc string, end int) *SyntaxError {
	sc := scanner{doc: doc}
	sc.fail(end, "',' or ']' after an array element")
	return sc.err
}

// check validates a member's value v (s.elem, as value read it) of the
// collection object, read at off (line, col).
func (s *streamer) check(v []byte, off int64, line, col int) error {
	serr := checkMember(v)
	if serr != nil && misjudged(serr, v) {
		// A scalar cut short ("2." before '}'): the scanner says what it
		// found after it.
		s.rest()
		v = s.elem
		serr = checkMember(v)
	}
	if serr != nil {
		return &Error{Name: s.cv.opts.Name, Item: -1, Err: s.locate(serr, v, off, line, col)}
	}
	return nil
}

// checkMember validates the value of a member of the collection object.
func checkMember(v []byte) *SyntaxError {
	sc := scanner{doc: bytesToString(v)}
	end := sc.skipValue(0, 1)
	if end >= 0 && end != len(v) {
		sc.fail(end, "',' or '}' after an object member")
	}
	return sc.err
}

// broken is the error of a value that the input ended inside (s.elem,
// read from vOff): where the scanner finds the first fault in it, as in
// the whole document.
func (s *streamer) broken() error {
	sc := scanner{doc: bytesToString(s.elem)}
	if end := sc.skipValue(0, 1); end >= 0 && sc.err == nil {
		sc.fail(len(s.elem), "a JSON value") // (never: the value was unfinished)
	}
	return &Error{Name: s.cv.opts.Name, Item: -1, Err: s.locate(sc.err, s.elem, s.vOff, s.vLine, s.vCol)}
}

// misjudged reports whether a syntax error of a value read by value lies
// at its end: a stray quote made the value seem to end where it does not,
// and the fault is further on.
func misjudged(e *SyntaxError, v []byte) bool { return e.Offset >= int64(len(v)) }

// rest reads the rest of the input (up to maxStreamItem) onto s.elem,
// for the scanner to find a fault that lies after a misjudged end.
func (s *streamer) rest() {
	for len(s.elem) <= maxStreamItem {
		buf, _ := s.br.Peek(max(1, s.br.Buffered()))
		if len(buf) == 0 {
			return
		}
		s.elem = append(s.elem, buf...)
		s.advance(buf)
	}
}
