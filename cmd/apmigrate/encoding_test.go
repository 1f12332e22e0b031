package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// utf16Bytes encodes s as UTF-16 (independently of the code under test).
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// TestEncodingRoundTrips rewrites files in every supported encoding and
// line end, and checks that the result is the library's conversion in the
// same encoding, byte order mark and line ends.
func TestEncodingRoundTrips(t *testing.T) {
	// Non-ASCII text, including a character outside the BMP (a surrogate
	// pair in UTF-16).
	doc := bytes.Replace(readDoc(t, "beta", betaSimple), []byte(`"direct assignments by administrator"`), []byte(`"Zugriff für Prüfer 🔐 直接"`), 1)
	crlf := bytes.ReplaceAll(doc, []byte("\n"), []byte("\r\n"))
	nd := append(append(compact(t, doc), "\r\n"...), compact(t, doc)...)
	ndWant := append(append(libConvert(t, compact(t, doc)), "\r\n"...), libConvert(t, compact(t, doc))...)
	type enc func(string) []byte
	encodings := map[string]enc{
		"UTF-8":            func(s string) []byte { return []byte(s) },
		"UTF-8 BOM":        func(s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) },
		"UTF-16LE BOM":     func(s string) []byte { return utf16Bytes(s, false, true) },
		"UTF-16BE BOM":     func(s string) []byte { return utf16Bytes(s, true, true) },
		"UTF-16LE, no BOM": func(s string) []byte { return utf16Bytes(s, false, false) },
		"UTF-16BE, no BOM": func(s string) []byte { return utf16Bytes(s, true, false) },
	}
	texts := []struct {
		name, file string
		in, want   []byte
	}{
		{"LF", "p.json", doc, libConvert(t, doc)},
		{"CRLF", "p.json", crlf, libConvert(t, crlf)},
		{"NDJSON CRLF", "p.jsonl", nd, ndWant},
	}
	for encName, encode := range encodings {
		for _, tx := range texts {
			t.Run(encName+"/"+tx.name, func(t *testing.T) {
				if !bytes.Contains(tx.want, []byte("\r\n")) && tx.name != "LF" {
					t.Fatal("the expected output lost its CRLF line ends")
				}
				p := filepath.Join(t.TempDir(), tx.file)
				in, want := encode(string(tx.in)), encode(string(tx.want))
				os.WriteFile(p, in, 0o644)
				out, errs, code := cli(t, "", "convert", "--to", "v1.0", p)
				if code != 0 || out != string(want) {
					t.Fatalf("stdout: exit %d, output differs:\n%s\n%s", code, cmp.Diff(want, []byte(out)), errs)
				}
				if _, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p); code != 0 {
					t.Fatalf("-w: exit %d:\n%s", code, errs)
				}
				got, _ := os.ReadFile(p)
				if !bytes.Equal(got, want) {
					t.Errorf("-w: file differs:\n%s", cmp.Diff(want, got))
				}
				// Nothing left to do.
				if _, _, code := cli(t, "", "convert", "--to", "v1.0", "--check", p); code != 0 {
					t.Errorf("--check after -w: exit %d", code)
				}
			})
		}
	}
}

// TestInvalidEncoding refuses text that cannot be written back unchanged.
func TestInvalidEncoding(t *testing.T) {
	doc := string(readDoc(t, "beta", betaSimple))
	good := utf16Bytes(doc, false, true)
	unpaired := append(append([]byte(nil), good[:len(good)-2]...), 0x00, 0xD8) // a lone high surrogate, then '}' lost
	odd := append(append([]byte(nil), good...), 'x')
	utf32 := append([]byte{0xFF, 0xFE, 0, 0}, "{}"...)
	for name, in := range map[string][]byte{"unpaired surrogate": unpaired, "odd length": odd, "UTF-32": utf32} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "p.json")
			os.WriteFile(p, in, 0o644)
			_, errs, code := cli(t, "", "convert", "--to", "v1.0", "-w", p)
			if code != 1 || !strings.Contains(errs, "p.json: error: invalid-encoding: cannot read: ") {
				t.Errorf("exit %d:\n%s", code, errs)
			}
			if got, _ := os.ReadFile(p); !bytes.Equal(got, in) {
				t.Error("the file was rewritten")
			}
		})
	}
}

// TestUTF16Codec decodes and encodes through small reads and writes, so
// that runes split across buffers are handled.
func TestUTF16Codec(t *testing.T) {
	s := strings.Repeat("aé€🔐\r\n", 3000)
	for _, be := range []bool{false, true} {
		raw := utf16Bytes(s, be, false)
		form := textForm{enc: encUTF16LE}
		if be {
			form.enc = encUTF16BE
		}
		dec, err := io.ReadAll(iotestOneByte{form.decoder(bytes.NewReader(raw))})
		if err != nil || string(dec) != s {
			t.Fatalf("decode (big endian %v): %v", be, err)
		}
		var out bytes.Buffer
		w := form.encoder(&out)
		for i := 0; i < len(dec); i += 7 {
			w.Write(dec[i:min(i+7, len(dec))])
		}
		if err := w.Close(); err != nil || !bytes.Equal(out.Bytes(), raw) {
			t.Fatalf("encode (big endian %v): %v", be, err)
		}
	}
}

// iotestOneByte reads one byte at a time.
type iotestOneByte struct{ r io.Reader }

func (o iotestOneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
