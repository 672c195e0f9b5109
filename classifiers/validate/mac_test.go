package validate

import "testing"

func TestMAC(t *testing.T) {
	check(t, "MAC", MAC, []struct {
		in   string
		want bool
		why  string
	}{
		{"00:1a:2b:3c:4d:5e", true, "colons"},
		{"00-1A-2B-3C-4D-5E", true, "dashes, upper case"},
		{"001a.2b3c.4d5e", true, "Cisco dots"},
		{"ff:ff:ff:ff:ff:ff", true, "broadcast is a MAC address"},
		{"00:00:00:00:00:01", true, "almost zero"},
		{"00:00:00:00:00:00", false, "all-zero placeholder"},
		{"0000.0000.0000", false, "all-zero placeholder, Cisco"},
		{"00:1a:2b:3c:4d", false, "five groups"},
		{"00:1a:2b:3c:4d:5e:6f", false, "EUI-64 length"},
		{"00:1a-2b:3c:4d:5e", false, "mixed separators"},
		{"00:1a:2b:3c:4d:5g", false, "non-hex"},
		{"001a2b3c4d5e", false, "no separators"},
		{"001a:2b3c:4d5e", false, "colons in Cisco grouping"},
		{"0:1a:2b:3c:4d:5e:f", false, "wrong grouping"},
		{"00.1a.2b.3c.4d.5e", false, "dots between pairs"},
	})
}
