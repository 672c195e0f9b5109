package validate

import (
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
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
//     Public Suffix List (data/icann_tlds.txt, drawn from
//     golang.org/x/net/publicsuffix), punycode TLDs such as xn--p1ai
//     included, so example.notatld, .local and .test fail.
//
// Email does not allocate, except to convert a domain written in Unicode
// with characters beyond ASCII letters and the lower-case letters of
// Latin-1 (à–ÿ but ß).
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
		if ok, handled := emailLatinDomain(domain); handled {
			return ok
		}
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

// emailDomain checks an ASCII domain: label syntax, then the TLD. It does
// not allocate.
func emailDomain(d string) bool {
	if len(d) < 4 || len(d) > 253 {
		return false
	}
	labels, start := 0, 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			if !isLetter(c) && !isDigit(c) && c != '-' {
				return false
			}
			continue
		}
		l := d[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		// Only the lower-case ACE prefix marks a punycode label, as in
		// idna, which this check follows.
		if len(l) > 4 && l[:4] == "xn--" && !punycodeOK(l[4:]) {
			return false
		}
		labels++
		start = i + 1
	}
	return labels >= 2 && icannTLD(d[strings.LastIndexByte(d, '.')+1:])
}

// icannTLD reports whether the label tld, in any case, is a top-level
// domain of the ICANN section of the Public Suffix List: listed itself
// (com, xn--p1ai) or only through a wildcard rule (*.ck). Every domain of
// two or more labels under such a TLD is an ICANN domain, private suffixes
// (appspot.com) included. The label is lowered into a stack buffer; the
// map lookup with string(buf) does not allocate.
func icannTLD[T string | []byte](tld T) bool {
	var buf [63]byte
	if len(tld) > len(buf) {
		return false
	}
	for i := 0; i < len(tld); i++ {
		buf[i] = lowerByte(tld[i])
	}
	_, ok := icannTLDs()[string(buf[:len(tld)])]
	return ok
}

// punycodeOK reports whether enc, the ASCII letters, digits and hyphens
// of a label after its "xn--" prefix, decodes as Punycode (RFC 3492) to
// a label that is empty or has a non-ASCII character, as
// idna.Punycode.ToUnicode requires. It runs the decoder
// without building the output: where a code point goes does not change
// whether decoding succeeds, only how many there are.
func punycodeOK(enc string) bool {
	const (
		base, tmin, tmax = 36, 1, 26
		maxOut           = 1024 // the output bound of x/net/idna
	)
	if enc == "" {
		return true // "xn--" alone decodes to the empty label
	}
	pos := strings.LastIndexByte(enc, '-') + 1
	if pos == 1 || pos == len(enc) {
		// A leading delimiter is an error; a trailing one leaves only
		// basic (ASCII) code points, which a punycode label may not be.
		return false
	}
	out := int32(0)
	if pos > 0 {
		out = int32(utf8.RuneCountInString(enc[:pos-1]))
	}
	i, n, bias := int32(0), int32(128), int32(72)
	for pos < len(enc) {
		oldI, w := i, int32(1)
		for k := int32(base); ; k += base {
			if pos == len(enc) {
				return false
			}
			digit, ok := punyDigit(enc[pos])
			if !ok {
				return false
			}
			pos++
			if int64(digit)*int64(w) > math.MaxInt32-int64(i) {
				return false
			}
			i += digit * w
			t := k - bias
			if k <= bias {
				t = tmin
			} else if k >= bias+tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if int64(w)*int64(base-t) > math.MaxInt32 {
				return false
			}
			w *= base - t
		}
		if out >= maxOut {
			return false
		}
		x := out + 1
		bias = punyAdapt(i-oldI, x, oldI == 0)
		n += i / x
		i %= x
		if n < 0 || n > utf8.MaxRune {
			return false
		}
		out++
		i++
	}
	return true
}

// punyDigit is the value of a Punycode digit: a–z (either case) 0–25,
// 0–9 26–35.
func punyDigit(c byte) (int32, bool) {
	switch {
	case isDigit(c):
		return int32(c-'0') + 26, true
	case isUpper(c):
		return int32(c - 'A'), true
	case isLower(c):
		return int32(c - 'a'), true
	}
	return 0, false
}

