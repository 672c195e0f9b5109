package validate

// Luhn reports whether s passes the Luhn (mod 10) check. s must be made of
// at least two digits, optionally separated by spaces or dashes; any other
// byte, or a separator at either end, fails.
func Luhn(s string) bool {
	if s == "" || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return false
	}
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c == ' ' || c == '-' {
			continue
		}
		if !isDigit(c) {
			return false
		}
		v := int(c - '0')
		if n%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		n++
	}
	return n >= 2 && sum%10 == 0
}

// cardRange is one issuer identification number (IIN) range of a card
// network: the first digits of the card number, read as a number of
// len(lo) digits, lie in [lo, hi], and the card number's length is one of
// the bits set in lengths.
type cardRange struct {
	digits  int    // how many leading digits lo and hi cover
	lo, hi  uint32 // inclusive range of those leading digits
	lengths uint32 // bit n set: a card number of n digits is issued
}

// Length sets for cardRange.lengths.
const (
	len13to19 uint32 = 0xFE000 // bits 13..19
	len14to19 uint32 = 0xFC000
	len16to19 uint32 = 0xF0000
	len15     uint32 = 1 << 15
	len16     uint32 = 1 << 16
	lenVisa   uint32 = 1<<13 | 1<<16 | 1<<19
)

// cardRanges lists the IIN ranges CreditCard accepts. Overlapping ranges
// are fine: a number is accepted when any range holds it. Sources: the
// networks' published IIN tables as collected in ISO/IEC 7812 registers.
var cardRanges = [...]cardRange{
	{1, 4, 4, lenVisa},             // Visa
	{2, 51, 55, len16},             // Mastercard
	{4, 2221, 2720, len16},         // Mastercard 2-series
	{2, 34, 34, len15},             // American Express
	{2, 37, 37, len15},             // American Express
	{4, 6011, 6011, len16to19},     // Discover
	{3, 644, 649, len16to19},       // Discover
	{2, 65, 65, len16to19},         // Discover, RuPay, Troy
	{3, 300, 305, len14to19},       // Diners Club (Carte Blanche)
	{4, 3095, 3095, len14to19},     // Diners Club International
	{2, 36, 36, len14to19},         // Diners Club International
	{2, 38, 39, len14to19},         // Diners Club International
	{4, 3528, 3589, len16to19},     // JCB
	{2, 62, 62, len16to19},         // UnionPay (incl. Discover co-brand 622126–622925)
	{2, 81, 82, len16},             // UnionPay 81, RuPay 81/82
	{2, 50, 50, len13to19},         // Maestro
	{2, 56, 69, len13to19},         // Maestro and other debit (incl. RuPay 60, InterPayment 636)
	{4, 2200, 2204, len16to19},     // Mir
	{4, 9792, 9792, len16},         // Troy
	{6, 506099, 506198, len16to19}, // Verve
	{6, 650002, 650027, len16to19}, // Verve
	{1, 1, 1, len15},               // UATP (airline cards)
}

// CreditCard reports whether s is a plausible payment card number: 13 to
// 19 digits (spaces or dashes allowed between them), a valid Luhn check
// digit, a length the card's network issues, and a leading IIN of a known
// network (Visa, Mastercard, American Express, Discover, Diners Club, JCB,
// UnionPay, Maestro, Mir, RuPay, Troy, Verve, UATP). Numbers made of one
// repeated digit are rejected.
func CreditCard(s string) bool {
	var buf [19]byte
	n, ok := collectDigits(buf[:], s, " -")
	if !ok || n < 13 {
		return false
	}
	d := buf[:n]
	if allSame(d) || !luhnOK(d) {
		return false
	}
	for _, r := range cardRanges {
		if r.lengths&(1<<uint(n)) == 0 {
			continue
		}
		var p uint32
		for _, v := range d[:r.digits] {
			p = p*10 + uint32(v)
		}
		if r.lo <= p && p <= r.hi {
			return true
		}
	}
	return false
}

// CASIN reports whether s is a plausible Canadian Social Insurance Number:
// nine digits, either unseparated or grouped 3-3-3 with one kind of
// separator (spaces, dashes or dots), a first digit other than 0 (unassigned) or
// 8 (business numbers), and a valid Luhn check digit.
func CASIN(s string) bool {
	var d [9]byte
	if !groupedDigits(d[:], s, 3, 3, 3) {
		return false
	}
	return d[0] != 0 && d[0] != 8 && luhnOK(d[:])
}

// groupedDigits fills dst with the digits of s, which must be either
// len(dst) digits with no separator, or the digit groups of the given sizes
// joined by a single separator byte (space, dash or dot) that is the same
// everywhere.
func groupedDigits(dst []byte, s string, groups ...int) bool {
	total := 0
	for _, g := range groups {
		total += g
	}
	if total != len(dst) {
		return false
	}
	switch len(s) {
	case total:
		for i := 0; i < total; i++ {
			if !isDigit(s[i]) {
				return false
			}
			dst[i] = s[i] - '0'
		}
		return true
	case total + len(groups) - 1:
	default:
		return false
	}
	var sep byte
	i, n := 0, 0
	for gi, g := range groups {
		if gi > 0 {
			c := s[i]
			if c != ' ' && c != '-' && c != '.' {
				return false
			}
			if gi == 1 {
				sep = c
			} else if c != sep {
				return false
			}
			i++
		}
		for k := 0; k < g; k++ {
			if !isDigit(s[i]) {
				return false
			}
			dst[n] = s[i] - '0'
			n++
			i++
		}
	}
	return true
}
