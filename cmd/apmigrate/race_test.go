//go:build race

package main

// raceEnabled: the race detector is on. It changes what allocates, so the
// allocation test skips.
const raceEnabled = true
