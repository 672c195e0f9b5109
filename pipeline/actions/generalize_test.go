package actions

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestIPPrefix(t *testing.T) {
	tests := []struct {
		in     string
		v4, v6 int
		want   string
		ok     bool
	}{
		{"203.0.113.45", 24, 48, "203.0.113.0/24", true},
		{"203.0.113.45", 16, 48, "203.0.0.0/16", true},
		{"203.0.113.45", 0, 0, "0.0.0.0/0", true},
		{"2001:db8:1234:5678::1", 24, 48, "2001:db8:1234::/48", true},
		// Every digit of the address lies in its /48: shortened to /32.
		{"2a00:23cf:9718:ccef::f", 24, 48, "2a00:23cf::/32", true},
		{"2001:db8:1234::", 24, 48, "2001:db8::/32", true},
		{"2001:DB8:1234:5678:9abc:def0:1234:5678", 24, 64, "2001:db8:1234:5678::/64", true},
		{"::ffff:203.0.113.45", 24, 48, "203.0.113.0/24", true},
		{"fe80::1%eth0", 24, 48, "fe80::/48", true},
		{"203.0.113.45:5678", 24, 48, "203.0.113.0/24", true},
		{"[2001:db8::1]:443", 24, 48, "2001:db8::/48", true},
		{"[fe80::1%25en0]:80", 24, 48, "fe80::/48", true},
		{"[::1]", 24, 48, "::/48", true},
		{" 203.0.113.45 ", 24, 48, "203.0.113.0/24", true},
		{"203.0.113.45, 198.51.100.7,10.1.2.3", 24, 48, "203.0.113.0/24", true},
		{"unknown, 2001:db8::7", 24, 48, "unknown", true},
		{"", 24, 48, "", false},
		{"1.2.3", 24, 48, "", false},
		{"1.2.3.4.5", 24, 48, "", false},
		{"256.1.1.1", 24, 48, "", false},
		{"203.0.113.45, nope", 24, 48, "", false},
		{"203.0.113.45,", 24, 48, "", false},
		{"1.2.3.4:port", 24, 48, "", false},
		{"[::1", 24, 48, "", false},
		{"[::1]x", 24, 48, "", false},
		{"fe80::1%", 24, 48, "", false},
		{"v1.2.3", 24, 48, "", false},
		{"203.0.113.45", 32, 48, "", false},
		{"203.0.113.45", 24, 128, "", false},
		{"203.0.113.45", -1, 48, "", false},
	}
	for _, tc := range tests {
		got, ok := IPPrefix([]byte("x="), tc.in, tc.v4, tc.v6)
		want := "x=" + tc.want
		if ok != tc.ok || string(got) != want {
			t.Errorf("IPPrefix(%q, %d, %d) = %q, %v; want %q, %v", tc.in, tc.v4, tc.v6, got, ok, want, tc.ok)
		}
	}
}

// testAddr parses an address the way a reader of the input would: with an
// optional port, brackets and zone.
func testAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().WithZone("").Unmap(), true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if a, err := netip.ParseAddr(s); err == nil {
		return a.WithZone("").Unmap(), true
	}
	return netip.Addr{}, false
}

func FuzzIPPrefix(f *testing.F) {
	for _, s := range []string{"203.0.113.45", "2001:db8::1", "::ffff:10.0.0.1", "[::1]:80", "1.2.3.4:5678", "a, b", "fe80::1%eth0", "10.0.0.0", "unknown"} {
		f.Add(s, uint8(24), uint8(48))
	}
	f.Fuzz(func(t *testing.T, in string, v4, v6 uint8) {
		b4, b6 := int(v4)%(MaxIPv4Bits+1), int(v6)%(MaxIPv6Bits+1)
		out, ok := IPPrefix(nil, in, b4, b6)
		if !ok {
			if len(out) != 0 {
				t.Fatalf("IPPrefix(%q) failed but wrote %q", in, out)
			}
			return
		}
		// Only the first element of a list, the client, is written.
		oe := string(out)
		ie, _, _ := strings.Cut(in, ",")
		ie = strings.TrimSpace(ie)
		{
			if oe == "unknown" && ie == "unknown" {
				return
			}
			p, err := netip.ParsePrefix(oe)
			if err != nil {
				t.Fatalf("IPPrefix(%q) = %q is not a prefix: %v", in, oe, err)
			}
			want := b6
			if p.Addr().Is4() {
				want = b4
			}
			if p != p.Masked() || p.Bits() > want {
				t.Fatalf("IPPrefix(%q, %d, %d) = %q is not a masked prefix of at most the asked length", in, b4, b6, oe)
			}
			if d := digitsOf(ie); len(d) >= minDigitRun && strings.Contains(digitsOf(oe), d) {
				t.Fatalf("IPPrefix(%q) = %q holds all the digits of the address", in, oe)
			}
			a, ok := testAddr(ie)
			if !ok {
				return // accepted a form the test's reader does not know
			}
			if p.Bits() < want && !digitsWithin(ie, mustPrefix(a, p.Bits()+min(want-p.Bits(), step(p)))) {
				t.Fatalf("IPPrefix(%q, %d, %d) = %q is shorter than asked, yet the longer prefix would not hold the address's digits", in, b4, b6, oe)
			}
			if !p.Contains(a) {
				t.Fatalf("IPPrefix(%q) element %q does not contain %v", in, oe, a)
			}
			if a != p.Addr() && (strings.Contains(string(out), a.String()) || strings.Contains(string(out), ie)) {
				t.Fatalf("IPPrefix(%q) = %q contains the input address", in, out)
			}
		}
	})
}

