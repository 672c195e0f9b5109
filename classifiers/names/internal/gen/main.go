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
//	ine         INE (Spain) name or surname tables exported to CSV ("Orden,Nombre,Frecuencia,..."
//	            or "Orden,Apellido,1er apellido,2º apellido,ambos"); the first count column is used
//	istat       ISTAT "Contanomi" rows ("year,name,gender,count,percent"); -from/-to select years
//	nfb         Meertens Nederlandse Familienamenbank rows ("natural name,db name,href,count,lemma")
//
// With -single, names of more than one word are reduced to one: leading
// particles (de, van, der, del, la, ...: the words the detector reads as
// particles) are removed, "de la Fuente" counting for "fuente" and "van der
// Meer" for "meer", and names still longer than one word ("José Antonio",
// "San Martín", "van 't Hof") are dropped, because the detector looks names
// up one token at a time.
//
// Usage:
//
//	go run ./classifiers/names/internal/gen -format ssa-yob -in /tmp/ssa -from 1930 -to 2024 -top 5000 -out data/given_en_us_ssa.txt
package main

import (
	"bufio"
	"encoding/csv"
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
		from   = flag.Int("from", 0, "ssa-yob, istat: first year")
		to     = flag.Int("to", 9999, "ssa-yob, istat: last year")
		single = flag.Bool("single", false, "strip leading particles and drop names of more than one word")
	)
	var inputs multiFlag
	flag.Var(&inputs, "in", "input file or directory (repeatable; counts are summed)")
	flag.Parse()
	opts := options{format: *format, inputs: inputs, out: *out, top: *top, min: *min, from: *from, to: *to, single: *single}
	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// options are one run's settings, as given on the command line.
type options struct {
	format   string
	inputs   []string
	out      string
	top, min int
	from, to int
	single   bool
}

func run(o options) error {
	if len(o.inputs) == 0 {
		return errors.New("no -in given")
	}
	agg := newAggregate()
	agg.single = o.single
	for _, in := range o.inputs {
		if err := readInput(agg, o.format, in, o.from, o.to); err != nil {
			return err
		}
	}
	names := agg.ranked(o.top, o.min)
	var w io.Writer = os.Stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return fmt.Errorf("create %s: %w", o.out, err)
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
	// single reduces every name to one word (see SingleWord).
	single bool
}

func newAggregate() *aggregate {
	return &aggregate{count: map[string]int{}, order: map[string]int{}}
}

func (a *aggregate) add(raw string, n int) {
	name := Normalize(raw)
	if a.single {
		name = SingleWord(name)
	}
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

// SingleWord reduces a normalized name to the one word the detector looks
// up: leading particles are removed ("de la fuente" -> "fuente", "van der
// meer" -> "meer"), and a name still longer than one word ("jose antonio",
// "san martin", "van 't hof") gives "".
func SingleWord(name string) string {
	words := strings.Fields(name)
	for len(words) > 1 && isParticle(words[0]) {
		words = words[1:]
	}
	if len(words) != 1 || isParticle(words[0]) {
		return ""
	}
	return words[0]
}

// isParticle lists the lowercase words the detector (classifiers/names,
// isParticle) accepts between the parts of a name; keep the two in step.
func isParticle(w string) bool {
	switch w {
	case "van", "von", "der", "den", "de", "du", "des", "le", "la", "di", "da", "dos", "das",
		"del", "della", "ten", "ter", "zu", "zum", "zur", "vom", "bin", "ibn", "al", "el", "st":
		return true
	}
	return false
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
			return addCount(a, in, f[1], f[3])
		})
	case "counts":
		return eachLine(in, func(line string) error {
			i := strings.LastIndexByte(line, ',')
			if i < 0 {
				return nil
			}
			return addCount(a, in, line[:i], line[i+1:])
		})
	case "ine":
		// Data rows start with their rank; title and header rows do not.
		return eachRecord(in, ',', func(f []string) error {
			if len(f) < 3 || !isDigits(f[0]) {
				return nil
			}
			return addCount(a, in, f[1], f[2])
		})
	case "istat":
		return eachRecord(in, ',', func(f []string) error {
			if len(f) < 4 || f[0] == "year" {
				return nil
			}
			year, err := strconv.Atoi(f[0])
			if err != nil {
				return fmt.Errorf("%s: year %q: %w", in, f[0], err)
			}
			if year < from || year > to {
				return nil
			}
			return addCount(a, in, f[1], f[3])
		})
	case "nfb":
		return eachRecord(in, ',', func(f []string) error {
			if len(f) < 4 || f[0] == "natural name" {
				return nil
			}
			// Names counted fewer than five times are published as "< 5".
			n, err := strconv.Atoi(strings.TrimSpace(f[3]))
			if err != nil {
				return nil
			}
			a.add(f[0], n)
			return nil
		})
	case "city-de":
		return eachLine(in, func(line string) error {
			f := strings.Split(line, ";")
			if len(f) < 2 || f[0] == "anzahl" {
				return nil
			}
			return addCount(a, in, f[1], f[0])
		})
	}
	return fmt.Errorf("unknown -format %q", format)
}

// addCount adds count (a decimal number, spaces trimmed) bearers of name;
// the error names the file and the count when it does not parse.
func addCount(a *aggregate, in, name, count string) error {
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil {
		return fmt.Errorf("%s: count %q: %w", in, count, err)
	}
	a.add(name, n)
	return nil
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
			return addCount(a, path, f[0], f[2])
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// eachRecord calls fn for every record of a delimited file with quoted
// fields ("JOSE ANTONIO" or "Jong, de" hold the delimiter); records may have
// any number of fields.
func eachRecord(path string, comma rune, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
