package corpus

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file draws the personal values themselves: phone numbers, payment
// cards, IBANs, government ids, network addresses, secrets and wallet
// addresses. Every value is valid by the rules a validator checks (numbering
// plan, Luhn, mod-97, prefix rules, checksums) and random otherwise.

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	base62     = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	hexDigits  = "0123456789abcdef"
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func digits(r *rand.Rand, n int) string { return randString(r, "0123456789", n) }

// nzDigits returns n digits, the first of which is not zero.
func nzDigits(r *rand.Rand, n int) string {
	return string(rune('1'+r.IntN(9))) + digits(r, n-1)
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func uuid4(r *rand.Rand) string {
	b := randBytes(r, 16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ---------------------------------------------------------------- phones

// phone is one telephone number: E.164 digits (without "+") and the form it
// is written in.
type phone struct {
	digits string // E.164 without "+": 33612345678
	text   string
}

var usAreas = []string{"201", "202", "206", "212", "213", "305", "310", "312", "404", "415", "469",
	"480", "503", "512", "602", "615", "617", "646", "650", "702", "713", "718", "720", "773",
	"808", "857", "917", "929", "973"}

// nanpNumber returns the ten digits of a North American number in area.
func nanpNumber(r *rand.Rand, area string) string {
	for {
		ex := nzDigits(r, 3)
		if ex[0] == '1' || ex[1:] == "11" || ex == "555" || ex == "950" || ex == "958" || ex == "959" || ex == "976" {
			continue
		}
		return area + ex + digits(r, 4)
	}
}

// newPhone draws a number in country cc (city c may be nil) and writes it in
// one of the forms people use there. mobile chooses a mobile number where the
// country's numbering plan distinguishes them.
func newPhone(r *rand.Rand, cc string, c *city, mobile bool) phone {
	area := ""
	if c != nil && len(c.areas) > 0 {
		area = pick(r, c.areas)
	}
	switch cc {
	case "US", "CA":
		if area == "" {
			area = pick(r, usAreas)
		}
		n := nanpNumber(r, area)
		a, e, l := n[0:3], n[3:6], n[6:10]
		forms := []string{
			"(" + a + ") " + e + "-" + l, a + "-" + e + "-" + l, a + "." + e + "." + l,
			"+1 " + a + " " + e + " " + l, "+1" + n, "1-" + a + "-" + e + "-" + l,
			"+1 (" + a + ") " + e + "-" + l, "+1-" + a + "-" + e + "-" + l,
		}
		return phone{digits: "1" + n, text: pick(r, forms)}
	case "GB":
		var nsn string
		if mobile || area == "" {
			for {
				nsn = "7" + string("12345789"[r.IntN(8)]) + digits(r, 8)
				if !strings.HasPrefix(nsn, "7700900") {
					break
				}
			}
			nat := "0" + nsn
			forms := []string{nat[:5] + " " + nat[5:], nat, "+44 " + nsn[:4] + " " + nsn[4:], "+44" + nsn,
				"+44 (0)" + nsn[:4] + " " + nsn[4:], "0" + nsn[:4] + " " + nsn[4:7] + " " + nsn[7:]}
			return phone{digits: "44" + nsn, text: pick(r, forms)}
		}
		ac := area[1:]
		var local string
		if ac == "20" || ac == "29" {
			local = string("378"[r.IntN(3)]) + digits(r, 7)
			if ac == "29" {
				local = "20" + digits(r, 6)
			}
			nsn = ac + local
			forms := []string{"0" + ac + " " + local[:4] + " " + local[4:], "+44 " + ac + " " + local[:4] + " " + local[4:], "+44" + nsn}
			return phone{digits: "44" + nsn, text: pick(r, forms)}
		}
		local = string("2345678"[r.IntN(7)]) + digits(r, 6)
		nsn = ac + local
		forms := []string{"0" + ac + " " + local[:3] + " " + local[3:], "+44 " + ac + " " + local[:3] + " " + local[3:], "0" + nsn}
		return phone{digits: "44" + nsn, text: pick(r, forms)}
	case "FR":
		var nsn string
		if mobile || area == "" {
			if r.IntN(3) == 0 {
				nsn = "7" + string("3456789"[r.IntN(7)]) + digits(r, 7)
			} else {
				nsn = "6" + digits(r, 8)
			}
		} else {
			nsn = area[1:] + nzDigits(r, 8)
		}
		nat := "0" + nsn
		pairs := nat[0:2] + " " + nat[2:4] + " " + nat[4:6] + " " + nat[6:8] + " " + nat[8:10]
		forms := []string{pairs, pairs, strings.ReplaceAll(pairs, " ", "."), nat,
			"+33 " + nsn[0:1] + " " + nsn[1:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:9],
			"+33" + nsn, "+33 (0)" + nsn[0:1] + " " + nsn[1:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:9],
			"0033 " + nsn[0:1] + " " + nsn[1:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:9]}
		return phone{digits: "33" + nsn, text: pick(r, forms)}
	case "DE":
		if mobile || area == "" {
			pre := pick(r, []string{"151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179"})
			n := 7
			if pre[1] == '5' || pre == "176" || pre == "177" || pre == "178" || pre == "179" {
				n = 8
			}
			sub := digits(r, n)
			nsn := pre + sub
			forms := []string{"0" + pre + " " + sub, "0" + pre + "/" + sub, "0" + pre + "-" + sub, "0" + nsn,
				"+49 " + pre + " " + sub, "+49" + nsn, "+49 (0)" + pre + " " + sub, "0049 " + pre + " " + sub,
				"+49 " + pre + " " + sub[:3] + " " + sub[3:]}
			return phone{digits: "49" + nsn, text: pick(r, forms)}
		}
		ac := area[1:]
		sub := string("2345678"[r.IntN(7)]) + digits(r, 5+r.IntN(3))
		nsn := ac + sub
		forms := []string{"0" + ac + " " + sub, "(0" + ac + ") " + sub, "0" + ac + "/" + sub, "+49 " + ac + " " + sub, "+49" + nsn}
		return phone{digits: "49" + nsn, text: pick(r, forms)}
	case "NL":
		if mobile || area == "" {
			nsn := "6" + string("12345789"[r.IntN(8)]) + digits(r, 7)
			forms := []string{"06-" + nsn[1:], "06 " + nsn[1:], "06 " + nsn[1:5] + " " + nsn[5:], "+31 6 " + nsn[1:],
				"+31" + nsn, "+31 6 " + nsn[1:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:]}
			return phone{digits: "31" + nsn, text: pick(r, forms)}
		}
		ac := area[1:]
		sub := string("2345678"[r.IntN(7)]) + digits(r, 6)
		nsn := ac + sub
		forms := []string{"0" + ac + " " + sub[:3] + " " + sub[3:], "0" + ac + "-" + sub, "+31 " + ac + " " + sub[:3] + " " + sub[3:]}
		return phone{digits: "31" + nsn, text: pick(r, forms)}
	case "ES":
		var nsn string
		if mobile || area == "" {
			if r.IntN(4) == 0 {
				nsn = "7" + string("1234"[r.IntN(4)]) + digits(r, 7)
			} else {
				nsn = "6" + digits(r, 8)
			}
		} else {
			nsn = area + nzDigits(r, 7)
		}
		forms := []string{nsn[0:3] + " " + nsn[3:6] + " " + nsn[6:9], nsn, "+34 " + nsn[0:3] + " " + nsn[3:6] + " " + nsn[6:9],
			"+34" + nsn, "0034 " + nsn[0:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:9]}
		return phone{digits: "34" + nsn, text: pick(r, forms)}
	case "IT":
		if mobile || area == "" {
			nsn := "3" + string("23456789"[r.IntN(8)]) + digits(r, 8)
			forms := []string{nsn[0:3] + " " + nsn[3:6] + " " + nsn[6:], nsn, "+39 " + nsn[0:3] + " " + nsn[3:6] + " " + nsn[6:],
				"+39 " + nsn, "+39" + nsn, nsn[0:3] + "-" + nsn[3:]}
			return phone{digits: "39" + nsn, text: pick(r, forms)}
		}
		sub := nzDigits(r, 10-len(area)-r.IntN(2)) // Italian landline numbers are 9 or 10 digits with the area code
		nsn := area + sub
		forms := []string{area + " " + sub[:4] + " " + sub[4:], "+39 " + area + " " + sub, "+39" + nsn}
		return phone{digits: "39" + nsn, text: pick(r, forms)}
	}
	return newPhone(r, "US", nil, mobile)
}

// ---------------------------------------------------------------- cards

// luhnDigit returns the check digit that makes payload+digit pass Luhn.
func luhnDigit(payload string) byte {
	sum := 0
	double := true // the check digit will be rightmost, so the payload's last digit is doubled
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// card is a payment card number: its digits and how it is written.
type card struct {
	digits string
	text   string
	brand  string
}

func newCard(r *rand.Rand) card {
	var prefix, brand string
	length := 16
	switch n := r.IntN(100); {
	case n < 40:
		prefix, brand = "4", "visa"
	case n < 62:
		if r.IntN(3) == 0 {
			prefix = strconv.Itoa(2221 + r.IntN(500))
		} else {
			prefix = strconv.Itoa(51 + r.IntN(5))
		}
		brand = "mastercard"
	case n < 77:
		prefix, brand, length = pick(r, []string{"34", "37"}), "amex", 15
	case n < 84:
		prefix, brand = pick(r, []string{"6011", "65", "644", "647", "649"}), "discover"
	case n < 90:
		prefix, brand = strconv.Itoa(3528+r.IntN(62)), "jcb"
	case n < 94:
		prefix, brand, length = pick(r, []string{"36", "300", "301", "305", "38"}), "diners", 14
	case n < 97:
		prefix, brand = "62"+digits(r, 2), "unionpay"
		if r.IntN(2) == 0 {
			length = 19
		}
	default:
		prefix, brand = pick(r, []string{"6759", "5018", "5020", "5038", "6304"}), "maestro"
		if r.IntN(2) == 0 {
			length = 19
		}
	}
	payload := prefix + digits(r, length-1-len(prefix))
	d := payload + string(luhnDigit(payload))
	var groups []int
	switch length {
	case 15:
		groups = []int{4, 6, 5}
	case 14:
		groups = []int{4, 6, 4}
	case 19:
		groups = []int{4, 4, 4, 4, 3}
	default:
		groups = []int{4, 4, 4, 4}
	}
	text := d
	switch r.IntN(5) {
	case 0, 1:
		text = group(d, groups, " ")
	case 2:
		text = group(d, groups, "-")
	}
	return card{digits: d, text: text, brand: brand}
}

func group(s string, sizes []int, sep string) string {
	var b strings.Builder
	i := 0
	for k, n := range sizes {
		if k > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// ---------------------------------------------------------------- IBAN

// mod97 returns the remainder of the decimal number s (digits only) by 97.
func mod97(s string) int {
	m := 0
	for i := 0; i < len(s); i++ {
		m = (m*10 + int(s[i]-'0')) % 97
	}
	return m
}

// ibanNumeric rewrites letters as two-digit numbers (A=10 … Z=35).
func ibanNumeric(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ibanCheck returns the two check digits of an IBAN for country cc and bban.
func ibanCheck(cc, bban string) string {
	return pad(98-mod97(ibanNumeric(bban+cc+"00")), 2)
}

var ibanCountries = []string{"DE", "FR", "GB", "ES", "IT", "NL", "BE", "CH", "AT"}

// newIBAN draws an IBAN for country cc (a random one of ibanCountries when cc
// has no format here). It returns the compact form and the written form.
func newIBAN(r *rand.Rand, cc string) (compact, text string) {
	var bban string
	switch cc {
	case "DE":
		bban = strconv.Itoa(1+r.IntN(8)) + digits(r, 7) + digits(r, 10)
	case "FR":
		bank, branch, acct := digits(r, 5), digits(r, 5), digits(r, 11)
		bban = bank + branch + acct + ribKey(bank, branch, acct)
	case "GB":
		bban = pick(r, []string{"NWBK", "BARC", "LOYD", "HBUK", "MIDL", "MONZ", "SRLG"}) + digits(r, 6) + digits(r, 8)
	case "ES":
		bank, branch, acct := digits(r, 4), digits(r, 4), digits(r, 10)
		bban = bank + branch + esControl(bank, branch, acct) + acct
	case "IT":
		rest := digits(r, 5) + digits(r, 5) + digits(r, 12)
		bban = string(itCIN(rest)) + rest
	case "NL":
		bban = pick(r, []string{"ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB", "BUNQ", "ASNB"}) + digits(r, 10)
	case "BE":
		first := digits(r, 10)
		c := mod97(first)
		if c == 0 {
			c = 97
		}
		bban = first + pad(c, 2)
	case "CH":
		bban = digits(r, 5) + digits(r, 12)
	case "AT":
		bban = digits(r, 5) + digits(r, 11)
	default:
		return newIBAN(r, pick(r, ibanCountries))
	}
	compact = cc + ibanCheck(cc, bban) + bban
	text = compact
	if r.IntN(2) == 0 {
		var b strings.Builder
		for i := 0; i < len(compact); i += 4 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(compact[i:min(i+4, len(compact))])
		}
		text = b.String()
	}
	return compact, text
}

// ribKey computes the French RIB key: 97 - (89·bank + 15·branch + 3·account) mod 97.
func ribKey(bank, branch, acct string) string {
	b, _ := strconv.Atoi(bank)
	g, _ := strconv.Atoi(branch)
	a := mod97(acct)
	return pad(97-((89*b+15*g+3*a)%97), 2)
}

// esControl computes the two Spanish CCC control digits.
func esControl(bank, branch, acct string) string {
	w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	dc := func(s string) int {
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i]-'0') * w[i]
		}
		d := 11 - sum%11
		switch d {
		case 11:
			return 0
		case 10:
			return 1
		}
		return d
	}
	return strconv.Itoa(dc("00"+bank+branch)) + strconv.Itoa(dc(acct))
}

// itCIN computes the Italian CIN letter over ABI + CAB + account.
func itCIN(s string) byte {
	odd := []int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21}
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[i] - '0')
		if i%2 == 0 { // 1-based odd positions
			sum += odd[d]
		} else {
			sum += d
		}
	}
	return byte('A' + sum%26)
}

