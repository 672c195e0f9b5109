package engine

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/veilstream/veil/classifiers/rules"
)

// testValidators are simple local stand-ins for package validate, handed
// to the engine through WithValidators.
var testValidators = map[string]func(string) bool{
	"tld": func(s string) bool {
		i := strings.LastIndexByte(s, '.')
		return i >= 0 && len(s)-i-1 >= 2 && len(s)-i-1 <= 6
	},
	"digits": func(s string) bool {
		n := 0
		for _, c := range s {
			if c >= '0' && c <= '9' {
				n++
			}
		}
		return n >= 8 && n <= 15
	},
	"ipv4": func(s string) bool {
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is4()
	},
	"ipv6": func(s string) bool {
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is6()
	},
	"luhn": func(s string) bool {
		sum, n := 0, 0
		for i := len(s) - 1; i >= 0; i-- {
			c := s[i]
			if c == ' ' || c == '-' {
				continue
			}
			if c < '0' || c > '9' {
				return false
			}
			d := int(c - '0')
			if n%2 == 1 {
				if d *= 2; d > 9 {
					d -= 9
				}
			}
			sum += d
			n++
		}
		return n > 0 && sum%10 == 0
	},
	"mod97": func(s string) bool {
		s = strings.ReplaceAll(s, " ", "")
		if len(s) < 15 {
			return false
		}
		var b strings.Builder
		for _, c := range s[4:] + s[:4] {
			switch {
			case c >= '0' && c <= '9':
				b.WriteRune(c)
			case c >= 'A' && c <= 'Z':
				b.WriteString(strconv.Itoa(int(c-'A') + 10))
			default:
				return false
			}
		}
		n, ok := new(big.Int).SetString(b.String(), 10)
		return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
	},
	"geo": func(s string) bool {
		s = strings.ReplaceAll(s, " ", "")
		lat, lon, ok := strings.Cut(s, ",")
		if !ok {
			return false
		}
		a, err1 := strconv.ParseFloat(lat, 64)
		o, err2 := strconv.ParseFloat(lon, 64)
		return err1 == nil && err2 == nil && a >= -90 && a <= 90 && o >= -180 && o <= 180
	},
}

func testLookup(name string) (func(string) bool, bool) {
	f, ok := testValidators[name]
	return f, ok
}

// loadTestRules parses testdata/rules.yaml.
func loadTestRules(t testing.TB) []rules.Rule {
	t.Helper()
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Parse("testdata/rules.yaml", data, rules.WithValidators(func(n string) bool { _, ok := testValidators[n]; return ok }))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func compileBoth(t testing.TB, rs []rules.Rule, opts ...Option) (*Engine, *Naive) {
	t.Helper()
	// A generous timeout: these tests compare matching semantics, and on a
	// loaded machine regexp2's coarse wall clock can fire spuriously.
	opts = append([]Option{WithValidators(testLookup), WithMatchTimeout(time.Minute)}, opts...)
	e, err := Compile(rs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	n, err := NewNaive(rs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e, n
}

// gen produces the generated corpus: conversation-like texts, short
// analytics values and long texts, mixing every entity the test rules
// look for (valid and near-miss forms) with words in several languages,
// numbers, punctuation, Unicode and odd adjacencies.
type gen struct {
	r *rand.Rand
	// entityPct is the share of text tokens that are entities (percent).
	entityPct int
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), entityPct: 30}
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *gen) from(alphabet string, n int) string {
	rs := []rune(alphabet)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[g.r.IntN(len(rs))])
	}
	return b.String()
}

func luhnComplete(payload string) string {
	for d := '0'; d <= '9'; d++ {
		if testValidators["luhn"](payload + string(d)) {
			return payload + string(d)
		}
	}
	return payload + "0"
}

func group(s string, n int, sep string) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), sep)
}

