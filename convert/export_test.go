package convert

import "unsafe"

// RaceEnabled is raceEnabled, for the external tests.
const RaceEnabled = raceEnabled

// ValidatingPass runs the first step of Convert alone: the pass that
// checks doc's syntax and records its containers for the conversion.
func (cv *Converter) ValidatingPass(doc []byte) error {
	_, _, err := cv.rootObject(unsafe.String(unsafe.SliceData(doc), len(doc)))
	return err
}
