package validate

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// This file decides, without allocating, what phonenumbers.ParseToNumber
// followed by phonenumbers.IsValidNumber (and GetNumberType) would say for
// the strings Phone lets through its character check: digits and
// separators, with at most a leading '+'. It reads the library's own
// metadata (numbering-plan patterns, possible lengths, national and
// international prefixes) and follows the library's parsing steps over a
// buffer of digits, matching the patterns with regexp.Match on that buffer
// instead of building strings. Where a region's prefixes cannot be decided
// this way (a national prefix with a transform rule, or a pattern with
// anchors of its own) or a number belongs to a non-geographic calling code,
// it answers "not known" and Phone asks the library itself.

// pnType is what the phone checks need of a number's type.
type pnType uint8

const (
	pnInvalid pnType = iota // phonenumbers.UNKNOWN
	pnMobile                // phonenumbers.MOBILE
	pnOther                 // any other valid type
)

// lengthResult is phonenumbers.ValidationResult for the cases parsing
// distinguishes.
type lengthResult uint8

const (
	lenPossible lengthResult = iota
	lenTooShort
	lenTooLong
	lenLocalOnly
	lenInvalid
)

// pnDesc is a compiled phonenumbers.PhoneNumberDesc: the possible lengths
// and the whole-string national number pattern.
type pnDesc struct {
	lengths []int32
	re      *regexp.Regexp // nil when the description has no pattern
}

// match is the library's isNumberMatchingDesc: the length must be one of
// the possible lengths when the description lists any, and the pattern
// must match the whole number.
func (d *pnDesc) match(n []byte) bool {
	if d.re == nil {
		return false
	}
	if len(d.lengths) > 0 && !hasLength(d.lengths, len(n)) {
		return false
	}
	return d.re.Match(n)
}

func hasLength(ls []int32, n int) bool {
	for _, l := range ls {
		if int(l) == n {
			return true
		}
	}
	return false
}

// prefixRule finds the match of a prefix pattern (a national prefix for
// parsing, an international dialling prefix) at the start of a digit
// buffer, as the library's anchored or leftmost search does.
type prefixRule struct {
	empty bool           // no pattern
	lits  []string       // the pattern is an alternation of digit strings
	whole *regexp.Regexp // otherwise, "^(?:p)$", tried on each prefix
}

func newPrefixRule(p string) (prefixRule, bool) {
	if p == "" {
		return prefixRule{empty: true}, true
	}
	lits := strings.Split(p, "|")
	allDigits := true
	for _, l := range lits {
		if l == "" || strings.Trim(l, "0123456789") != "" {
			allDigits = false
			break
		}
	}
	if allDigits {
		return prefixRule{lits: lits}, true
	}
	// A pattern with anchors or word boundaries of its own cannot be
	// tried on a prefix in isolation.
	if strings.ContainsAny(p, "$^") || strings.Contains(p, `\b`) || strings.Contains(p, `\B`) ||
		strings.Contains(p, `\A`) || strings.Contains(p, `\z`) {
		return prefixRule{}, false
	}
	re, err := regexp.Compile("^(?:" + p + ")$")
	if err != nil {
		return prefixRule{}, false
	}
	return prefixRule{whole: re}, true
}

// find returns the length of the pattern's match at the start of n.
// known is false when the pattern matches prefixes of several lengths, so
// that which one the library's leftmost-first search takes is not decided
// here.
func (r *prefixRule) find(n []byte) (length int, matched, known bool) {
	switch {
	case r.empty:
		return 0, false, true
	case r.lits != nil:
		// Leftmost-first: the first alternative that matches wins.
		for _, l := range r.lits {
			if len(n) >= len(l) && string(n[:len(l)]) == l {
				return len(l), true, true
			}
		}
		return 0, false, true
	}
	length = -1
	for l := 0; l <= len(n); l++ {
		if r.whole.Match(n[:l]) {
			if length >= 0 {
				return 0, false, false
			}
			length = l
		}
	}
	return max(length, 0), length >= 0, true
}

// pnRegion is the metadata of one region, compiled on first use.
type pnRegion struct {
	md *phonenumbers.PhoneMetadata

	ready atomic.Bool
	mu    sync.Mutex

	// simple is false when the region's prefixes are not decided here.
	simple   bool
	cc       int
	ccDigits string
	general  pnDesc
	types    [8]pnDesc // premium, toll-free, shared cost, VoIP, personal, pager, UAN, voicemail
	fixed    pnDesc
	mobile   pnDesc
	same     bool // same mobile and fixed-line pattern
	leading  *regexp.Regexp
	genLen   []int32
	genLocal []int32
	national prefixRule
	idd      prefixRule
}

