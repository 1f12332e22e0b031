//go:build race

package convert

// raceEnabled: the race detector is on. It changes what allocates (and
// sync.Pool drops what it holds at random), so the allocation tests skip.
const raceEnabled = true