// ---------------------------------------------------------------- government ids

// newSSN draws a US Social Security Number valid by the area, group and
// serial rules, and writes it with dashes, spaces or nothing.
func newSSN(r *rand.Rand) (digitsOnly, text string) {
	var area int
	for {
		area = 1 + r.IntN(899)
		if area != 666 {
			break
		}
	}
	grp := 1 + r.IntN(99)
	serial := 1 + r.IntN(9999)
	a, g, s := pad(area, 3), pad(grp, 2), pad(serial, 4)
	d := a + g + s
	switch r.IntN(6) {
	case 0:
		return d, a + " " + g + " " + s
	case 1:
		return d, d
	}
	return d, a + "-" + g + "-" + s
}

// newSIN draws a Canadian Social Insurance Number (Luhn-valid, first digit a
// province digit) with spaces, dashes or nothing.
func newSIN(r *rand.Rand) (digitsOnly, text string) {
	payload := strconv.Itoa(1+r.IntN(7)) + digits(r, 7)
	d := payload + string(luhnDigit(payload))
	switch r.IntN(4) {
	case 0:
		return d, d[0:3] + "-" + d[3:6] + "-" + d[6:9]
	case 1:
		return d, d
	}
	return d, d[0:3] + " " + d[3:6] + " " + d[6:9]
}

