//go:build unix

package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/apmigrate/apmigrate/model"
)

// TestFloorPass holds the floor row to what it claims to do: copy a
// policy token for token, write the new names of the keys its table
// holds (in both directions) and nothing else, and refuse what is not
// JSON as json.Valid does (numbers aside: it checks only their
// characters, which makes it faster than a converter can be, never
// slower).
func TestFloorPass(t *testing.T) {
	t.Chdir("../..")
	lines, _, err := loadPolicies(model.V1)
	if err != nil {
		t.Fatal(err)
	}
	copyOnly := &floorPass{renames: map[string]string{}}
	for _, l := range lines {
		if n := copyOnly.run(l); n != len(l) || string(copyOnly.out) != string(l) {
			t.Fatalf("with no renames the pass changed a policy:\n in: %s\nout: %s", l, copyOnly.out)
		}
	}

	for _, tc := range []struct {
		reverse  bool
		in, want string
	}{
		{false, `{"accessPackageId":"x","a":{"scopeType":1,"b":[{"approvalStages":[]},"accessPackageId"]},"id":null}`,
			`{"accessPackage":"x","a":{"allowedTargetScope":1,"b":[{"stages":[]},"accessPackageId"]},"id":null}`},
		{false, " { \"durationInDays\" : 365 , \"x\" : [ true , false ] } ", `{"expiration":365,"x":[true,false]}`},
		{true, `{"specificAllowedTargets":[],"reviewSettings":{"reviewers":[]}}`, `{"allowedRequestors":[],"accessReviewSettings":{"reviewerType":[]}}`},
		{true, `{"expiration":{},"text":"t"}`, `{"durationInDays":{},"defaultText":"t"}`},
	} {
		p := newFloorPass(tc.reverse)
		if p.run([]byte(tc.in)) < 0 || string(p.out) != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, p.out, tc.want)
		}
	}

	p := newFloorPass(false)
	for _, in := range []string{
		``, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":tru}`, `{"a":nul}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a":1 "b":2}`,
		"{\"a\":\"\x01\"}", `{"a":"\q"}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`, "{\"a\":\"\xff\"}", `{} x`, `{"a":"b`, `{a:1}`,
		`{"a":[}`, `{"a":{]}`, `"x"`, `[{"a":1},{"b":"\"\\\/\b\f\n\r\t\u00e9 é"}]`, `{"a":-1.5e+3}`, ` [ ] `,
	} {
		if got, want := p.run([]byte(in)) >= 0, json.Valid([]byte(in)); got != want {
			t.Errorf("%q: floor pass accepts %v, json.Valid %v", in, got, want)
		}
	}
}

// TestBudget checks the budget line's arithmetic on round numbers: 1,000
// bytes a policy take 1 µs at 1,000 MB/s.
func TestBudget(t *testing.T) {
	t.Chdir("../..")
	lines, _, err := loadPolicies(model.V1)
	if err != nil {
		t.Fatal(err)
	}
	short := slices.MinFunc(lines, func(a, b []byte) int { return len(a) - len(b) })
	p := []byte(`{"pad":"` + strings.Repeat("x", 1000-len(short)-9) + `",` + string(short[1:]))
	if len(p) != 1000 {
		t.Fatalf("policy of %d bytes, want 1000", len(p))
	}
	c := newCorpus("test", model.V1, [][]byte{p}, 1)
	for _, tc := range []struct {
		conv, enc, gj, floor float64
		want                 []string
	}{
		{250, 50, 2000, 2000, []string{"(1000 bytes a policy", "the floor pass takes 0.50 µs a policy (1.00× gjson.Valid's speed), the converter 4.00 µs, 3.50 beyond",
			"7× encoding/json allows 2.86 µs, 2.36 beyond the floor (1.5× less", "0.4× gjson.Valid allows 1.25 µs, 0.75 beyond the floor (4.7× less"}},
		{250, 50, 1000, 350, []string{"0.4× gjson.Valid allows 2.50 µs, less than the floor"}},
	} {
		got := budget(c, tc.conv, tc.enc, tc.gj, tc.floor)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("budget(%v, %v, %v, %v) = %s\nwant it to contain %q", tc.conv, tc.enc, tc.gj, tc.floor, got, w)
			}
		}
	}
}

// BenchmarkFloorPass times the floor pass over the beta corpus's distinct
// lines (the harness's row repeats them into 64 MB); with cachegrind it
// counts the floor's instructions, which the host's speed does not move.
func BenchmarkFloorPass(b *testing.B) {
	b.Chdir("../..")
	lines, _, err := loadPolicies(model.V1)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	p := newFloorPass(false)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			if p.run(l) < 0 {
				b.Fatal("invalid corpus line")
			}
		}
	}
}
