package names

import (
	"testing"
	"unicode/utf8"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		conversation, "", "Mr.", "Mr. ", "— ", "Dear\n", "O'", "Jean-", "-Anna", "'s",
		"John F.", "John F. ", "van der", "Mr. van der", "my name is john", "\xff\xfeBill Gates",
		"Éloïse Lefèvre", "İstanbul İrem", "Ǆemal Ǆ", "a\u0301b Ca\u0301rlos", "Best,\n\n— ",
	} {
		f.Add(s)
	}
	d := New(WithMinScore(0))
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for _, fd := range d.Detect(text, nil) {
			if fd.Start < 0 || fd.End > len(text) || fd.Start >= fd.End {
				t.Fatalf("bad span [%d,%d) in %d bytes", fd.Start, fd.End, len(text))
			}
			if fd.Start < prevEnd {
				t.Fatalf("overlapping spans at %d", fd.Start)
			}
			prevEnd = fd.End
			// Spans cover whole runes: the span itself decodes cleanly and,
			// for valid UTF-8 input, both ends fall on rune starts.
			if !utf8.ValidString(text[fd.Start:fd.End]) {
				t.Fatalf("span [%d,%d) is not valid UTF-8", fd.Start, fd.End)
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(text[fd.Start]) || (fd.End < len(text) && !utf8.RuneStart(text[fd.End]))) {
				t.Fatalf("span [%d,%d) not on rune boundaries", fd.Start, fd.End)
			}
			if fd.Score <= 0 || fd.Score > 1 || fd.Rule == "" {
				t.Fatalf("bad score/rule %v %q", fd.Score, fd.Rule)
			}
		}
	})
}
