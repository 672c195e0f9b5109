package actions

import (
	"net/netip"
	"strings"
)

// Upper limits on the prefix lengths IPPrefix keeps: a longer prefix would
// keep (nearly) the whole address of one household.
const (
	MaxIPv4Bits = 24
	MaxIPv6Bits = 64
)

// IPPrefix appends the network prefix of ip in CIDR notation with its
// length, such as "203.0.113.0/24" or "2001:db8:1234::/48". The length
// suffix is always written so the result cannot be mistaken for a host
// address. v4Bits must be in 0..MaxIPv4Bits and v6Bits in 0..MaxIPv6Bits.
//
// ip may carry a port ("203.0.113.7:5678", "[2001:db8::1]:443"), brackets,
// or an IPv6 zone (dropped); a v4-mapped IPv6 address is generalized as the
// IPv4 address it maps. Of a comma-separated list, as in X-Forwarded-For,
// every element must be an address (or the RFC 7239 token "unknown"), and
// only the first — the client — is written: the proxies behind it are not
// analytics data, and joining several prefixes would put the digits of
// different addresses side by side, where one address's digits could
// continue another's. IPPrefix reports false, leaving dst unchanged, when
// the bit lengths are out of range or any element is not an IP address.
//
// The result never contains the host part of the input, nor all the
// digits of the input address: where the asked prefix would hold them
// all, a shorter one is written (16 bits less at a time for IPv6, 8 for
// IPv4, as far as /0). Otherwise an input that is itself a network
// address (all host bits zero) comes out as that address with its length,
// since it has no host part to hide.
func IPPrefix(dst []byte, ip string, v4Bits, v6Bits int) ([]byte, bool) {
	if v4Bits < 0 || v4Bits > MaxIPv4Bits || v6Bits < 0 || v6Bits > MaxIPv6Bits {
		return dst, false
	}
	orig := len(dst)
	first := true
	for rest := ip; ; {
		elem := rest
		i := strings.IndexByte(rest, ',')
		if i >= 0 {
			elem, rest = rest[:i], rest[i+1:]
		}
		elem = strings.TrimSpace(elem)
		var ok bool
		if first {
			dst, ok = appendPrefix(dst, elem, v4Bits, v6Bits)
		} else {
			// Checked, not written.
			_, ok = appendPrefix(dst[len(dst):], elem, v4Bits, v6Bits)
		}
		first = false
		if !ok {
			return dst[:orig], false
		}
		if i < 0 {
			return dst, true
		}
	}
}

// appendPrefix generalizes one address.
func appendPrefix(dst []byte, s string, v4Bits, v6Bits int) ([]byte, bool) {
	if s == "unknown" {
		return append(dst, s...), true
	}
	addr, ok := parseHostAddr(s)
	if !ok {
		return dst, false
	}
	bits := v6Bits
	if addr.Is4() {
		bits = v4Bits
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return dst, false
	}
	// A prefix whose digits hold every digit of the address it came
	// from (an IPv6 address whose host groups are all letters, such as
	// 2a00:23cf:9718:ccef::f) would let the address be found again by
	// its digits: such a prefix is shortened a group at a time.
	step := 16
	if addr.Is4() {
		step = 8
	}
	for p.Bits() > 0 && digitsWithin(s, p) {
		p, _ = addr.Prefix(max(0, p.Bits()-step))
	}
	return p.AppendTo(dst), true
}

// minDigitRun is the shortest digit string of an address that digitsWithin
// protects: shorter ones occur everywhere.
const minDigitRun = 6

// digitsWithin reports whether the digits of the address as written, s,
// occur within the digits of the prefix as AppendTo writes it.
func digitsWithin(s string, p netip.Prefix) bool {
	var in, out [64]byte
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if n == len(in) {
				return false
			}
			in[n] = c
			n++
		}
	}
	if n < minDigitRun {
		return false
	}
	var text [64]byte
	m := 0
	for _, c := range p.AppendTo(text[:0]) {
		if c >= '0' && c <= '9' {
			out[m] = c
			m++
		}
	}
	return strings.Contains(string(out[:m]), string(in[:n]))
}

// parseHostAddr parses an address that may be bracketed, carry a port or an
// IPv6 zone; the zone is dropped and a v4-mapped address unmapped.
func parseHostAddr(s string) (netip.Addr, bool) {
	if s == "" {
		return netip.Addr{}, false
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 || !validPort(s[end+1:], true) {
			return netip.Addr{}, false
		}
		s = s[1:end]
	} else if i := strings.IndexByte(s, ':'); i >= 0 && strings.IndexByte(s[i+1:], ':') < 0 {
		// exactly one colon: IPv4 with a port
		if !validPort(s[i:], true) {
			return netip.Addr{}, false
		}
		s = s[:i]
	}
	if i := strings.IndexByte(s, '%'); i >= 0 {
		if i == len(s)-1 {
			return netip.Addr{}, false
		}
		s = s[:i]
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap(), true
}

// validPort accepts "" (when optional) or ":" followed by 1-5 digits.
func validPort(s string, optional bool) bool {
	if s == "" {
		return optional
	}
	if s[0] != ':' || len(s) < 2 || len(s) > 6 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
