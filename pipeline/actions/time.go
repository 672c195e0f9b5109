package actions

import (
	"strconv"
	"time"
)

// TimeUnit is the bucket TimeBucket truncates to. The values match the
// policy package's time units.
type TimeUnit string

// The time units.
const (
	Hour  TimeUnit = "hour"
	Day   TimeUnit = "day"
	Month TimeUnit = "month"
)

// TimeBucket appends ts truncated to the start of its unit.
//
// An RFC 3339 timestamp ("2024-05-03T14:37:12.345+02:00") is truncated in
// its own offset and written back in the same layout with the same offset
// and separators, without fractional seconds: "2024-05-03T14:00:00+02:00"
// for an hour. A date alone ("2024-05-03") is already a day; for Month it
// becomes "2024-05-01".
//
// A number of digits is a Unix epoch time, in seconds (up to 11 digits),
// milliseconds (12-14), microseconds (15-17) or nanoseconds (18-19),
// optionally with a fractional part; it is truncated in UTC and written back
// as an integer in the same unit.
//
// TimeBucket reports false, leaving dst unchanged, when ts is neither or
// names an impossible date or time, or unit is unknown.
func TimeBucket(dst []byte, ts string, unit TimeUnit) ([]byte, bool) {
	if unit != Hour && unit != Day && unit != Month {
		return dst, false
	}
	if len(ts) > 0 && isDigit(ts[0]) && (len(ts) < 5 || ts[4] != '-') {
		return epochBucket(dst, ts, unit)
	}
	return rfc3339Bucket(dst, ts, unit)
}

// num parses s[i:i+n] as digits.
func num(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func rfc3339Bucket(dst []byte, s string, unit TimeUnit) ([]byte, bool) {
	year, ok1 := num(s, 0, 4)
	month, ok2 := num(s, 5, 2)
	day, ok3 := num(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' ||
		month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return dst, false
	}
	if len(s) == 10 { // date only
		if unit == Month {
			dst = append(dst, s[:8]...)
			return append(dst, "01"...), true
		}
		return append(dst, s...), true
	}
	if len(s) < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return dst, false
	}
	hour, ok1 := num(s, 11, 2)
	minute, ok2 := num(s, 14, 2)
	sec, ok3 := num(s, 17, 2)
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 60 {
		return dst, false
	}
	i := 19
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 {
			return dst, false
		}
		i = j
	}
	zone := s[i:]
	switch {
	case zone == "", zone == "Z", zone == "z":
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':':
		zh, ok1 := num(zone, 1, 2)
		zm, ok2 := num(zone, 4, 2)
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return dst, false
		}
	default:
		return dst, false
	}
	switch unit {
	case Hour:
		dst = append(dst, s[:13]...)
		dst = append(dst, ":00:00"...)
	case Day:
		dst = append(dst, s[:11]...)
		dst = append(dst, "00:00:00"...)
	case Month:
		dst = append(dst, s[:8]...)
		dst = append(dst, "01"...)
		dst = append(dst, s[10])
		dst = append(dst, "00:00:00"...)
	}
	return append(dst, zone...), true
}

func epochBucket(dst []byte, s string, unit TimeUnit) ([]byte, bool) {
	intPart := s
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart = s[:i]
			if i == len(s)-1 || !isDigits(s[i+1:]) {
				return dst, false
			}
			break
		}
	}
	if !isDigits(intPart) || len(intPart) > 19 {
		return dst, false
	}
	v, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return dst, false
	}
	var per int64 // units per second
	switch n := len(intPart); {
	case n <= 11:
		per = 1
	case n <= 14:
		per = 1e3
	case n <= 17:
		per = 1e6
	default:
		per = 1e9
	}
	sec := v / per
	var start int64
	switch unit {
	case Hour:
		start = sec - sec%3600
	case Day:
		start = sec - sec%86400
	case Month:
		y, m, _ := time.Unix(sec, 0).UTC().Date()
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Unix()
	}
	return strconv.AppendInt(dst, start*per, 10), true
}
