package validate

import (
	"strings"
	"time"
)

// minDateYear is the earliest year Date accepts.
const minDateYear = 1900

// Date reports whether s is a calendar date that exists, with a year from
// 1900 to the current year, written in one of the forms people use for
// birth dates:
//
//   - numeric: YYYY-MM-DD (also with / or .), DD/MM/YYYY or MM/DD/YYYY
//     (also with -; accepted when either reading exists), DD.MM.YYYY; day
//     and month may have one digit except in the year-first form;
//   - with a month name: "12 March 1985", "12. März 1985", "1er mars 1985",
//     "12th Mar 1985", "12-Mar-1985", "March 12, 1985", "Mar. 12th 1985"; month
//     names and common abbreviations in English, French and German, in any
//     case, accents optional.
//
// Whether a date is a date of birth is decided by the rule's context words;
// two-digit years and undelimited forms (19850312) are not accepted.
func Date(s string) bool {
	y, m, d, ok := parseDate(s)
	if !ok {
		// Ambiguous numeric forms are tried both ways inside parseDate.
		return false
	}
	return y >= minDateYear && y <= time.Now().Year() && dateExists(y, m, d)
}

// parseDate returns the year, month and day that s spells. For DD/MM/YYYY
// versus MM/DD/YYYY it returns whichever reading exists (day first when
// both do).
func parseDate(s string) (y, m, d int, ok bool) {
	if len(s) < 8 || len(s) > 40 {
		return 0, 0, 0, false
	}
	if isDigit(s[0]) && isDigit(s[len(s)-1]) {
		if y, m, d, ok = parseNumericDate(s); ok {
			return y, m, d, true
		}
	}
	return parseTextDate(s)
}

// numericFields splits an all-digit date into its three fields of one to
// four digits, with their values f, widths w and the one separator (-, /
// or .) between them.
func numericFields(s string) (f, w [3]int, sep byte, ok bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			f[n] = f[n]*10 + int(c-'0')
			if w[n]++; w[n] > 4 {
				return f, w, 0, false
			}
			continue
		}
		if c != '-' && c != '/' && c != '.' || n == 2 || w[n] == 0 || n == 1 && c != sep {
			return f, w, 0, false
		}
		sep = c
		n++
	}
	return f, w, sep, n == 2 && w[2] > 0
}

// parseNumericDate parses the all-digit forms of Date.
func parseNumericDate(s string) (y, m, d int, ok bool) {
	f, w, sep, ok := numericFields(s)
	if !ok {
		return 0, 0, 0, false
	}
	switch {
	case w[0] == 4 && w[1] == 2 && w[2] == 2:
		return f[0], f[1], f[2], true
	case w[2] == 4 && w[0] <= 2 && w[1] <= 2:
		y = f[2]
		if dateExists(y, f[1], f[0]) {
			return y, f[1], f[0], true
		}
		if sep != '.' && dateExists(y, f[0], f[1]) {
			return y, f[0], f[1], true
		}
		return y, f[1], f[0], true // fails dateExists in Date
	}
	return 0, 0, 0, false
}

// parseTextDate parses the forms of Date with a month name.
func parseTextDate(s string) (y, m, d int, ok bool) {
	var tok [3]string
	n := 0
	for i := 0; i < len(s); {
		for i < len(s) && isDateSep(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		j := i
		for j < len(s) && !isDateSep(s[j]) {
			j++
		}
		if n == len(tok) {
			return 0, 0, 0, false
		}
		tok[n] = strings.TrimSuffix(s[i:j], ".")
		n++
		i = j
	}
	if n != 3 {
		return 0, 0, 0, false
	}
	y, ok = yearToken(tok[2])
	if !ok {
		return 0, 0, 0, false
	}
	if d, ok = dayToken(tok[0]); ok {
		m = monthToken(tok[1])
	} else if d, ok = dayToken(tok[1]); ok {
		m = monthToken(tok[0])
	}
	if m == 0 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// isDateSep reports whether c separates the words of a written date.
func isDateSep(c byte) bool { return c == ' ' || c == ',' || c == '-' || c == '/' }

// yearToken parses a four-digit year.
func yearToken(t string) (int, bool) {
	return digitsValue(t, 4)
}

// dayToken parses a day of one or two digits with an optional ordinal
// suffix (st, nd, rd, th, er).
func dayToken(t string) (int, bool) {
	k := 0
	for k < len(t) && k < 2 && isDigit(t[k]) {
		k++
	}
	if k == 0 {
		return 0, false
	}
	switch suf := t[k:]; {
	case suf == "":
	case len(suf) == 2 && (strings.EqualFold(suf, "st") || strings.EqualFold(suf, "nd") ||
		strings.EqualFold(suf, "rd") || strings.EqualFold(suf, "th") || strings.EqualFold(suf, "er")):
	default:
		return 0, false
	}
	v := int(t[0] - '0')
	if k == 2 {
		v = v*10 + int(t[1]-'0')
	}
	return v, v >= 1
}

// monthNames lists, per month, its names and abbreviations in English,
// French and German (with and without accents).
var monthNames = [12][]string{
	{"january", "jan", "janvier", "janv", "januar", "jänner", "jaenner"},
	{"february", "feb", "février", "fevrier", "févr", "fevr", "februar", "feber"},
	{"march", "mar", "mars", "märz", "maerz", "marz", "mär", "mrz"},
	{"april", "apr", "avril", "avr"},
	{"may", "mai"},
	{"june", "jun", "juin", "juni"},
	{"july", "jul", "juillet", "juil", "juli"},
	{"august", "aug", "août", "aout"},
	{"september", "sep", "sept", "septembre"},
	{"october", "oct", "octobre", "oktober", "okt"},
	{"november", "nov", "novembre"},
	{"december", "dec", "décembre", "decembre", "déc", "dezember", "dez"},
}

// monthToken returns the month (1–12) that t names, or 0.
func monthToken(t string) int {
	if len(t) < 3 || len(t) > 9+2 {
		return 0
	}
	for i, names := range monthNames {
		for _, n := range names {
			if strings.EqualFold(t, n) {
				return i + 1
			}
		}
	}
	return 0
}

// dateExists reports whether y-m-d is a day of the proleptic Gregorian
// calendar.
func dateExists(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// DateShortYear reports whether s is a numeric date with a two-digit year
// that exists: DD/MM/YY or MM/DD/YY (also with - or .; either reading,
// day first when both exist), DD.MM.YY, day and month of one or two
// digits, one separator throughout. The year is read as the latest one not
// after the current year (85 is 1985, 07 is 2007), as people write birth
// dates. Date refuses these forms; a rule uses this validator only where a
// word marks the date as a birth date.
func DateShortYear(s string) bool {
	if len(s) < 6 || len(s) > 8 {
		return false
	}
	f, w, sep, ok := numericFields(s)
	if !ok || w[0] > 2 || w[1] > 2 || w[2] != 2 {
		return false
	}
	now := time.Now()
	y := 1900 + f[2]
	if cut := now.Year() % 100; f[2] <= cut {
		y = now.Year() - cut + f[2]
	}
	if dateExists(y, f[1], f[0]) {
		return true
	}
	return sep != '.' && dateExists(y, f[0], f[1])
}