// newNINO draws a UK National Insurance number with a valid prefix.
func newNINO(r *rand.Rand) (compact, text string) {
	const first = "ABCEGHJKLMNOPRSTWXYZ"
	const second = "ABCEGHJKLMNPRSTWXYZ"
	var pre string
	for {
		pre = string(first[r.IntN(len(first))]) + string(second[r.IntN(len(second))])
		switch pre {
		case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
			continue
		}
		break
	}
	num := digits(r, 6)
	suf := string("ABCD"[r.IntN(4)])
	compact = pre + num + suf
	if r.IntN(2) == 0 {
		return compact, pre + " " + num[0:2] + " " + num[2:4] + " " + num[4:6] + " " + suf
	}
	return compact, compact
}

// ---------------------------------------------------------------- network

func newMAC(r *rand.Rand) string {
	b := randBytes(r, 6)
	b[0] &^= 0x01 // unicast
	if r.IntN(3) == 0 {
		b[0] |= 0x02 // locally administered (randomised Wi-Fi MAC)
	}
	h := hex.EncodeToString(b)
	switch r.IntN(5) {
	case 0:
		return strings.ToUpper(join2(h, ":"))
	case 1:
		return strings.ToUpper(join2(h, "-"))
	case 2:
		return h[0:4] + "." + h[4:8] + "." + h[8:12]
	}
	return join2(h, ":")
}