// pnRegions maps a region code to its metadata; non-geographic entities
// ("001") are left out.
var pnRegions = sync.OnceValue(func() map[string]*pnRegion {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil || coll == nil {
		return nil
	}
	m := make(map[string]*pnRegion, len(coll.GetMetadata()))
	for _, md := range coll.GetMetadata() {
		if id := md.GetId(); id != "001" {
			m[id] = &pnRegion{md: md}
		}
	}
	return m
})

// pnRegionFor returns the compiled metadata of a region, or nil.
func pnRegionFor(id string) *pnRegion {
	r := pnRegions()[id]
	if r == nil {
		return nil
	}
	if !r.ready.Load() {
		r.mu.Lock()
		if !r.ready.Load() {
			r.compile()
			r.ready.Store(true)
		}
		r.mu.Unlock()
	}
	return r
}

func compileDesc(d *phonenumbers.PhoneNumberDesc) (pnDesc, bool) {
	p := d.GetNationalNumberPattern()
	if d == nil || p == "" {
		return pnDesc{}, true
	}
	re, err := regexp.Compile("^(?:" + p + ")$")
	if err != nil {
		return pnDesc{}, false
	}
	return pnDesc{lengths: d.PossibleLength, re: re}, true
}

func (r *pnRegion) compile() {
	md := r.md
	r.cc = int(md.GetCountryCode())
	r.ccDigits = strconv.Itoa(r.cc)
	r.same = md.GetSameMobileAndFixedLinePattern()
	r.genLen = md.GetGeneralDesc().GetPossibleLength()
	r.genLocal = md.GetGeneralDesc().GetPossibleLengthLocalOnly()
	ok := len(r.genLen) > 0 && md.GetNationalPrefixTransformRule() == ""
	var good bool
	if r.general, good = compileDesc(md.GetGeneralDesc()); !good || r.general.re == nil {
		ok = false
	}
	for i, d := range [...]*phonenumbers.PhoneNumberDesc{
		md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(), md.GetVoip(),
		md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(),
	} {
		if r.types[i], good = compileDesc(d); !good {
			ok = false
		}
	}
	if r.fixed, good = compileDesc(md.GetFixedLine()); !good {
		ok = false
	}
	if r.mobile, good = compileDesc(md.GetMobile()); !good {
		ok = false
	}
	if ld := md.GetLeadingDigits(); ld != "" {
		re, err := regexp.Compile("^(?:" + ld + ")")
		if err != nil {
			ok = false
		}
		r.leading = re
	}
	if r.national, good = newPrefixRule(md.GetNationalPrefixForParsing()); !good {
		ok = false
	}
	// An empty international prefix would match every number.
	if md.GetInternationalPrefix() == "" {
		ok = false
	} else if r.idd, good = newPrefixRule(md.GetInternationalPrefix()); !good {
		ok = false
	}
	r.simple = ok
}

// numberType is the library's getNumberTypeHelper, reduced to what Phone
// asks.
func (r *pnRegion) numberType(n []byte) pnType {
	if !r.general.match(n) {
		return pnInvalid
	}
	for i := range r.types {
		if r.types[i].match(n) {
			return pnOther
		}
	}
	if r.fixed.match(n) {
		return pnOther // fixed line, or fixed line or mobile
	}
	if !r.same && r.mobile.match(n) {
		return pnMobile
	}
	return pnInvalid
}

// testLength is the library's testNumberLength for the general
// description.
func (r *pnRegion) testLength(n []byte) lengthResult {
	if r.genLen[0] == -1 {
		return lenInvalid
	}
	l := int32(len(n))
	for _, x := range r.genLocal {
		if x == l {
			return lenLocalOnly
		}
	}
	switch {
	case r.genLen[0] == l:
		return lenPossible
	case r.genLen[0] > l:
		return lenTooShort
	case r.genLen[len(r.genLen)-1] < l:
		return lenTooLong
	}
	if hasLength(r.genLen[1:], len(n)) {
		return lenPossible
	}
	return lenInvalid
}

