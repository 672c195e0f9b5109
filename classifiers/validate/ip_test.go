package validate

import "testing"

func TestIP(t *testing.T) {
	check(t, "IP", IP, []struct {
		in   string
		want bool
		why  string
	}{
		{"192.168.0.1", true, "private IPv4"},
		{"255.255.255.255", true, "broadcast"},
		{"0.0.0.0", true, "unspecified"},
		{"::1", true, "IPv6 loopback"},
		{"2001:db8::1", true, "compressed IPv6"},
		{"2001:0db8:0000:0000:0000:ff00:0042:8329", true, "full IPv6"},
		{"fe80::1%eth0", true, "zone id"},
		{"::ffff:192.0.2.1", true, "v4-mapped"},
		{"64:ff9b::192.0.2.33", true, "embedded IPv4"},
		{"10.0.0.0/8", true, "IPv4 CIDR"},
		{"2001:db8::/32", true, "IPv6 CIDR"},
		{"01.02.03.04", false, "leading zeros: version-like and ambiguous"},
		{"192.168.01.1", false, "one octet with a leading zero"},
		{"256.1.1.1", false, "octet out of range"},
		{"1.2.3", false, "three parts"},
		{"1.2.3.4.5", false, "five parts"},
		{"10.0.0.0/33", false, "prefix too long"},
		{"fe80::1%", false, "empty zone"},
		{"1.2.3.4:80", false, "port"},
		{"[::1]", false, "brackets"},
		{"", false, "empty"},
	})
}

func TestIPFamilies(t *testing.T) {
	for _, c := range []struct {
		in     string
		v4, v6 bool
	}{
		{"192.0.2.1", true, false},
		{"192.0.2.0/24", true, false},
		{"::ffff:192.0.2.1", false, true},
		{"2001:db8::1", false, true},
		{"2001:db8::/32", false, true},
		{"01.2.3.4", false, false},
	} {
		if got := IPv4(c.in); got != c.v4 {
			t.Errorf("IPv4(%q) = %v, want %v", c.in, got, c.v4)
		}
		if got := IPv6(c.in); got != c.v6 {
			t.Errorf("IPv6(%q) = %v, want %v", c.in, got, c.v6)
		}
	}
}
