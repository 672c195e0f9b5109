package validate

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The IP and phone validators decide without allocating what net/netip and
// phonenumbers decide; these tests hold them to those libraries over large
// generated sets of candidates.

// ipOracle is IP as it was written over net/netip.
func ipOracle(s string) (v4, v6 bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Is4(), a.Is6()
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return false, false
	}
	return p.Addr().Is4(), p.Addr().Is6()
}

func checkIPOracle(t *testing.T, s string) {
	t.Helper()
	v4, v6 := ipOracle(s)
	if IP(s) != (v4 || v6) || IPv4(s) != v4 || IPv6(s) != v6 {
		t.Errorf("%q: IP/IPv4/IPv6 = %v/%v/%v, net/netip says %v/%v/%v", s, IP(s), IPv4(s), IPv6(s), v4 || v6, v4, v6)
	}
}

// ipCandidates generates strings near the grammar of addresses: valid
// addresses of every form, then each mutated by a character inserted,
// deleted or replaced, and random runs over the address alphabet.
func ipCandidates(rng *rand.Rand, n int) []string {
	const alpha = "0123456789abcdefABCDEF:.%/ zg-+"
	hex := func() string {
		const h = "0123456789abcdefABCDEF"
		k := 1 + rng.IntN(5)
		b := make([]byte, k)
		for i := range b {
			b[i] = h[rng.IntN(len(h))]
		}
		return string(b)
	}
	dec := func() string {
		switch rng.IntN(6) {
		case 0:
			return "0" + string(rune('0'+rng.IntN(10)))
		case 1:
			return string(rune('0' + rng.IntN(10)))
		default:
			return strings.TrimLeft(string(rune('0'+rng.IntN(3)))+string(rune('0'+rng.IntN(10)))+string(rune('0'+rng.IntN(10))), "0")
		}
	}
	quad := func() string {
		k := 3 + rng.IntN(3) - 1
		parts := make([]string, k)
		for i := range parts {
			parts[i] = dec()
			if parts[i] == "" {
				parts[i] = "0"
			}
		}
		return strings.Join(parts, ".")
	}
	v6 := func() string {
		groups := rng.IntN(10)
		var b strings.Builder
		ell := rng.IntN(groups + 2)
		for i := 0; i < groups; i++ {
			if i == ell {
				b.WriteString("::")
			} else if i > 0 {
				b.WriteByte(':')
			}
			b.WriteString(hex())
		}
		if ell == groups {
			b.WriteString("::")
		}
		if rng.IntN(4) == 0 {
			if !strings.HasSuffix(b.String(), ":") {
				b.WriteByte(':')
			}
			b.WriteString(quad())
		}
		if rng.IntN(5) == 0 {
			b.WriteString("%" + []string{"", "eth0", "1", "a/64", "%"}[rng.IntN(5)])
		}
		return b.String()
	}
	var out []string
	for len(out) < n {
		var s string
		switch rng.IntN(5) {
		case 0:
			s = quad()
		case 1, 2:
			s = v6()
		case 3:
			b := make([]byte, 1+rng.IntN(20))
			for i := range b {
				b[i] = alpha[rng.IntN(len(alpha))]
			}
			s = string(b)
		default:
			// Times, as the ip.v6 pattern sees them in timestamps.
			s = []string{":", ""}[rng.IntN(2)] + dec() + ":" + dec() + []string{"", ":" + dec()}[rng.IntN(2)]
		}
		if rng.IntN(3) == 0 {
			s += "/" + []string{"0", "8", "32", "33", "64", "128", "129", "08", "+8", "", "-1", "1000"}[rng.IntN(12)]
		}
		out = append(out, s)
		if len(s) > 0 {
			b := []byte(s)
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[i] = alpha[rng.IntN(len(alpha))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]byte{alpha[rng.IntN(len(alpha))]}, b[i:]...)...)
			}
			out = append(out, string(b))
		}
	}
	return out
}

