package actions

import "time"

// MaxAge is the oldest age AgeBand accepts; larger numbers are not ages.
const MaxAge = 130

// AgeBand appends the band of an age in whole years: "0-17", "18-24",
// "25-34", "35-44", "45-54", "55-64" or "65+". It reports false, leaving dst
// unchanged, for ages below 0 or above MaxAge.
func AgeBand(dst []byte, age int) ([]byte, bool) {
	switch {
	case age < 0 || age > MaxAge:
		return dst, false
	case age < 18:
		return append(dst, "0-17"...), true
	case age < 25:
		return append(dst, "18-24"...), true
	case age >= 65:
		return append(dst, "65+"...), true
	}
	lo := (age-25)/10*10 + 25
	return append(dst, byte('0'+lo/10), byte('0'+lo%10), '-', byte('0'+(lo+9)/10), byte('0'+(lo+9)%10)), true
}

// AgeBandOf appends the age band of v, which is one of
//
//   - an age: a whole or decimal number of years ("34", "34.5");
//   - a birth year from 1880 on ("1990"), counted as the age reached in
//     ref's year, so a band boundary may be off by one year;
//   - a birth date, "YYYY-MM-DD" optionally followed by an RFC 3339 time,
//     whose exact age at ref is used.
//
// It reports false, leaving dst unchanged, for anything else, including
// birth years and dates after ref.
func AgeBandOf(dst []byte, v string, ref time.Time) ([]byte, bool) {
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		year, ok1 := num(v, 0, 4)
		month, ok2 := num(v, 5, 2)
		day, ok3 := num(v, 8, 2)
		if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
			return dst, false
		}
		if len(v) > 10 && v[10] != 'T' && v[10] != 't' && v[10] != ' ' {
			return dst, false
		}
		ry, rm, rd := ref.Date()
		age := ry - year
		if int(rm) < month || (int(rm) == month && rd < day) {
			age--
		}
		return AgeBand(dst, age)
	}
	whole := v
	for i := 0; i < len(v); i++ {
		if v[i] == '.' {
			whole = v[:i]
			if !isDigits(v[i+1:]) {
				return dst, false
			}
			break
		}
	}
	if !isDigits(whole) || len(whole) > 4 {
		return dst, false
	}
	n, _ := num(whole, 0, len(whole))
	if n <= MaxAge {
		return AgeBand(dst, n)
	}
	if len(whole) == 4 && whole == v && n >= 1880 && n <= ref.Year() {
		return AgeBand(dst, ref.Year()-n)
	}
	return dst, false
}
