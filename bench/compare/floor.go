//go:build unix

package main

import (
	"maps"
	"math/bits"
	"slices"
)

// floorPass is not a converter: it is the least work any single-pass
// converter does, measured so that the report can say what a target
// leaves to everything else. One fused pass validates a policy, copies it
// into a reused buffer and looks every object key up in a table of
// renames (writing the new name of those it holds). No rules, findings,
// paths, evidence or types; numbers are checked only for their
// characters. Whatever a real converter adds costs time on top of it.
type floorPass struct {
	renames map[string]string
	d, out  []byte
}

// floorRenames are the main property renames beta → v1.0; the pass the
// other way looks the v1.0 names up.
var floorRenames = map[string]string{
	"accessPackageId": "accessPackage", "durationInDays": "expiration", "expirationDateTime": "expiration",
	"scopeType": "allowedTargetScope", "allowedRequestors": "specificAllowedTargets",
	"approvalStages": "stages", "accessReviewSettings": "reviewSettings", "escalationApprovers": "fallbackPrimaryApprovers",
	"customExtensionHandlers": "customExtensionStageSettings", "approvalStageTimeOutInDays": "durationBeforeAutomaticDenial",
	"escalationTimeInMinutes": "durationBeforeEscalation", "reviewerType": "reviewers", "recurrenceType": "schedule",
	"defaultText": "text", "localizedTexts": "localizations", "displayValue": "text",
}

func newFloorPass(reverse bool) *floorPass {
	m := floorRenames
	if reverse {
		m = map[string]string{}
		// Two beta names may share a v1.0 one (expiration, text): the
		// first in sorted order is the way back, so that runs agree.
		for _, k := range slices.Sorted(maps.Keys(floorRenames)) {
			if v := floorRenames[k]; m[v] == "" {
				m[v] = k
			}
		}
	}
	return &floorPass{renames: m}
}

// run converts one policy and returns the output's length, or -1 if l is
// not valid JSON.
func (p *floorPass) run(l []byte) int {
	p.d, p.out = l, p.out[:0]
	i := p.value(0)
	if i < 0 || p.ws(i) != len(l) {
		return -1
	}
	return len(p.out)
}

// valid runs the pass on l, for validLine: whether l is JSON.
func (p *floorPass) valid(l []byte) bool { return p.run(l) >= 0 }

func (p *floorPass) ws(i int) int {
	for i < len(p.d) && (p.d[i] == ' ' || p.d[i] == '\n' || p.d[i] == '\t' || p.d[i] == '\r') {
		i++
	}
	return i
}

// str returns the end of the string whose quote is at i, or -1. Eight
// bytes at a time to the next quote, backslash or control byte; like the
// converter (and json.Valid) it lets bytes that are not UTF-8 through.
func (p *floorPass) str(i int) int {
	d := p.d
	i++
	for {
		for i+8 <= len(d) {
			x := uint64(d[i]) | uint64(d[i+1])<<8 | uint64(d[i+2])<<16 | uint64(d[i+3])<<24 |
				uint64(d[i+4])<<32 | uint64(d[i+5])<<40 | uint64(d[i+6])<<48 | uint64(d[i+7])<<56
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			q, b := x^('"'*ones), x^('\\'*ones)
			t := (((q - ones) &^ q) | ((b - ones) &^ b) | ((x - 0x20*ones) &^ x)) & highs
			if t == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(t) / 8
			break
		}
		if i >= len(d) {
			return -1
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i+1 >= len(d) {
				return -1
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) || !isHex4(d[i+2:i+6]) {
					return -1
				}
				i += 6
			default:
				return -1
			}
		case c < 0x20:
			return -1
		default:
			i++
		}
	}
}

func isHex4(h []byte) bool {
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (p *floorPass) value(i int) int {
	i = p.ws(i)
	if i >= len(p.d) {
		return -1
	}
	switch c := p.d[i]; {
	case c == '{':
		return p.object(i)
	case c == '[':
		return p.array(i)
	case c == '"':
		e := p.str(i)
		if e < 0 {
			return -1
		}
		p.out = append(p.out, p.d[i:e]...)
		return e
	case c == 't' || c == 'f' || c == 'n':
		j := i
		for j < len(p.d) && 'a' <= p.d[j] && p.d[j] <= 'z' {
			j++
		}
		switch string(p.d[i:j]) {
		case "true", "false", "null":
		default:
			return -1
		}
		p.out = append(p.out, p.d[i:j]...)
		return j
	default:
		j := i
		for j < len(p.d) && ('0' <= p.d[j] && p.d[j] <= '9' || p.d[j] == '-' || p.d[j] == '.' || p.d[j] == 'e' || p.d[j] == 'E' || p.d[j] == '+') {
			j++
		}
		if j == i {
			return -1
		}
		p.out = append(p.out, p.d[i:j]...)
		return j
	}
}

// array and object each keep their own loop over the separators: sharing
// it (a function for the comma or closing bracket) made the pass execute
// 5% more instructions, and a floor should be as fast as it can be.
func (p *floorPass) array(i int) int {
	p.out = append(p.out, '[')
	i = p.ws(i + 1)
	if i < len(p.d) && p.d[i] == ']' {
		p.out = append(p.out, ']')
		return i + 1
	}
	for {
		if i = p.value(i); i < 0 {
			return -1
		}
		if i = p.ws(i); i >= len(p.d) {
			return -1
		}
		switch p.d[i] {
		case ']':
			p.out = append(p.out, ']')
			return i + 1
		case ',':
			p.out = append(p.out, ',')
			i++
		default:
			return -1
		}
	}
}

func (p *floorPass) object(i int) int {
	p.out = append(p.out, '{')
	i = p.ws(i + 1)
	if i < len(p.d) && p.d[i] == '}' {
		p.out = append(p.out, '}')
		return i + 1
	}
	for {
		if i >= len(p.d) || p.d[i] != '"' {
			return -1
		}
		e := p.str(i)
		if e < 0 {
			return -1
		}
		if to, ok := p.renames[string(p.d[i+1:e-1])]; ok {
			p.out = append(p.out, '"')
			p.out = append(p.out, to...)
			p.out = append(p.out, '"')
		} else {
			p.out = append(p.out, p.d[i:e]...)
		}
		if i = p.ws(e); i >= len(p.d) || p.d[i] != ':' {
			return -1
		}
		p.out = append(p.out, ':')
		if i = p.value(i + 1); i < 0 {
			return -1
		}
		if i = p.ws(i); i >= len(p.d) {
			return -1
		}
		switch p.d[i] {
		case '}':
			p.out = append(p.out, '}')
			return i + 1
		case ',':
			p.out = append(p.out, ',')
			i = p.ws(i + 1)
		default:
			return -1
		}
	}
}