func TestIPMatchesNetip(t *testing.T) {
	fixed := []string{
		"::", ":::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7",
		"1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2::3", ":1::2", "1::2:", "12345::", "::ffff:1.2.3.4",
		"::ffff:01.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5::1.2.3.4", "::1.2.3.4.5",
		"::1.2.3", "fe80::1%", "fe80::1%eth0", "fe80::1%eth0/64", "fe80::/64", "fe80::%x/64", "1.2.3.4%eth0",
		"%eth0", "1.2.3.4/32", "1.2.3.4/33", "1.2.3.4/08", "::/0", "::/128", "::/129", "1.2.3.4/", "/8",
		"08:04:30", ":04:30", "08:04", "1:2:3:4:5:6:7:8/64", "0.0.0.0", "255.255.255.255", "256.0.0.0",
		"1.2.3.4.", ".1.2.3.4", "1..2.3", "::ffff:1a.2.3.4", "1234.1.2.3", "::12345",
	}
	for _, s := range fixed {
		checkIPOracle(t, s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if raceEnabled {
		n = 20000
	}
	for _, s := range ipCandidates(rng, n) {
		checkIPOracle(t, s)
		if t.Failed() {
			return
		}
	}
}

func FuzzIPMatchesNetip(f *testing.F) {
	for _, s := range []string{"::1", "fe80::1%eth0", "1.2.3.4/8", "::ffff:1.2.3.4", "08:04:30", "2001:db8::/32"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIPOracle(t, s) })
}

// phoneCandidates generates phone-number-like strings: the library's
// example numbers of every region and type in its international, national
// and E.164 forms, and the same with digits changed, dropped or added; and
// random digit runs behind the prefixes people write ('+', "00", '0',
// "011", a calling code), grouped with the separators Phone allows.
func phoneCandidates(rng *rand.Rand, n int) []string {
	var seeds []string
	types := []phonenumbers.PhoneNumberType{
		phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
		phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
		phonenumbers.UAN, phonenumbers.VOICEMAIL,
	}
	for r := range phonenumbers.GetSupportedRegions() {
		for _, ty := range types {
			num := phonenumbers.GetExampleNumberForType(r, ty)
			if num == nil {
				continue
			}
			seeds = append(seeds,
				phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
				phonenumbers.Format(num, phonenumbers.NATIONAL),
				phonenumbers.Format(num, phonenumbers.E164),
				phonenumbers.GetNationalSignificantNumber(num))
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if num := phonenumbers.GetExampleNumberForNonGeoEntity(cc); num != nil {
			seeds = append(seeds, phonenumbers.Format(num, phonenumbers.INTERNATIONAL))
		}
	}
	seps := []string{" ", "-", ".", "/", "", "", ""}
	prefixes := []string{"+", "00", "0", "", "", "1", "011", "+1", "+44", "+33", "+49", "0044", "44", "33", "49", "0 ", "(0", "+0", "001", "0011"}
	digit := func() byte { return byte('0' + rng.IntN(10)) }
	out := append([]string(nil), seeds...)
	for len(out) < n {
		if rng.IntN(2) == 0 && len(seeds) > 0 {
			b := []byte(seeds[rng.IntN(len(seeds))])
			for k := rng.IntN(3); k >= 0 && len(b) > 1; k-- {
				i := rng.IntN(len(b))
				switch rng.IntN(3) {
				case 0:
					if isDigit(b[i]) {
						b[i] = digit()
					}
				case 1:
					b = append(b[:i], b[i+1:]...)
				default:
					b = append(b[:i], append([]byte{digit()}, b[i:]...)...)
				}
			}
			out = append(out, string(b))
			continue
		}
		var b strings.Builder
		b.WriteString(prefixes[rng.IntN(len(prefixes))])
		total := 5 + rng.IntN(12)
		sep := seps[rng.IntN(len(seps))]
		for i := 0; i < total; i++ {
			if i > 0 && rng.IntN(4) == 0 {
				b.WriteString(sep)
			}
			b.WriteByte(digit())
		}
		out = append(out, b.String())
	}
	return out
}

func TestPhoneMatchesPhonenumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 40000
	if raceEnabled {
		n = 4000
	}
	cands := phoneCandidates(rng, n)
	regionSets := [][]string{
		defaultPhoneRegions[:],
		{"JP", "BR", "AU", "CN", "SE", "PL", "MX", "AR", "GB", "CA"},
		{"GG", "IM", "PR", "IT", "US"},
	}
	fast, valid, errs := 0, 0, 0
	for _, rs := range regionSets {
		for _, s := range cands {
			got, want := phoneIn(s, rs), phoneInLib(s, rs)
			if got != want {
				t.Errorf("phoneIn(%q, %v) = %v, phonenumbers says %v", s, rs, got, want)
				if errs++; errs == 20 {
					t.FailNow()
				}
			}
			if want {
				valid++
			}
			if _, known := phoneFastOf(s, rs); known {
				fast++
			}
		}
	}
	t.Logf("%d candidates × %d region lists: %d valid, %d decided without the library", len(cands), len(regionSets), valid, fast)
}

// TestPhonePossibleMatchesPhonenumbers holds PhonePossible to its
// definition by the library alone: an international candidate that is
// valid, or whose length phonenumbers calls possible.
func TestPhonePossibleMatchesPhonenumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// phoneCandidates starts with the library's example numbers (all
	// valid); the mutated and random ones after them exercise the length
	// check.
	n := len(phoneCandidates(rng, 0)) + 40000
	if raceEnabled {
		n -= 36000
	}
	accepted, beyondValid, errs := 0, 0, 0
	for _, s := range phoneCandidates(rng, n) {
		got, want := PhonePossible(s), phonePossibleOracle(s)
		if got != want {
			t.Errorf("PhonePossible(%q) = %v, phonenumbers says %v", s, got, want)
			if errs++; errs == 20 {
				t.FailNow()
			}
		}
		if want {
			accepted++
			if !Phone(s) {
				beyondValid++
			}
		}
	}
	if beyondValid == 0 {
		t.Fatal("no candidate was possible without being valid: the test does not exercise the length check")
	}
	t.Logf("%d candidates: %d possible, %d of them not valid", n, accepted, beyondValid)
}

