package convert

import (
	"errors"
	"strconv"
)

// Durations (decision 9). Beta counts whole days or minutes in Int32
// members; v1.0 uses Edm.Duration, an ISO 8601 duration string.

const (
	secondsPerMinute = 60
	secondsPerDay    = 86400
)

// appendDays appends n days as an ISO 8601 duration: P{n}D, and PT0S for 0.
func appendDays(b []byte, n int64) []byte {
	if n == 0 {
		return append(b, "PT0S"...)
	}
	b = append(b, 'P')
	b = strconv.AppendInt(b, n, 10)
	return append(b, 'D')
}

// appendMinutes appends n minutes in the shortest day-time form: P8D,
// PT1H30M, P1DT2H; PT0S for 0.
func appendMinutes(b []byte, n int64) []byte {
	if n == 0 {
		return append(b, "PT0S"...)
	}
	d, h, m := n/1440, n%1440/60, n%60
	b = append(b, 'P')
	if d > 0 {
		b = strconv.AppendInt(b, d, 10)
		b = append(b, 'D')
	}
	if h > 0 || m > 0 {
		b = append(b, 'T')
		if h > 0 {
			b = strconv.AppendInt(b, h, 10)
			b = append(b, 'H')
		}
		if m > 0 {
			b = strconv.AppendInt(b, m, 10)
			b = append(b, 'M')
		}
	}
	return b
}

var (
	errYearMonth   = errors.New("year and month designators have no fixed length")
	errNotDuration = errors.New("not an ISO 8601 duration such as P14D, PT1H30M or P1DT2H")
	errTooLong     = errors.New("duration too long")
)

// parseDuration reads an ISO 8601 day-time duration (weeks allowed) and
// returns its length in whole seconds and the nanoseconds beyond them.
func parseDuration(s string) (sec int64, nanos int64, err error) {
	bad := errNotDuration
	if len(s) < 2 || s[0] != 'P' {
		return 0, 0, bad
	}
	i, inTime, any := 1, false, false
	for i < len(s) {
		if s[i] == 'T' {
			if inTime {
				return 0, 0, bad
			}
			inTime = true
			i++
			if i == len(s) {
				return 0, 0, bad
			}
			continue
		}
		j := i
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		intPart := s[i:j]
		var frac string
		if j < len(s) && (s[j] == '.' || s[j] == ',') {
			k := j + 1
			for k < len(s) && '0' <= s[k] && s[k] <= '9' {
				k++
			}
			frac = s[j+1 : k]
			j = k
		}
		if intPart == "" && frac == "" || j >= len(s) {
			return 0, 0, bad
		}
		n, perr := strconv.ParseInt(intPart, 10, 64)
		if intPart == "" {
			n = 0
		} else if perr != nil {
			return 0, 0, errTooLong
		}
		var unit int64
		switch d := s[j]; {
		case d == 'Y' && !inTime, d == 'M' && !inTime:
			return 0, 0, errYearMonth
		case d == 'W' && !inTime:
			unit = 7 * secondsPerDay
		case d == 'D' && !inTime:
			unit = secondsPerDay
		case d == 'H' && inTime:
			unit = 3600
		case d == 'M' && inTime:
			unit = 60
		case d == 'S' && inTime:
			unit = 1
		default:
			return 0, 0, bad
		}
		if frac != "" && j+1 != len(s) {
			return 0, 0, bad // only the last component may have a fraction
		}
		if n > (1<<62)/unit || sec > (1<<62)-n*unit {
			return 0, 0, errTooLong
		}
		sec += n * unit
		if frac != "" {
			// The fraction of this unit, in nanoseconds (9 digits are enough).
			if len(frac) > 9 {
				frac = frac[:9]
			}
			f, _ := strconv.ParseInt(frac, 10, 64)
			for k := len(frac); k < 9; k++ {
				f *= 10
			}
			total := f * unit // nanoseconds × unit / 1e9 seconds
			sec += total / 1e9
			nanos += total % 1e9
		}
		any = true
		i = j + 1
	}
	if !any {
		return 0, 0, bad
	}
	return sec, nanos, nil
}
