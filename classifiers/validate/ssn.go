package validate

// USSSN reports whether s is a plausible US Social Security Number: nine
// digits written as AAA-GG-SSSS, AAA GG SSSS, AAA.GG.SSSS or AAAGGSSSS (one
// kind of separator throughout: "078-05 1120" fails), an area number other
// than 000, 666 and 900–999, a group other than 00 and a serial other than
// 0000. Numbers known to be invalid because they were published (the
// Woolworth wallet card 078-05-1120, the 1940s advertising number
// 219-09-9999, the sequence 123-45-6789) and numbers of one repeated digit
// are rejected too.
func USSSN(s string) bool {
	var d [9]byte
	if !groupedDigits(d[:], s, 3, 2, 4) {
		return false
	}
	area := int(d[0])*100 + int(d[1])*10 + int(d[2])
	group := int(d[3])*10 + int(d[4])
	serial := int(d[5])*1000 + int(d[6])*100 + int(d[7])*10 + int(d[8])
	switch {
	case area == 0, area == 666, area >= 900, group == 0, serial == 0:
		return false
	case area == 78 && group == 5 && serial == 1120,
		area == 219 && group == 9 && serial == 9999,
		area == 123 && group == 45 && serial == 6789:
		return false
	}
	return !allSame(d[:])
}

// UKNINO reports whether s is a plausible UK National Insurance number:
// two prefix letters, six digits and a suffix letter A–D, as in
// "QQ 12 34 56 C" or "QQ123456C". Single spaces may appear anywhere between
// the characters; letters may be of either case. The prefix follows HMRC's
// allocation rules: the first letter is not D, F, I, Q, U or V, the second
// is not D, F, I, O, Q, U or V, and the prefixes BG, GB, KN, NK, NT, TN and
// ZZ are never issued.
func UKNINO(s string) bool {
	var b [9]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
			continue
		}
		if n == len(b) {
			return false
		}
		b[n] = upper(c)
		n++
	}
	if n != 9 {
		return false
	}
	for _, c := range b[2:8] {
		if !isDigit(c) {
			return false
		}
	}
	p0, p1, suf := b[0], b[1], b[8]
	if !isUpper(p0) || !isUpper(p1) || suf < 'A' || suf > 'D' {
		return false
	}
	switch p0 {
	case 'D', 'F', 'I', 'Q', 'U', 'V':
		return false
	}
	switch p1 {
	case 'D', 'F', 'I', 'O', 'Q', 'U', 'V':
		return false
	}
	switch string(b[:2]) {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}