// step is how far IPPrefix shortens a prefix at a time.
func step(p netip.Prefix) int {
	if p.Addr().Is4() {
		return 8
	}
	return 16
}

func mustPrefix(a netip.Addr, bits int) netip.Prefix {
	p, err := a.Prefix(bits)
	if err != nil {
		panic(err)
	}
	return p
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func TestPostalPrefix(t *testing.T) {
	tests := []struct {
		code, country, want string
		ok                  bool
	}{
		{"94107", "US", "941", true},
		{"94107-1234", "us", "941", true},
		{"941071234", "US", "941", true},
		{"K1A 0B1", "CA", "K1A", true},
		{"k1a0b1", "", "K1A", true},
		{"SW1A 1AA", "GB", "SW1", true},
		{"M1 1AE", "UK", "M1", true},
		{"B33 8TH", "", "B33", true},
		{"EC1A 1BB", "gb", "EC1", true},
		{"DN55 1PT", "GB", "DN55", true},
		{"W1D 4FA", "", "W1", true},
		{"CR2 6XH", "GB", "CR2", true},
		{"10115", "DE", "10", true},
		{"D-10115", "DE", "10", true},
		{"75008", "FR", "75", true},
		{"97400", "FR", "974", true},
		{"98800", "FR", "988", true},
		{"20000", "FR", "20", true},
		{"1012 AB", "NL", "10", true},
		{"8001", "CH", "80", true},
		{"2000", "AU", "20", true},
		{"100-0001", "JP", "100", true},
		{"94107-1234", "", "941", true},
		{"94107", "", "94", true},
		{"123 45", "SE", "12", true},
		{"00-950", "PL", "00", true},
		{"1000-001", "PT", "10", true},
		{"D02 X285", "IE", "D0", true},
		{"SW1A 1AA", "US", "SW1", true}, // shape wins over a mismatched country
		{"", "US", "", false},
		{"12", "", "", false},
		{"A-", "", "", false},
		{"94107!", "US", "", false},
		{"a very long postal code value", "", "", false},
		{"9410\x00", "", "", false},
	}
	for _, tc := range tests {
		got, ok := PostalPrefix([]byte("z="), tc.code, tc.country)
		if ok != tc.ok || string(got) != "z="+tc.want {
			t.Errorf("PostalPrefix(%q, %q) = %q, %v; want %q, %v", tc.code, tc.country, got, ok, "z="+tc.want, tc.ok)
		}
	}
}

// alnumUpper keeps the letters and digits of s, upper-cased.
func alnumUpper(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzPostalPrefix(f *testing.F) {
	for _, c := range [][2]string{{"94107-1234", "US"}, {"SW1A 1AA", "GB"}, {"K1A 0B1", "CA"}, {"97400", "FR"}, {"1012 AB", "NL"}, {"D-10115", ""}, {"100-0001", "JP"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, code, country string) {
		out, ok := PostalPrefix(nil, code, country)
		if !ok {
			if len(out) != 0 {
				t.Fatalf("PostalPrefix(%q) failed but wrote %q", code, out)
			}
			return
		}
		full := alnumUpper(code)
		if len(out) == 0 || len(out) > 4 || alnumUpper(string(out)) != string(out) {
			t.Fatalf("PostalPrefix(%q, %q) = %q: want 1-4 upper-case letters or digits", code, country, out)
		}
		if len(out) >= len(full) || strings.Contains(string(out), full) {
			t.Fatalf("PostalPrefix(%q, %q) = %q keeps the whole code", code, country, out)
		}
		if !strings.Contains(full, string(out)) {
			t.Fatalf("PostalPrefix(%q, %q) = %q is not taken from the code", code, country, out)
		}
	})
}

func TestTimeBucket(t *testing.T) {
	epoch := func(s string, per int64) string {
		tm, _ := time.Parse(time.RFC3339, s)
		return strconv.FormatInt(tm.Unix()*per, 10)
	}
	tests := []struct {
		in   string
		unit TimeUnit
		want string
		ok   bool
	}{
		{"2024-05-03T14:37:12Z", Hour, "2024-05-03T14:00:00Z", true},
		{"2024-05-03T14:37:12.123456+02:00", Day, "2024-05-03T00:00:00+02:00", true},
		{"2024-05-03t14:37:12z", Hour, "2024-05-03t14:00:00z", true},
		{"2024-05-03 14:37:12-07:00", Month, "2024-05-01 00:00:00-07:00", true},
		{"2024-05-03T14:37:12", Hour, "2024-05-03T14:00:00", true},
		{"2024-02-29T23:59:60Z", Day, "2024-02-29T00:00:00Z", true},
		{"2024-05-03", Day, "2024-05-03", true},
		{"2024-05-03", Hour, "2024-05-03", true},
		{"2024-05-03", Month, "2024-05-01", true},
		{"1714745832", Hour, epoch("2024-05-03T14:00:00Z", 1), true},
		{"1714745832", Day, epoch("2024-05-03T00:00:00Z", 1), true},
		{"1714745832.75", Hour, epoch("2024-05-03T14:00:00Z", 1), true},
		{"1714745832123", Day, epoch("2024-05-03T00:00:00Z", 1000), true},
		{"1714745832123456", Month, epoch("2024-05-01T00:00:00Z", 1e6), true},
		{"1714745832123456789", Hour, epoch("2024-05-03T14:00:00Z", 1e9), true},
		{"0", Day, "0", true},
		{"", Hour, "", false},
		{"2024-13-01", Day, "", false},
		{"2023-02-29T00:00:00Z", Day, "", false},
		{"2024-05-03T25:00:00Z", Hour, "", false},
		{"2024-05-03T14:37:12+2:00", Hour, "", false},
		{"2024-05-03T14:37:12.Z", Hour, "", false},
		{"2024-05-03T14:37Z", Hour, "", false},
		{"2024-05-03X14:37:12Z", Hour, "", false},
		{"yesterday", Day, "", false},
		{"12345678901234567890", Day, "", false},
		{"1714745832.", Hour, "", false},
		{"-1714745832", Hour, "", false},
		{"1714745832", "week", "", false},
	}
	for _, tc := range tests {
		got, ok := TimeBucket([]byte("t="), tc.in, tc.unit)
		if ok != tc.ok || string(got) != "t="+tc.want {
			t.Errorf("TimeBucket(%q, %s) = %q, %v; want %q, %v", tc.in, tc.unit, got, ok, "t="+tc.want, tc.ok)
		}
	}
}

// parseLoose reads the RFC 3339 variants TimeBucket accepts, for checking.
func parseLoose(s string) (time.Time, bool) {
	if len(s) < 19 {
		return time.Time{}, false
	}
	b := []byte(s)
	b[10] = 'T'
	n := string(b)
	n = strings.Replace(n, ",", ".", 1)
	if strings.HasSuffix(n, "z") {
		n = n[:len(n)-1] + "Z"
	}
	if len(n) == 19 || (n[len(n)-1] != 'Z' && n[len(n)-6] != '+' && n[len(n)-6] != '-') {
		n += "Z"
	}
	tm, err := time.Parse(time.RFC3339Nano, n)
	return tm, err == nil
}

func FuzzTimeBucket(f *testing.F) {
	for _, s := range []string{"2024-05-03T14:37:12.123+02:00", "2024-05-03", "1714745832", "1714745832123", "2024-05-03 14:37:12z", "1714745832.5"} {
		f.Add(s, uint8(0))
	}
	units := []TimeUnit{Hour, Day, Month}
	f.Fuzz(func(t *testing.T, in string, u uint8) {
		unit := units[int(u)%len(units)]
		out, ok := TimeBucket(nil, in, unit)
		if !ok {
			if len(out) != 0 {
				t.Fatalf("TimeBucket(%q) failed but wrote %q", in, out)
			}
			return
		}
		if in[0] >= '0' && in[0] <= '9' && (len(in) < 5 || in[4] != '-') {
			whole, _, _ := strings.Cut(in, ".")
			v, err1 := strconv.ParseInt(whole, 10, 64)
			o, err2 := strconv.ParseInt(string(out), 10, 64)
			if err1 != nil || err2 != nil || o > v {
				t.Fatalf("TimeBucket(%q, %s) = %q: not an earlier epoch", in, unit, out)
			}
			return
		}
		if len(in) == 10 {
			return // a date: already a day
		}
		ti, ok1 := parseLoose(in)
		to, ok2 := parseLoose(string(out))
		if !ok2 {
			t.Fatalf("TimeBucket(%q, %s) = %q does not parse", in, unit, out)
		}
		if !ok1 {
			return // e.g. a leap second, which time.Parse refuses
		}
		_, oi := ti.Zone()
		_, oo := to.Zone()
		limit := time.Hour
		switch unit {
		case Day:
			limit = 24 * time.Hour
		case Month:
			limit = 31 * 24 * time.Hour
		}
		if oi != oo || to.After(ti) || ti.Sub(to) >= limit || to.Second() != 0 || to.Minute() != 0 || to.Nanosecond() != 0 ||
			(unit != Hour && to.Hour() != 0) || (unit == Month && to.Day() != 1) {
			t.Fatalf("TimeBucket(%q, %s) = %q: not the start of its bucket", in, unit, out)
		}
	})
}

func TestAgeBand(t *testing.T) {
	for age, want := range map[int]string{0: "0-17", 17: "0-17", 18: "18-24", 24: "18-24", 25: "25-34", 34: "25-34", 35: "35-44", 44: "35-44", 45: "45-54", 54: "45-54", 55: "55-64", 64: "55-64", 65: "65+", 130: "65+"} {
		if got, ok := AgeBand(nil, age); !ok || string(got) != want {
			t.Errorf("AgeBand(%d) = %q, %v; want %q", age, got, ok, want)
		}
	}
	for _, age := range []int{-1, 131, 1990} {
		if got, ok := AgeBand(nil, age); ok {
			t.Errorf("AgeBand(%d) = %q, want failure", age, got)
		}
	}
}

func TestAgeBandOf(t *testing.T) {
	ref := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"34", "25-34", true},
		{" 34.9 ", "25-34", true},
		{"17", "0-17", true},
		{"65", "65+", true},
		{"1990", "25-34", true},                 // 34 in 2024
		{"2006", "18-24", true},                 // 18 in 2024
		{"1990-07-01", "25-34", true},           // 33
		{"1999-06-01", "25-34", true},           // 25 on the day
		{"1999-06-02", "18-24", true},           // 24, birthday tomorrow
		{"1999-06-02T08:00:00Z", "18-24", true}, // with a time
		{"", "", false},
		{"-3", "", false},
		{"abc", "", false},
		{"131", "", false},
		{"1500", "", false},
		{"2030", "", false},
		{"2025-01-01", "", false},
		{"2024-02-30", "", false},
		{"34.x", "", false},
		{"1990-07-01X", "", false},
	}
	for _, tc := range tests {
		got, ok := AgeBandOf(nil, tc.in, ref)
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("AgeBandOf(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzAgeBandOf(f *testing.F) {
	for _, s := range []string{"34", "1990", "1990-07-01", "34.5"} {
		f.Add(s)
	}
	bands := map[string]bool{"0-17": true, "18-24": true, "25-34": true, "35-44": true, "45-54": true, "55-64": true, "65+": true}
	ref := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := AgeBandOf(nil, in, ref)
		if ok && !bands[string(out)] {
			t.Fatalf("AgeBandOf(%q) = %q, not a band", in, out)
		}
	})
}

