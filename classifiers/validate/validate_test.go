package validate

import (
	"slices"
	"testing"
)

// check runs one validator over a table and reports every mismatch with the
// case's reason.
func check(t *testing.T, name string, f Func, cases []struct {
	in   string
	want bool
	why  string
}) {
	t.Helper()
	for _, c := range cases {
		if got := f(c.in); got != c.want {
			t.Errorf("%s(%q) = %v, want %v (%s)", name, c.in, got, c.want, c.why)
		}
	}
}

func TestNamesSortedAndResolvable(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Fatalf("Names() not sorted: %v", names)
	}
	if len(names) != len(registry) {
		t.Fatalf("Names() has %d names, registry %d", len(names), len(registry))
	}
	for _, n := range names {
		if f, ok := Lookup(n); !ok || f == nil {
			t.Errorf("Lookup(%q) = %v, %v", n, f, ok)
		}
	}
	// The names the brief and the rule pack rely on.
	for _, n := range []string{
		"luhn", "credit_card", "iban", "us_ssn", "ca_sin", "uk_nino", "ip", "phone", "phone_possible",
		"postal", "postal_us", "postal_ca", "postal_uk", "postal_de", "postal_fr",
		"postal_nl", "postal_ch", "postal_at", "postal_be", "postal_dk",
		"base58check", "bech32", "crypto", "jwt", "secret", "email", "mac", "geo", "date", "date_short_year",
	} {
		if _, ok := Lookup(n); !ok {
			t.Errorf("Lookup(%q) missing", n)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error(`Lookup("nope") found a validator`)
	}
	// Names returns a copy the caller may change.
	names[0] = "changed"
	if Names()[0] == "changed" {
		t.Error("Names() shares its slice")
	}
}

func TestLookupIsTheFunction(t *testing.T) {
	// Each registered function must agree with the exported one it names.
	cases := []struct {
		name string
		f    Func
		in   string
	}{
		{"luhn", Luhn, "79927398713"},
		{"credit_card", CreditCard, "4111111111111111"},
		{"iban", IBAN, "GB82 WEST 1234 5698 7654 32"},
		{"us_ssn", USSSN, "536-90-4399"},
		{"ca_sin", CASIN, "130 692 544"},
		{"uk_nino", UKNINO, "AB 12 34 56 C"},
		{"ip", IP, "192.0.2.1"},
		{"postal_uk", PostalUK, "SW1A 1AA"},
		{"crypto", Crypto, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
		{"mac", MAC, "00:1a:2b:3c:4d:5e"},
		{"date", Date, "1985-03-12"},
		{"date_short_year", DateShortYear, "03/07/85"},
	}
	for _, c := range cases {
		f, ok := Lookup(c.name)
		if !ok {
			t.Fatalf("Lookup(%q) missing", c.name)
		}
		if f(c.in) != c.f(c.in) || !f(c.in) {
			t.Errorf("Lookup(%q)(%q) = %v, direct %v", c.name, c.in, f(c.in), c.f(c.in))
		}
	}
}
