package corpus

import (
	"sort"
	"strings"
	"unicode"
)

// A label is only useful when a perfect redactor can satisfy it. The scorer
// counts a personal value as leaked when it occurs in any string, number or
// key of the output, verbatim, after case and dash folding, or as its digits
// (6+ contiguous, or 9+ once the output string's separators are removed). So
// an event is rejected, and drawn again, when removing every labelled value
// from it would still leave one of them findable, or would cut into a value
// labelled to keep: a postal code inside an epoch timestamp, a surname inside
// a kept page path, a city inside a time zone name.

// redactionArtifacts are strings a redactor may write in place of what it
// removes; a personal value found in one of them would count as leaked.
var redactionArtifacts = []string{
	"[REDACTED]", "<redacted>", "***", "REMOVED", "null", "true", "false", "unknown", "other",
	"anonymous", "hashed", "masked", "sha256", "hmac", "pseudonym", "xxx.xxx.xxx.0", "::",
	"[PERSON]", "[EMAIL_ADDRESS]", "[PHONE_NUMBER]", "[IP_ADDRESS]", "[CREDIT_CARD]",
	"[IBAN_CODE]", "[US_SSN]", "[CA_SIN]", "[UK_NINO]", "[POSTAL_CODE]", "[STREET_ADDRESS]",
	"[GEO_COORDINATE]", "[MAC_ADDRESS]", "[URL]", "[CRYPTO]", "[SECRET]", "[DATE_OF_BIRTH]",
	"identity", "contact", "network_identifier", "precise_location", "coarse_location",
	"credentials", "financial", "government_id", "demographics", "linking_identifier",
	"conversation", "bot_content", "under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+",
}

// fold approximates the scorer's normalisation (NFKC, case folding, Unicode
// dashes as '-', white-space runs as one space) for the characters the
// generator writes.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		switch c {
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe58', '\ufe63', '\uff0d':
			c = '-'
		case 'º':
			c = 'o'
		case 'ª':
			c = 'a'
		case 'ß':
			b.WriteString("ss")
			space = false
			continue
		}
		if unicode.IsSpace(c) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// haystack is what is left of an event, in the three forms the scorer
// searches: as written, folded, and folded with everything but digits removed.
type haystack struct {
	raw, folded, digits []string
}

func (h *haystack) add(s string) {
	f := fold(s)
	h.raw = append(h.raw, s)
	h.folded = append(h.folded, f)
	h.digits = append(h.digits, digitsOf(f))
}

// findable reports whether the scorer would find v in the haystack.
func (h *haystack) findable(v string) bool {
	nv := fold(v)
	d := digitsOf(nv)
	for i, s := range h.raw {
		if strings.Contains(s, v) || (nv != "" && strings.Contains(h.folded[i], nv)) ||
			(len(d) >= 6 && strings.Contains(h.folded[i], d)) ||
			(len(d) >= 9 && strings.Contains(h.digits[i], d)) {
			return true
		}
	}
	return false
}

// scrub removes every value in vals (longest first) from s.
func scrub(s string, vals []string) string {
	for _, v := range vals {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "\x00")
		}
	}
	return s
}

// consistent reports whether every label of e can be satisfied at once by a
// redactor that removes each personal value where it is labelled and leaves
// everything else: no personal value may then still be findable anywhere
// (in another field, a key, a kept value), every kept value must survive at
// its path, and no personal value may be shorter than four characters.
func (e *event) consistent() bool {
	at := map[string][]string{} // path -> values labelled there, longest first
	for _, p := range e.pii {
		if len([]rune(p.Value)) < 4 {
			return false
		}
		at[p.Path] = append(at[p.Path], p.Value)
	}
	for _, vs := range at {
		sort.SliceStable(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	}
	var hay haystack
	for _, a := range redactionArtifacts {
		hay.add(a)
	}
	leaves := map[string]string{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case *object:
			for i, k := range v.keys {
				hay.add(scrub(k, at[path]))
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(v.vals[i], p)
			}
		case *array:
			for i, x := range v.vals {
				walk(x, path+"["+itoa(i)+"]")
			}
		case string:
			s := scrub(v, at[path])
			hay.add(s)
			leaves[path] = s
		case number:
			s := scrub(string(v), at[path])
			hay.add(s)
			leaves[path] = s
		}
	}
	walk(e.root, "")
	for _, p := range e.pii {
		if hay.findable(p.Value) {
			return false
		}
	}
	for _, k := range e.keep {
		got, ok := leaves[k.Path]
		if !ok {
			return false
		}
		switch want := k.Value.(type) {
		case string:
			if !strings.Contains(got, want) {
				return false
			}
		default:
			if strings.ContainsRune(got, 0) {
				return false
			}
		}
	}
	return true
}