func join2(h, sep string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// publicIPv4 draws an address outside the private, loopback, link-local,
// shared, documentation, benchmarking and multicast ranges.
func publicIPv4(r *rand.Rand) string {
	for {
		a, b := 1+r.IntN(223), r.IntN(256)
		switch {
		case a == 10, a == 127, a == 0:
			continue
		case a == 169 && b == 254, a == 172 && b >= 16 && b < 32, a == 192 && b == 168:
			continue
		case a == 100 && b >= 64 && b < 128, a == 198 && (b == 18 || b == 19):
			continue
		case a == 192 && b == 0, a == 198 && b == 51, a == 203 && b == 0:
			continue
		}
		return strconv.Itoa(a) + "." + strconv.Itoa(b) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
	}
}

func privateIPv4(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return "10." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
	case 1:
		return "172." + strconv.Itoa(16+r.IntN(16)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
	}
	return "192.168." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
}

// ISP prefixes (first two groups) of a few real IPv6 allocations.
var v6Prefixes = [][2]uint16{
	{0x2a01, 0x0cb0}, {0x2001, 0x0861}, {0x2a02, 0x8108}, {0x2600, 0x1700}, {0x2a00, 0x23c5},
	{0x2003, 0x00e5}, {0x2605, 0xa601}, {0x2a02, 0xa45e}, {0x2001, 0x1c00}, {0x2a01, 0x0e0a},
	{0x2607, 0xfb90}, {0x2409, 0x8a28},
}

// publicIPv6 draws a global unicast address and writes it in its canonical
// compressed form (RFC 5952), sometimes upper-case or uncompressed.
func publicIPv6(r *rand.Rand) string {
	var g [8]uint16
	p := pick(r, v6Prefixes)
	g[0], g[1] = p[0], p[1]|uint16(r.IntN(16))
	g[2], g[3] = uint16(r.UintN(65536)), uint16(r.UintN(65536))
	switch r.IntN(4) {
	case 0: // SLAAC EUI-64 style
		for i := 4; i < 8; i++ {
			g[i] = uint16(r.UintN(65536))
		}
		g[5] = g[5]&0xff00 | 0x00ff
		g[6] = 0xfe00 | g[6]&0x00ff
	case 1: // server-style short interface id
		g[7] = uint16(1 + r.IntN(255))
	case 2:
		g[3] = 0
		for i := 4; i < 8; i++ {
			g[i] = uint16(r.UintN(65536))
		}
	default:
		for i := 4; i < 8; i++ {
			g[i] = uint16(r.UintN(65536))
		}
	}
	s := formatIPv6(g)
	switch r.IntN(10) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		parts := make([]string, 8)
		for i, v := range g {
			parts[i] = strconv.FormatUint(uint64(v), 16)
		}
		return strings.Join(parts, ":")
	}
	return s
}

