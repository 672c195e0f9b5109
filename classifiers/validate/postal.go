package validate

// Postal reports whether s has the format of a postal code of any country
// that has a postal_* validator: US, CA, UK, DE, FR, NL, CH, AT, BE or DK.
//
// Postal checks format only. A bare run of four or five digits matches the
// formats of several countries and is far more often a count, an amount or
// an identifier than a postal code: a rule that uses these validators must
// also require context (a postal field name or nearby words such as "zip",
// "postcode", "PLZ", "code postal").
func Postal(s string) bool {
	return PostalUS(s) || PostalCA(s) || PostalUK(s) || PostalDE(s) || PostalFR(s) ||
		PostalNL(s) || PostalCH(s) || PostalAT(s) || PostalBE(s) || PostalDK(s)
}

// digitsValue returns the value of s when s is made of n ASCII digits.
func digitsValue(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// PostalUS reports whether s is a US ZIP code, "12345", or ZIP+4,
// "12345-6789". The ZIP 00000 is never assigned and fails.
func PostalUS(s string) bool {
	if len(s) == 10 {
		if s[5] != '-' {
			return false
		}
		if _, ok := digitsValue(s[6:], 4); !ok {
			return false
		}
		s = s[:5]
	}
	v, ok := digitsValue(s, 5)
	return ok && v != 0
}

// PostalDE reports whether s is a German Postleitzahl: five digits in
// 01001–99998.
func PostalDE(s string) bool {
	v, ok := digitsValue(s, 5)
	return ok && v >= 1001 && v <= 99998
}

// PostalFR reports whether s is a French code postal: five digits whose
// first two are a département prefix, 01–95 (20 for Corsica), 97 (overseas
// departments) or 98 (Monaco and overseas collectivities).
func PostalFR(s string) bool {
	v, ok := digitsValue(s, 5)
	if !ok {
		return false
	}
	dep := v / 1000
	return (dep >= 1 && dep <= 95) || dep == 97 || dep == 98
}

// PostalCH reports whether s is a Swiss (or Liechtenstein) postcode: four
// digits in 1000–9699.
func PostalCH(s string) bool {
	v, ok := digitsValue(s, 4)
	return ok && v >= 1000 && v <= 9699
}

// PostalAT reports whether s is an Austrian Postleitzahl: four digits in
// 1010–9992.
func PostalAT(s string) bool {
	v, ok := digitsValue(s, 4)
	return ok && v >= 1010 && v <= 9992
}

// PostalBE reports whether s is a Belgian postcode: four digits in
// 1000–9992.
func PostalBE(s string) bool {
	v, ok := digitsValue(s, 4)
	return ok && v >= 1000 && v <= 9992
}

// PostalDK reports whether s is a Danish postnummer: four digits in
// 0800–9990 (Greenland's 39xx codes included).
func PostalDK(s string) bool {
	v, ok := digitsValue(s, 4)
	return ok && v >= 800 && v <= 9990
}

// PostalNL reports whether s is a Dutch postcode: four digits, the first not
// 0, an optional single space, and two letters other than the combinations
// SA, SD and SS that PostNL does not use ("1234 AB", "1234AB"). Letters may
// be of either case.
func PostalNL(s string) bool {
	switch len(s) {
	case 6:
	case 7:
		if s[4] != ' ' {
			return false
		}
	default:
		return false
	}
	if _, ok := digitsValue(s[:4], 4); !ok || s[0] == '0' {
		return false
	}
	a, b := upper(s[len(s)-2]), upper(s[len(s)-1])
	if !isUpper(a) || !isUpper(b) {
		return false
	}
	return !(a == 'S' && (b == 'A' || b == 'D' || b == 'S'))
}

// PostalCA reports whether s is a Canadian postal code, "A1A 1A1" with an
// optional single space or dash in the middle, following Canada Post's
// letter rules: no D, F, I, O, Q or U anywhere, and the first letter (the
// province) not W or Z. Letters may be of either case.
func PostalCA(s string) bool {
	var b [6]byte
	switch len(s) {
	case 6:
		copy(b[:], s)
	case 7:
		if s[3] != ' ' && s[3] != '-' {
			return false
		}
		copy(b[:3], s[:3])
		copy(b[3:], s[4:])
	default:
		return false
	}
	for i, c := range b {
		if i%2 == 1 {
			if !isDigit(c) {
				return false
			}
			continue
		}
		c = upper(c)
		switch {
		case !isUpper(c):
			return false
		case c == 'D', c == 'F', c == 'I', c == 'O', c == 'Q', c == 'U':
			return false
		case i == 0 && (c == 'W' || c == 'Z'):
			return false
		}
	}
	return true
}

// PostalUK reports whether s is a UK postcode. The outward code is a
// postcode area (one of Royal Mail's 124 areas, Crown Dependencies included,
// or BF for BFPO and BX for non-geographic codes) followed by a district in
// the format the area allows (A9, A99, A9A for the one-letter areas; AA9,
// AA99, AA9A for the others) with Royal Mail's rules for a trailing district
// letter; the inward code is a digit and two letters other than C, I, K, M,
// O and V. The single space between them is optional and letters may be of
// either case. The special codes GIR 0AA (Girobank) and the 1ZZ codes of
// British Overseas Territories (ASCN, BBND, BIQQ, FIQQ, PCRN, SIQQ, STHL,
// TDCU, TKCA) are accepted too.
func PostalUK(s string) bool {
	var b [7]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			// Only one space, right before the three-character inward code.
			if i != len(s)-4 || i == 0 {
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
	if n < 5 {
		return false
	}
	out, in := b[:n-3], b[n-3:n]
	if !isDigit(in[0]) || !isUpper(in[1]) || !isUpper(in[2]) {
		return false
	}
	switch string(out) {
	case "GIR":
		return string(in) == "0AA"
	case "ASCN", "BBND", "BIQQ", "FIQQ", "PCRN", "SIQQ", "STHL", "TDCU", "TKCA":
		return string(in) == "1ZZ"
	}
	for _, c := range in[1:] {
		switch c {
		case 'C', 'I', 'K', 'M', 'O', 'V':
			return false
		}
	}
	area := 0
	for area < len(out) && area < 2 && isUpper(out[area]) {
		area++
	}
	if area == 0 || !ukArea(string(out[:area])) {
		return false
	}
	d := out[area:]
	switch {
	case len(d) == 1:
		return isDigit(d[0])
	case len(d) == 2 && isDigit(d[0]) && isDigit(d[1]):
		return true
	case len(d) == 2 && isDigit(d[0]) && isUpper(d[1]):
		if area == 1 {
			return containsByte("ABCDEFGHJKPSTUW", d[1])
		}
		return containsByte("ABEHMNPRVWXY", d[1])
	}
	return false
}

// containsByte reports whether c occurs in set.
func containsByte(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

// ukArea reports whether a is a UK postcode area (Royal Mail's list).
func ukArea(a string) bool {
	switch a {
	case "B", "E", "G", "L", "M", "N", "S", "W",
		"AB", "AL", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX",
		"CA", "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW",
		"DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY",
		"EC", "EH", "EN", "EX", "FK", "FY", "GL", "GU", "GY",
		"HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE",
		"KA", "KT", "KW", "KY", "LA", "LD", "LE", "LL", "LN", "LS", "LU",
		"ME", "MK", "ML", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX",
		"PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM",
		"SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY",
		"TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB",
		"WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE":
		return true
	}
	return false
}