func TestURL(t *testing.T) {
	personal := func(seg string) bool { return seg == "jane-doe" }
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://jane:secret@example.com/pricing?email=jane@x.com#top", "https://example.com/pricing", true},
		{"/pricing?email=x", "/pricing", true},
		{"pricing#plans", "pricing", true},
		{"/users/1234567/orders/550e8400-e29b-41d4-a716-446655440000", "/users/:id/orders/:id", true},
		{"/orders/order-1234567/", "/orders/:id/", true},
		{"/v2/items/12345", "/v2/items/12345", true},
		{"/u/jane@example.com/settings", "/u/:id/settings", true},
		{"/u/jane%40example.com", "/u/:id", true},
		{"/@jane", "/:id", true},
		{"/files/5f3c9a7b2e1d4c6a8b9e0f1a2b3c4d5e.pdf", "/files/:id", true},
		{"/reset/AbC123xYz789QwErTy", "/reset/:id", true},
		{"/blog/how-to-configure-2fa-in-2024", "/blog/how-to-configure-2fa-in-2024", true},
		{"/docs/GettingStartedWithVeil", "/docs/GettingStartedWithVeil", true},
		{"/path;jsessionid=ABC123/x", "/path/x", true},
		{"/profile/jane-doe/edit", "/profile/:id/edit", true},
		{"http://203.0.113.7:8080/admin", "http://[203.0.113.0/24]:8080/admin", true},
		{"http://[2001:db8::1]/x", "http://[2001:db8::/48]/x", true},
		{"http://[203.0.113.0/24]:8080/admin", "http://[203.0.113.0/24]:8080/admin", true},
		{"http://[1.2.3.4/32]/", "http://[1.2.3.0/24]/", true},
		{"//cdn.example.com/a.js?v=1", "//cdn.example.com/a.js", true},
		{"mailto:jane@example.com", "mailto::id", true},
		{"tel:+14155552671", "tel::id", true},
		{"https://example.com", "https://example.com", true},
		{"https://example.com:/", "https://example.com:/", true},
		{"https://Example.COM/", "https://Example.COM/", true},
		{"/a//b/", "/a//b/", true},
		{";s=1//evil.example/x", "/.//evil.example/x", true},
		{"?q=1", "", true},
		{"", "", true},
		{"#frag", "", true},
		{"has space", "", false},
		{"/tab\there", "", false},
		{"http://[::1/x", "", false},
		{"http://host:port/", "", false},
		{"http://ho[st/", "", false},
	}
	for _, tc := range tests {
		got, ok := URL([]byte("u="), tc.in, personal)
		if ok != tc.ok || string(got) != "u="+tc.want {
			t.Errorf("URL(%q) = %q, %v; want %q, %v", tc.in, got, ok, "u="+tc.want, tc.ok)
		}
	}
}

