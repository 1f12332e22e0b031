package main

// Output in input order. Files are converted in parallel, but what they
// print (converted documents, diffs, lists, reports) must come out in the
// order of the inputs, whatever the parallelism. Each input gets a slot;
// the slot of the earliest unfinished input writes straight through, the
// others buffer until their turn. Buffers move to temporary files past a
// limit, and workers do not run more than a window ahead of the earliest
// unfinished input, so that memory stays bounded however large the inputs
// (a streamed NDJSON file may be far larger than memory).

import (
	"io"
	"os"
	"sync"
)

// spillLimit is how much a slot buffers in memory before it uses a
// temporary file.
const spillLimit = 8 << 20

// spill is a buffer that moves to a temporary file when it grows past its
// limit.
type spill struct {
	mem []byte
	f   *os.File
	err error
}

func (s *spill) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.f == nil && len(s.mem)+len(p) <= spillLimit {
		s.mem = append(s.mem, p...)
		return len(p), nil
	}
	if s.f == nil {
		f, err := os.CreateTemp("", "apmigrate-spill-*")
		if err != nil {
			s.err = err
			return 0, err
		}
		os.Remove(f.Name()) // unlinked: it goes away with the process
		s.f = f
		if _, err := f.Write(s.mem); err != nil {
			s.err = err
			return 0, err
		}
		s.mem = nil
	}
	n, err := s.f.Write(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

// flushTo writes the buffered bytes to w and empties the buffer.
func (s *spill) flushTo(w io.Writer) error {
	defer s.reset()
	if s.err != nil {
		return s.err
	}
	if s.f == nil {
		if len(s.mem) == 0 {
			return nil
		}
		_, err := w.Write(s.mem)
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.f)
	return err
}

func (s *spill) reset() {
	s.mem = s.mem[:0] // the sequencer reuses it (sequencer.free)
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.err = nil
}

// Destinations of a slot.
const (
	toOut = iota // standard output
	toRep        // the report (standard error or --report-file)
)

// sequencer orders the output of slots.
type sequencer struct {
	mu     sync.Mutex
	cond   sync.Cond
	head   int // index of the earliest unfinished slot
	slots  map[int]*slot
	dst    [2]io.Writer
	err    [2]error // first write error of each destination
	window int
	// free are the memory buffers of ended slots, for new ones: a slot
	// each input, each growing a buffer of its own, was half of what
	// rewriting a tree of small files allocated.
	free [][]byte
}

// Bounds of the buffers the sequencer keeps for reuse.
const (
	maxFreeBufs = 64
	maxFreeBuf  = 64 << 10
)

func newSequencer(out, rep io.Writer, window int) *sequencer {
	q := &sequencer{slots: map[int]*slot{}, dst: [2]io.Writer{out, rep}, window: window}
	q.cond.L = &q.mu
	return q
}

// slot collects the output of one input.
type slot struct {
	q    *sequencer
	idx  int
	buf  [2]spill
	done bool
}

// open returns the slot of input idx, waiting until idx is within the
// window. Workers open the inputs they take in about input order; the
// head's slot never waits, so the window always moves on.
func (q *sequencer) open(idx int) *slot {
	q.mu.Lock()
	defer q.mu.Unlock()
	for idx >= q.head+q.window {
		q.cond.Wait()
	}
	s := &slot{q: q, idx: idx}
	q.slots[idx] = s
	return s
}

// wouldWait reports whether open(idx) would wait now. A worker that holds
// slots of its own (a commit group's) commits them before it waits: the
// slot the window waits for may be one of them.
func (q *sequencer) wouldWait(idx int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return idx >= q.head+q.window
}

// writer returns a writer to destination d of the slot.
func (s *slot) writer(d int) io.Writer { return slotWriter{s, d} }

type slotWriter struct {
	s *slot
	d int
}

func (w slotWriter) Write(p []byte) (int, error) {
	q := w.s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	if w.s.idx == q.head {
		return q.write(w.d, p)
	}
	b := &w.s.buf[w.d]
	if b.mem == nil && b.f == nil && len(q.free) > 0 {
		b.mem = q.free[len(q.free)-1]
		q.free = q.free[:len(q.free)-1]
	}
	return b.Write(p)
}

// write writes to a destination, remembering its first error. The caller
// holds q.mu.
func (q *sequencer) write(d int, p []byte) (int, error) {
	if q.err[d] != nil {
		return 0, q.err[d]
	}
	n, err := q.dst[d].Write(p)
	if err != nil {
		q.err[d] = err
	}
	return n, err
}

// close marks the slot finished and flushes every slot whose turn it now is.
func (s *slot) close() {
	q := s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	s.done = true
	for {
		h := q.slots[q.head]
		if h == nil {
			break
		}
		// The head's buffers (written before its turn) go out now; while
		// it is the head it writes straight through.
		for d := range h.buf {
			if err := h.buf[d].flushTo(writerFunc(func(p []byte) (int, error) { return q.write(d, p) })); err != nil && q.err[d] == nil {
				q.err[d] = err
			}
		}
		if !h.done {
			break
		}
		for d := range h.buf {
			if m := h.buf[d].mem; cap(m) > 0 && cap(m) <= maxFreeBuf && len(q.free) < maxFreeBufs {
				q.free = append(q.free, m[:0])
			}
		}
		delete(q.slots, q.head)
		q.head++
	}
	q.cond.Broadcast()
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
