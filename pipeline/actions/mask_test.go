package actions

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
)

func TestMask(t *testing.T) {
	tests := []struct {
		in   string
		keep int
		want string
	}{
		{"4111 1111 1111 1111", 4, "**** **** **** 1111"},
		{"4111-1111-1111-1111", 0, "****-****-****-****"},
		{"+1 (415) 555-2671", 4, "+* (***) ***-2671"},
		{"jane", 0, "****"},
		{"123456789", 10, "*****6789"}, // clamped to MaxMaskKeep
		{"123456789", -2, "*********"},
		{"ÄÖÜ12", 1, "****2"},
		{"\xff12", 1, "**2"},
		{"", 4, ""},
		{"---", 2, "---"},
	}
	for _, tc := range tests {
		if got := Mask([]byte("m="), tc.in, tc.keep); string(got) != "m="+tc.want {
			t.Errorf("Mask(%q, %d) = %q, want %q", tc.in, tc.keep, got, "m="+tc.want)
		}
	}
}

func FuzzMask(f *testing.F) {
	f.Add("4111 1111 1111 1111", 4)
	f.Add("DE89 3704 0044 0532 0130 00", 9)
	f.Fuzz(func(t *testing.T, in string, keep int) {
		out := string(Mask(nil, in, keep))
		if longDigits.MatchString(out) {
			t.Fatalf("Mask(%q, %d) = %q keeps six digits", in, keep, out)
		}
		if utf8.ValidString(in) && utf8.RuneCountInString(out) != utf8.RuneCountInString(in) {
			t.Fatalf("Mask(%q, %d) = %q changes the length", in, keep, out)
		}
	})
}

func TestMarker(t *testing.T) {
	tests := []struct {
		in   classifiers.EntityType
		want string
	}{
		{classifiers.EmailAddress, "[EMAIL_ADDRESS]"},
		{classifiers.USSSN, "[US_SSN]"},
		{"", "[REDACTED]"},
		{"bad type]", "[REDACTED]"},
	}
	for _, tc := range tests {
		if got := Marker(nil, tc.in); string(got) != tc.want {
			t.Errorf("Marker(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScrub(t *testing.T) {
	const text = "mail jane@x.io or call 555-0100 now"
	email := classifiers.Finding{Type: classifiers.EmailAddress, Start: 5, End: 14}
	phone := classifiers.Finding{Type: classifiers.PhoneNumber, Start: 23, End: 31}
	tests := []struct {
		name     string
		text     string
		findings []classifiers.Finding
		want     string
	}{
		{"none", text, nil, text},
		{"sorted", text, []classifiers.Finding{email, phone}, "mail [EMAIL_ADDRESS] or call [PHONE_NUMBER] now"},
		{"unsorted", text, []classifiers.Finding{phone, email}, "mail [EMAIL_ADDRESS] or call [PHONE_NUMBER] now"},
		{"overlapping", text, []classifiers.Finding{email, {Type: classifiers.URL, Start: 10, End: 17}, phone}, "mail [EMAIL_ADDRESS] call [PHONE_NUMBER] now"},
		{"nested", text, []classifiers.Finding{{Type: classifiers.Person, Start: 0, End: 31}, email}, "[PERSON] now"},
		{"out of range", text, []classifiers.Finding{{Type: classifiers.PhoneNumber, Start: 23, End: 99}, {Type: classifiers.Secret, Start: -5, End: 4}}, "[SECRET] jane@x.io or call [PHONE_NUMBER]"},
		{"empty and inverted spans", text, []classifiers.Finding{{Start: 3, End: 3}, {Start: 9, End: 2}}, text},
		{"mid-rune span widens", "née 123", []classifiers.Finding{{Type: classifiers.Person, Start: 2, End: 3}}, "n[PERSON]e 123"},
		{"whole text", "555-0100", []classifiers.Finding{{Type: classifiers.PhoneNumber, Start: 0, End: 8}}, "[PHONE_NUMBER]"},
	}
	for _, tc := range tests {
		if got := Scrub([]byte("s="), tc.text, tc.findings); string(got) != "s="+tc.want {
			t.Errorf("%s: Scrub = %q, want %q", tc.name, got, "s="+tc.want)
		}
	}
}

func FuzzScrub(f *testing.F) {
	f.Add("mail jane@x.io or call 555-0100", 5, 14, 23, 31)
	f.Add("née", 2, 3, 0, 1)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		fs := []classifiers.Finding{{Type: classifiers.EmailAddress, Start: s1, End: e1}, {Type: classifiers.PhoneNumber, Start: s2, End: e2}}
		out := string(Scrub(nil, text, fs))
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("Scrub(%q) = %q is not valid UTF-8", text, out)
		}
		// every byte covered by a finding is gone: what is left outside the
		// markers is exactly the uncovered text
		covered := make([]bool, len(text))
		for _, f := range fs {
			s, e := clampSpan(text, f.Start, f.End)
			for i := s; i < e; i++ {
				covered[i] = true
			}
		}
		var rest strings.Builder
		for i := 0; i < len(text); i++ {
			if !covered[i] {
				rest.WriteByte(text[i])
			}
		}
		stripped := strings.NewReplacer("[EMAIL_ADDRESS]", "", "[PHONE_NUMBER]", "").Replace(out)
		if !strings.Contains(text, "[") && stripped != rest.String() {
			t.Fatalf("Scrub(%q, %v) = %q; uncovered text %q", text, fs, out, rest.String())
		}
	})
}

func TestScrubDoesNotAllocate(t *testing.T) {
	dst := make([]byte, 0, 128)
	fs := []classifiers.Finding{{Type: classifiers.PhoneNumber, Start: 23, End: 31}, {Type: classifiers.EmailAddress, Start: 5, End: 14}}
	allocs := testing.AllocsPerRun(200, func() {
		Scrub(dst[:0], "mail jane@x.io or call 555-0100 now", fs)
		Mask(dst[:0], "4111 1111 1111 1111", 4)
		Marker(dst[:0], classifiers.EmailAddress)
	})
	if allocs != 0 {
		t.Errorf("Scrub/Mask/Marker allocate %v times per run, want 0", allocs)
	}
}
