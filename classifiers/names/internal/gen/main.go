// Command gen derives the name lists shipped in classifiers/names/data from
// the raw files published by statistics offices and city administrations.
//
// The raw files are not kept in the repository (some are tens of megabytes);
// data/README.md says where each one comes from and which command line
// produced each list. The program reads one source, aggregates counts per
// name, keeps the most frequent names (-top) or those with at least -min
// occurrences, and writes one lowercase name per line, most frequent first.
//
// Input formats (-format):
//
//	ssa-yob     directory of SSA yobYYYY.txt files ("Name,F,123"); -from/-to select years
//	ranked      one name per line (or the first column of Census dist.all.last), in rank order
//	census2010  Names_2010Census.csv ("name,rank,count,..."); rank order
//	insee-nat   INSEE nat20XX.csv ("sexe;preusuel;annais;nombre"); _PRENOMS_RARES dropped
//	counts      "NAME,count" lines (an aggregate, e.g. INSEE totals per name)
//	city-de     German city open data ("anzahl;vorname;geschlecht[;position]")
//	words       one name per line, counted once each (lists published without counts)
//
// Usage:
//
//	go run ./classifiers/names/internal/gen -format ssa-yob -in /tmp/ssa -from 1930 -to 2024 -top 5000 -out data/given_en_us_ssa.txt
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	var (
		format = flag.String("format", "", "input format (see package doc)")
		out    = flag.String("out", "", "output file (default stdout)")
		top    = flag.Int("top", 0, "keep at most this many names (0: no limit)")
		min    = flag.Int("min", 0, "keep names with at least this many occurrences")
		from   = flag.Int("from", 0, "ssa-yob: first year")
		to     = flag.Int("to", 9999, "ssa-yob: last year")
	)
	var inputs multiFlag
	flag.Var(&inputs, "in", "input file or directory (repeatable; counts are summed)")
	flag.Parse()
	if err := run(*format, inputs, *out, *top, *min, *from, *to); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func run(format string, inputs []string, out string, top, min, from, to int) error {
	if len(inputs) == 0 {
		return errors.New("no -in given")
	}
	agg := newAggregate()
	for _, in := range inputs {
		if err := readInput(agg, format, in, from, to); err != nil {
			return err
		}
	}
	names := agg.ranked(top, min)
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return fmt.Errorf("create %s: %w", out, err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	for _, n := range names {
		bw.WriteString(n)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// aggregate sums counts per normalized name and remembers first-seen order
// for sources given in rank order without counts.
type aggregate struct {
	count map[string]int
	order map[string]int
	next  int
}

func newAggregate() *aggregate {
	return &aggregate{count: map[string]int{}, order: map[string]int{}}
}

func (a *aggregate) add(raw string, n int) {
	name := Normalize(raw)
	if name == "" {
		return
	}
	if _, ok := a.order[name]; !ok {
		a.order[name] = a.next
		a.next++
	}
	a.count[name] += n
}

// ranked returns names by descending count, then first-seen order, then
// name; min and top apply in that order.
func (a *aggregate) ranked(top, min int) []string {
	names := make([]string, 0, len(a.count))
	for n, c := range a.count {
		if c >= min {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		ci, cj := a.count[names[i]], a.count[names[j]]
		if ci != cj {
			return ci > cj
		}
		oi, oj := a.order[names[i]], a.order[names[j]]
		if oi != oj {
			return oi < oj
		}
		return names[i] < names[j]
	})
	if top > 0 && len(names) > top {
		names = names[:top]
	}
	return names
}

// Normalize lowercases a name as published, keeps accents, trims spaces and
// apostrophes at the ends, and rejects values that are not names (digits,
// placeholders such as INSEE's _PRENOMS_RARES).
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `"'`)
	if s == "" || strings.HasPrefix(s, "_") {
		return ""
	}
	for _, r := range s {
		if unicode.IsDigit(r) {
			return ""
		}
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != ' ' {
			return ""
		}
	}
	return strings.ToLower(s)
}

func readInput(a *aggregate, format, in string, from, to int) error {
	switch format {
	case "ssa-yob":
		return readSSA(a, in, from, to)
	case "ranked", "words":
		return eachLine(in, func(line string) error {
			f := strings.Fields(line)
			if len(f) == 0 {
				return nil
			}
			name := f[0]
			if format == "words" {
				name = strings.TrimSpace(line)
			}
			a.add(name, 1)
			return nil
		})
	case "census2010":
		return eachLine(in, func(line string) error {
			f := strings.Split(line, ",")
			if len(f) < 3 || f[0] == "name" || f[0] == "ALL OTHER NAMES" {
				return nil
			}
			n, err := strconv.Atoi(f[2])
			if err != nil {
				return fmt.Errorf("%s: count %q: %w", in, f[2], err)
			}
			a.add(f[0], n)
			return nil
		})
	case "insee-nat":
		return eachLine(in, func(line string) error {
			f := strings.Split(line, ";")
			if len(f) < 4 || f[0] == "sexe" {
				return nil
			}
			n, err := strconv.Atoi(strings.TrimSpace(f[3]))
			if err != nil {
				return fmt.Errorf("%s: count %q: %w", in, f[3], err)
			}
			a.add(f[1], n)
			return nil
		})
	case "counts":
		return eachLine(in, func(line string) error {
			i := strings.LastIndexByte(line, ',')
			if i < 0 {
				return nil
			}
			n, err := strconv.Atoi(strings.TrimSpace(line[i+1:]))
			if err != nil {
				return fmt.Errorf("%s: count in %q: %w", in, line, err)
			}
			a.add(line[:i], n)
			return nil
		})
	case "city-de":
		return eachLine(in, func(line string) error {
			f := strings.Split(line, ";")
			if len(f) < 2 || f[0] == "anzahl" {
				return nil
			}
			n, err := strconv.Atoi(strings.TrimSpace(f[0]))
			if err != nil {
				return fmt.Errorf("%s: count %q: %w", in, f[0], err)
			}
			a.add(f[1], n)
			return nil
		})
	}
	return fmt.Errorf("unknown -format %q", format)
}

func readSSA(a *aggregate, dir string, from, to int) error {
	files, err := filepath.Glob(filepath.Join(dir, "yob*.txt"))
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	if len(files) == 0 {
		return fmt.Errorf("no yobYYYY.txt files in %s", dir)
	}
	for _, path := range files {
		base := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "yob"), ".txt")
		year, err := strconv.Atoi(base)
		if err != nil || year < from || year > to {
			continue
		}
		err = eachLine(path, func(line string) error {
			f := strings.Split(line, ",")
			if len(f) != 3 {
				return nil
			}
			n, err := strconv.Atoi(strings.TrimSpace(f[2]))
			if err != nil {
				return fmt.Errorf("%s: count %q: %w", path, f[2], err)
			}
			a.add(f[0], n)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
