package validate

import (
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// defaultPhoneRegions are the regions whose national formats Phone tries,
// in order, for a number written without an international prefix. CA shares
// country code 1 with US; it is listed for documentation, and Phone skips a
// region whose country code it has already tried, because
// phonenumbers.IsValidNumber checks a number against the numbering plan of
// the region its digits belong to, not the region it was parsed with.
var defaultPhoneRegions = [...]string{
	"US", "CA", "GB", "FR", "DE", "AT", "CH", "BE", "NL", "IE", "AU", "IN", "TR", "PH", "ES", "IT",
}

// PhoneRegions returns the CLDR region codes whose national number formats
// Phone accepts, in the order it tries them: US, CA, GB, FR, DE, AT, CH, BE,
// NL, IE, AU, IN, TR, PH, ES, IT.
func PhoneRegions() []string {
	return append([]string(nil), defaultPhoneRegions[:]...)
}

// Phone reports whether s is a valid phone number by the numbering plans in
// github.com/nyaruka/phonenumbers (libphonenumber's metadata). s may hold
// digits, spaces, dashes, dots, slashes and parentheses, and may start with
// "+"; anything else (letters, extensions) fails. A cheap count comes first:
// a number has 7 to 15 digits (after an international prefix "00", which is
// not counted).
//
// A number starting with "+" or "00" is parsed as international, its
// country code read from the digits. Any other number is parsed as a
// national number of each region of PhoneRegions in turn and is accepted
// when phonenumbers.IsValidNumber holds for one of them and the number is
// written as people of that region write it: starting with the region's
// trunk prefix (0 in most of Europe, AU, IN, TR and PH), except in NANP
// countries, which dial none, and for Turkish numbers and Indian mobile
// numbers, which are usually written without it ("532 123 45 67",
// "98765 43210"). Without that condition the open numbering
// plans of Germany and Austria would make almost any string of 7 or more
// digits valid ("1234567" is a Vienna number). The library's
// validity check knows the number length and the leading digits of the
// ranges each plan assigns (so unassigned area codes and mobile prefixes
// fail), not which numbers are in service: the NANP fiction range 555-01xx
// passes.
func Phone(s string) bool {
	return phoneIn(s, defaultPhoneRegions[:])
}

// PhoneFor returns a phone validator like Phone that tries the national
// formats of the given CLDR region codes ("US", "GB", …) instead of
// PhoneRegions. International numbers are accepted for every country either
// way.
func PhoneFor(regions ...string) Func {
	rs := append([]string(nil), regions...)
	return func(s string) bool { return phoneIn(s, rs) }
}

// PhonePossible reports whether s is a phone number in international form
// ("+" or "00", then a country calling code) whose national number has a
// length the country's numbering plan allows, as
// phonenumbers.IsPossibleNumber decides. Unlike Phone it does not require
// the leading digits to fall in a range the plan assigns, so it accepts
// numbers of ranges not yet or no longer in use ("+31 6 99…", "+33 6 97…"),
// which people and generated test data write. It is meant for rules that
// also require a context word naming a phone number: on its own it would
// take many digit runs after a '+' for phone numbers.
func PhonePossible(s string) bool {
	plus, idd, ok := phoneShape(s)
	if !ok || !plus && !idd {
		return false
	}
	if Phone(s) {
		return true
	}
	buf := digitBufs.Get().(*[24]byte)
	defer digitBufs.Put(buf)
	d := buf[:0]
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i])
		}
	}
	if idd {
		d = d[2:]
	}
	cc, w := countryCode(d)
	if cc == 0 {
		return false
	}
	meta := mainRegion(cc)
	if meta == nil || !meta.simple {
		return phonePossibleLib(s, idd)
	}
	// As the library's parser does: the national prefix ("+33 (0)6 …")
	// is dropped unless the rest would be too short for the plan.
	n := d[w:]
	pot, known := meta.stripNational(n)
	if !known {
		return phonePossibleLib(s, idd)
	}
	switch meta.testLength(pot) {
	case lenTooShort, lenLocalOnly, lenInvalid:
	default:
		n = pot
	}
	return meta.testLength(n) == lenPossible
}

// phonePossibleLib is PhonePossible's length check by phonenumbers itself,
// for the plans phonemeta.go leaves to the library. A number only
// possible as a local number (dialled without its area code) is not
// taken: written with a country code it is too short.
func phonePossibleLib(s string, idd bool) bool {
	in := s
	if idd {
		in = "+" + s[2:]
	}
	var num phonenumbers.PhoneNumber
	return phonenumbers.ParseToNumber(in, "", &num) == nil && phonenumbers.IsPossibleNumberWithReason(&num) == phonenumbers.IS_POSSIBLE
}

