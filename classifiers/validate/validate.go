package validate

import (
	"slices"
)

// Func reports whether a candidate match is a plausible instance of its
// entity. It receives the matched text as people wrote it (with the
// separators the entity allows) and must not panic on any input.
type Func func(s string) bool

// registry maps every validator name that rules may use to its function.
// It is a map literal: building it has no side effects beyond the
// allocation the runtime does for any package-level map.
var registry = map[string]Func{
	"luhn":            Luhn,
	"credit_card":     CreditCard,
	"iban":            IBAN,
	"us_ssn":          USSSN,
	"ca_sin":          CASIN,
	"uk_nino":         UKNINO,
	"ip":              IP,
	"ipv4":            IPv4,
	"ipv6":            IPv6,
	"phone":           Phone,
	"phone_possible":  PhonePossible,
	"postal":          Postal,
	"postal_us":       PostalUS,
	"postal_ca":       PostalCA,
	"postal_uk":       PostalUK,
	"postal_de":       PostalDE,
	"postal_fr":       PostalFR,
	"postal_nl":       PostalNL,
	"postal_ch":       PostalCH,
	"postal_at":       PostalAT,
	"postal_be":       PostalBE,
	"postal_dk":       PostalDK,
	"base58check":     Base58Check,
	"bech32":          Bech32,
	"crypto":          Crypto,
	"btc_address":     BitcoinAddress,
	"eth_address":     EthereumAddress,
	"jwt":             JWT,
	"secret":          Secret,
	"email":           Email,
	"mac":             MAC,
	"geo":             GeoCoordinate,
	"date":            Date,
	"date_short_year": DateShortYear,
}

// Lookup returns the validator registered under name, and whether there is
// one. Names are the ones rules write in YAML (`validators: [luhn]`); see
// the package documentation for the list.
func Lookup(name string) (Func, bool) {
	f, ok := registry[name]
	return f, ok
}

// Names returns the names of every registered validator, sorted. The slice
// is the caller's to keep or modify.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// isDigit reports whether c is an ASCII decimal digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isUpper reports whether c is an ASCII upper-case letter.
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// isLower reports whether c is an ASCII lower-case letter.
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return isUpper(c) || isLower(c) }

// isHex reports whether c is an ASCII hexadecimal digit of either case.
func isHex(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') }

// upper maps an ASCII lower-case letter to upper case and leaves every other
// byte alone.
func upper(c byte) byte {
	if isLower(c) {
		return c - 'a' + 'A'
	}
	return c
}

// collectDigits copies the digits of s into dst, skipping the separator
// bytes in seps. It fails when s holds any other byte, starts or ends with a
// separator, or has more digits than dst holds. It returns the digit count.
func collectDigits(dst []byte, s, seps string) (int, bool) {
	if s == "" || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if n == len(dst) {
				return 0, false
			}
			dst[n] = c - '0'
			n++
		case isSep(c, seps):
		default:
			return 0, false
		}
	}
	return n, true
}

// isSep reports whether c is one of the bytes in seps.
func isSep(c byte, seps string) bool {
	for i := 0; i < len(seps); i++ {
		if seps[i] == c {
			return true
		}
	}
	return false
}

// allSame reports whether every element of d equals the first one.
func allSame(d []byte) bool {
	for _, c := range d {
		if c != d[0] {
			return false
		}
	}
	return true
}

// luhnOK runs the Luhn (mod 10) check over digit values (0–9, not ASCII),
// the check digit last.
func luhnOK(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}
