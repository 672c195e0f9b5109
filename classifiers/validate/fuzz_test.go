package validate

import (
	"strings"
	"testing"
)

// fuzzValidator runs fn over fuzzed input: it must not panic, the function
// Lookup(name) returns must agree with it, and prop (when not nil) checks a
// property that accepted (or rejected) inputs must have.
func fuzzValidator(f *testing.F, name string, fn Func, seeds []string, prop func(t *testing.T, s string, got bool)) {
	f.Helper()
	reg, ok := Lookup(name)
	if !ok {
		f.Fatalf("Lookup(%q) missing", name)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := fn(s)
		if reg(s) != got {
			t.Fatalf("Lookup(%q)(%q) = %v, %s = %v", name, s, reg(s), name, got)
		}
		if prop != nil {
			prop(t, s, got)
		}
	})
}

// digitCount counts the ASCII digits of s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// sameUnderCase fails t when f changes its answer for s when s's ASCII
// letters change case.
func sameUnderCase(t *testing.T, name string, f Func, s string, got bool) {
	t.Helper()
	if f(strings.ToUpper(s)) != got && isASCII(s) {
		t.Fatalf("%s(%q) = %v, but differs in upper case", name, s, got)
	}
	if f(strings.ToLower(s)) != got && isASCII(s) {
		t.Fatalf("%s(%q) = %v, but differs in lower case", name, s, got)
	}
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func FuzzLuhn(f *testing.F) {
	fuzzValidator(f, "luhn", Luhn, []string{"79927398713", "4111 1111 1111 1111", "-1", "00"}, func(t *testing.T, s string, got bool) {
		if got && Luhn(strings.NewReplacer(" ", "", "-", "").Replace(s)) != true {
			t.Fatalf("Luhn(%q) depends on separators", s)
		}
	})
}

func FuzzCreditCard(f *testing.F) {
	fuzzValidator(f, "credit_card", CreditCard, []string{"4111111111111111", "5500 0000 0000 0004", "378282246310005", "0000000000000000"}, func(t *testing.T, s string, got bool) {
		if got && (!Luhn(s) || digitCount(s) < 13 || digitCount(s) > 19) {
			t.Fatalf("CreditCard(%q) accepted without Luhn or 13–19 digits", s)
		}
	})
}

func FuzzIBAN(f *testing.F) {
	fuzzValidator(f, "iban", IBAN, []string{"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "XX00", "GB01WEST00000000000047"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "IBAN", IBAN, s, got)
	})
}

func FuzzUSSSN(f *testing.F) {
	fuzzValidator(f, "us_ssn", USSSN, []string{"536-90-4399", "078-05-1120", "536 90 4399", "536-90 4399"}, func(t *testing.T, s string, got bool) {
		if got && digitCount(s) != 9 {
			t.Fatalf("USSSN(%q) accepted %d digits", s, digitCount(s))
		}
	})
}

func FuzzCASIN(f *testing.F) {
	fuzzValidator(f, "ca_sin", CASIN, []string{"130 692 544", "046 454 286", "800000002"}, func(t *testing.T, s string, got bool) {
		if got && !Luhn(strings.ReplaceAll(s, ".", "-")) {
			t.Fatalf("CASIN(%q) accepted without Luhn", s)
		}
	})
}

func FuzzUKNINO(f *testing.F) {
	fuzzValidator(f, "uk_nino", UKNINO, []string{"AB 12 34 56 C", "QQ123456C", "ab123456c"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "UKNINO", UKNINO, s, got)
	})
}

func FuzzIP(f *testing.F) {
	fuzzValidator(f, "ip", IP, []string{"192.168.0.1", "fe80::1%eth0", "::ffff:192.0.2.1", "10.0.0.0/8", "01.02.03.04"}, func(t *testing.T, s string, got bool) {
		if got != (IPv4(s) || IPv6(s)) {
			t.Fatalf("IP(%q) = %v disagrees with IPv4 || IPv6", s, got)
		}
	})
}

func FuzzIPv4(f *testing.F) {
	fuzzValidator(f, "ipv4", IPv4, []string{"192.168.0.1", "1.2.3.4/32"}, func(t *testing.T, s string, got bool) {
		if got && IPv6(s) {
			t.Fatalf("%q is both IPv4 and IPv6", s)
		}
	})
}

