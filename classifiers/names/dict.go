package names

import (
	"bufio"
	"embed"
	"io/fs"
	"path"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/*.txt
var dataFS embed.FS

// Entry flags stored per dictionary key.
const (
	flagGiven uint8 = 1 << iota
	flagSurname
	flagAmbiguous
	flagStop
)

// dictionary maps lowercase name forms to flags. Each listed name is stored
// as published (lowercase, accents kept) and in folded forms (accents
// removed, umlauts also spelled out, apostrophes dropped) so that "Muller",
// "Mueller" and "Müller" or "Helene" and "Hélène" all match.
type dictionary struct {
	m map[string]uint8
	// sizes counts the names read per file (before folding), for tests
	// and reporting.
	sizes map[string]int
}

var (
	baseOnce sync.Once
	baseDict *dictionary
)

// base returns the dictionary built from the embedded lists, once.
func base() *dictionary {
	baseOnce.Do(func() {
		d := &dictionary{m: make(map[string]uint8, 1<<16), sizes: map[string]int{}}
		entries, _ := fs.ReadDir(dataFS, "data")
		for _, e := range entries {
			name := e.Name()
			var flag uint8
			switch {
			case strings.HasPrefix(name, "given_"):
				flag = flagGiven
			case strings.HasPrefix(name, "surnames_"):
				flag = flagSurname
			case name == "ambiguous.txt":
				flag = flagAmbiguous
			case name == "stoplist.txt":
				flag = flagStop
			default:
				continue
			}
			b, err := dataFS.ReadFile(path.Join("data", name))
			if err != nil {
				continue // cannot happen for embedded files
			}
			d.sizes[name] = d.addList(string(b), flag)
		}
		baseDict = d
	})
	return baseDict
}

// addList adds every non-comment line of list with flag and returns the
// number of names read.
func (d *dictionary) addList(list string, flag uint8) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		d.add(line, flag)
		n++
	}
	return n
}

// add stores name and its folded forms with flag.
func (d *dictionary) add(name string, flag uint8) {
	name = strings.ToLower(strings.TrimSpace(name))
	name = strings.ReplaceAll(name, "’", "'")
	if name == "" {
		return
	}
	d.m[name] |= flag
	var buf [128]byte
	if n := foldInto(buf[:], []byte(name), false); n > 0 {
		d.m[string(buf[:n])] |= flag
	}
	if n := foldInto(buf[:], []byte(name), true); n > 0 {
		d.m[string(buf[:n])] |= flag
	}
}

// lookup returns the flags of a lowercase token (see lowerInto), trying the
// form as written, then its folded form, then, for hyphenated tokens, each
// part (a hyphenated token is a given name when all its parts are).
func (d *dictionary) lookup(lower []byte) uint8 {
	if f, ok := d.m[string(lower)]; ok {
		return f
	}
	var buf [maxTokenBytes]byte
	n := foldInto(buf[:], lower, false)
	if n > 0 {
		if f, ok := d.m[string(buf[:n])]; ok {
			return f
		}
	}
	// Hyphenated compounds: Jean-Pierre, Anne-Sophie, Müller-Lüdenscheidt.
	var all uint8 = 0xff
	parts := 0
	start := 0
	for i := 0; i <= len(lower); i++ {
		if i < len(lower) && lower[i] != '-' {
			continue
		}
		if i == start {
			return 0
		}
		f := d.m[string(lower[start:i])]
		if f == 0 {
			if m := foldInto(buf[:], lower[start:i], false); m > 0 {
				f = d.m[string(buf[:m])]
			}
		}
		all &= f
		parts++
		start = i + 1
	}
	if parts < 2 {
		return 0
	}
	return all & (flagGiven | flagSurname)
}

// foldInto writes s with accents removed into dst and returns the length,
// or 0 when nothing changed or dst is too small. With spell true, German
// umlauts and ß are spelled out (ü→ue, ß→ss), otherwise reduced (ü→u,
// ß→ss). Apostrophes are dropped (o'brien→obrien).
func foldInto(dst []byte, s []byte, spell bool) int {
	n := 0
	changed := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		i += size
		var rep string
		switch r {
		case '\'':
			changed = true
			continue
		case 'à', 'á', 'â', 'ã', 'å', 'ā', 'ă', 'ą':
			rep = "a"
		case 'ä':
			if spell {
				rep = "ae"
			} else {
				rep = "a"
			}
		case 'æ':
			rep = "ae"
		case 'ç', 'ć', 'č':
			rep = "c"
		case 'ď', 'đ':
			rep = "d"
		case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
			rep = "e"
		case 'ğ':
			rep = "g"
		case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı':
			rep = "i"
		case 'ł':
			rep = "l"
		case 'ñ', 'ń', 'ň':
			rep = "n"
		case 'ò', 'ó', 'ô', 'õ', 'ø', 'ō', 'ő':
			rep = "o"
		case 'ö':
			if spell {
				rep = "oe"
			} else {
				rep = "o"
			}
		case 'œ':
			rep = "oe"
		case 'ř':
			rep = "r"
		case 'ß':
			rep = "ss"
		case 'ś', 'š', 'ş':
			rep = "s"
		case 'ť', 'ţ':
			rep = "t"
		case 'ù', 'ú', 'û', 'ū', 'ů', 'ű', 'ų':
			rep = "u"
		case 'ü':
			if spell {
				rep = "ue"
			} else {
				rep = "u"
			}
		case 'ý', 'ÿ':
			rep = "y"
		case 'ź', 'ż', 'ž':
			rep = "z"
		default:
			if n+utf8.RuneLen(r) > len(dst) {
				return 0
			}
			n += utf8.EncodeRune(dst[n:], r)
			continue
		}
		changed = true
		if n+len(rep) > len(dst) {
			return 0
		}
		n += copy(dst[n:], rep)
	}
	if !changed {
		return 0
	}
	return n
}