func phonePossibleOracle(s string) bool {
	plus, idd, ok := phoneShape(s)
	if !ok || !plus && !idd {
		return false
	}
	return phoneInLib(s, defaultPhoneRegions[:]) || phonePossibleLib(s, idd)
}

func FuzzPhonePossibleMatchesPhonenumbers(f *testing.F) {
	for _, s := range []string{"+31 6 99896366", "+33 (0)6 97 26 31 24", "0033 6 92 65 34 83", "+1 555", "+44 20 7946 0958", "+999 123 4567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PhonePossible(s), phonePossibleOracle(s); got != want {
			t.Fatalf("PhonePossible(%q) = %v, phonenumbers says %v", s, got, want)
		}
	})
}

// phoneFastOf runs phoneFast as phoneIn would; known is false for a
// candidate that phoneIn hands to phonenumbers (or rejects first).
func phoneFastOf(s string, regions []string) (ok, known bool) {
	var d []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			d = append(d, c)
		case c == '+' && i == 0, c == ' ', c == '-', c == '.', c == '(', c == ')', c == '/':
		default:
			return false, false
		}
	}
	plus := len(s) > 0 && s[0] == '+'
	idd := !plus && len(s) > 2 && s[0] == '0' && s[1] == '0'
	n := len(d)
	if idd {
		n -= 2
	}
	if n < 7 || n > 15 {
		return false, false
	}
	return phoneFast(s, d, plus, idd, regions)
}

func FuzzPhoneMatchesPhonenumbers(f *testing.F) {
	for _, s := range []string{"+44 20 7946 0958", "020 7946 0958", "(415) 555-0132", "0033 6 12 34 56 78", "011 44 20 7946 0958", "0 532 123 45 67"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Phone(s), phoneInLib(s, defaultPhoneRegions[:]); got != want {
			t.Errorf("Phone(%q) = %v, phonenumbers says %v", s, got, want)
		}
	})
}