func formatIPv6(g [8]uint16) string {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			b.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && i != best+bestLen {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(g[i]), 16))
	}
	return b.String()
}

// linkLocalIPv6 draws an fe80:: address with a zone id.
func linkLocalIPv6(r *rand.Rand) string {
	var g [8]uint16
	g[0] = 0xfe80
	for i := 4; i < 8; i++ {
		g[i] = uint16(r.UintN(65536))
	}
	return formatIPv6(g) + "%" + pick(r, []string{"en0", "eth0", "wlan0", "12"})
}

// ---------------------------------------------------------------- secrets

var passwordWords = []string{"Sunshine", "Dragon", "Monkey", "Football", "Princess", "Shadow",
	"Soleil", "Chocolat", "Schatz", "Fussball", "Sommer", "Zomer", "Tulp", "Mariposa", "Amore",
	"Winter", "Rainbow", "Coffee", "Tiger", "Galaxy", "Blauwal", "Papillon"}

var passphraseWords = []string{"correct", "horse", "battery", "staple", "orange", "violet",
	"river", "tundra", "pixel", "falcon", "granite", "velvet", "cactus", "meteor", "harbor", "quartz"}

func newPassword(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return pick(r, passwordWords) + strconv.Itoa(1970+r.IntN(56)) + pick(r, []string{"!", "?", "#", "$", "*", ""})
	case 1:
		return strings.Join([]string{pick(r, passphraseWords), pick(r, passphraseWords), pick(r, passphraseWords), pick(r, passphraseWords)}, pick(r, []string{"-", "_", "."}))
	case 2:
		w := pick(r, passwordWords)
		w = strings.NewReplacer("a", "@", "o", "0", "e", "3", "i", "1", "s", "$").Replace(w)
		return w + digits(r, 2) + "!"
	}
	return randString(r, base62+"!#$%&*+-=?@^_", 12+r.IntN(8))
}

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func newPasswordHash(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		salt := base64.RawStdEncoding.EncodeToString(randBytes(r, 16))
		sum := base64.RawStdEncoding.EncodeToString(randBytes(r, 32))
		return "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + sum
	}
	return "$2b$" + pick(r, []string{"10", "12"}) + "$" + randString(r, bcryptAlphabet, 53)
}