func (g *gen) entity() string {
	const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	switch g.r.IntN(32) {
	case 0:
		return g.pick("jane.doe", "J.Smith+tag", "o'neil", "x", "müller") + "@" + g.pick("example", "mail.co", "exa-mple", "b") + "." + g.pick("com", "co.uk", "de", "c", "museum", "technology")
	case 1:
		return "+" + g.pick("1", "44", "33", "0") + g.digits(6+g.r.IntN(9))
	case 2:
		a, b, c := g.digits(3), g.digits(3), g.digits(4)
		return g.pick("("+a+") "+b+"-"+c, a+"-"+b+"-"+c, a+"."+b+"."+c, a+" "+b+" "+c, a+"."+b+"-"+c)
	case 3:
		d := "0" + g.digits(9)
		return g.pick(group(d, 2, " "), d, group(d, 2, "."), "0"+d)
	case 4:
		oct := func() string { return strconv.Itoa(g.r.IntN(300)) }
		return g.pick("", "", "version ", "v") + oct() + "." + oct() + "." + oct() + "." + oct() + g.pick("", ":8080", ".5")
	case 5:
		var parts []string
		for range 2 + g.r.IntN(7) {
			parts = append(parts, strconv.FormatInt(int64(g.r.IntN(0x10000)), 16))
		}
		s := strings.Join(parts, ":")
		if g.r.IntN(3) == 0 {
			s = strings.Replace(s, ":", "::", 1)
		}
		return g.pick(s, strings.ToUpper(s), "fe80::1%eth0", "::ffff:10.0.0.1")
	case 6:
		n := luhnComplete(g.pick("4", "51", "37", "6011") + g.digits(11))
		if g.r.IntN(4) == 0 {
			n = n[:len(n)-1] + g.digits(1)
		}
		return g.pick(n, group(n, 4, " "), group(n, 4, "-"))
	case 7:
		bban := g.digits(18)
		for ck := 2; ck < 100; ck++ {
			s := fmt.Sprintf("DE%02d%s", ck, bban)
			if testValidators["mod97"](s) {
				return g.pick(s, group(s, 4, " "))
			}
		}
		return "DE00" + bban
	case 8:
		return g.pick("", "SSN ", "social security: ") + g.pick(g.digits(3), "000", "666", "912") + "-" + g.pick(g.digits(2), "00") + "-" + g.digits(4)
	case 9:
		n := luhnComplete(g.digits(8))
		return g.pick("", "SIN ", "social insurance number ") + group(n, 3, g.pick(" ", "-"))
	case 10:
		return g.pick("QQ", "AB", "qq", "DA", "ZZ") + g.pick(" ", "") + g.digits(2) + " " + g.digits(2) + " " + g.digits(2) + " " + g.pick("A", "C", "d", "E")
	case 11:
		return g.pick("", "zip ", "Postal code: ", "ZIP code ") + g.digits(5) + g.pick("", "-"+g.digits(4))
	case 12:
		return g.pick("SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB")
	case 13:
		return g.pick("M5V 3L9", "K1A0B1", "H0H 0H0", "V6B 4Y8")
	case 14:
		return g.pick("Mr", "Mrs.", "Dr", "Ms.", "Mr.") + " " + g.pick("John", "Émile", "Anna", "Li") + g.pick("", " Smith", " Ødegaard", " Brown")
	case 15:
		return g.pick("my name is ", "My name is ", "MY NAME IS ", "my name is  ") + g.pick("Zoë", "Ólafur", "Bob", "jane", "Łukasz")
	case 16:
		return g.digits(1+g.r.IntN(4)) + " " + g.pick("Baker", "High", "Old Kent", "Élysée", "Main") + " " + g.pick("Street", "St", "Ave", "Road", "Lane", "Boulevard")
	case 17:
		return g.pick("Müller", "Haupt", "Öko", "Bahnhof", "über") + g.pick("straße", "strasse", "weg", "gasse") + " " + g.digits(1+g.r.IntN(3)) + g.pick("", "a", "b")
	case 18:
		return g.pick("", "-") + strconv.Itoa(g.r.IntN(99)) + "." + g.digits(2+g.r.IntN(5)) + g.pick(", ", ",") + g.pick("", "-") + strconv.Itoa(g.r.IntN(200)) + "." + g.digits(2+g.r.IntN(5))
	case 19:
		h := g.from("0123456789abcdefABCDEF", 12)
		return group(h, 2, g.pick(":", "-"))
	case 20:
		return g.pick("http", "https", "ftp", "HTTPS") + "://" + g.pick("example.com", "a.b", "xn--caf-dma.fr", "Ünï.de") + g.pick("", "/", "/path?q=1&email=jane@example.com", "/ä?x=\"y\"")
	case 21:
		return g.pick("1", "3", "bc1") + g.from(b58, 20+g.r.IntN(20))
	case 22:
		return "eyJ" + g.from(b64, 10+g.r.IntN(20)) + "." + g.from(b64, 5+g.r.IntN(30)) + g.pick("", "."+g.from(b64, 5+g.r.IntN(30)))
	case 23:
		return g.pick("api_key", "API-KEY", "token", "Secret", "apikey") + g.pick("=", ": ", " = ", ":") + g.pick("", "'", "\"") + g.from(b64, 10+g.r.IntN(20))
	case 24:
		return "AKIA" + g.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 14+g.r.IntN(4))
	case 25:
		return g.pick("password", "Password", "PASSWORD", "password ") + g.pick(":", "=", ": ", " :  ") + g.pick("hunter2", "p@ss w0rd", "ĉu-ĝi", "")
	case 26:
		return g.from("abcdef0123456789_XYZ", 28+g.r.IntN(10))
	case 27:
		return g.pick("", "born ", "Date of birth: ", "DOB ", "né le ", "geboren am ") + g.pick(
			fmt.Sprintf("%d-%02d-%02d", 1940+g.r.IntN(80), 1+g.r.IntN(12), 1+g.r.IntN(28)),
			fmt.Sprintf("%d/%d/%d", 1+g.r.IntN(12), 1+g.r.IntN(28), 1940+g.r.IntN(80)))
	case 28:
		return "+" + g.digits(10+g.r.IntN(5))
	case 29:
		return g.digits(1 + g.r.IntN(20))
	case 30:
		return g.pick("K", "ſ", "ǅ", "İ", "ß", "Σσς", "é", "\u00a0", "\u200d", "\ufffd", "\xff", "\xe2\x82")
	}
	return g.pick("(", ")", "[", "]", "\"", "'", "<", ">", "/", "\\", "#", "&", "%", "=", "+", "@", ":", ";")
}

