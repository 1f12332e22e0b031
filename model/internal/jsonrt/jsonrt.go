// Package jsonrt is the run-time support of the structs that structgen
// generates into packages model/beta and model/v1: decoding JSON objects
// member by member while keeping what the typed fields cannot carry, and
// writing them back.
//
// The rule that makes a typed round trip lossless (up to member order and
// whitespace): a struct's Extra map holds every member that its typed fields
// cannot reproduce. That is every unknown member and annotation, and every
// known member whose value is null or is the zero value of a non-pointer
// field (so that "id": "", "isAssignmentNotificationDisabled": false or
// "accessReviewSettings": null survive). When writing, a field that is set
// wins; a field that is not set falls back to the Extra value of its key, if
// any; the Extra members left over follow the known fields, sorted by key.
package jsonrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/tidwall/gjson"
)

// Field is one member of a JSON object being decoded.
type Field struct {
	// Key is the member name, unescaped.
	Key string
	// Raw is the member's JSON value.
	Raw json.RawMessage

	extra *map[string]json.RawMessage
}

// Keep stores the member in the object's Extra map. It returns nil so that a
// decoding callback can end with "return f.Keep()".
func (f *Field) Keep() error {
	if *f.extra == nil {
		*f.extra = make(map[string]json.RawMessage)
	}
	(*f.extra)[f.Key] = f.Raw
	return nil
}

func (f *Field) isNull() bool { return len(f.Raw) == 4 && string(f.Raw) == "null" }

func (f *Field) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", f.Key, err)
}

// DecodeObject calls fn for each member of the JSON object data, in document
// order, and sets *extra to the members that fn kept (nil if none). data
// "null" is a no-op (the convention of json.Unmarshaler); any other
// non-object is an error naming typeName.
func DecodeObject(data []byte, typeName string, extra *map[string]json.RawMessage, fn func(f *Field) error) error {
	r := gjson.ParseBytes(data)
	if r.Type == gjson.Null && bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	if !r.IsObject() {
		return fmt.Errorf("%s: expected a JSON object, found %s", typeName, Kind(r))
	}
	var kept map[string]json.RawMessage
	var err error
	r.ForEach(func(k, v gjson.Result) bool {
		f := Field{Key: k.Str, Raw: json.RawMessage(v.Raw), extra: &kept}
		err = fn(&f)
		return err == nil
	})
	*extra = kept
	return err
}

// Kind names the JSON kind of r for messages: "string", "number", "object",
// "array", "boolean", "null".
func Kind(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.JSON:
		if r.IsArray() {
			return "array"
		}
		return "object"
	}
	return "null"
}

// DecodeScalar decodes a non-pointer field (string, boolean, number, enum). null
// and the zero value are also kept in Extra, so that they are written back.
func DecodeScalar[T comparable](f *Field, dst *T) error {
	if f.isNull() {
		return f.Keep()
	}
	if err := json.Unmarshal(f.Raw, dst); err != nil {
		return f.wrap(err)
	}
	var zero T
	if *dst == zero {
		return f.Keep()
	}
	return nil
}

// DecodeValue decodes a pointer, slice or json.RawMessage field; null is kept in
// Extra.
func DecodeValue[T any](f *Field, dst *T) error {
	if f.isNull() {
		return f.Keep()
	}
	return f.wrap(json.Unmarshal(f.Raw, dst))
}

// DecodePoly decodes an interface-typed field with dec, the decoder that
// dispatches on "@odata.type"; null is kept in Extra.
func DecodePoly[T any](f *Field, dst *T, dec func([]byte) (T, error)) error {
	if f.isNull() {
		return f.Keep()
	}
	v, err := dec(f.Raw)
	if err != nil {
		return f.wrap(err)
	}
	*dst = v
	return nil
}

// DecodePolySlice decodes a collection of an interface type, each element with
// dec (null elements stay nil); null is kept in Extra.
func DecodePolySlice[T any](f *Field, dst *[]T, dec func([]byte) (T, error)) error {
	if f.isNull() {
		return f.Keep()
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(f.Raw, &raws); err != nil {
		return f.wrap(err)
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		if string(raw) == "null" {
			continue
		}
		v, err := dec(raw)
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", f.Key, i, err)
		}
		out[i] = v
	}
	*dst = out
	return nil
}

