package validate

import "strconv"

// minCoordDecimals is the precision GeoCoordinate requires of each number:
// three decimals of a degree are about 110 m of latitude, enough to tell a
// street; fewer locate a town, which is not precise location.
const minCoordDecimals = 3

// GeoCoordinate reports whether s is a latitude/longitude pair precise
// enough to locate a home: two decimal-degree numbers, each with at least
// three decimals, separated by a comma, a semicolon or white space
// ("48.8584, 2.2945", "-33.8568 151.2153"). Each number may carry a sign,
// or instead a hemisphere letter before or after it ("48.8584° N, 2.2945° E",
// "N48.8584 E2.2945"); with letters both numbers need one, and a pair
// written longitude first ("2.2945 E, 48.8584 N") is understood. A degree
// sign may follow a number. |latitude| ≤ 90 and |longitude| ≤ 180; the
// pair 0, 0 ("null island", a placeholder) fails. Decimal commas and
// degrees-minutes-seconds are not accepted.
func GeoCoordinate(s string) bool {
	v1, h1, i, ok := parseCoord(s, 0)
	if !ok {
		return false
	}
	start := i
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && (s[i] == ',' || s[i] == ';') {
		i++
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == start {
		return false
	}
	v2, h2, j, ok := parseCoord(s, i)
	if !ok || j != len(s) || (h1 == 0) != (h2 == 0) {
		return false
	}
	lat, lon := v1, v2
	if h1 != 0 {
		switch {
		case isNS(h1) && isEW(h2):
		case isEW(h1) && isNS(h2):
			lat, lon = v2, v1
		default:
			return false
		}
	}
	if lat == 0 && lon == 0 {
		return false
	}
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// isNS reports whether h is a latitude hemisphere letter.
func isNS(h byte) bool { return h == 'N' || h == 'S' }

// isEW reports whether h is a longitude hemisphere letter.
func isEW(h byte) bool { return h == 'E' || h == 'W' }

// hemisphere returns the upper-case hemisphere letter c stands for, or 0.
func hemisphere(c byte) byte {
	switch c = upper(c); c {
	case 'N', 'S', 'E', 'W':
		return c
	}
	return 0
}

// parseCoord reads one decimal-degree number of GeoCoordinate starting at
// s[i]: an optional hemisphere letter (and spaces), or a sign; 1–3 integer
// digits, a dot and at least minCoordDecimals decimals; an optional degree
// sign; and, when no letter came first, an optional hemisphere letter after
// optional spaces. It returns the value (negative for S and W), the
// hemisphere letter or 0, and the index after what it read.
func parseCoord(s string, i int) (v float64, hemi byte, next int, ok bool) {
	if i < len(s) {
		if h := hemisphere(s[i]); h != 0 {
			hemi = h
			i++
			for i < len(s) && s[i] == ' ' {
				i++
			}
		}
	}
	numStart := i
	if hemi == 0 && i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if n := i - intStart; n < 1 || n > 3 || i >= len(s) || s[i] != '.' {
		return 0, 0, 0, false
	}
	i++
	fracStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if n := i - fracStart; n < minCoordDecimals || n > 15 {
		return 0, 0, 0, false
	}
	v, err := strconv.ParseFloat(s[numStart:i], 64)
	if err != nil {
		return 0, 0, 0, false
	}
	if len(s)-i >= 2 && s[i] == 0xc2 && s[i+1] == 0xb0 { // U+00B0 DEGREE SIGN
		i += 2
	}
	if hemi == 0 && (numStart == intStart) {
		// No sign: a hemisphere letter may follow, directly or after spaces,
		// when the letter ends the number's text.
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) {
			if h := hemisphere(s[j]); h != 0 && (j+1 == len(s) || s[j+1] == ',' || s[j+1] == ';' || s[j+1] == ' ') {
				hemi, i = h, j+1
			}
		}
	}
	if hemi == 'S' || hemi == 'W' {
		v = -v
	}
	return v, hemi, i, true
}
