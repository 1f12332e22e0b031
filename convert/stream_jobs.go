package convert

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Streaming with several goroutines (Options.Jobs). A streamed array is
// read by one goroutine, which cuts it into batches of policies; workers
// validate and convert a batch at a time; the calling goroutine takes the
// batches in the order they were read, writes the output and calls item.
// So the output, the results, the callbacks and the errors are the
// one-goroutine stream's.
//
// Each batch has a Converter of its own, which converts its policies as
// ConvertDocument converts a document's: their outputs, findings and
// evidence accumulate in its memory, valid until the batch is taken back
// after its callbacks. Copying each policy's results out of a worker's
// Converter instead (its next policy reuses that memory) cost a third
// more CPU a byte than one goroutine, most of it in copies.

// Batches: about batchBytes of input, and at most batchItems policies, so
// that handing one over (a few channel operations) is a small part of
// converting it. inflightBytes bounds the input read ahead of the writer
// while a policy larger than it is not being read.
const (
	batchBytes    = 32 << 10
	batchItems    = 256
	inflightBytes = 8 << 20
)

// streamBatchBytes is batchBytes, lowered by tests to cut a document
// into many batches.
var streamBatchBytes = batchBytes

// streamBatch is a run of the policies of a streamed array.
type streamBatch struct {
	// in is every byte the reader consumed while filling the batch, in
	// order (gaps, commas, values and, last, what it read when it
	// stopped), so that the batches from a policy on are the input from
	// it on: a value whose end was misjudged needs what follows it.
	in    []byte
	elems []batchElem
	// How the reader stopped after elems: at the end of the array (end;
	// tail is the white space before ']' in in), or on err.
	end            bool
	tailLo, tailHi int
	err            error
	done           chan struct{} // closed when a worker has converted the batch
	// cv converts the batch; its writer's buffer holds the output of the
	// policies, each with the gap before it, back to back.
	cv       *Converter
	panicked *workerPanic // converting it panicked
}

// batchElem is one policy of a batch: where its gap and value are in in,
// where it starts in the input, and its results.
type batchElem struct {
	gapLo, gapHi, rawLo, rawHi int
	off                        int64
	line, col                  int
	index                      int

	serr    *SyntaxError // not valid JSON: nothing else is set
	changed bool
	res     Result
	err     error
	// In the output: from outLo to outHi, the gap (gapOut bytes, as the
	// array's writer writes it when every policy before was written) and
	// the policy, converted or as it was.
	outLo, outHi, gapOut int
}

// reset empties b for reuse, letting go of buffers that a large policy
// grew.
func (b *streamBatch) reset() {
	cv := b.cv
	if cap(b.in) > 1<<20 || cv != nil && cv.oversized() {
		*b = streamBatch{}
		return
	}
	clear(b.elems) // (let go of the results)
	*b = streamBatch{in: b.in[:0], elems: b.elems[:0], cv: cv}
}

// jobsRun is the shared state of a streamed array converted by workers.
type jobsRun struct {
	stop     atomic.Bool
	inflight atomic.Int64
	free     chan *streamBatch // batches to fill
	freed    chan struct{}     // a batch came back (inflight fell)
	work     chan *streamBatch // filled, for the workers
	order    chan *streamBatch // filled, in the order read, for the writer
	workers  sync.WaitGroup
}

// arrayJobs is array for Options.Jobs > 1, after the '['.
func (s *streamer) arrayJobs(aw *arrWriter, depth int) error {
	cv := s.cv
	jobs := cv.opts.Jobs
	pool := 2*jobs + 2
	r := &jobsRun{
		free:  make(chan *streamBatch, pool),
		freed: make(chan struct{}, 1),
		work:  make(chan *streamBatch, pool),
		order: make(chan *streamBatch, pool),
	}
	for range pool {
		// The batches of the last stream, warm.
		b := new(streamBatch)
		if n := len(cv.batches); n > 0 {
			b, cv.batches = cv.batches[n-1], cv.batches[:n-1]
		}
		if b.cv == nil {
			b.cv = new(Converter)
		}
		b.cv.setOptions(cv.opts)
		r.free <- b
	}
	for range jobs {
		r.workers.Add(1)
		go func() {
			defer r.workers.Done()
			for b := range r.work {
				if !r.stop.Load() {
					b.convertSafely(depth, s.lay)
				}
				close(b.done)
				// The goroutines this woke (the writer, the reader) wait in
				// this one's run queue until it blocks, which with both
				// cores converting is when the work runs dry: let them
				// run now (as the CLI's NDJSON workers do; a 64 MB
				// collection with two workers: wall -3 to -9%).
				runtime.Gosched()
			}
		}()
	}
	// Whatever ends the writing (a panic in item too), the reader and the
	// workers stop before the streamer is read again or returned.
	defer func() {
		r.halt()
		for b := range r.order {
			<-b.done
			r.recycle(b)
		}
		r.workers.Wait()
		for len(r.free) > 0 {
			cv.batches = append(cv.batches, <-r.free)
		}
	}()
	go s.readBatches(r)
	return s.writeBatches(r, aw, depth)
}

// halt stops the reader, waking it if it waits for memory to come back
// (which the batches the writer holds may never give).
func (r *jobsRun) halt() {
	r.stop.Store(true)
	select {
	case r.freed <- struct{}{}:
	default:
	}
}

// recycle takes a batch back once its results have been used.
func (r *jobsRun) recycle(b *streamBatch) {
	r.inflight.Add(-int64(len(b.in)))
	b.reset()
	r.free <- b
	select {
	case r.freed <- struct{}{}:
	default:
	}
}

