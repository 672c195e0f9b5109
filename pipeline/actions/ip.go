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
// The result never contains the host part of the input; an input that is
// itself a network address (all host bits zero) comes out as that address
// with its length, since it has no host part to hide.
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
	return p.AppendTo(dst), true
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
