package validate

import (
	"strings"
	"testing"
)

// benchInputs are typical candidates per validator: one that passes and one
// that a pattern would match but the validator rejects.
var benchInputs = []struct {
	name       string
	pass, fail string
}{
	{"luhn", "4111 1111 1111 1111", "4111 1111 1111 1112"},
	{"credit_card", "4111 1111 1111 1111", "1234 5678 1234 5670"},
	{"iban", "GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 33"},
	{"us_ssn", "536-90-4399", "078-05-1120"},
	{"ca_sin", "130 692 544", "130 692 545"},
	{"uk_nino", "AB 12 34 56 C", "QQ 12 34 56 C"},
	{"postal", "SW1A 1AA", "ZZ99 9ZZ"},
	{"postal_uk", "SW1A 1AA", "QA1 1AA"},
	{"postal_ca", "K1A 0B1", "W1A 0B1"},
	{"mac", "00:1a:2b:3c:4d:5e", "00:00:00:00:00:00"},
	{"base58check", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1BoatSLRHtKNngkdXEeobR76b53LETtpyU"},
	{"bech32", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"},
	{"crypto", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},
	{"eth_address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},
	{"ip", "2001:db8::1", "01.02.03.04"},
	{"geo", "48.8584, 2.2945", "48.85, 2.29"},
	{"date", "12. März 1985", "1985-02-30"},
	{"secret", "AKIAIOSFODNN7EXAMPLE", "user_id_12345678901234"},
	{"email", "john.doe+tag@example.co.uk", "john@example.notatld"},
	{"jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "eyJ0eXAiOiJKV1QifQ.e30.x"},
	{"phone", "+44 20 7946 0958", "123 456 7890"},
}

func BenchmarkValidators(b *testing.B) {
	for _, in := range benchInputs {
		f, ok := Lookup(in.name)
		if !ok {
			b.Fatalf("Lookup(%q) missing", in.name)
		}
		b.Run(in.name+"/pass", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !f(in.pass) {
					b.Fatalf("%s(%q) = false", in.name, in.pass)
				}
			}
		})
		b.Run(in.name+"/fail", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if f(in.fail) {
					b.Fatalf("%s(%q) = true", in.name, in.fail)
				}
			}
		})
	}
}

// TestNoAllocs holds the validators of fixed-size identifiers to their
// promise of working in stack buffers.
func TestNoAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation changes allocation")
	}
	zero := map[string]bool{
		"luhn": true, "credit_card": true, "iban": true, "us_ssn": true, "ca_sin": true,
		"uk_nino": true, "postal": true, "postal_uk": true, "postal_ca": true, "mac": true,
		"base58check": true, "bech32": true, "geo": true, "date": true, "secret": true,
		"ip": true, "phone": true, "jwt": true, "email": true,
	}
	// Phone keeps its digits in a pooled buffer and regexp its machines in
	// pools, which the race detector empties at random.
	if raceEnabled {
		delete(zero, "phone")
	}
	for _, in := range benchInputs {
		if !zero[in.name] {
			continue
		}
		f, _ := Lookup(in.name)
		for _, s := range []string{in.pass, in.fail} {
			if n := testing.AllocsPerRun(50, func() { f(s) }); n != 0 {
				t.Errorf("%s(%q): %v allocations, want 0", in.name, s, n)
			}
		}
	}
	// JWTs and near misses, alone and through Secret: empty signature,
	// escaped and upper-case "alg", bad JSON, bad base64, nesting.
	hs := seg(`{"alg":"HS256","typ":"JWT"}`)
	pl := seg(`{"sub":"1234567890","name":"John Doe","admin":true,"roles":["a","b"],"n":-1.5e3,"x":null}`)
	for _, s := range []string{
		benchInputs[len(benchInputs)-2].pass, hs + "." + pl + ".", seg(`{"\u0061LG":"none"}`) + "." + pl + ".sig",
		seg(`{"alg":5}`) + "." + pl + ".", hs + "." + seg(`{"a":[1,{"b":[]}]}`) + ".x", hs + "." + seg(`{"a":`) + ".x",
		hs + "x." + pl + ".", "eyJhbGciOiJIUzI1NiJ9.eyJ.x", "eyJ0eXAiOiJKV1QifQ.e30.x",
	} {
		if n := testing.AllocsPerRun(50, func() { JWT(s) }); n != 0 {
			t.Errorf("JWT(%q): %v allocations, want 0", s, n)
		}
		if n := testing.AllocsPerRun(50, func() { Secret(s) }); n != 0 {
			t.Errorf("Secret(%q): %v allocations, want 0", s, n)
		}
	}
	// IP addresses of every form, and times that the IPv6 pattern hands
	// over from timestamps.
	for _, s := range []string{"192.0.2.1", "10.0.0.0/8", "::1", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:db8::/32", ":03:09", "08:04:30", "1.2.3", "fe80::1%eth0/64"} {
		if n := testing.AllocsPerRun(50, func() { IP(s) }); n != 0 {
			t.Errorf("IP(%q): %v allocations, want 0", s, n)
		}
	}
	// Phone numbers in the forms the phone rules find: international,
	// NANP, and national with a trunk prefix in GB, FR and DE; valid and
	// not.
	for _, s := range []string{
		"+1-786-567-3884", "1-786-567-3884", "438-717-9490", "(415) 555-0132", "1 (678) 515-9218", "212.736.5000",
		"+44 20 7946 0958", "+447537821168", "07716 267184", "0161 877 6855", "020 7946 0958",
		"+33 (0)7 39 60 02 02", "06.24.64.80.66", "01 42 68 53 00", "0686994507",
		"0049 179 44628085", "+4969795923", "0175 6318276", "030 1234567", "089 / 12 34 56 78",
		"123 456 7890", "0100 1994", "+2025",
	} {
		if raceEnabled {
			break
		}
		if n := testing.AllocsPerRun(50, func() { Phone(s) }); n != 0 {
			t.Errorf("Phone(%q): %v allocations, want 0", s, n)
		}
	}
	// Addresses of every ASCII form, valid and not: upper case, punycode
	// labels and TLDs, wildcard and private suffixes, unknown TLDs, bad
	// punycode, Latin-1 letters in the domain. (Other Unicode domains
	// allocate in idna.)
	for _, s := range []string{
		"info@presidio.site", "USER@EXAMPLE.COM", "a@xn--d1acufc.xn--p1ai", "a@XN--D1ACUFC.XN--P1AI", "user@xn--80ak6aa92e.com",
		"a@b.ck", "x_y@my-app.appspot.com", "müller@example.de", "john@example.notatld", "a@xn--.com", "a@xn--abc-.com",
		"a@xn--9999999999.com", "a@example.local", "a@1.2.3.4", "a@example..com", "a@" + strings.Repeat("b", 70) + ".com",
		"koen.devries@crème-brûlée.eu", "hernandez@café-lumière.es", "gisela@señor-viajes.com", "a@Café.COM", "a@café.notatld",
		"a@" + strings.Repeat("é", 40) + ".com",
	} {
		if n := testing.AllocsPerRun(50, func() { Email(s) }); n != 0 {
			t.Errorf("Email(%q): %v allocations, want 0", s, n)
		}
	}
	// Bitcoin addresses, and Ethereum addresses without a mixed-case
	// checksum, do not allocate either.
	for _, s := range []string{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0xde709f2102306220921060314715629080e2fb77"} {
		if n := testing.AllocsPerRun(50, func() { Crypto(s) }); n != 0 {
			t.Errorf("Crypto(%q): %v allocations, want 0", s, n)
		}
	}
}