// readBatches reads the elements of the array (its '[' read) into batches
// until its end, an error or a stop, and closes work and order.
func (s *streamer) readBatches(r *jobsRun) {
	defer close(r.order)
	defer close(r.work)
	var b *streamBatch
	send := func() {
		r.inflight.Add(int64(len(b.in)))
		b.done = make(chan struct{})
		r.work <- b
		r.order <- b
		s.log, b = nil, nil
	}
	defer func() {
		if b != nil {
			send()
		}
		s.elem = nil // (a view of a batch, which the next stream reuses)
	}()
	for i := 0; ; i++ {
		if b == nil {
			// Hold back while a reader far ahead holds much memory, unless
			// nothing is in flight (a policy larger than the bound).
			for r.inflight.Load() > inflightBytes && !r.stop.Load() {
				<-r.freed
			}
			if r.stop.Load() {
				return
			}
			b = <-r.free
			s.log = b
			if r.stop.Load() {
				return // (b, empty, is sent and taken back)
			}
		}
		gapLo := len(b.in)
		var end bool
		if s.ws, end, b.err = s.elementGap(i, s.ws[:0]); b.err != nil {
			return
		}
		if end {
			b.end, b.tailLo, b.tailHi = true, gapLo, len(b.in)
			s.next()
			return
		}
		e := batchElem{gapLo: gapLo, gapHi: len(b.in), off: s.off, line: s.line, col: s.col, index: i}
		if _, err := s.value(); err != nil {
			b.err = err
			return
		}
		e.rawLo, e.rawHi = e.gapHi, len(b.in)
		b.elems = append(b.elems, e)
		if len(b.in) >= streamBatchBytes || len(b.elems) >= batchItems || r.stop.Load() {
			send()
		}
	}
}

// convert validates and converts the policies of b with its Converter, up
// to the first that is not valid JSON.
func (b *streamBatch) convert(depth int, lay layout) {
	cv := b.cv
	c := &cv.c
	cv.begin()
	c.w.buf = c.w.buf[:0]
	for i := range b.elems {
		e := &b.elems[i]
		doc := bytesToString(b.in[e.rawLo:e.rawHi])
		if e.serr = cv.validateElement(doc, depth); e.serr != nil {
			return // the stream ends there
		}
		if testHookElement != nil {
			testHookElement(doc)
		}
		e.outLo = len(c.w.buf)
		aw := arrWriter{w: &c.w, depth: depth + 1, n: e.index}
		var at int
		at, e.res, e.changed, e.err = cv.writeElement(&aw, bytesToString(b.in[e.gapLo:e.gapHi]), doc, e.index, depth, lay)
		e.gapOut = at - e.outLo
		e.outHi = len(c.w.buf)
	}
}

// convertSafely is convert, with a panic kept for the writer to raise on
// the calling goroutine, as a panic of the one-goroutine stream is:
// there a caller can recover it (the command line does, for each input),
// where on a worker it would end the program.
func (b *streamBatch) convertSafely(depth int, lay layout) {
	defer func() {
		if p := recover(); p != nil {
			b.panicked = &workerPanic{p}
		}
	}()
	b.convert(depth, lay)
}

// testHookElement, set by tests, is called with each policy a worker converts.
var testHookElement func(doc string)

// workerPanic is a worker's panic value.
type workerPanic struct{ value any }

// writeBatches writes the converted policies in the order they were read
// and calls item for each, until the end of the array or an error.
func (s *streamer) writeBatches(r *jobsRun, aw *arrWriter, depth int) error {
	c := &s.cv.c
	handed := 0
	for b := range r.order {
		<-b.done
		if b.panicked != nil {
			panic(b.panicked.value)
		}
		out := b.cv.c.w.buf
		for i := range b.elems {
			e := &b.elems[i]
			if e.serr != nil {
				// The worker stopped there; the reader stops too, and
				// what it read after the policy is the error's to see.
				r.halt()
				tail := append([]byte(nil), b.in[e.rawLo:]...)
				for nb := range r.order {
					<-nb.done
					tail = append(tail, nb.in...)
					r.recycle(nb)
				}
				s.elem = tail // (the reader's until order closed)
				return s.elementError(e.serr, e.rawHi-e.rawLo, depth, e.off, e.line, e.col)
			}
			handed++
			s.it = StreamItem{Raw: b.in[e.rawLo:e.rawHi], Offset: e.off, Line: e.line, Column: e.col, Kind: s.res.Kind}
			it := &s.it
			it.Index, it.Result, it.Err, it.Changed = e.index, e.res, e.err, e.changed
			if it.Err != nil || it.Changed {
				s.changed() // (first: it may write what was held back)
			}
			switch {
			case e.err != nil:
			case aw.n == e.index:
				// Every policy before was written: the worker's gap is right.
				s.emit(out[e.outLo:e.outHi])
				aw.n++
			default:
				c.w.buf = c.w.buf[:0]
				aw.elem(&element{gap: bytesToString(b.in[e.gapLo:e.gapHi])}, e.index == 0)
				c.w.buf = append(c.w.buf, out[e.outLo+e.gapOut:e.outHi]...)
				s.emit(c.w.buf)
			}
			if err := s.handOver(it); err != nil {
				return err
			}
		}
		switch {
		case b.err != nil:
			return b.err
		case b.end:
			err := s.closeArray(aw, b.in[b.tailLo:b.tailHi], handed == 0)
			r.recycle(b)
			return err
		}
		r.recycle(b)
	}
	return s.werr // (never: the reader ends the array, or an error does)
}
