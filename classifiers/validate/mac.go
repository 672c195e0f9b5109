package validate

// MAC reports whether s is an EUI-48 (MAC) address in one of the usual
// notations: six pairs of hex digits joined by colons ("00:1a:2b:3c:4d:5e")
// or dashes ("00-1A-2B-3C-4D-5E"), or three groups of four joined by dots
// (Cisco's "001a.2b3c.4d5e"). The separator must be the same throughout;
// hex digits may be of either case. Twelve hex digits without separators
// fail: they are indistinguishable from hashes and ids.
//
// The all-zero address 00:00:00:00:00:00 fails: it is a placeholder that
// software reports when there is no interface, and identifies nothing. The
// broadcast address ff:ff:ff:ff:ff:ff passes: it is a real MAC address, and
// rules may downgrade it by context.
func MAC(s string) bool {
	var groups, width int
	var sep byte
	switch len(s) {
	case 17:
		groups, width, sep = 6, 2, s[2]
		if sep != ':' && sep != '-' {
			return false
		}
	case 14:
		groups, width, sep = 3, 4, '.'
	default:
		return false
	}
	zero := true
	i := 0
	for g := 0; g < groups; g++ {
		if g > 0 {
			if s[i] != sep {
				return false
			}
			i++
		}
		for k := 0; k < width; k++ {
			if !isHex(s[i]) {
				return false
			}
			zero = zero && s[i] == '0'
			i++
		}
	}
	return !zero
}
