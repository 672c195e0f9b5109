package validate

import "net/netip"

// IP reports whether s is an IP address or an address with a CIDR prefix
// length, parsed by net/netip: IPv4 dotted quads, every IPv6 form
// (compressed, with an embedded IPv4 tail, v4-mapped "::ffff:192.0.2.1",
// with a zone "fe80::1%eth0"), and "10.0.0.0/8" or "2001:db8::/32".
//
// Dotted quads with a leading zero in an octet ("01.02.03.04") are
// rejected, as net/netip does: such strings are ambiguous (some parsers read
// them as octal) and far more often version numbers, dates or counters than
// addresses. Whether "1.2.3.4" is an address or a version string is decided
// by the rule's context words, not here.
func IP(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// IPv4 reports whether s is an IPv4 dotted quad without leading zeros,
// optionally followed by a CIDR prefix length ("192.0.2.0/24"). IPv4-mapped
// IPv6 addresses are not IPv4 here; IP accepts them.
func IPv4(s string) bool {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Is4()
	}
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is4()
}

// IPv6 reports whether s is an IPv6 address in any of its textual forms
// (including zones and v4-mapped addresses), optionally followed by a CIDR
// prefix length.
func IPv6(s string) bool {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Is6()
	}
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is6()
}