// newAPIKey draws a key in the shape of a well-known provider's (the prefixes
// are public documentation; the bodies are random).
func newAPIKey(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return "sk_live_" + randString(r, base62, 24)
	case 1:
		return "ghp_" + randString(r, base62, 36)
	case 2:
		return "AKIA" + randString(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	case 3:
		return "xoxb-" + nzDigits(r, 11) + "-" + nzDigits(r, 13) + "-" + randString(r, base62, 24)
	case 4:
		return "AIza" + randString(r, base62+"-_", 35)
	case 5:
		return "glpat-" + randString(r, base62+"-_", 20)
	case 6:
		return "cbk_live_" + randString(r, hexDigits, 40)
	}
	return "sk-proj-" + randString(r, base62+"-_", 48)
}

var jwtHeaders = []string{
	base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)),
	base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k1","typ":"JWT"}`)),
}

// newJWT builds a signed-looking JSON Web Token whose payload names the
// subject by email (as many identity providers do).
func newJWT(r *rand.Rand, sub, email string, at time.Time) string {
	iat := at.Unix() - int64(r.IntN(3000))
	payload := `{"sub":"` + sub + `","email":"` + email + `","iat":` + strconv.FormatInt(iat, 10) +
		`,"exp":` + strconv.FormatInt(iat+3600, 10) + `,"scope":"bots:read bots:write"}`
	sigLen := 32
	if r.IntN(2) == 0 {
		sigLen = 256
	}
	return pick(r, jwtHeaders) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(randBytes(r, sigLen))
}

// newPrivateKey returns a PEM block of random bytes shaped like an OpenSSH
// private key (it is not a usable key).
func newPrivateKey(r *rand.Rand) string {
	body := base64.StdEncoding.EncodeToString(append([]byte("openssh-key-v1\x00"), randBytes(r, 180)...))
	var b strings.Builder
	b.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----\n")
	for i := 0; i < len(body); i += 70 {
		b.WriteString(body[i:min(i+70, len(body))])
		b.WriteByte('\n')
	}
	b.WriteString("-----END OPENSSH PRIVATE KEY-----")
	return b.String()
}