// ODataType returns the "@odata.type" of the JSON object data without its
// leading '#' ("" when absent).
func ODataType(data []byte) (string, error) {
	r := gjson.ParseBytes(data)
	if !r.IsObject() {
		return "", fmt.Errorf("expected a JSON object, found %s", Kind(r))
	}
	var name string
	var err error
	r.ForEach(func(k, v gjson.Result) bool {
		if k.Str != "@odata.type" {
			return true
		}
		if v.Type != gjson.String {
			err = fmt.Errorf("\"@odata.type\": expected a string, found %s", Kind(v))
			return false
		}
		name = v.Str
		if len(name) > 0 && name[0] == '#' {
			name = name[1:]
		}
		return true // the last one wins, as in encoding/json
	})
	return name, err
}

// Typed is implemented by every generated struct (through a pointer).
type Typed interface {
	// SchemaType returns the qualified name of the schema type.
	SchemaType() string
}

// Writer writes a JSON object member by member.
type Writer struct {
	buf   []byte
	extra map[string]json.RawMessage
	done  map[string]bool
	err   error
}

// NewWriter starts an object whose fallback and left-over members come from
// extra.
func NewWriter(extra map[string]json.RawMessage) *Writer {
	w := &Writer{buf: make([]byte, 1, 256), extra: extra}
	w.buf[0] = '{'
	if len(extra) > 0 {
		w.done = make(map[string]bool, len(extra))
	}
	return w
}

func (w *Writer) member(key string, raw []byte) {
	if len(w.buf) > 1 {
		w.buf = append(w.buf, ',')
	}
	k, _ := json.Marshal(key) // a string always marshals
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, raw...)
	if w.done != nil {
		w.done[key] = true
	}
}

// fallback writes the Extra value of key, if any.
func (w *Writer) fallback(key string) {
	if raw, ok := w.extra[key]; ok {
		w.member(key, raw)
	}
}

// Value writes v under key when set, or else the Extra value of key.
func (w *Writer) Value(key string, set bool, v any) {
	if w.err != nil {
		return
	}
	if !set {
		w.fallback(key)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", key, err)
		return
	}
	w.member(key, b)
}

// WritePoly writes the polymorphic value v (declared as type base) under key
// when it is not nil, or else the Extra value of key. A value of a type
// other than base that has no ODataType gets "@odata.type" written first, so
// that it decodes back to the same type.
func WritePoly(w *Writer, key string, v Typed, base string) {
	if w.err != nil {
		return
	}
	if v == nil {
		w.fallback(key)
		return
	}
	b, err := marshalTyped(v, base)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", key, err)
		return
	}
	w.member(key, b)
}

// WritePolySlice writes a collection of polymorphic values (declared as type
// base) under key when it is not nil, or else the Extra value of key; see
// WritePoly.
func WritePolySlice[T Typed](w *Writer, key string, vals []T, base string) {
	if w.err != nil {
		return
	}
	if vals == nil {
		w.fallback(key)
		return
	}
	buf := []byte{'['}
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		b, err := marshalTyped(v, base)
		if err != nil {
			w.err = fmt.Errorf("%s[%d]: %w", key, i, err)
			return
		}
		buf = append(buf, b...)
	}
	w.member(key, append(buf, ']'))
}

func marshalTyped(v Typed, base string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(b) < 2 || b[0] != '{' {
		return b, err
	}
	name := v.SchemaType()
	if name == base {
		return b, nil
	}
	found := false
	gjson.ParseBytes(b).ForEach(func(k, _ gjson.Result) bool {
		found = k.Str == "@odata.type"
		return !found
	})
	if found {
		return b, nil
	}
	out := append([]byte(`{"@odata.type":"#`), name...)
	out = append(out, '"')
	if string(b) != "{}" {
		out = append(out, ',')
	}
	return append(out, b[1:]...), nil
}

// End writes the Extra members not written yet, sorted by key, and returns
// the object.
func (w *Writer) End() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if len(w.extra) > 0 {
		keys := make([]string, 0, len(w.extra))
		for k := range w.extra {
			if !w.done[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.member(k, w.extra[k])
		}
	}
	return append(w.buf, '}'), nil
}
