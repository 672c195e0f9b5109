package validate

// ibanLengths holds the IBAN length of every country in the ISO 13616 IBAN
// registry (SWIFT, release of 2025), keyed by the two-letter country code
// packed as a 16-bit value (first letter high byte). Dependent territories
// that use a parent's code (French overseas departments use FR, the Åland
// Islands use FI, Jersey/Guernsey/Isle of Man use GB) need no entry.
var ibanLengths = map[uint16]uint8{
	cc("AD"): 24, cc("AE"): 23, cc("AL"): 28, cc("AT"): 20, cc("AZ"): 28,
	cc("BA"): 20, cc("BE"): 16, cc("BG"): 22, cc("BH"): 22, cc("BI"): 27,
	cc("BR"): 29, cc("BY"): 28, cc("CH"): 21, cc("CR"): 22, cc("CY"): 28,
	cc("CZ"): 24, cc("DE"): 22, cc("DJ"): 27, cc("DK"): 18, cc("DO"): 28,
	cc("EE"): 20, cc("EG"): 29, cc("ES"): 24, cc("FI"): 18, cc("FK"): 18,
	cc("FO"): 18, cc("FR"): 27, cc("GB"): 22, cc("GE"): 22, cc("GI"): 23,
	cc("GL"): 18, cc("GR"): 27, cc("GT"): 28, cc("HN"): 28, cc("HR"): 21,
	cc("HU"): 28, cc("IE"): 22, cc("IL"): 23, cc("IQ"): 23, cc("IS"): 26,
	cc("IT"): 27, cc("JO"): 30, cc("KW"): 30, cc("KZ"): 20, cc("LB"): 28,
	cc("LC"): 32, cc("LI"): 21, cc("LT"): 20, cc("LU"): 20, cc("LV"): 21,
	cc("LY"): 25, cc("MC"): 27, cc("MD"): 24, cc("ME"): 22, cc("MK"): 19,
	cc("MN"): 20, cc("MR"): 27, cc("MT"): 31, cc("MU"): 30, cc("NI"): 28,
	cc("NL"): 18, cc("NO"): 15, cc("OM"): 23, cc("PK"): 24, cc("PL"): 28,
	cc("PS"): 29, cc("PT"): 25, cc("QA"): 29, cc("RO"): 24, cc("RS"): 22,
	cc("RU"): 33, cc("SA"): 24, cc("SC"): 31, cc("SD"): 18, cc("SE"): 24,
	cc("SI"): 19, cc("SK"): 24, cc("SM"): 27, cc("SO"): 23, cc("ST"): 25,
	cc("SV"): 28, cc("TL"): 23, cc("TN"): 24, cc("TR"): 26, cc("UA"): 29,
	cc("VA"): 22, cc("VG"): 24, cc("XK"): 20, cc("YE"): 30,
}

// cc packs a two-letter country code into the key ibanLengths uses.
func cc(code string) uint16 { return uint16(code[0])<<8 | uint16(code[1]) }

// IBANLength returns the IBAN length the ISO 13616 registry gives for the
// upper-case two-letter country code, or 0 when the country has no IBAN.
func IBANLength(country string) int {
	if len(country) != 2 {
		return 0
	}
	return int(ibanLengths[cc(country)])
}

// maxIBAN is the longest IBAN in the registry (Russia, 33 characters).
const maxIBAN = 34

// IBAN reports whether s is a valid International Bank Account Number: a
// country code from the ISO 13616 registry, two check digits in 02–98, a
// total length equal to that country's IBAN length, an alphanumeric BBAN,
// and the ISO 7064 MOD 97-10 check (the number read with letters as 10–35
// and the first four characters moved to the end is 1 mod 97). Letters may
// be of either case; single spaces or dashes may group the characters (as
// in "GB82 WEST 1234 5698 7654 32").
func IBAN(s string) bool {
	var buf [maxIBAN]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '-' {
			// A separator must sit between two characters, alone.
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' || s[i-1] == '-' {
				return false
			}
			continue
		}
		c = upper(c)
		if !isDigit(c) && !isUpper(c) {
			return false
		}
		if n == len(buf) {
			return false
		}
		buf[n] = c
		n++
	}
	if n < 4 || !isUpper(buf[0]) || !isUpper(buf[1]) || !isDigit(buf[2]) || !isDigit(buf[3]) {
		return false
	}
	if int(ibanLengths[uint16(buf[0])<<8|uint16(buf[1])]) != n {
		return false
	}
	// Check digits 00, 01 and 99 cannot come out of the MOD 97-10
	// computation (98 - x mod 97 lies in 1..98, and 1 is written 98).
	if check := (buf[2]-'0')*10 + buf[3] - '0'; check < 2 || check > 98 {
		return false
	}
	rem := 0
	for i := 4; i < n+4; i++ {
		c := buf[i%n]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return rem == 1
}
