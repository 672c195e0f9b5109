package validate

// IP reports whether s is an IP address or an address with a CIDR prefix
// length, by the grammar of net/netip's ParseAddr and ParsePrefix: IPv4
// dotted quads, every IPv6 form (compressed, with an embedded IPv4 tail,
// v4-mapped "::ffff:192.0.2.1", with a zone "fe80::1%eth0"), and
// "10.0.0.0/8" or "2001:db8::/32".
//
// Dotted quads with a leading zero in an octet ("01.02.03.04") are
// rejected, as net/netip does: such strings are ambiguous (some parsers read
// them as octal) and far more often version numbers, dates or counters than
// addresses. Whether "1.2.3.4" is an address or a version string is decided
// by the rule's context words, not here.
//
// The parser is written here rather than calling net/netip because netip
// allocates for every string it refuses (its error values) and for every
// zone it keeps, and most candidates a pattern hands over are refused; IP
// does not allocate.
func IP(s string) bool {
	return ipFamily(s) != 0
}

// IPv4 reports whether s is an IPv4 dotted quad without leading zeros,
// optionally followed by a CIDR prefix length ("192.0.2.0/24"). IPv4-mapped
// IPv6 addresses are not IPv4 here; IP accepts them.
func IPv4(s string) bool {
	return ipFamily(s) == 4
}

// IPv6 reports whether s is an IPv6 address in any of its textual forms
// (including zones and v4-mapped addresses), optionally followed by a CIDR
// prefix length.
func IPv6(s string) bool {
	return ipFamily(s) == 6
}

// ipFamily returns 4 or 6 when s is an address or a prefix of that family
// as net/netip parses them, and 0 otherwise. An address is tried first, as
// a whole: a zone may hold any character, '/' included ("fe80::1%a/64" is
// an address with the zone "a/64"). Otherwise s is split at its last '/'
// into an address without a zone and a prefix length of at most 32 or 128
// bits, written without a sign or a leading zero.
func ipFamily(s string) int {
	if f, _ := addrFamily(s); f != 0 {
		return f
	}
	i := len(s) - 1
	for i >= 0 && s[i] != '/' {
		i--
	}
	if i < 0 {
		return 0
	}
	f, zoned := addrFamily(s[:i])
	if f == 0 || zoned {
		return 0
	}
	bits := s[i+1:]
	if len(bits) == 0 || len(bits) > 3 || (len(bits) > 1 && bits[0] == '0') {
		return 0
	}
	n := 0
	for j := 0; j < len(bits); j++ {
		if !isDigit(bits[j]) {
			return 0
		}
		n = n*10 + int(bits[j]-'0')
	}
	if (f == 4 && n > 32) || n > 128 {
		return 0
	}
	return f
}

// addrFamily returns 4 or 6 when s is a single address, and whether an
// IPv6 address carries a zone. The first '.', ':' or '%' decides the
// family, as in net/netip: a dot makes s a dotted quad, a colon an IPv6
// address, and a '%' before either a zone without an address.
func addrFamily(s string) (family int, zoned bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.':
			if dottedQuad(s) {
				return 4, false
			}
			return 0, false
		case ':':
			return ipv6Addr(s)
		case '%':
			return 0, false
		}
	}
	return 0, false
}

// dottedQuad reports whether s is four decimal octets of at most 255,
// joined by dots, none written with a leading zero.
func dottedQuad(s string) bool {
	parts, digits, val := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if digits == 1 && val == 0 {
				return false
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if digits == 0 || parts == 3 {
				return false
			}
			parts++
			digits, val = 0, 0
		default:
			return false
		}
	}
	return parts == 3 && digits > 0
}

// ipv6Addr reports whether s is an IPv6 address: groups of one to four hex
// digits joined by colons, at most one "::" standing for one or more zero
// groups, 16 bytes in all, the last four of which may be written as a
// dotted quad; then an optional non-empty zone after '%'.
func ipv6Addr(s string) (family int, zoned bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i == len(s)-1 {
				return 0, false
			}
			s, zoned = s[:i], true
			break
		}
	}
	n := 0            // bytes of the address read so far
	ellipsis := false // whether "::" occurred
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis = true
		s = s[2:]
	}
	for len(s) > 0 {
		if n == 16 {
			return 0, false // more groups than the address holds
		}
		d := 0
		for d < len(s) && isHex(s[d]) {
			d++
			if d > 4 {
				return 0, false
			}
		}
		if d == 0 {
			return 0, false
		}
		if d < len(s) && s[d] == '.' {
			// A dotted quad in place of the last two groups, read
			// from the start of this group to the end.
			if (!ellipsis && n != 12) || n > 12 || !dottedQuad(s) {
				return 0, false
			}
			n += 4
			s = ""
			break
		}
		n += 2
		s = s[d:]
		if len(s) == 0 {
			break
		}
		if s[0] != ':' || len(s) == 1 {
			return 0, false
		}
		s = s[1:]
		if s[0] == ':' {
			if ellipsis {
				return 0, false
			}
			ellipsis = true
			s = s[1:]
		}
	}
	// The "::" must stand for at least one group; without it the groups
	// must fill the address.
	if (ellipsis && n == 16) || (!ellipsis && n < 16) {
		return 0, false
	}
	return 6, zoned
}
