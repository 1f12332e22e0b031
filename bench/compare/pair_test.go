//go:build unix

package main

import (
	"strings"
	"testing"
)

// TestPairHostCheck holds a scaling target's verdict to its host check:
// a speed-up measured while the machine itself did not scale as two idle
// cores do is marked unreliable, whichever way the host moved it.
func TestPairHostCheck(t *testing.T) {
	mk := func(one, two float64, host ...float64) *pair {
		p := &pair{}
		p.add(1, obs{mbps: one})
		p.add(2, obs{mbps: two})
		if len(host) == 2 {
			p.hostOne.add(obs{mbps: host[0]})
			p.hostTwo.add(obs{mbps: host[1]})
		}
		return p
	}
	for _, tc := range []struct {
		name   string
		p      *pair
		result string // the verdict's start
		note   string
	}{
		{"pass, quiet host", mk(100, 190, 1000, 1990), "PASS", "1.99×"},
		{"fail, quiet host", mk(100, 170, 1000, 1990), "FAIL", "1.99×"},
		{"pass, host sped up the two workers", mk(100, 240, 750, 1890), "PASS (UNRELIABLE", "2.52× ⚠"},
		{"fail, host slowed the two workers", mk(100, 150, 1000, 1500), "FAIL (UNRELIABLE", "1.50× ⚠"},
		{"at the low bound", mk(100, 190, 1000, 1850), "PASS", "1.85×"},
		{"at the high bound", mk(100, 190, 1000, 2150), "PASS", "2.15×"},
		{"no host check (a control row)", mk(100, 190), "PASS", "–"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.result(); !strings.HasPrefix(got, tc.result) || strings.Contains(got, "UNRELIABLE") != strings.Contains(tc.result, "UNRELIABLE") {
				t.Errorf("result() = %q, want %q…", got, tc.result)
			}
			if got := tc.p.hostNote(); got != tc.note {
				t.Errorf("hostNote() = %q, want %q", got, tc.note)
			}
		})
	}
}

// TestRoundOrderAlternates holds the scaling rows to taking turns: over
// an even number of rounds each worker count runs first as often as the
// other, and every round runs both.
func TestRoundOrderAlternates(t *testing.T) {
	first := map[int]int{}
	for round := range 4 {
		o := roundOrder(round)
		if len(o) != 2 || o[0]+o[1] != 3 || o[0] == o[1] {
			t.Fatalf("roundOrder(%d) = %v, want 1 and 2 in some order", round, o)
		}
		first[o[0]]++
	}
	if first[1] != 2 || first[2] != 2 {
		t.Errorf("over 4 rounds, first: one worker %d times, two %d times; want 2 and 2", first[1], first[2])
	}
}