// phoneIn implements Phone over an explicit region list. The checks of
// phonemeta.go decide the common cases without allocating; what they leave
// undecided goes to phonenumbers itself (phoneInLib), which is also the
// reference the tests hold them to.
func phoneIn(s string, regions []string) bool {
	plus, idd, ok := phoneShape(s)
	if !ok {
		return false
	}
	// The digits go to regexp, which keeps its input beyond the call, so
	// they live in a pooled buffer rather than on the stack.
	buf := digitBufs.Get().(*[24]byte)
	d := buf[:0]
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i])
		}
	}
	ok, known := phoneFast(s, d, plus, idd, regions)
	digitBufs.Put(buf)
	if known {
		return ok
	}
	return phoneInLib(s, regions)
}

// digitBufs holds the buffers phoneIn gathers a candidate's digits in (at
// most 17 of them).
var digitBufs = sync.Pool{New: func() any { return new([24]byte) }}

// phoneFast is phoneIn over the metadata checks of phonemeta.go; known is
// false when one of the steps is left to the library.
func phoneFast(s string, d []byte, plus, idd bool, regions []string) (ok, known bool) {
	if plus || idd {
		if idd {
			d = d[2:]
		}
		t, known := pnIntl(d)
		return t != pnInvalid, known
	}
	it := regionIter{s: s, regions: regions}
	for {
		r, needTrunk, more := it.next()
		if !more {
			break
		}
		meta := pnRegionFor(r)
		if meta == nil {
			return false, false
		}
		t, known := pnNational(d, meta)
		if !known {
			return false, false
		}
		if t == pnInvalid {
			continue
		}
		if !needTrunk || t == pnMobile {
			return true, true
		}
	}
	return false, true
}

// phoneInLib is phoneIn by phonenumbers' parser and validator alone.
func phoneInLib(s string, regions []string) bool {
	plus, idd, ok := phoneShape(s)
	if !ok {
		return false
	}
	var num phonenumbers.PhoneNumber
	if plus || idd {
		in := s
		if idd {
			in = "+" + s[2:]
		}
		return phonenumbers.ParseToNumber(in, "", &num) == nil && phonenumbers.IsValidNumber(&num)
	}
	it := regionIter{s: s, regions: regions}
	for {
		r, needTrunk, more := it.next()
		if !more {
			break
		}
		num.Reset()
		if phonenumbers.ParseToNumber(s, r, &num) != nil || !phonenumbers.IsValidNumber(&num) {
			continue
		}
		if !needTrunk || phonenumbers.GetNumberType(&num) == phonenumbers.MOBILE {
			return true
		}
	}
	return false
}

// phoneShape checks the characters and the digit count of a candidate:
// digits, one leading '+', and the separators people write; 7 to 15
// digits, not counting a "00" international prefix (idd).
func phoneShape(s string) (plus, idd, ok bool) {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '+' && (i == 0 || i == 1 && s[0] == '('):
			plus = true // "+34 …" or "(+34) …"
		case c == ' ', c == '-', c == '.', c == '(', c == ')', c == '/':
		default:
			return false, false, false
		}
	}
	idd = !plus && len(s) > 2 && s[0] == '0' && s[1] == '0'
	if idd {
		digits -= 2
	}
	return plus, idd, digits >= 7 && digits <= 15
}

// regionIter yields, in order, the regions a national number s may belong
// to: one region per calling code, and only regions whose trunk-prefix rule
// s meets. A national number is written with the region's trunk prefix
// ("020 7946 0958", "0532 123 45 67"): without it, the open numbering
// plans of DE and AT, and GB's, make most digit strings valid ("1234567"
// is a Vienna number). NANP numbers need no trunk prefix; Turkish numbers
// (always ten digits) and Indian mobiles are customarily written without
// one, so for IN needTrunk reports that only a mobile number may pass. The
// check comes before parsing, which is the expensive part.
type regionIter struct {
	s       string
	regions []string
	i       int
	tried   [len(defaultPhoneRegions)]int
	nTried  int
}

func (it *regionIter) next() (region string, needTrunk, ok bool) {
next:
	for it.i < len(it.regions) {
		r := it.regions[it.i]
		it.i++
		code := phonenumbers.GetCountryCodeForRegion(r)
		if code == 0 {
			continue
		}
		for _, t := range it.tried[:it.nTried] {
			if t == code {
				continue next
			}
		}
		if it.nTried < len(it.tried) {
			it.tried[it.nTried] = code
			it.nTried++
		}
		ndd := phonenumbers.GetNddPrefixForRegion(r, true)
		needTrunk := code != 1 && ndd != "" && !hasDigitPrefix(it.s, ndd) && r != "TR"
		if needTrunk && r != "IN" {
			continue
		}
		return r, needTrunk, true
	}
	return "", false, false
}

// hasDigitPrefix reports whether the digits of s, separators ignored, start
// with the digits of p.
func hasDigitPrefix(s, p string) bool {
	k := 0
	for i := 0; i < len(s) && k < len(p); i++ {
		if !isDigit(s[i]) {
			continue
		}
		if s[i] != p[k] {
			return false
		}
		k++
	}
	return k == len(p)
}
