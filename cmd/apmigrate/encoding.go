package main

// Text encodings. Exports of policies come as UTF-8 (with or without a
// byte order mark) and, from older PowerShell versions, as UTF-16 with a
// byte order mark. The converter works on UTF-8, so inputs are decoded
// while they are read and outputs are encoded back to the input's form, so
// that a rewritten file differs from the original only where the
// conversion changed it.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding is the character encoding of an input.
type encoding int

const (
	encUTF8 encoding = iota
	encUTF16LE
	encUTF16BE
)

// textForm is how an input's text is stored: its encoding and whether it
// starts with a byte order mark.
type textForm struct {
	enc encoding
	bom bool
}

func (t textForm) String() string {
	s := [...]string{"UTF-8", "UTF-16LE", "UTF-16BE"}[t.enc]
	if t.bom {
		s += " with BOM"
	}
	return s
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// errEncoding reports text that cannot be decoded losslessly; such a file
// is never rewritten, since writing it back would change bytes the
// conversion did not touch.
type errEncoding struct {
	form   textForm
	offset int64
	msg    string
}

func (e *errEncoding) Error() string {
	return fmt.Sprintf("invalid %s text at byte %d: %s", e.form, e.offset, e.msg)
}

// sniffEncoding looks at the first bytes of an input (at least 4 when the
// input has them) and says how it is encoded and how many bytes of byte
// order mark to skip. UTF-16 without a byte order mark is recognized by the
// zero byte of an ASCII first character, since every JSON or HTTP input
// starts with one.
func sniffEncoding(head []byte) (textForm, int, error) {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return textForm{encUTF8, true}, 3, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return textForm{}, 0, &errEncoding{textForm{encUTF8, false}, 0, "UTF-32 is not supported; save the file as UTF-8"}
	case bytes.HasPrefix(head, bomUTF16LE):
		return textForm{encUTF16LE, true}, 2, nil
	case bytes.HasPrefix(head, bomUTF16BE):
		return textForm{encUTF16BE, true}, 2, nil
	case len(head) >= 2 && head[0] == 0 && head[1] != 0 && head[1] < 0x80:
		return textForm{encUTF16BE, false}, 0, nil
	case len(head) >= 2 && head[0] != 0 && head[0] < 0x80 && head[1] == 0:
		return textForm{encUTF16LE, false}, 0, nil
	}
	return textForm{encUTF8, false}, 0, nil
}

// decoder returns a reader of r's text as UTF-8, r being positioned after
// the byte order mark.
func (t textForm) decoder(r io.Reader) io.Reader {
	if t.enc == encUTF8 {
		return r
	}
	return &utf16Reader{r: bufio.NewReaderSize(r, 64<<10), form: t}
}

// encoder returns a writer that writes UTF-8 text to w in form t, starting
// with the byte order mark if t has one. Close flushes it.
func (t textForm) encoder(w io.Writer) *textWriter {
	return &textWriter{w: w, form: t, bomDue: t.bom}
}

// encode returns text (UTF-8) in form t.
func (t textForm) encode(text []byte) ([]byte, error) {
	if t.enc == encUTF8 && !t.bom {
		return text, nil
	}
	var b bytes.Buffer
	b.Grow(len(text)*2 + 3)
	w := t.encoder(&b)
	if _, err := w.Write(text); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// utf16Reader decodes UTF-16 to UTF-8. It refuses unpaired surrogates and
// an odd number of bytes, which could not be written back unchanged.
type utf16Reader struct {
	r    *bufio.Reader
	form textForm
	off  int64  // bytes of UTF-16 consumed
	out  []byte // decoded bytes not yet returned
	err  error
}

func (u *utf16Reader) unit() (uint16, error) {
	var b [2]byte
	n, err := io.ReadFull(u.r, b[:])
	u.off += int64(n)
	if err == io.ErrUnexpectedEOF {
		return 0, &errEncoding{u.form, u.off - 1, "odd number of bytes"}
	}
	if err != nil {
		return 0, err
	}
	if u.form.enc == encUTF16LE {
		return uint16(b[0]) | uint16(b[1])<<8, nil
	}
	return uint16(b[1]) | uint16(b[0])<<8, nil
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) < len(p) && u.err == nil {
		c, err := u.unit()
		if err != nil {
			u.err = err
			break
		}
		r := rune(c)
		switch {
		case utf16.IsSurrogate(r) && c < 0xDC00:
			c2, err := u.unit()
			if err == io.EOF {
				err = &errEncoding{u.form, u.off - 2, "unpaired surrogate at the end"}
			}
			if err != nil {
				u.err = err
				break
			}
			r = utf16.DecodeRune(r, rune(c2))
			if r == utf8.RuneError {
				u.err = &errEncoding{u.form, u.off - 4, "unpaired surrogate"}
				break
			}
		case utf16.IsSurrogate(r):
			u.err = &errEncoding{u.form, u.off - 2, "unpaired surrogate"}
		}
		if u.err != nil {
			break
		}
		u.out = utf8.AppendRune(u.out, r)
		if len(u.out) >= 4096 {
			break
		}
	}
	n := copy(p, u.out)
	u.out = u.out[:copy(u.out, u.out[n:])]
	if n > 0 {
		return n, nil
	}
	return 0, u.err
}

// textWriter encodes UTF-8 text to a textForm.
type textWriter struct {
	w       io.Writer
	form    textForm
	bomDue  bool
	partial []byte // an incomplete UTF-8 sequence carried to the next Write
	buf     []byte
	n       int64 // UTF-8 bytes written, for error offsets
}

func (t *textWriter) writeBOM() error {
	if !t.bomDue {
		return nil
	}
	t.bomDue = false
	bom := [...][]byte{bomUTF8, bomUTF16LE, bomUTF16BE}[t.form.enc]
	_, err := t.w.Write(bom)
	return err
}

func (t *textWriter) Write(p []byte) (int, error) {
	if err := t.writeBOM(); err != nil {
		return 0, err
	}
	if t.form.enc == encUTF8 {
		n, err := t.w.Write(p)
		t.n += int64(n)
		return n, err
	}
	in := p
	if len(t.partial) > 0 {
		in = append(t.partial, p...)
		t.partial = nil
	}
	t.buf = t.buf[:0]
	i := 0
	for i < len(in) {
		r, size := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(in[i:]) {
				t.partial = append([]byte(nil), in[i:]...)
				break
			}
			return 0, &errEncoding{t.form, t.n + int64(i), "the converted text is not valid UTF-8"}
		}
		i += size
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			t.buf = t.appendUnit(t.buf, uint16(r1))
			t.buf = t.appendUnit(t.buf, uint16(r2))
		} else {
			t.buf = t.appendUnit(t.buf, uint16(r))
		}
	}
	t.n += int64(len(p))
	if _, err := t.w.Write(t.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (t *textWriter) appendUnit(b []byte, c uint16) []byte {
	if t.form.enc == encUTF16LE {
		return append(b, byte(c), byte(c>>8))
	}
	return append(b, byte(c>>8), byte(c))
}

// Close writes a byte order mark still due (an empty text keeps its mark)
// and fails on a UTF-8 sequence left incomplete.
func (t *textWriter) Close() error {
	if err := t.writeBOM(); err != nil {
		return err
	}
	if len(t.partial) > 0 {
		return &errEncoding{t.form, t.n, "the converted text ends inside a UTF-8 sequence"}
	}
	return nil
}

// isEncodingError reports whether err is about the input's encoding.
func isEncodingError(err error) bool {
	var e *errEncoding
	return errors.As(err, &e)
}