// punyAdapt is the bias adaptation function of RFC 3492 section 6.1.
func punyAdapt(delta, points int32, first bool) int32 {
	const base, tmin, tmax, damp, skew = 36, 1, 26, 700, 38
	if first {
		delta /= damp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := int32(0)
	for delta > (base-tmin)*tmax/2 {
		delta /= base - tmin
		k += base
	}
	return k + (base-tmin+1)*delta/(delta+skew)
}

// emailLatinDomain checks, without allocating, a domain that idna.Lookup
// would leave as it is but for ASCII case and Punycode: labels of ASCII
// letters, digits and inner hyphens and the lower-case Latin-1 letters
// à–ÿ (not ÷, not ß, which IDNA 2008 treats apart), none empty and none
// with hyphens in the third and fourth places (xn--). It encodes the
// labels with non-ASCII letters in stack buffers and applies the checks
// of emailDomain to the result. handled is false for any other domain,
// which the caller hands to idna.
func emailLatinDomain(d string) (ok, handled bool) {
	var (
		enc             [63]byte
		n, labels, last int
	)
	for start := 0; start <= len(d); {
		end := strings.IndexByte(d[start:], '.')
		if end < 0 {
			end = len(d)
		} else {
			end += start
		}
		l := d[start:end]
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' || len(l) >= 4 && l[2] == '-' && l[3] == '-' {
			return false, false
		}
		size, latin := len(l), false
		for _, r := range l {
			switch {
			case r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r)) || r == '-'):
			case r >= 0xe0 && r <= 0xff && r != 0xf7:
				latin = true
			default:
				return false, false
			}
		}
		if latin {
			var k bool
			if size, k = punyEncode(&enc, l); !k {
				return false, true // longer than a label may be
			}
		}
		if size > 63 {
			return false, true
		}
		n += size + 1
		labels++
		last = start
		start = end + 1
	}
	n-- // no dot after the last label
	if labels < 2 || n < 4 || n > 253 {
		return false, true
	}
	// enc holds the last label's Punycode if it had non-ASCII letters.
	tld := d[last:]
	for i := 0; i < len(tld); i++ {
		if tld[i] >= utf8.RuneSelf {
			size, _ := punyEncode(&enc, tld)
			return icannTLD(enc[:size]), true
		}
	}
	return icannTLD(tld), true
}

// punyEncode writes the ACE form of label, "xn--" and its Punycode
// (RFC 3492 section 6.3, ASCII letters lowered), to dst and returns its
// length; ok is false when it does not fit.
func punyEncode(dst *[63]byte, label string) (size int, ok bool) {
	const base, tmin, tmax = 36, 1, 26
	var runes [63]rune
	nr := 0
	for _, r := range label {
		if nr == len(runes) {
			return 0, false
		}
		if r < utf8.RuneSelf {
			r = rune(lowerByte(byte(r)))
		}
		runes[nr] = r
		nr++
	}
	out := copy(dst[:], "xn--")
	put := func(c byte) bool {
		if out == len(dst) {
			return false
		}
		dst[out] = c
		out++
		return true
	}
	b := 0
	for _, r := range runes[:nr] {
		if r < utf8.RuneSelf {
			if !put(byte(r)) {
				return 0, false
			}
			b++
		}
	}
	if b > 0 && !put('-') {
		return 0, false
	}
	n, delta, bias := rune(128), int32(0), int32(72)
	for h := b; h < nr; {
		m := rune(utf8.MaxRune + 1)
		for _, r := range runes[:nr] {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int32(m-n) * int32(h+1)
		n = m
		for _, r := range runes[:nr] {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := int32(base); ; k += base {
				t := k - bias
				if k <= bias {
					t = tmin
				} else if k >= bias+tmax {
					t = tmax
				}
				if q < t {
					break
				}
				if !put(punyDigitByte(t + (q-t)%(base-t))) {
					return 0, false
				}
				q = (q - t) / (base - t)
			}
			if !put(punyDigitByte(q)) {
				return 0, false
			}
			bias = punyAdapt(delta, int32(h+1), h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return out, true
}

// punyDigitByte is the Punycode digit of value d: 0–25 a–z, 26–35 0–9.
func punyDigitByte(d int32) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}
