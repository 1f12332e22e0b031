//go:build !race

package convert

// raceEnabled: the race detector is on (see race_test.go).
const raceEnabled = false