var (
	longDigits = regexp.MustCompile(`[0-9]{6}`)
	longHex    = regexp.MustCompile(`[0-9a-fA-F]{16}`)
)

func FuzzURL(f *testing.F) {
	for _, s := range []string{"https://jane:pw@example.com/u/123456?e=a@b.c#x", "/pricing?email=x", "mailto:a@b.c", "http://[::1]:80/", "//h/p;s=1", "/x/550e8400-e29b-41d4-a716-446655440000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := URL(nil, in, nil)
		if !ok {
			if len(out) != 0 {
				t.Fatalf("URL(%q) failed but wrote %q", in, out)
			}
			return
		}
		if strings.ContainsAny(string(out), "?#@;") {
			t.Fatalf("URL(%q) = %q keeps a query, fragment, userinfo or matrix parameter", in, out)
		}
		if !strings.Contains(in, "//") && (longDigits.Match(out) || longHex.Match(out)) {
			t.Fatalf("URL(%q) = %q keeps an identifier-like run", in, out)
		}
		if q := strings.IndexAny(in, "?#"); q >= 0 && q+1 < len(in) && strings.Contains(string(out), in[q:]) {
			t.Fatalf("URL(%q) = %q contains the query", in, out)
		}
		again, ok := URL(nil, string(out), nil)
		if !ok || string(again) != string(out) {
			t.Fatalf("URL not idempotent: %q → %q → %q, %v", in, out, again, ok)
		}
	})
}

