package main

// Inputs: how one file (or standard input) is opened, decoded, and
// recognized as one of the input forms. Only NDJSON is streamed; every
// other form is one document (or one HTTP file) that is read whole.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// form is the shape of an input's content.
type form int

const (
	formUnknown  form = iota
	formDocument      // one policy, a JSON array of policies or a Graph collection response
	formBatch         // a Graph JSON batch request: {"requests": [...]}
	formNDJSON        // one JSON document per line
	formHTTP          // saved HTTP requests (and responses), separated by ### lines
)

func (f form) String() string {
	return [...]string{"unknown", "JSON document", "JSON batch", "NDJSON", "HTTP"}[f]
}

// formOfName is the form an extension declares, if it is a clear one.
// .json is not: it holds documents, batches and sometimes NDJSON.
func formOfName(name string) form {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return formNDJSON
	case ".http", ".rest":
		return formHTTP
	}
	return formUnknown
}

// maxLine bounds an NDJSON line, so that a file without line breaks cannot
// exhaust memory while being streamed. (A variable for the tests.)
var maxLine = 64 << 20

var errLineTooLong = errors.New("line longer than 64 MiB")

// source is an opened input: its decoded text as lines, with what is
// needed to tell later whether the file changed underneath.
type source struct {
	name  string // as shown in reports
	path  string // "" for standard input
	form  textForm
	r     *bufio.Reader // decoded UTF-8 text
	raw   hash.Hash     // hash of the raw bytes read so far; nil unless asked for
	state fileState     // size and modification time when opened
	f     *os.File
	back  [][]byte // lines read ahead by sniffing, returned again first
	line  []byte   // buffer of readLine
	limit int      // bound of a line read (maxLine when 0)
	bufs  *readBufs
}

// readBufs are a worker's reading buffers, used by one input after
// another. In a tree of 1 KB files, a reader, a hash and a text buffer
// grown step by step, new for every file, were four fifths of what a
// rewrite allocated, and the collector they called stopped both workers
// of -j 2 every few milliseconds.
type readBufs struct {
	r    *bufio.Reader // 64 KiB
	sum  hash.Hash     // SHA-256
	text bytes.Buffer  // the whole text of a document read whole
}

// maxKeptText bounds the text buffer a worker keeps for its next input:
// one large document must not hold its memory for the rest of a run.
const maxKeptText = 1 << 20

// release drops what the next input should not keep.
func (b *readBufs) release() {
	if b.text.Cap() > maxKeptText {
		b.text = bytes.Buffer{}
	}
	if b.r != nil {
		b.r.Reset(nil) // the file is closed; the reader must not keep it
	}
}

// fileState is what a file was like when it was read; a rewrite checks it
// again just before replacing the file.
type fileState struct {
	size  int64
	mtime time.Time
	sum   []byte // SHA-256 of the content
}

// hashingReader feeds everything read through it to a hash.
type hashingReader struct {
	r io.Reader
	h hash.Hash
}

func (h hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}

// openSource opens path (or stdin when path is "") and decodes it. With
// hash, it also hashes the raw bytes (sum), which a rewrite checks the
// file against before replacing it; nothing else needs the hash, which
// cost a tenth of streaming NDJSON. It reads with bufs, the worker's,
// which the source uses until the next openSource with them.
func openSource(name, path string, stdin io.Reader, hash bool, bufs *readBufs) (*source, error) {
	s := &source{name: name, path: path, bufs: bufs}
	if hash {
		if bufs.sum == nil {
			bufs.sum = sha256.New()
		}
		bufs.sum.Reset()
		s.raw = bufs.sum
	}
	var r io.Reader = stdin
	if path != "" {
		f, err := openFile(path, os.O_RDONLY, 0)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		if fi.IsDir() {
			f.Close()
			return nil, fmt.Errorf("is a directory")
		}
		s.f = f
		s.state = fileState{size: fi.Size(), mtime: fi.ModTime()}
		r = f
	}
	if s.raw != nil {
		r = hashingReader{r, s.raw}
	}
	if bufs.r == nil {
		bufs.r = bufio.NewReaderSize(r, 64<<10)
	} else {
		bufs.r.Reset(r)
	}
	br := bufs.r
	head, err := br.Peek(4)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		s.close()
		return nil, err
	}
	tf, skip, err := sniffEncoding(head)
	if err != nil {
		s.close()
		return nil, err
	}
	br.Discard(skip)
	s.form = tf
	if tf.enc == encUTF8 {
		s.r = br
	} else {
		s.r = bufio.NewReaderSize(tf.decoder(br), 64<<10)
	}
	return s, nil
}

func (s *source) close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
}

// sum returns the hash of the raw bytes read, which is the content's hash
// once everything has been read.
func (s *source) sum() []byte {
	if s.raw == nil {
		return nil
	}
	return s.raw.Sum(nil)
}

// readLine returns the next line with its line end ("\n", "\r\n" or none
// at the end of the input), valid until the next call. At the end of the
// input it returns io.EOF with no line. A line longer than maxLine returns
// errLineTooLong, with the part read.
func (s *source) readLine() ([]byte, error) {
	if len(s.back) > 0 {
		l := s.back[0]
		s.back = s.back[1:]
		return l, nil
	}
	return s.readRaw()
}

