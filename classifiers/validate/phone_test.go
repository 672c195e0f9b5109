package validate

import (
	"slices"
	"testing"
)

func TestPhone(t *testing.T) {
	check(t, "Phone", Phone, []struct {
		in   string
		want bool
		why  string
	}{
		{"+1 415 555 0132", true, "E.164 with spaces"},
		{"+14155550132", true, "E.164 compact"},
		{"(415) 555-0132", true, "NANP national; the 555-01xx fiction range is valid to libphonenumber"},
		{"415.555.0132", true, "NANP with dots"},
		{"+44 20 7946 0958", true, "UK international"},
		{"(+34) 612 345 678", true, "ES international, country code in parentheses"},
		{"(+34 612 345 678", true, "an unclosed parenthesis is punctuation like the others"},
		{"((+34) 612 345 678", false, "'+' only first, or right after one '('"},
		{"020 7946 0958", true, "UK national"},
		{"0044 20 7946 0958", true, "00 international prefix"},
		{"01 23 45 67 89", true, "FR landline"},
		{"06 12 34 56 78", true, "FR mobile"},
		{"+33 6 12 34 56 78", true, "FR international"},
		{"030 123456", true, "DE Berlin landline"},
		{"0049 30 123456", true, "DE with 00"},
		{"0532 123 45 67", true, "TR mobile, national format (needs TR in the region list)"},
		{"09171234567", true, "PH mobile, national format (also valid as a GB number)"},
		{"+63 917 123 4567", true, "PH international"},
		{"+90 532 123 45 67", true, "TR international"},
		{"98765 43210", true, "IN mobile"},
		{"(02) 9876 5432", true, "AU Sydney landline"},
		{"12345", false, "too few digits"},
		{"555-0132", false, "seven-digit local number without area code (valid DE/AT digits, but no trunk prefix)"},
		{"1234567", false, "a Vienna number without its trunk prefix"},
		{"123 456 7890", false, "NANP area 123 does not exist; as GB digits it lacks the trunk 0"},
		{"01234 567890", true, "GB geographic number with trunk 0"},
		{"7911 123456", false, "GB mobile without trunk 0"},
		{"+90 212 123 45 67", true, "TR Istanbul landline"},
		{"532 123 45 67", true, "TR mobile without trunk 0, as Turks often write it"},
		{"2121234567", true, "TR Istanbul landline without trunk 0"},
		{"917 123 4567", true, "PH mobile without trunk 0 is rejected as PH but is also a valid Indian mobile"},
		{"4111111111111111", false, "card number: 16 digits"},
		{"+1 555 555", false, "too short after country code"},
		{"+44 20 7946 0958 ext 12", false, "extension text"},
		{"1-800-FLOWERS", false, "letters"},
		{"41 5+555 0132", false, "plus inside"},
		{"+999 1234 5678", false, "unassigned country code"},
		{"", false, "empty"},
	})
}

func TestPhoneRegions(t *testing.T) {
	rs := PhoneRegions()
	want := []string{"US", "CA", "GB", "FR", "DE", "AT", "CH", "BE", "NL", "IE", "AU", "IN", "TR", "PH", "ES", "IT"}
	if !slices.Equal(rs, want) {
		t.Fatalf("PhoneRegions() = %v, want %v", rs, want)
	}
	rs[0] = "ZZ"
	if PhoneRegions()[0] != "US" {
		t.Error("PhoneRegions() shares its array")
	}
}

func TestPhoneFor(t *testing.T) {
	us := PhoneFor("US")
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"(415) 555-0132", true},
		{"0532 123 45 67", false},   // TR national: not a US number
		{"+90 532 123 45 67", true}, // international numbers pass whatever the regions
		{"020 7946 0958", false},    // GB national
	} {
		if got := us(c.in); got != c.want {
			t.Errorf("PhoneFor(US)(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if !PhoneFor("TR")("0532 123 45 67") {
		t.Error("PhoneFor(TR) rejects a TR mobile")
	}
	if PhoneFor("XX")("020 7946 0958") {
		t.Error("PhoneFor with an unknown region accepts a national number")
	}
}

func TestPhonePossible(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"+31 6 12345678", true},       // valid
		{"+31699896366", true},         // NL mobile range 069 unassigned, length right
		{"+33 (0)6 97 26 31 24", true}, // FR 0697 unassigned, trunk (0) dropped
		{"0033 6 92 65 34 83", true},   // the same through the "00" prefix
		{"+33 6 97 26 31 2", false},    // FR numbers have nine digits: one short
		{"+33 6 97 26 31 245", false},  // one long
		{"06 99896366", false},         // national form: Phone's job
		{"+999 123 4567", false},       // no such country code
		{"+1 555 0100", false},         // NANP needs ten digits
		{"+49 30 abc", false},          // letters
	} {
		if got := PhonePossible(tc.in); got != tc.want {
			t.Errorf("PhonePossible(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