func FuzzIPv6(f *testing.F) {
	fuzzValidator(f, "ipv6", IPv6, []string{"::1", "2001:db8::/32"}, nil)
}

func FuzzPhone(f *testing.F) {
	fuzzValidator(f, "phone", Phone, []string{"+1 415 555 0132", "(415) 555-0132", "0532 123 45 67", "09171234567", "0049 30 123456", "00"}, func(t *testing.T, s string, got bool) {
		if n := digitCount(s); got && (n < 7 || n > 17) {
			t.Fatalf("Phone(%q) accepted %d digits", s, n)
		}
	})
}

func FuzzPostal(f *testing.F) {
	fuzzValidator(f, "postal", Postal, []string{"90210-1234", "K1A 0B1", "SW1A 1AA", "GIR 0AA", "1234 AB", "8001", "75008"}, func(t *testing.T, s string, got bool) {
		anyOK := false
		for _, n := range []string{"postal_us", "postal_ca", "postal_uk", "postal_de", "postal_fr", "postal_nl", "postal_ch", "postal_at", "postal_be", "postal_dk"} {
			fn, _ := Lookup(n)
			anyOK = anyOK || fn(s)
		}
		if anyOK != got {
			t.Fatalf("Postal(%q) = %v, the country validators say %v", s, got, anyOK)
		}
	})
}

func FuzzPostalUS(f *testing.F) {
	fuzzValidator(f, "postal_us", PostalUS, []string{"90210", "90210-1234"}, nil)
}

func FuzzPostalCA(f *testing.F) {
	fuzzValidator(f, "postal_ca", PostalCA, []string{"K1A 0B1", "k1a-0b1"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "PostalCA", PostalCA, s, got)
	})
}

func FuzzPostalUK(f *testing.F) {
	fuzzValidator(f, "postal_uk", PostalUK, []string{"SW1A 1AA", "GIR 0AA", "M1 1AE", "STHL 1ZZ"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "PostalUK", PostalUK, s, got)
		if got && !strings.Contains(s, " ") && len(s) > 4 && !PostalUK(s[:len(s)-3]+" "+s[len(s)-3:]) {
			t.Fatalf("PostalUK(%q) accepts it unspaced but not spaced", s)
		}
	})
}

func FuzzPostalDE(f *testing.F) { fuzzValidator(f, "postal_de", PostalDE, []string{"10115"}, nil) }
func FuzzPostalFR(f *testing.F) { fuzzValidator(f, "postal_fr", PostalFR, []string{"75008"}, nil) }

func FuzzPostalNL(f *testing.F) {
	fuzzValidator(f, "postal_nl", PostalNL, []string{"1234 AB", "1234SS"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "PostalNL", PostalNL, s, got)
	})
}

func FuzzPostalCH(f *testing.F) { fuzzValidator(f, "postal_ch", PostalCH, []string{"8001"}, nil) }
func FuzzPostalAT(f *testing.F) { fuzzValidator(f, "postal_at", PostalAT, []string{"1010"}, nil) }
func FuzzPostalBE(f *testing.F) { fuzzValidator(f, "postal_be", PostalBE, []string{"1000"}, nil) }
func FuzzPostalDK(f *testing.F) { fuzzValidator(f, "postal_dk", PostalDK, []string{"0800"}, nil) }

func FuzzBase58Check(f *testing.F) {
	fuzzValidator(f, "base58check", Base58Check, []string{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1111111111111111111114oLvT2", "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"}, func(t *testing.T, s string, got bool) {
		if got && strings.ContainsAny(s, "0OIl") {
			t.Fatalf("Base58Check(%q) accepted a character outside the alphabet", s)
		}
	})
}

func FuzzBech32(f *testing.F) {
	fuzzValidator(f, "bech32", Bech32, []string{"A12UEL5L", "a1lqfn3a", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "?1ezyfcl"}, func(t *testing.T, s string, got bool) {
		if got && (!Bech32(strings.ToLower(s)) || !Bech32(strings.ToUpper(s))) {
			t.Fatalf("Bech32(%q) depends on case", s)
		}
	})
}

