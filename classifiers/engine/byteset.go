package engine

import (
	"strconv"
	"strings"
)

// byteSet is a set of byte values.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) union(o byteSet) { s[0] |= o[0]; s[1] |= o[1]; s[2] |= o[2]; s[3] |= o[3] }
func (s *byteSet) intersects(o byteSet) bool {
	return s[0]&o[0]|s[1]&o[1]|s[2]&o[2]|s[3]&o[3] != 0
}

func (s *byteSet) minus(o byteSet) { s[0] &^= o[0]; s[1] &^= o[1]; s[2] &^= o[2]; s[3] &^= o[3] }

func (s *byteSet) empty() bool { return s[0]|s[1]|s[2]|s[3] == 0 }
func (s *byteSet) addRange(lo, hi byte) {
	for b := int(lo); b <= int(hi); b++ {
		s.add(byte(b))
	}
}

// addHigh adds every byte of 0x80-0xFF: the alphabet of any non-ASCII rune
// (and of the invalid bytes that decode to U+FFFD).
func (s *byteSet) addHigh() { s[2], s[3] = ^uint64(0), ^uint64(0) }

func fullSet() byteSet { return byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }

func (s *byteSet) count() int {
	n := 0
	for b := 0; b < 256; b++ {
		if s.has(byte(b)) {
			n++
		}
	}
	return n
}

// cost estimates the fraction of the bytes of typical text that fall in s.
func (s *byteSet) cost() float64 {
	c := 0.0
	for b := 0; b < 256; b++ {
		if s.has(byte(b)) {
			c += byteFreq[b]
		}
	}
	return c
}

// String renders s as a compact character class, e.g. "[0-9@\x80-\xff]".
func (s byteSet) String() string {
	if s == fullSet() {
		return "[any byte]"
	}
	var b strings.Builder
	b.WriteByte('[')
	for lo := 0; lo < 256; {
		if !s.has(byte(lo)) {
			lo++
			continue
		}
		hi := lo
		for hi+1 < 256 && s.has(byte(hi+1)) {
			hi++
		}
		writeClassByte(&b, byte(lo))
		if hi > lo+1 {
			b.WriteByte('-')
		}
		if hi > lo {
			writeClassByte(&b, byte(hi))
		}
		lo = hi + 1
	}
	b.WriteByte(']')
	return b.String()
}

func writeClassByte(b *strings.Builder, c byte) {
	switch {
	case c == ' ':
		b.WriteString(`\x20`)
	case c == '-' || c == ']' || c == '[' || c == '\\' || c == '^':
		b.WriteByte('\\')
		b.WriteByte(c)
	case c > ' ' && c < 0x7f:
		b.WriteByte(c)
	default:
		b.WriteString(`\x`)
		if c < 0x10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatUint(uint64(c), 16))
	}
}

// byteFreq is a static estimate of how often each byte value occurs in the
// text veil scans (English-heavy conversation and analytics values, with
// some European text). It only steers which bytes a rule's trigger uses:
// any trigger the analysis derives is sound, the estimate picks the one
// that fires least. Values are fractions of all bytes and sum to about 1.
var byteFreq = func() (f [256]float64) {
	for b := 0; b < 256; b++ {
		f[b] = 0.00001 // control characters and the rest
	}
	lower := map[byte]float64{
		'e': .090, 't': .065, 'a': .060, 'o': .058, 'i': .055, 'n': .055, 's': .050,
		'h': .042, 'r': .045, 'd': .030, 'l': .030, 'c': .022, 'u': .022, 'm': .020,
		'w': .016, 'f': .016, 'g': .015, 'y': .015, 'p': .015, 'b': .011, 'v': .008,
		'k': .006, 'j': .0012, 'x': .0015, 'q': .0008, 'z': .0008,
	}
	for c, v := range lower {
		f[c] = v
		f[c-'a'+'A'] = v / 14 // capitals: sentence starts, names, acronyms
	}
	for c := '0'; c <= '9'; c++ {
		f[c] = .005
	}
	f['0'], f['1'], f['2'] = .008, .008, .007
	for c, v := range map[byte]float64{
		' ': .150, '.': .010, ',': .009, '\n': .004, '\t': .0005, '\r': .0003,
		'-': .004, '\'': .003, '"': .004, '_': .002, '/': .002, ':': .002,
		'?': .001, '!': .001, '(': .0006, ')': .0006, ';': .0004, '=': .0005,
		'&': .0003, '%': .0003, '+': .0003, '#': .0003, '*': .0002, '@': .0002,
		'$': .0002, '<': .0002, '>': .0002, '[': .0002, ']': .0002, '{': .0002,
		'}': .0002, '\\': .0002, '|': .0001, '~': .0001, '^': .0001, '`': .0001,
	} {
		f[c] = v
	}
	for b := 0x80; b < 0xc0; b++ {
		f[b] = .0008 // continuation bytes
	}
	for b := 0xc2; b < 0xf5; b++ {
		f[b] = .0004 // lead bytes
	}
	f[0xc3] = .003 // Latin-1 letters: é, ü, ß, ...
	return f
}()