// stripNational is the library's maybeStripNationalPrefixAndCarrierCode
// for a region without a transform rule: the national prefix is removed
// unless that turns a number matching the general pattern into one that
// does not.
func (r *pnRegion) stripNational(n []byte) (out []byte, known bool) {
	if len(n) == 0 {
		return n, true
	}
	l, matched, known := r.national.find(n)
	if !known {
		return nil, false
	}
	if !matched {
		return n, true
	}
	if r.general.re.Match(n) && !r.general.re.Match(n[l:]) {
		return n, true
	}
	return n[l:], true
}

// countryCode reads a country calling code of one to three digits from the
// start of d, as the library's extractCountryCode does.
func countryCode(d []byte) (cc, width int) {
	if len(d) == 0 || d[0] == '0' {
		return 0, 0
	}
	v := 0
	for i := 0; i < 3 && i < len(d); i++ {
		v = v*10 + int(d[i]-'0')
		if len(phonenumbers.GetRegionCodesForCountryCode(v)) > 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// mainRegion returns the compiled metadata of the main region of a
// calling code; nil when the code is non-geographic or unknown.
func mainRegion(cc int) *pnRegion {
	rs := phonenumbers.GetRegionCodesForCountryCode(cc)
	if len(rs) == 0 || rs[0] == "001" {
		return nil
	}
	return pnRegionFor(rs[0])
}

// pnIntl decides a number written with '+' (or the "00" that Phone reads
// as '+'): d holds its digits after the prefix.
func pnIntl(d []byte) (t pnType, known bool) {
	if len(d) <= 2 {
		return pnInvalid, true
	}
	cc, w := countryCode(d)
	if cc == 0 {
		return pnInvalid, true
	}
	meta := mainRegion(cc)
	if meta == nil || !meta.simple {
		return pnInvalid, false
	}
	return pnFinish(cc, d[w:], meta)
}

// pnNational decides a number written without '+', parsed with the given
// default region: d holds all its digits.
func pnNational(d []byte, def *pnRegion) (t pnType, known bool) {
	if !def.simple {
		return pnInvalid, false
	}
	// An international dialling prefix of the region ("011" in the US)
	// makes the number international, unless a 0 follows it.
	l, matched, known := def.idd.find(d)
	if !known {
		return pnInvalid, false
	}
	if matched && (l == len(d) || d[l] != '0') {
		rest := d[l:]
		if len(rest) <= 2 {
			return pnInvalid, true
		}
		cc, w := countryCode(rest)
		if cc == 0 {
			return pnInvalid, true
		}
		meta := mainRegion(cc)
		if meta == nil || !meta.simple {
			return pnInvalid, false
		}
		return pnFinish(cc, rest[w:], meta)
	}
	// The number may start with the region's own calling code: that is
	// taken off when the rest is a better national number.
	if len(d) >= len(def.ccDigits) && string(d[:len(def.ccDigits)]) == def.ccDigits {
		pot, known := def.stripNational(d[len(def.ccDigits):])
		if !known {
			return pnInvalid, false
		}
		fullValid := def.general.re.Match(d)
		natValid := def.general.re.Match(pot)
		if (!fullValid && natValid) || def.testLength(d) == lenTooLong {
			meta := mainRegion(def.cc)
			if meta == nil || !meta.simple {
				return pnInvalid, false
			}
			return pnFinish(def.cc, pot, meta)
		}
	}
	return pnFinish(def.cc, d, def)
}

// pnFinish follows the library from a known calling code and national
// number: the national prefix comes off when what remains has a possible
// length, then the number is matched against the plan of the region its
// digits belong to.
func pnFinish(cc int, n []byte, meta *pnRegion) (t pnType, known bool) {
	if len(n) < 2 {
		return pnInvalid, true
	}
	pot, known := meta.stripNational(n)
	if !known {
		return pnInvalid, false
	}
	switch meta.testLength(pot) {
	case lenTooShort, lenLocalOnly, lenInvalid:
	default:
		n = pot
	}
	if len(n) < 2 || len(n) > 17 {
		return pnInvalid, true
	}
	rs := phonenumbers.GetRegionCodesForCountryCode(cc)
	if len(rs) == 0 {
		return pnInvalid, true
	}
	if len(rs) == 1 {
		r := pnRegionFor(rs[0])
		if r == nil {
			return pnInvalid, false
		}
		return r.numberType(n), true
	}
	for _, id := range rs {
		r := pnRegionFor(id)
		if r == nil {
			return pnInvalid, false
		}
		if r.leading != nil {
			if r.leading.Match(n) {
				return r.numberType(n), true
			}
		} else if t := r.numberType(n); t != pnInvalid {
			return t, true
		}
	}
	return pnInvalid, true
}