func FuzzCrypto(f *testing.F) {
	fuzzValidator(f, "crypto", Crypto, []string{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}, func(t *testing.T, s string, got bool) {
		if got && !Base58Check(s) && !Bech32(s) && !EthereumAddress(s) {
			t.Fatalf("Crypto(%q) accepted without a checksum format", s)
		}
	})
}

func FuzzBitcoinAddress(f *testing.F) {
	fuzzValidator(f, "btc_address", BitcoinAddress, []string{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"}, nil)
}

func FuzzEthereumAddress(f *testing.F) {
	fuzzValidator(f, "eth_address", EthereumAddress, []string{"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xde709f2102306220921060314715629080e2fb77"}, func(t *testing.T, s string, got bool) {
		if got && !EthereumAddress("0x"+strings.ToLower(s[2:])) {
			t.Fatalf("EthereumAddress(%q) accepted but its lower-case form is rejected", s)
		}
	})
}

func FuzzJWT(f *testing.F) {
	fuzzValidator(f, "jwt", JWT, []string{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "eyJhbGciOiJub25lIn0.e30."}, func(t *testing.T, s string, got bool) {
		if got && strings.Count(s, ".") != 2 {
			t.Fatalf("JWT(%q) accepted without three segments", s)
		}
	})
}

func FuzzSecret(f *testing.F) {
	fuzzValidator(f, "secret", Secret, []string{"AKIAIOSFODNN7EXAMPLE", "-----BEGIN RSA PRIVATE KEY-----", "Bearer abcdef0123456789", "550e8400-e29b-41d4-a716-446655440000", "SG.a.b"}, func(t *testing.T, s string, got bool) {
		if got && isUUID(s) {
			t.Fatalf("Secret(%q) accepted a UUID", s)
		}
		if e := Entropy(s); e < 0 || e > 8 {
			t.Fatalf("Entropy(%q) = %v out of [0, 8]", s, e)
		}
	})
}

func FuzzEmail(f *testing.F) {
	fuzzValidator(f, "email", Email, []string{"info@presidio.site", "a@xn--d1acufc.xn--p1ai", "user@пример.рф", "john@example.notatld"}, func(t *testing.T, s string, got bool) {
		if got && strings.Count(s, "@") != 1 {
			t.Fatalf("Email(%q) accepted without exactly one @", s)
		}
	})
}

func FuzzMAC(f *testing.F) {
	fuzzValidator(f, "mac", MAC, []string{"00:1a:2b:3c:4d:5e", "001a.2b3c.4d5e", "00-00-00-00-00-00"}, func(t *testing.T, s string, got bool) {
		sameUnderCase(t, "MAC", MAC, s, got)
	})
}

func FuzzGeoCoordinate(f *testing.F) {
	fuzzValidator(f, "geo", GeoCoordinate, []string{"48.8584, 2.2945", "48.8584° N, 2.2945° E", "2.2945 E, 48.8584 N", "-33.8568,151.2153"}, func(t *testing.T, s string, got bool) {
		if got && digitCount(s) < 8 {
			t.Fatalf("GeoCoordinate(%q) accepted with fewer than 8 digits", s)
		}
	})
}

func FuzzDate(f *testing.F) {
	fuzzValidator(f, "date", Date, []string{"1985-03-12", "12/03/1985", "12. März 1985", "1er mars 1985", "March 12, 1985"}, func(t *testing.T, s string, got bool) {
		if !got {
			return
		}
		y, m, d, ok := parseDate(s)
		if !ok || !dateExists(y, m, d) || y < minDateYear {
			t.Fatalf("Date(%q) accepted %d-%d-%d (ok %v)", s, y, m, d, ok)
		}
	})
}

func FuzzDateShortYear(f *testing.F) {
	fuzzValidator(f, "date_short_year", DateShortYear, []string{"03/07/85", "12.05.78", "7-4-76", "31/02/85"}, func(t *testing.T, s string, got bool) {
		if got && (len(s) < 6 || len(s) > 8 || digitCount(s) < 4) {
			t.Fatalf("DateShortYear(%q) accepted a string of the wrong shape", s)
		}
	})
}
