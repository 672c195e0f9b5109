package names

import (
	"math/rand/v2"
	"strings"
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

// FuzzMayHoldName holds Detect's screen to the detector: on a text the
// screen rejects, the unscreened detector finds nothing (at any score).
func FuzzMayHoldName(f *testing.F) {
	for _, s := range []string{"dear.anna", "mr.van.berg", "my-name-is-john", "-anna", "regards/john", "dr.smith", "call_me_anna"} {
		f.Add(s)
	}
	d := New(WithMinScore(0))
	f.Fuzz(func(t *testing.T, text string) {
		if mayHoldName(text) {
			return
		}
		if got := d.detect(text, nil); len(got) > 0 {
			t.Fatalf("screened out %q, which holds %+v", text, got)
		}
	})
}

// TestMayHoldName builds lower-case texts from names, titles, particles
// and context words joined by the separators the screen ignores, and
// checks that the unscreened detector finds nothing in them, while the
// same words joined by spaces pass the screen.
func TestMayHoldName(t *testing.T) {
	words := []string{"dear", "anna", "john", "smith", "my", "name", "is", "call", "me", "mr", "mrs", "dr", "m",
		"van", "der", "de", "la", "regards", "best", "thanks", "hi", "hello", "ich", "heiße", "bin", "je", "suis",
		"naam", "van", "ik", "heet", "t", "n", "v", "sarah", "müller", "o", "brien", "x", "42"}
	seps := []string{".", "-", "_", "/", "@", "#", "+", "=", "%", "&", "!", "?", "*", "~", "|", "\\", "^", "$", "..", "-.", "", "0"}
	d := New(WithMinScore(0))
	rng := rand.New(rand.NewPCG(7, 8))
	screened := 0
	for i := 0; i < 200000; i++ {
		var b strings.Builder
		for k, n := 0, 1+rng.IntN(6); k < n; k++ {
			if k > 0 || rng.IntN(4) == 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		text := b.String()
		if mayHoldName(text) {
			continue // "heiße", "müller": non-ASCII passes the screen
		}
		screened++
		if got := d.detect(text, nil); len(got) > 0 {
			t.Fatalf("screened out %q, which holds %+v", text, got)
		}
	}
	if screened < 100000 {
		t.Fatalf("only %d texts screened out: the test does not exercise the screen", screened)
	}
	for _, s := range []string{"dear anna", "Anna", "my name is john", "dear,anna", "Émile", "mr:x"} {
		if !mayHoldName(s) {
			t.Errorf("mayHoldName(%q) = false", s)
		}
	}
}