func TestUserAgent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36", "Chrome 120 / Windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1", "Safari 17 / iOS 17"},
		{"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1", "Safari 16 / iOS 16"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", "Safari 17 / macOS"},
		{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox 121 / Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", "Edge 120 / Windows"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0", "Opera 105 / Windows"},
		{"Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18", "Opera 12 / Windows"},
		{"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36", "Samsung Internet 23 / Android 14"},
		{"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome 120 / Android 10"},
		{"Mozilla/5.0 (Linux; Android 11; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome 120 / Android 11"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", "Chrome 120 / iOS 17"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15", "Firefox 121 / iOS 17"},
		{"Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36", "Android WebView 118 / Android 13"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome 120 / ChromeOS"},
		{"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer 11 / Windows"},
		{"Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)", "Internet Explorer 10 / Windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", "Safari / iOS 17"},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bot"},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "bot"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", "bot"},
		{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "bot"},
		{"curl/8.4.0", "curl 8"},
		{"python-requests/2.31.0", "python-requests 2"},
		{"Go-http-client/1.1", "Go-http-client 1"},
		{"okhttp/4.12.0", "okhttp 4"},
		{"MyApp/1.2.3 (jane@example.com; build 48213)", "Other"},
		{"Mozilla/5.0 (Windows NT 10.0) Chrome/1234567.0", "Chrome / Windows"},
	}
	for _, tc := range tests {
		got, ok := UserAgent([]byte("a="), tc.in)
		if !ok || string(got) != "a="+tc.want {
			t.Errorf("UserAgent(%q) = %q, %v; want %q", tc.in, got, ok, "a="+tc.want)
		}
	}
	if got, ok := UserAgent(nil, "  "); ok {
		t.Errorf("UserAgent(blank) = %q, want failure", got)
	}
}