// readRaw is readLine without the lines given back.
func (s *source) readRaw() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.line = append(s.line, chunk...)
		if limit := s.limit; len(s.line) > maxLine || limit > 0 && len(s.line) > limit {
			return s.line, errLineTooLong
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(s.line) > 0:
			return s.line, nil
		}
		return s.line, err
	}
}

// readAll returns the rest of the text, after the lines given back.
func (s *source) readAll() ([]byte, error) { return s.readRest(s.takeBack()) }

// takeBack returns the lines given back in a buffer, and forgets them:
// the worker's text buffer, unless a single line longer than it keeps (a
// document on one line) is the buffer as it is, not copied; a line of
// megabytes copied was as much memory again while a large collection
// started to stream.
func (s *source) takeBack() *bytes.Buffer {
	var b *bytes.Buffer
	if len(s.back) == 1 && len(s.back[0]) > maxKeptText {
		b = bytes.NewBuffer(s.back[0])
	} else {
		b = &s.bufs.text
		b.Reset()
		for _, l := range s.back {
			b.Write(l)
		}
	}
	s.back, s.line = nil, nil
	return b
}

// readRest reads the rest of the text onto b and returns it all.
func (s *source) readRest(b *bytes.Buffer) ([]byte, error) {
	// Sized for the file (UTF-8 text is as long as the file; other
	// encodings change its length a little), so that it is read without
	// growing the buffer step by step.
	if n := s.state.size; n > int64(b.Len()) && n < 1<<30 {
		b.Grow(int(n) - b.Len() + bytes.MinRead)
	}
	_, err := b.ReadFrom(s.r)
	return b.Bytes(), err
}

// sniff decides the form of the input from its name and its first lines,
// which it gives back so that reading starts again at the beginning.
func (s *source) sniff() (form, error) {
	if f := formOfName(s.name); f != formUnknown {
		return f, nil
	}
	// A first line longer than sniffLine is one document on one line,
	// not held whole to be told apart (see streamable).
	s.limit = sniffLine
	defer func() { s.limit = 0 }()
	// The first non-blank line says most: an HTTP request line, a comment
	// of an .http file, or the start of JSON.
	var first []byte
	for {
		l, err := s.readRaw()
		if err == errLineTooLong {
			// Far too long for NDJSON: one document on one line. The
			// buffer goes with it, not a copy.
			s.back, s.line = append(s.back, l), nil
			return formDocument, nil
		}
		if err == io.EOF {
			return formDocument, nil
		}
		if err != nil {
			return formUnknown, err
		}
		l = append([]byte(nil), l...)
		s.back = append(s.back, l)
		if t := bytes.TrimSpace(l); len(t) > 0 {
			first = t
			break
		}
	}
	s.limit = 0 // (NDJSON lines after the first are bounded by maxLine)
	switch {
	case looksLikeHTTP(first):
		return formHTTP, nil
	case first[0] != '{' && first[0] != '[':
		return formDocument, nil // the converter says what is wrong
	case !gjson.ValidBytes(first):
		return formDocument, nil // a document over several lines
	}
	// A complete JSON value on the first line: NDJSON when another value
	// starts on a later line.
	for {
		l, err := s.readRaw()
		if err == errLineTooLong {
			s.back = append(s.back, append([]byte(nil), l...))
			return formNDJSON, nil
		}
		if err == io.EOF {
			return formDocument, nil
		}
		if err != nil {
			return formUnknown, err
		}
		l = append([]byte(nil), l...)
		s.back = append(s.back, l)
		if t := bytes.TrimSpace(l); len(t) > 0 {
			if t[0] == '{' || t[0] == '[' {
				return formNDJSON, nil
			}
			return formDocument, nil
		}
	}
}

// httpMethods are the request methods an .http file may use.
var httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// looksLikeHTTP reports whether line (trimmed) starts an HTTP file: a
// request line, a response status line, or a comment or separator.
func looksLikeHTTP(line []byte) bool {
	if bytes.HasPrefix(line, []byte("#")) || bytes.HasPrefix(line, []byte("//")) || bytes.HasPrefix(line, []byte("HTTP/")) {
		return true
	}
	for _, m := range httpMethods {
		if len(line) > len(m) && string(line[:len(m)]) == m && (line[len(m)] == ' ' || line[len(m)] == '\t') {
			return true
		}
	}
	return false
}

// isBatch reports whether a document is a Graph JSON batch request: valid
// JSON, an object whose requests array holds objects with a method or a
// url. A document with neither the bytes requests nor a \u escape (the
// only escape that spells a letter) has no member of that name: the check
// costs a byte search where validating and looking up cost two passes
// over every policy file a tree rewrite reads.
func isBatch(text []byte) bool {
	if !bytes.Contains(text, []byte("requests")) && !bytes.Contains(text, []byte(`\u`)) {
		return false
	}
	if !gjson.ValidBytes(text) {
		return false
	}
	r := gjson.GetBytes(text, "requests")
	if !r.IsArray() || !gjson.ParseBytes(text).IsObject() {
		return false
	}
	ok := false
	r.ForEach(func(_, v gjson.Result) bool {
		ok = v.IsObject() && (v.Get("url").Exists() || v.Get("method").Exists())
		return ok
	})
	return ok
}
