package actions

// PostalPrefix appends a coarse prefix of postal code code, chosen per
// country (ISO 3166-1 alpha-2, case-insensitive; "UK" is accepted for GB):
//
//   - US: the first 3 digits of a ZIP or ZIP+4 (ZIP3);
//   - CA: the forward sortation area, the first 3 characters ("K1A");
//   - GB: the postcode area and district number without a sub-district
//     letter ("SW1A 1AA" → "SW1", "M14 5TP" → "M14"); sub-districts exist only
//     in central London and are too small to publish;
//   - FR: the département, 2 digits, or 3 for overseas codes 97x/98x;
//   - JP: the first 3 digits;
//   - other numeric codes (DE, NL, IT, ES, PL, PT, SE, AT, CH, BE, AU, …):
//     the first 2 digits.
//
// When country is empty or unknown, or code does not have that country's
// shape, the shape decides: a UK postcode, a Canadian code or a ZIP+4 are
// recognized; otherwise at most the first 2 letters or digits are kept.
// The result is always shorter than the code it came from. PostalPrefix
// reports false, leaving dst unchanged, when code has fewer than 3 letters
// or digits or contains characters no postal code has.
func PostalPrefix(dst []byte, code, country string) ([]byte, bool) {
	var buf [16]byte
	n, ok := compactPostal(&buf, code)
	if !ok || n < 3 {
		return dst, false
	}
	c := buf[:n]
	switch countryCode(country) {
	case "US":
		if isDigits(c) && (n == 5 || n == 9) {
			return append(dst, c[:3]...), true
		}
	case "CA":
		if isCanadian(c) {
			return append(dst, c[:3]...), true
		}
	case "GB":
		if k := ukDistrictLen(c); k > 0 {
			return append(dst, c[:k]...), true
		}
	case "FR":
		if isDigits(c) && n == 5 {
			if c[0] == '9' && (c[1] == '7' || c[1] == '8') {
				return append(dst, c[:3]...), true
			}
			return append(dst, c[:2]...), true
		}
	case "JP":
		if isDigits(c) && n == 7 {
			return append(dst, c[:3]...), true
		}
	}
	// Shape-based: formats that identify their country.
	if k := ukDistrictLen(c); k > 0 {
		return append(dst, c[:k]...), true
	}
	if isCanadian(c) {
		return append(dst, c[:3]...), true
	}
	if isDigits(c) && n == 9 && hasZIP4Separator(code) {
		return append(dst, c[:3]...), true
	}
	return append(dst, c[:2]...), true
}

// compactPostal copies the letters and digits of code into buf, upper-cased,
// skipping spaces and dashes; a leading country prefix such as "D-" or "NL-"
// is skipped too. It fails on other characters or codes longer than buf.
func compactPostal(buf *[16]byte, code string) (int, bool) {
	// skip an "XX-" or "X-" country prefix (as in "D-10115", "LT-01100")
	for i := 0; i < len(code) && i < 3; i++ {
		if code[i] == '-' {
			if i > 0 && isLetters(code[:i]) && i+1 < len(code) && code[i+1] >= '0' && code[i+1] <= '9' {
				code = code[i+1:]
			}
			break
		}
	}
	n := 0
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case ch >= '0' && ch <= '9', ch >= 'A' && ch <= 'Z':
		case ch >= 'a' && ch <= 'z':
			ch -= 'a' - 'A'
		case ch == ' ' || ch == '-' || ch == '\t':
			continue
		default:
			return 0, false
		}
		if n == len(buf) {
			return 0, false
		}
		buf[n] = ch
		n++
	}
	return n, true
}

// countryCode upper-cases a 2-letter country code and maps UK to GB.
func countryCode(s string) string {
	if len(s) != 2 {
		return ""
	}
	a, b := upper(s[0]), upper(s[1])
	switch {
	case a == 'U' && b == 'S':
		return "US"
	case a == 'C' && b == 'A':
		return "CA"
	case (a == 'G' && b == 'B') || (a == 'U' && b == 'K'):
		return "GB"
	case a == 'F' && b == 'R':
		return "FR"
	case a == 'J' && b == 'P':
		return "JP"
	}
	return ""
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }

func isDigits[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// isCanadian reports whether c (compacted) is A9A9A9.
func isCanadian(c []byte) bool {
	return len(c) == 6 && isLetter(c[0]) && isDigit(c[1]) && isLetter(c[2]) &&
		isDigit(c[3]) && isLetter(c[4]) && isDigit(c[5])
}

// ukDistrictLen returns the length of the area letters plus district digits
// of a compacted UK postcode (outward code A9, A99, A9A, AA9, AA99, AA9A,
// then inward code 9AA), or 0 when c is not one.
func ukDistrictLen(c []byte) int {
	n := len(c)
	if n < 5 || n > 7 || !isDigit(c[n-3]) || !isLetter(c[n-2]) || !isLetter(c[n-1]) {
		return 0
	}
	out := c[:n-3]
	i := 0
	for i < len(out) && i < 2 && isLetter(out[i]) {
		i++
	}
	if i == 0 || i == len(out) || !isDigit(out[i]) {
		return 0
	}
	j := i + 1
	if j < len(out) && isDigit(out[j]) {
		j++
	}
	switch {
	case j == len(out):
	case j == len(out)-1 && isLetter(out[j]) && j == i+1:
		// a sub-district letter after a single district digit (SW1A, W1D)
	default:
		return 0
	}
	return j
}

// hasZIP4Separator reports whether code has a '-' or ' ' after exactly five
// digits, as a ZIP+4 does.
func hasZIP4Separator(code string) bool {
	d := 0
	for i := 0; i < len(code); i++ {
		switch {
		case isDigit(code[i]):
			d++
		case code[i] == '-' || code[i] == ' ':
			return d == 5
		}
	}
	return false
}