// ---------------------------------------------------------------- crypto wallets

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58Check(version byte, payload []byte) string {
	data := append([]byte{version}, payload...)
	h1 := sha256.Sum256(data)
	h2 := sha256.Sum256(h1[:])
	data = append(data, h2[:4]...)
	n := new(big.Int).SetBytes(data)
	mod := new(big.Int)
	base := big.NewInt(58)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, c := range data {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

func bech32HRPExpand(hrp string) []byte {
	out := make([]byte, 0, len(hrp)*2+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// segwitV0 encodes a version-0 witness program as a bech32 address.
func segwitV0(hrp string, program []byte) string {
	data := []byte{0}
	acc, bits := 0, 0
	for _, b := range program {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			data = append(data, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		data = append(data, byte(acc<<(5-bits)&31))
	}
	values := append(bech32HRPExpand(hrp), data...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(values) ^ 1
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, d := range data {
		b.WriteByte(bech32Charset[d])
	}
	for i := 0; i < 6; i++ {
		b.WriteByte(bech32Charset[(mod>>(5*(5-i)))&31])
	}
	return b.String()
}

// newWallet draws a Bitcoin address: legacy P2PKH, P2SH or native segwit.
func newWallet(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return base58Check(0x00, randBytes(r, 20))
	case 1:
		return base58Check(0x05, randBytes(r, 20))
	}
	return segwitV0("bc", randBytes(r, 20))
}

// ---------------------------------------------------------------- email

var translit = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ä': "ae", 'ã': "a", 'å': "a", 'ç': "c", 'è': "e", 'é': "e",
	'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ı': "i", 'ñ': "n", 'ò': "o",
	'ó': "o", 'ô': "o", 'ö': "oe", 'õ': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "ue",
	'ß': "ss", 'œ': "oe", 'æ': "ae",
}

// asciiFold lower-cases s and spells its letters in ASCII the way people do
// in email addresses ("Müller" → "mueller", "Hélène" → "helene"); spaces
// and apostrophes go away.
func asciiFold(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if t, ok := translit[c]; ok {
			b.WriteString(t)
			continue
		}
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			b.WriteRune(c)
		}
	}
	return b.String()
}

var freeMail = map[string][]string{
	"en": {"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.co.uk", "btinternet.com", "proton.me", "aol.com"},
	"fr": {"gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr", "wanadoo.fr"},
	"de": {"gmail.com", "web.de", "gmx.de", "gmx.net", "t-online.de", "posteo.de", "outlook.de"},
	"nl": {"gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "xs4all.nl", "outlook.com"},
	"es": {"gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"},
	"it": {"gmail.com", "libero.it", "virgilio.it", "alice.it", "tiscali.it"},
}

var workDomains = []string{"northwind.com", "globex-logistics.com", "initech.io", "blueharbor.co.uk",
	"atelier-lumiere.fr", "stadtwerke-nordhafen.de", "polderwerk.nl", "tecnologiassol.es",
	"ferramenta-alpina.it", "kiwicloud.co.nz", "oceanic-air.com", "piedpiper.dev"}

var workSubdomains = []string{"mail", "eu", "corp", "fr", "de", "uk", "staff"}

// Unicode domain labels for internationalised addresses.
var idnLabels = []string{"müller-bau", "bäckerei-schön", "café-lumière", "señor-viajes",
	"zürich-design", "ålesund-fisk", "crème-brûlée", "grüne-wiese", "façade-studio", "lödige"}

var idnTLDs = []string{"de", "fr", "es", "ch", "com", "eu"}

var plusTags = []string{"newsletter", "shop", "spam", "2025", "work", "bots", "signup", "promo"}

// newEmail builds an address for a person in one of the forms people use.
func newEmail(r *rand.Rand, first, last, lang string, birthYear int) string {
	f, l := asciiFold(first), asciiFold(last)
	if f == "" {
		f = "user"
	}
	if l == "" {
		l = "x"
	}
	free := pick(r, freeMail[lang])
	var local, domain string
	switch n := r.IntN(100); {
	case n < 40:
		local, domain = f+"."+l, free
	case n < 48:
		local, domain = f+l, free
	case n < 54:
		local, domain = f[:1]+l, free
	case n < 60:
		local, domain = f+"_"+l+strconv.Itoa(birthYear%100), free
	case n < 64:
		local, domain = l+"."+f, free
	case n < 70:
		local, domain = f+"."+l+strconv.Itoa(1+r.IntN(99)), free
	case n < 80:
		local, domain = f+"."+l+"+"+pick(r, plusTags), "gmail.com"
	case n < 88:
		local, domain = pick(r, []string{f + "." + l, f[:1] + "." + l, f}), pick(r, workDomains)
	case n < 93:
		local, domain = f+"."+l, pick(r, workSubdomains)+"."+pick(r, workDomains)
	default:
		label := pick(r, idnLabels)
		local = pick(r, []string{f, f + "." + l, l})
		if r.IntN(10) < 7 {
			domain = "xn--" + punycode(label) + "." + pick(r, idnTLDs)
		} else {
			domain = label + "." + pick(r, idnTLDs)
		}
	}
	e := local + "@" + domain
	if r.IntN(20) == 0 {
		e = capitalizeEmail(e)
	}
	return e
}

func capitalizeEmail(e string) string {
	var b strings.Builder
	up := true
	for _, c := range e {
		if up && c >= 'a' && c <= 'z' {
			b.WriteRune(c - 32)
		} else {
			b.WriteRune(c)
		}
		up = c == '.' || c == '@'
	}
	return b.String()
}

// punycode encodes one domain label by RFC 3492 (Bootstring with the
// Punycode parameters). The caller adds the "xn--" prefix.
func punycode(label string) string {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	input := []rune(label)
	var out []byte
	for _, c := range input {
		if c < 0x80 {
			out = append(out, byte(c))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numPoints int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	n, delta, bias := initialN, 0, initialBias
	for h < len(input) {
		m := int(utf8.MaxRune)
		for _, c := range input {
			if int(c) >= n && int(c) < m {
				m = int(c)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, c := range input {
			if int(c) < n {
				delta++
			}
			if int(c) == n {
				q := delta
				for k := base; ; k += base {
					t := k - bias
					if t < tmin {
						t = tmin
					} else if t > tmax {
						t = tmax
					}
					if q < t {
						break
					}
					out = append(out, digit(t+(q-t)%(base-t)))
					q = (q - t) / (base - t)
				}
				out = append(out, digit(q))
				bias = adapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out)
}

// ---------------------------------------------------------------- dates of birth

var monthNames = map[string][]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
}

// fieldDate writes a date as a form field holds it in country cc.
func fieldDate(r *rand.Rand, d time.Time, cc string) string {
	if r.IntN(3) == 0 {
		return d.Format("2006-01-02")
	}
	switch cc {
	case "US":
		return d.Format("01/02/2006")
	case "DE":
		return d.Format("02.01.2006")
	case "NL":
		return d.Format("02-01-2006")
	}
	return d.Format("02/01/2006")
}

// proseDate writes a date as people write it in a sentence in language lang.
func proseDate(r *rand.Rand, d time.Time, lang, cc string) string {
	m := monthNames[lang][d.Month()-1]
	day, year := strconv.Itoa(d.Day()), strconv.Itoa(d.Year())
	if r.IntN(2) == 0 {
		return fieldDate(r, d, cc)
	}
	switch lang {
	case "en":
		if cc == "US" || r.IntN(2) == 0 {
			return m + " " + day + ", " + year
		}
		return day + " " + m + " " + year
	case "de":
		return day + ". " + m + " " + year
	case "es":
		return day + " de " + m + " de " + year
	}
	return day + " " + m + " " + year
}
