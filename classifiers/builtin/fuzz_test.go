package builtin

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/validate"
)

var (
	fuzzOnce  sync.Once
	fuzzEng   *engine.Engine
	fuzzNaive *engine.Naive
	fuzzErr   error
)

func fuzzEngines() (*engine.Engine, *engine.Naive, error) {
	fuzzOnce.Do(func() {
		rs, err := Rules()
		if err != nil {
			fuzzErr = err
			return
		}
		if fuzzEng, fuzzErr = engine.Compile(rs, engine.WithValidators(validate.Lookup)); fuzzErr != nil {
			return
		}
		fuzzNaive, fuzzErr = engine.NewNaive(rs, engine.WithValidators(validate.Lookup))
	})
	return fuzzEng, fuzzNaive, fuzzErr
}

// FuzzPack scans arbitrary text with the whole pack and checks that the
// findings are well formed (in bounds, on UTF-8 boundaries, sorted and
// disjoint) and identical to the naive loop's: the built-in patterns must
// not depend on which route the engine gives them.
func FuzzPack(f *testing.F) {
	if fh, err := os.Open("testdata/texts.txt"); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			f.Add(strings.ReplaceAll(sc.Text(), `\n`, "\n"))
		}
		fh.Close()
	}
	f.Add("::ffff:192.0.2.1 fe80::1%eth0/64 2001:db8::/9999")
	f.Add("é@é.fr +33 (0)1 42 68 53 00 x12")
	f.Fuzz(func(t *testing.T, text string) {
		e, n, err := fuzzEngines()
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Scan(text, nil)
		if err != nil {
			if !errors.Is(err, engine.ErrUnclassifiable) {
				t.Fatalf("scan error that is not ErrUnclassifiable: %v", err)
			}
			return // a timeout under load says nothing about the rules
		}
		prevEnd := 0
		for _, fd := range got {
			if fd.Start < prevEnd || fd.Start >= fd.End || fd.End > len(text) {
				t.Fatalf("finding %+v out of order or bounds in %q", fd, text)
			}
			if splitsRune(text, fd.Start) || splitsRune(text, fd.End) {
				t.Fatalf("finding %+v splits a UTF-8 character in %q", fd, text)
			}
			prevEnd = fd.End
		}
		want, err := n.Scan(text, nil)
		if err != nil {
			return
		}
		if !slices.EqualFunc(got, want, func(a, b classifiers.Finding) bool { return a == b }) {
			t.Fatalf("engine and naive loop differ on %q:\nengine %v\nnaive  %v", text, got, want)
		}
	})
}

// splitsRune reports whether offset p falls inside a valid multi-byte
// UTF-8 character of text (a stray continuation byte is a character of its
// own, so offsets next to one split nothing).
func splitsRune(text string, p int) bool {
	for s := p - 1; s >= 0 && s >= p-utf8.UTFMax+1; s-- {
		if !utf8.RuneStart(text[s]) {
			continue
		}
		r, size := utf8.DecodeRuneInString(text[s:])
		return r != utf8.RuneError && s+size > p
	}
	return false
}
