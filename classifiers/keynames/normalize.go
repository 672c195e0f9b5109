package keynames

import (
	"unicode"
	"unicode/utf8"
)

// Rune classes for word splitting.
const (
	clsSep = iota
	clsLower
	clsUpper
	clsDigit
)

// asciiClass is runeClass for ASCII, precomputed.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for b := range t {
		switch {
		case b >= 'a' && b <= 'z':
			t[b] = clsLower
		case b >= 'A' && b <= 'Z':
			t[b] = clsUpper
		case b >= '0' && b <= '9':
			t[b] = clsDigit
		}
	}
	return t
}()

// classAt returns the class of the rune at key[i] and its width.
func classAt[T ~string | ~[]byte](key T, i int) (rune, int, int) {
	if b := key[i]; b < utf8.RuneSelf {
		return rune(b), 1, int(asciiClass[b])
	}
	r, w := decodeAt(key, i)
	return r, w, runeClass(r)
}

func runeClass(r rune) int {
	switch {
	case r >= 'a' && r <= 'z':
		return clsLower
	case r >= 'A' && r <= 'Z':
		return clsUpper
	case r >= '0' && r <= '9':
		return clsDigit
	case r < utf8.RuneSelf || r == utf8.RuneError:
		return clsSep
	case unicode.IsUpper(r):
		return clsUpper
	case unicode.IsLetter(r):
		return clsLower // includes letters without case
	case unicode.IsDigit(r):
		return clsDigit
	}
	return clsSep
}

// decodeAt decodes the rune at s[i] for a string or a byte slice without
// converting (and so without allocating).
func decodeAt[T ~string | ~[]byte](s T, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	var tmp [utf8.UTFMax]byte
	n := 0
	for n < len(tmp) && i+n < len(s) {
		tmp[n] = s[i+n]
		n++
	}
	return utf8.DecodeRune(tmp[:n])
}

// latin1Fold folds U+00C0–U+00FF to ASCII; "" marks the two symbols of the
// block (× and ÷), which are separators.
var latin1Fold = [64]string{
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // C0–CF
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", // D0–DF
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // E0–EF
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y", // F0–FF
}

// foldRune returns the ASCII spelling of common accented Latin letters, or
// "" when r has none.
func foldRune(r rune) string {
	if r >= 0xC0 && r <= 0xFF {
		return latin1Fold[r-0xC0]
	}
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'ẞ':
		return "ss"
	case 'ā', 'ă', 'ą', 'Ā', 'Ă', 'Ą':
		return "a"
	case 'ć', 'č', 'Ć', 'Č':
		return "c"
	case 'ē', 'ė', 'ę', 'ě', 'Ē', 'Ė', 'Ę', 'Ě':
		return "e"
	case 'ł', 'Ł':
		return "l"
	case 'ń', 'ň', 'Ń', 'Ň':
		return "n"
	case 'ő', 'Ő':
		return "o"
	case 'ř', 'Ř':
		return "r"
	case 'ś', 'š', 'Ś', 'Š':
		return "s"
	case 'ů', 'ű', 'Ů', 'Ű':
		return "u"
	case 'ź', 'ż', 'ž', 'Ź', 'Ż', 'Ž':
		return "z"
	}
	return ""
}

// appendRune appends the folded lowercase spelling of r; false when the
// buffer is full.
func (k *normKey) appendRune(r rune) bool {
	if r < utf8.RuneSelf {
		if k.n >= maxKey {
			return false
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		k.buf[k.n] = byte(r)
		k.n++
		return true
	}
	if f := foldRune(r); f != "" {
		if k.n+len(f) > maxKey {
			return false
		}
		k.n += copy(k.buf[k.n:], f)
		return true
	}
	r = unicode.ToLower(r)
	if k.n+utf8.RuneLen(r) > maxKey {
		return false
	}
	k.n += utf8.EncodeRune(k.buf[k.n:], r)
	return true
}

// normalize writes the normalized form of key into k: words are split at
// separators (anything but letters and digits), at lower→upper case changes
// (fullName), at the end of an acronym (HTTPStatus → http status, but
// userIDs → user ids), and between letters and digits; they are lowercased,
// folded to ASCII where a Latin letter has an accent, umlaut or ligature,
// and concatenated without separators. k.full is set when the key does not
// fit.
func normalize[T ~string | ~[]byte](k *normKey, key T) {
	k.n, k.nt, k.sn, k.snt, k.full = 0, 0, 0, 0, false
	prev := clsSep
	for i := 0; i < len(key); {
		r, w, cls := classAt(key, i)
		if cls == clsSep {
			prev = clsSep
			i += w
			continue
		}
		newWord := prev == clsSep
		switch {
		case cls == clsUpper && prev == clsLower:
			newWord = true
		case cls == clsUpper && prev == clsUpper && i+w < len(key):
			// the last capital of an acronym starts the next word when a
			// lowercase letter follows, except for a plural s (userIDs).
			r2, w2, cls2 := classAt(key, i+w)
			if cls2 == clsLower {
				plural := r2 == 's'
				if plural && i+w+w2 < len(key) {
					_, _, cls3 := classAt(key, i+w+w2)
					plural = cls3 != clsLower
				}
				newWord = !plural
			}
		case cls == clsDigit && prev != clsDigit:
			newWord = true
		case cls != clsDigit && prev == clsDigit:
			newWord = true
		}
		if newWord {
			if k.nt == maxTokens || k.n >= maxKey {
				k.full = true
				return
			}
			k.tok[k.nt] = uint8(k.n)
			k.nt++
		}
		if r < utf8.RuneSelf && k.n < maxKey {
			if cls == clsUpper {
				r += 'a' - 'A'
			}
			k.buf[k.n] = byte(r)
			k.n++
		} else if !k.appendRune(r) {
			k.full = true
			return
		}
		prev = cls
		i += w
	}
	// the form without trailing all-digit words (address_line_2, phone2).
	k.sn, k.snt = k.n, k.nt
	for k.snt > 0 {
		start := int(k.tok[k.snt-1])
		if c := k.buf[start]; c < '0' || c > '9' {
			break
		}
		k.snt--
		k.sn = start
	}
}
