package validate

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Email reports whether s is a plausible e-mail address as people write
// it: local@domain where
//
//   - the local part is a dot-atom of 1–64 bytes: ASCII letters, digits,
//     the RFC 5322 atext symbols !#$%&'*+/=?^_`{|}~- (so plus tags pass) or
//     UTF-8 characters (RFC 6531), with dots not first, last or doubled;
//     quoted local parts are not accepted;
//   - the domain has two or more labels of 1–63 letters, digits and inner
//     hyphens, 253 bytes at most; an internationalized domain written in
//     Unicode is converted to its ASCII (punycode) form first, and a
//     punycode label (xn--…) must decode; IP literals ([192.0.2.1]) fail;
//   - the domain ends in a top-level domain of the ICANN section of the
//     Public Suffix List (golang.org/x/net/publicsuffix), punycode TLDs such
//     as xn--p1ai included, so example.notatld, .local and .test fail.
func Email(s string) bool {
	if len(s) < 6 || len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 {
		return false
	}
	if !emailLocal(s[:at]) {
		return false
	}
	domain := s[at+1:]
	ascii := true
	for i := 0; i < len(domain); i++ {
		if domain[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return false
		}
		domain = d
	}
	return emailDomain(domain)
}

// emailLocal checks the local part of an address.
func emailLocal(l string) bool {
	if l[0] == '.' || l[len(l)-1] == '.' || !utf8.ValidString(l) {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c >= utf8.RuneSelf, isLetter(c), isDigit(c):
		case c == '.':
			if l[i-1] == '.' {
				return false
			}
		case strings.IndexByte("!#$%&'*+/=?^_`{|}~-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// emailDomain checks an ASCII domain: label syntax, then the TLD.
func emailDomain(d string) bool {
	if len(d) < 4 || len(d) > 253 {
		return false
	}
	labels, start, hasUpper := 0, 0, false
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			hasUpper = hasUpper || isUpper(c)
			if !isLetter(c) && !isDigit(c) && c != '-' {
				return false
			}
			continue
		}
		l := d[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if len(l) > 4 && (l[:4] == "xn--" || l[:4] == "XN--" || strings.EqualFold(l[:4], "xn--")) {
			if _, err := idna.Punycode.ToUnicode(l); err != nil {
				return false
			}
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	if hasUpper {
		d = strings.ToLower(d) // the suffix list is lower case
	}
	return icannDomain(d)
}

// icannDomain reports whether the lower-case domain d ends in a TLD of the
// ICANN section of the Public Suffix List. It asks about the whole domain
// first, which covers TLDs listed only through wildcard rules (*.ck), then
// about the last label alone, which covers domains under private suffixes
// (example.appspot.com ends in com).
func icannDomain(d string) bool {
	if _, icann := publicsuffix.PublicSuffix(d); icann {
		return true
	}
	tld := d[strings.LastIndexByte(d, '.')+1:]
	_, icann := publicsuffix.PublicSuffix(tld)
	return icann
}