var fillerWords = strings.Fields(`the a to and of I you it is was for on with that this have be at
	not my your we can will order help please thanks hello hi ok yes no account payment delivery
	bonjour merci commande livraison s'il vous plaît je suis où est
	hallo danke bestellung lieferung ich bin über straße schön grüße
	café naïve résumé Zürich São Paulo 日本語 中文 😀 Ωmega ſtop Kelvin
	version v1.2.3 2024 10:30 3.14 42 1e9 #123 user_42 a.b.c x-y`)

func (g *gen) filler() string {
	return fillerWords[g.r.IntN(len(fillerWords))]
}

func (g *gen) sep() string {
	return g.pick(" ", " ", " ", " ", ", ", ". ", "\n", "\t", "", "-", "/", ":", " (", ") ", "é", "_")
}

// value returns one generated value.
func (g *gen) value() string {
	switch k := g.r.IntN(10); {
	case k < 4: // short analytics value
		switch g.r.IntN(6) {
		case 0:
			return g.entity()
		case 1:
			return fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60))
		case 2:
			return g.pick("ios", "android", "web", "en-US", "fr-FR", "/checkout/step/2", "Mozilla/5.0 (X11; Linux x86_64)", "pro", "DE", "1.24.3")
		case 3:
			return g.pick("usr_", "sess-", "") + g.from("0123456789abcdef", 8+g.r.IntN(24))
		case 4:
			return g.digits(1 + g.r.IntN(12))
		default:
			return g.filler()
		}
	case k < 9: // a conversation turn
		return g.text(5 + g.r.IntN(60))
	default: // a long text
		return g.text(150 + g.r.IntN(400))
	}
}

func (g *gen) text(tokens int) string {
	var b strings.Builder
	for i := range tokens {
		if i > 0 {
			b.WriteString(g.sep())
		}
		if g.r.IntN(100) < g.entityPct {
			b.WriteString(g.entity())
		} else {
			w := g.filler()
			if g.r.IntN(8) == 0 {
				w = string(unicode.ToUpper([]rune(w)[0])) + string([]rune(w)[1:])
			}
			b.WriteString(w)
		}
	}
	return b.String()
}