// uaGrammar is every output UserAgent may produce: a known name, a major
// version of at most 4 digits, an OS family.
var uaGrammar = func() *regexp.Regexp {
	var names []string
	for _, b := range browserTokens {
		names = append(names, regexp.QuoteMeta(b.name))
	}
	for _, c := range httpClients {
		names = append(names, regexp.QuoteMeta(c))
	}
	names = append(names, "Chrome", "Android WebView", "Internet Explorer", "Opera", "Safari", "Other")
	return regexp.MustCompile(`^(bot|(` + strings.Join(names, "|") + `)( [0-9]{1,4})?( / (Windows|iOS|Android|ChromeOS|macOS|Linux)( [0-9]{1,4})?)?)$`)
}()

func FuzzUserAgent(f *testing.F) {
	f.Add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36")
	f.Add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) Version/17.1.2 Mobile/15E148 Safari/604.1")
	f.Add("curl/8.4.0")
	f.Add("Googlebot/2.1")
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := UserAgent(nil, in)
		if !ok {
			return
		}
		if !uaGrammar.Match(out) {
			t.Fatalf("UserAgent(%q) = %q is outside the output grammar", in, out)
		}
	})
}

func TestCountry(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"us", "US", true}, {"US-CA", "US", true}, {"gb-eng", "GB", true}, {"FR-75C", "FR", true},
		{"", "", false}, {"U", "", false}, {"USA", "", false}, {"12", "", false}, {"US-", "", false}, {"US-C@", "", false},
	}
	for _, tc := range tests {
		got, ok := Country(nil, tc.in)
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("Country(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzCountry(f *testing.F) {
	f.Add("US-CA")
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := Country(nil, in)
		if ok && (len(out) != 2 || alnumUpper(string(out)) != string(out)) {
			t.Fatalf("Country(%q) = %q", in, out)
		}
	})
}

func TestGeneralizersDoNotAllocate(t *testing.T) {
	dst := make([]byte, 0, 256)
	ref := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	allocs := testing.AllocsPerRun(200, func() {
		IPPrefix(dst[:0], "203.0.113.45, [2001:db8::1]:443", 24, 48)
		PostalPrefix(dst[:0], "SW1A 1AA", "GB")
		TimeBucket(dst[:0], "2024-05-03T14:37:12.123+02:00", Hour)
		TimeBucket(dst[:0], "1714745832123", Month)
		AgeBandOf(dst[:0], "1990-07-01", ref)
		URL(dst[:0], "https://u:p@[2001:db8::1]:8080/users/1234567/x?email=a@b.c", nil)
		UserAgent(dst[:0], "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36")
		Country(dst[:0], "US-CA")
	})
	if allocs != 0 {
		t.Errorf("generalizers allocate %v times per run, want 0", allocs)
	}
}

func TestOutputsAreValidUTF8(t *testing.T) {
	out, _ := URL(nil, "/caf\xc3\xa9/men\xc3\xbc", nil)
	if !utf8.Valid(out) {
		t.Errorf("URL output %q is not valid UTF-8", out)
	}
}
