// Command corpusgen writes labelled events or texts from the corpus
// generator as JSON Lines, ready for shared/conformance/score.py.
//
//	corpusgen -n 2000 -seed 1 -kind mixed -o events.jsonl
//	corpusgen -n 1000 -seed 7 -kind text -o texts.jsonl
//
// -kind mixed, analytics or conversation writes `redact` records
// ({"id","kind","event","pii_values","keep_values"}); -kind text writes
// `detect` cases ({"id","text","entities","locale"}).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/veilstream/veil/bench/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("corpusgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 2000, "number of records to write")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output")
	kind := fs.String("kind", "mixed", "mixed, analytics, conversation (events) or text (free-text cases)")
	out := fs.String("o", "-", "output file (- for standard output)")
	population := fs.Int("population", 400, "number of distinct people the events come from")
	locales := fs.String("locales", strings.Join(corpus.TextLocales, ","), "languages of -kind text, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *n < 0 {
		return fmt.Errorf("-n must not be negative, got %d", *n)
	}
	opts := []corpus.Option{corpus.WithPopulation(*population)}
	if *kind != "text" {
		mix, err := corpus.MixNamed(*kind)
		if err != nil {
			return fmt.Errorf("-kind: %w", err)
		}
		opts = append(opts, corpus.WithMix(mix))
	} else {
		langs := strings.Split(*locales, ",")
		for _, l := range langs {
			if !contains(corpus.TextLocales, l) {
				return fmt.Errorf("-locales: unknown language %q (known: %s)", l, strings.Join(corpus.TextLocales, ","))
			}
		}
		opts = append(opts, corpus.WithTextLocales(langs...))
	}

	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("open output: %w", err)
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close %s: %w", *out, cerr)
			}
		}()
		w = f
	}
	g := corpus.New(*seed, opts...)
	if *kind == "text" {
		return corpus.WriteTexts(w, g, *n)
	}
	return corpus.WriteRecords(w, g, *n)
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
