package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestMain lets the test binary stand in for a redactor when the scorer runs
// it (see TestScorerAgreesWithLabels).
func TestMain(m *testing.M) {
	if mode := os.Getenv("VEIL_CORPUS_REDACTOR"); mode != "" {
		if err := fakeRedactor(mode, os.Getenv("VEIL_CORPUS_RECORDS")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func draw(seed uint64, n int, opts ...Option) []Record {
	g := New(seed, opts...)
	out := make([]Record, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

func corpora(t *testing.T) map[string][]Record {
	t.Helper()
	n := 3000
	if testing.Short() {
		n = 600
	}
	return map[string][]Record{
		"mixed":        draw(1, n),
		"analytics":    draw(2, n/2, WithMix(MixAnalytics)),
		"conversation": draw(3, n/2, WithMix(MixConversation)),
	}
}

func TestDeterminism(t *testing.T) {
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		g := New(seed)
		if err := WriteRecords(&b, g, 400); err != nil {
			t.Fatal(err)
		}
		if err := WriteTexts(&b, g, 200); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(42), write(42), write(43)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different output")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same output")
	}
	// Options are part of the input too: a different start time moves the timestamps.
	g := New(42, WithStart(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
	if r := g.Next(); !strings.Contains(string(r.Event), "2030-01-01") && !strings.Contains(string(r.Event), "2029-12-31") {
		t.Errorf("WithStart not applied: %s", r.Event)
	}
}

func decode(t *testing.T, raw []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("event is not JSON: %v\n%s", err, raw)
	}
	if d.More() {
		t.Fatalf("trailing data after event: %s", raw)
	}
	return v
}

var taxonomy = map[string]bool{
	TypeEmail: true, TypePhone: true, TypeIP: true, TypeCard: true, TypeIBAN: true, TypeSSN: true,
	TypeSIN: true, TypeNINO: true, TypePostal: true, TypePerson: true, TypeStreet: true, TypeGeo: true,
	TypeMAC: true, TypeURL: true, TypeCrypto: true, TypeSecret: true, TypeDOB: true,
}

func TestLabelsArePresentAtTheirPaths(t *testing.T) {
	for name, recs := range corpora(t) {
		for _, r := range recs {
			ev := decode(t, r.Event)
			if len(r.Keep) == 0 {
				t.Errorf("%s %s (%s): no keep values", name, r.ID, r.Kind)
			}
			for _, p := range r.PII {
				if !taxonomy[p.Type] && p.Type != TypeLinkingID && p.Type != TypeCity {
					t.Errorf("%s: unknown label type %q", r.ID, p.Type)
				}
				if p.Type == TypeURL {
					t.Errorf("%s: URL labelled as personal in an event: %q", r.ID, p.Value)
				}
				got, ok := walk(ev, p.Path)
				if !ok {
					t.Errorf("%s (%s): pii path %q not in event", r.ID, r.Kind, p.Path)
					continue
				}
				if !holds(got, p.Value) {
					t.Errorf("%s (%s): %s %q not at %q (found %v)", r.ID, r.Kind, p.Type, p.Value, p.Path, got)
				}
			}
			for _, k := range r.Keep {
				got, ok := walk(ev, k.Path)
				if !ok {
					t.Errorf("%s (%s): keep path %q not in event", r.ID, r.Kind, k.Path)
					continue
				}
				switch want := k.Value.(type) {
				case string:
					if s, ok := got.(string); !ok || !strings.Contains(s, want) {
						t.Errorf("%s: keep %q not at %q (found %v)", r.ID, want, k.Path, got)
					}
				case int64, float64:
					n, ok := got.(json.Number)
					if !ok {
						t.Errorf("%s: keep %v at %q is not a number: %v", r.ID, want, k.Path, got)
						continue
					}
					f, _ := n.Float64()
					if w := toFloat(want); f != w {
						t.Errorf("%s: keep %v at %q is %v", r.ID, want, k.Path, n)
					}
				default:
					t.Errorf("%s: keep value of type %T at %q", r.ID, k.Value, k.Path)
				}
			}
		}
	}
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// holds reports whether a labelled value is at a position: inside the
// string, equal to the number, or a key of the object.
func holds(got any, v string) bool {
	switch g := got.(type) {
	case string:
		return strings.Contains(g, v)
	case json.Number:
		return g.String() == v
	case map[string]any:
		_, ok := g[v]
		return ok
	case []any:
		for _, x := range g {
			if s, ok := x.(string); ok && s == v {
				return true
			}
		}
	}
	return false
}

// lowerFold is a plain normalisation for the test: lower case, ß as ss.
func lowerFold(s string) string { return strings.ReplaceAll(strings.ToLower(s), "ß", "ss") }

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func TestNoPersonalValueInsideAKeptValue(t *testing.T) {
	for name, recs := range corpora(t) {
		for _, r := range recs {
			for _, k := range r.Keep {
				ks, ok := k.Value.(string)
				if !ok {
					ks = fmt.Sprint(k.Value)
				}
				for _, p := range r.PII {
					d := onlyDigits(p.Value)
					if strings.Contains(lowerFold(ks), lowerFold(p.Value)) ||
						(len(d) >= 6 && strings.Contains(ks, d)) ||
						(len(d) >= 9 && strings.Contains(onlyDigits(ks), d)) {
						t.Errorf("%s %s: %s %q found in kept %q at %s", name, r.ID, p.Type, p.Value, ks, k.Path)
					}
				}
			}
			for _, p := range r.PII {
				if utf8.RuneCountInString(p.Value) < 4 {
					t.Errorf("%s: %s value %q too short to score without false leaks", r.ID, p.Type, p.Value)
				}
			}
		}
	}
}

// perfectRedaction removes every labelled value where it is labelled, the
// way an ideal redactor would, and leaves everything else as it was.
func perfectRedaction(v any, path string, at map[string][]string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			out[scrubTest(k, at[path])] = perfectRedaction(e, p, at)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = perfectRedaction(e, path+"["+strconv.Itoa(i)+"]", at)
		}
		return out
	case string:
		return scrubTest(x, at[path])
	case json.Number:
		for _, p := range at[path] {
			if strings.Contains(x.String(), p) {
				return nil
			}
		}
		return x
	}
	return v
}

func scrubTest(s string, vals []string) string {
	for _, p := range vals {
		s = strings.ReplaceAll(s, p, "[REDACTED]")
	}
	return s
}

// labelsAt maps each path to the values labelled there, longest first.
func labelsAt(r Record) map[string][]string {
	at := map[string][]string{}
	for _, p := range r.PII {
		at[p.Path] = append(at[p.Path], p.Value)
	}
	for _, vs := range at {
		sort.SliceStable(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	}
	return at
}

// strs collects every string, number and key, as the scorer's haystack.
func strs(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, k)
			out = strs(e, out)
		}
	case []any:
		for _, e := range x {
			out = strs(e, out)
		}
	case string:
		out = append(out, x)
	case json.Number:
		out = append(out, x.String())
	}
	return out
}

// TestPerfectRedactionScoresPerfectly checks, in Go, that an event with every
// labelled value removed leaks nothing by the scorer's rules and keeps every
// keep value: the labels are satisfiable.
func TestPerfectRedactionScoresPerfectly(t *testing.T) {
	for name, recs := range corpora(t) {
		for _, r := range recs {
			out := perfectRedaction(decode(t, r.Event), "", labelsAt(r))
			hay := strs(out, nil)
			for _, p := range r.PII {
				nv := lowerFold(p.Value)
				d := onlyDigits(nv)
				for _, h := range hay {
					nh := lowerFold(h)
					if strings.Contains(nh, nv) || (len(d) >= 6 && strings.Contains(nh, d)) || (len(d) >= 9 && strings.Contains(onlyDigits(nh), d)) {
						t.Errorf("%s %s (%s): %s %q still findable in %q", name, r.ID, r.Kind, p.Type, p.Value, h)
					}
				}
			}
			for _, k := range r.Keep {
				got, ok := walk(out, k.Path)
				if s, isStr := k.Value.(string); isStr {
					if g, _ := got.(string); !ok || !strings.Contains(g, s) {
						t.Errorf("%s %s: keep %q at %s lost by perfect redaction (%v)", name, r.ID, s, k.Path, got)
					}
				} else if _, isNum := got.(json.Number); !ok || !isNum {
					t.Errorf("%s %s: keep %v at %s lost by perfect redaction", name, r.ID, k.Value, k.Path)
				}
			}
		}
	}
}

func TestEveryKindBuildsConsistentEvents(t *testing.T) {
	for _, kind := range Kinds() {
		g := New(9, WithMix(Mix{{kind, 1}}))
		for i := 0; i < 300; i++ {
			r := g.Next()
			if r.Kind != kind {
				t.Fatalf("%s: drew a %s (fallback after %d redraws)", kind, r.Kind, g.Redraws())
			}
		}
		if rate := float64(g.Redraws()) / 300; rate > 0.25 {
			t.Errorf("%s: %.0f%% of events had to be redrawn", kind, 100*rate)
		}
	}
}

func TestMixes(t *testing.T) {
	for _, name := range []string{"mixed", "analytics", "conversation"} {
		m, err := MixNamed(name)
		if err != nil || len(m) == 0 {
			t.Fatalf("MixNamed(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := MixNamed("text"); err == nil {
		t.Error("MixNamed(text) should fail: texts are not events")
	}
	recs := draw(4, 3000)
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.Kind]++
	}
	for _, k := range Kinds() {
		if seen[k] == 0 {
			t.Errorf("mixed corpus of 3000 has no %s event", k)
		}
	}
	for _, r := range draw(5, 300, WithMix(MixConversation)) {
		if r.Kind != KindMessage && r.Kind != KindContent {
			t.Errorf("conversation mix drew %s", r.Kind)
		}
	}
}

func TestSizeDistribution(t *testing.T) {
	recs := draw(6, 3000)
	sizes := make([]int, len(recs))
	total := 0
	for i, r := range recs {
		sizes[i] = len(r.Event)
		total += sizes[i]
	}
	sort.Ints(sizes)
	mean := float64(total) / float64(len(sizes))
	p50, p99, max := sizes[len(sizes)/2], sizes[len(sizes)*99/100], sizes[len(sizes)-1]
	t.Logf("event bytes: mean %.0f, p50 %d, p99 %d, max %d", mean, p50, p99, max)
	if mean < 850 || mean > 1300 {
		t.Errorf("mean event size %.0f bytes, want about 1 KB (850–1300)", mean)
	}
	if sizes[0] < 150 || p99 > 4096 || max > 16384 {
		t.Errorf("size range min %d p99 %d max %d outside 150 / 4096 / 16384", sizes[0], p99, max)
	}
}

// ------------------------------------------------------------ value validity

func luhnOK(d string) bool {
	sum, dbl := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if dbl {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		dbl = !dbl
	}
	return sum%10 == 0
}

var ibanLen = map[string]int{"DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "NL": 18, "BE": 16, "CH": 21, "AT": 20}

func ibanOK(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 4 || ibanLen[s[:2]] != len(s) {
		return false
	}
	r := s[4:] + s[:4]
	n := new(big.Int)
	var b strings.Builder
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	n.SetString(b.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func ssnOK(s string) bool {
	d := onlyDigits(s)
	if d == s && len(d) < 9 {
		d = strings.Repeat("0", 9-len(d)) + d // stored as a number: leading zeros lost
	}
	if len(d) != 9 || strings.Trim(s, "0123456789 -") != "" {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

func sinOK(s string) bool {
	d := onlyDigits(s)
	return len(d) == 9 && d[0] >= '1' && d[0] <= '7' && luhnOK(d)
}

var ninoRe = regexp.MustCompile(`^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])$`)

func ninoOK(s string) bool {
	m := ninoRe.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	switch m[1] + m[2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

func cardOK(s string) bool {
	d := onlyDigits(s)
	if len(d) < 13 || len(d) > 19 || strings.Trim(s, "0123456789 -") != "" || !luhnOK(d) {
		return false
	}
	p2, _ := strconv.Atoi(d[:2])
	p4, _ := strconv.Atoi(d[:4])
	switch {
	case d[0] == '4':
		return len(d) == 16
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return len(d) == 16
	case p2 == 34 || p2 == 37:
		return len(d) == 15
	case p4 == 6011, p2 == 65, p4/10 >= 644 && p4/10 <= 649:
		return len(d) == 16
	case p4 >= 3528 && p4 <= 3589:
		return len(d) == 16
	case p2 == 36, p2 == 38, p4/10 >= 300 && p4/10 <= 305:
		return len(d) == 14
	case p2 == 62:
		return len(d) == 16 || len(d) == 19
	case p4 == 6759, p4 == 5018, p4 == 5020, p4 == 5038, p4 == 6304:
		return len(d) == 16 || len(d) == 19
	}
	return false
}

func walletOK(s string) bool {
	if strings.HasPrefix(s, "bc1") {
		const cs = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
		var vals []byte
		for _, c := range "bc" {
			vals = append(vals, byte(c)>>5)
		}
		vals = append(vals, 0)
		for _, c := range "bc" {
			vals = append(vals, byte(c)&31)
		}
		for _, c := range s[3:] {
			i := strings.IndexRune(cs, c)
			if i < 0 {
				return false
			}
			vals = append(vals, byte(i))
		}
		return bech32Polymod(vals) == 1 && len(s) == 42
	}
	const alpha = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int)
	for _, c := range s {
		i := strings.IndexRune(alpha, c)
		if i < 0 {
			return false
		}
		n.Mul(n, big.NewInt(58)).Add(n, big.NewInt(int64(i)))
	}
	b := n.Bytes()
	lead := len(s) - len(strings.TrimLeft(s, "1"))
	b = append(make([]byte, lead), b...)
	if len(b) != 25 || (b[0] != 0 && b[0] != 5) {
		return false
	}
	h1 := sha256.Sum256(b[:21])
	h2 := sha256.Sum256(h1[:])
	return bytes.Equal(h2[:4], b[21:])
}

var (
	emailRe = regexp.MustCompile(`^[^@\s]+@([A-Za-z0-9\p{L}-]+\.)+([A-Za-z]{2,}|xn--[a-z0-9-]+)$`)
	macRe   = regexp.MustCompile(`^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$`)
	geoRe   = regexp.MustCompile(`^-?\d{1,3}\.\d{4,6}$`)
)

// phoneOK checks the number's digits against the lengths of its country's
// numbering plan: international forms by country code, national forms by
// trunk prefix or national length.
func phoneOK(s string) bool {
	d := onlyDigits(s)
	if d == "" {
		return false
	}
	switch {
	case strings.HasPrefix(s, "+"), strings.HasPrefix(s, "00"):
		return intlOK(strings.TrimPrefix(d, "00"))
	case d == s && len(d) >= 11 && d[0] != '0':
		return intlOK(d) // E.164 digits without the plus
	case d[0] == '1' && len(d) == 11:
		return intlOK(d)
	case d[0] == '0':
		return len(d) >= 8 && len(d) <= 12
	case len(d) == 10 && d[0] >= '2':
		return true // NANP, Italian mobile
	case len(d) == 9 && (d[0] == '6' || d[0] == '7' || d[0] == '9'):
		return true // Spain
	}
	return false
}

func intlOK(d string) bool {
	for _, c := range []struct {
		cc       string
		min, max int
	}{{"1", 11, 11}, {"44", 12, 13}, {"33", 11, 12}, {"49", 10, 14}, {"31", 11, 11}, {"34", 11, 11}, {"39", 10, 12}} {
		if strings.HasPrefix(d, c.cc) {
			return len(d) >= c.min && len(d) <= c.max
		}
	}
	return false
}

func dobOK(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05.000Z", "01/02/2006", "02/01/2006", "02.01.2006", "02-01-2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d.Year() >= 1940 && d.Year() <= 2010
		}
	}
	return regexp.MustCompile(`\b(19[4-9]\d|200\d)\b`).MatchString(s)
}

func checkValue(t *testing.T, where, typ, v string) {
	t.Helper()
	ok := true
	switch typ {
	case TypeCard:
		ok = cardOK(v)
	case TypeIBAN:
		ok = ibanOK(v)
	case TypeSSN:
		ok = ssnOK(v)
	case TypeSIN:
		ok = sinOK(v)
	case TypeNINO:
		ok = ninoOK(v)
	case TypeCrypto:
		ok = walletOK(v)
	case TypeEmail:
		ok = emailRe.MatchString(v) || strings.Contains(v, "%40")
	case TypeMAC:
		ok = macRe.MatchString(v)
	case TypeIP:
		_, err := netip.ParseAddr(v)
		ok = err == nil
	case TypeGeo:
		ok = true
		for _, part := range regexp.MustCompile(`,\s*|\s+`).Split(v, -1) {
			ok = ok && geoRe.MatchString(part)
		}
	case TypePhone:
		if strings.Contains(v, "%") {
			v = strings.NewReplacer("%2B", "+", "+", " ", "%28", "(", "%29", ")", "%2F", "/").Replace(v)
		}
		ok = phoneOK(v)
	case TypeDOB:
		ok = dobOK(v)
	}
	if !ok {
		t.Errorf("%s: invalid %s %q", where, typ, v)
	}
}

func TestGeneratedValuesAreValid(t *testing.T) {
	count := map[string]int{}
	for name, recs := range corpora(t) {
		for _, r := range recs {
			for _, p := range r.PII {
				count[p.Type]++
				checkValue(t, name+" "+r.ID+" "+p.Path, p.Type, p.Value)
			}
		}
	}
	g := New(11)
	for i := 0; i < 3000; i++ {
		tc := g.Text()
		for _, e := range tc.Entities {
			count[e.Type]++
			checkValue(t, tc.ID, e.Type, e.Value)
		}
	}
	// Direct draws, so that rare types are checked in bulk.
	r := New(12).r
	for i := 0; i < 20000; i++ {
		checkValue(t, "newCard", TypeCard, newCard(r).text)
		_, iban := newIBAN(r, pick(r, ibanCountries))
		checkValue(t, "newIBAN", TypeIBAN, iban)
		_, ssn := newSSN(r)
		checkValue(t, "newSSN", TypeSSN, ssn)
		_, sin := newSIN(r)
		checkValue(t, "newSIN", TypeSIN, sin)
		_, nino := newNINO(r)
		checkValue(t, "newNINO", TypeNINO, nino)
		if i%10 == 0 {
			checkValue(t, "newWallet", TypeCrypto, newWallet(r))
			checkValue(t, "newMAC", TypeMAC, newMAC(r))
			checkValue(t, "publicIPv6", TypeIP, publicIPv6(r))
			checkValue(t, "linkLocalIPv6", TypeIP, linkLocalIPv6(r))
			c := &countries[r.IntN(len(countries))]
			checkValue(t, "newPhone "+c.code, TypePhone, newPhone(r, c.code, &c.cities[0], r.IntN(2) == 0).text)
		}
	}
	for _, typ := range []string{TypeEmail, TypePhone, TypeIP, TypeCard, TypeIBAN, TypeSSN, TypeSIN, TypeNINO,
		TypePostal, TypePerson, TypeStreet, TypeGeo, TypeMAC, TypeCrypto, TypeSecret, TypeDOB, TypeLinkingID, TypeCity} {
		if count[typ] < 5 {
			t.Errorf("only %d %s values in the corpora", count[typ], typ)
		}
	}
}

func TestIBANCheckDigitsOfKnownExample(t *testing.T) {
	// The IBAN registry's example German account.
	if got := ibanCheck("DE", "370400440532013000"); got != "89" {
		t.Errorf("ibanCheck(DE, 370400440532013000) = %s, want 89", got)
	}
	if got := ibanCheck("GB", "NWBK60161331926819"); got != "29" {
		t.Errorf("ibanCheck(GB, NWBK60161331926819) = %s, want 29", got)
	}
}

func TestPunycode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"münchen", "mnchen-3ya"},
		{"bücher", "bcher-kva"},
		{"ü", "tda"},
		{"abc", "abc-"},
	} {
		if got := punycode(c.in); got != c.want {
			t.Errorf("punycode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIPv6Compression(t *testing.T) {
	for _, c := range []struct {
		g    [8]uint16
		want string
	}{
		{[8]uint16{0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, "2001:db8::1"},
		{[8]uint16{0x2001, 0xdb8, 0, 1, 0, 0, 0, 1}, "2001:db8:0:1::1"},
		{[8]uint16{0x2001, 0xdb8, 1, 2, 3, 4, 5, 6}, "2001:db8:1:2:3:4:5:6"},
		{[8]uint16{0xfe80, 0, 0, 0, 0x1, 0x2, 0x3, 0x4}, "fe80::1:2:3:4"},
		{[8]uint16{0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}, "2001:db8::1:0:0:1"},
	} {
		if got := formatIPv6(c.g); got != c.want {
			t.Errorf("formatIPv6(%x) = %s, want %s", c.g, got, c.want)
		}
	}
}

// ------------------------------------------------------------ texts

func TestTextCases(t *testing.T) {
	g := New(13)
	locales := map[string]int{}
	negatives := 0
	types := map[string]int{}
	const n = 3000
	for i := 0; i < n; i++ {
		tc := g.Text()
		locales[tc.Locale]++
		if len(tc.Entities) == 0 {
			negatives++
		}
		if !utf8.ValidString(tc.Text) {
			t.Fatalf("%s: text is not UTF-8", tc.ID)
		}
		last := -1
		for _, e := range tc.Entities {
			types[e.Type]++
			if !taxonomy[e.Type] {
				t.Errorf("%s: entity type %q is not a taxonomy type", tc.ID, e.Type)
			}
			if e.Start < 0 || e.End > len(tc.Text) || e.Start >= e.End {
				t.Fatalf("%s: bad span %d..%d", tc.ID, e.Start, e.End)
			}
			if tc.Text[e.Start:e.End] != e.Value {
				t.Errorf("%s: span %d..%d is %q, label says %q", tc.ID, e.Start, e.End, tc.Text[e.Start:e.End], e.Value)
			}
			if !utf8.RuneStart(tc.Text[e.Start]) || (e.End < len(tc.Text) && !utf8.RuneStart(tc.Text[e.End])) {
				t.Errorf("%s: span %d..%d cuts a UTF-8 character", tc.ID, e.Start, e.End)
			}
			if e.Start < last {
				t.Errorf("%s: entities not sorted by start", tc.ID)
			}
			last = e.Start
		}
	}
	for _, l := range TextLocales {
		if locales[l] < n/12 {
			t.Errorf("locale %s: only %d of %d texts", l, locales[l], n)
		}
	}
	if negatives < n/12 || negatives > n/3 {
		t.Errorf("%d of %d texts without entities, want between 1/12 and 1/3", negatives, n)
	}
	t.Logf("texts: %d, negatives: %d, entities by type: %v", n, negatives, types)
	if only := New(1, WithTextLocales("de")).Text(); only.Locale != "de" {
		t.Errorf("WithTextLocales(de) gave locale %s", only.Locale)
	}
}

// ------------------------------------------------------------ JSON writer

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "\x00\x1f", "é€😀", "\u2028\u2029", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("appendString(%q) = %s: not a JSON string: %v", s, b, err)
		}
		if got != s {
			t.Fatalf("appendString(%q) round-trips to %q", s, got)
		}
	})
}

// ------------------------------------------------------------ the real scorer

// fakeRedactor reads events on stdin and writes them back, either unchanged
// ("identity") or with every labelled value of the matching record removed
// ("perfect"), so the scorer can be checked against the labels.
func fakeRedactor(mode, recordsPath string) error {
	f, err := os.Open(recordsPath)
	if err != nil {
		return fmt.Errorf("fake redactor: %w", err)
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("fake redactor: records: %w", err)
		}
		recs = append(recs, r)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; in.Scan(); i++ {
		line := in.Bytes()
		if mode == "perfect" {
			d := json.NewDecoder(bytes.NewReader(line))
			d.UseNumber()
			var v any
			if err := d.Decode(&v); err != nil {
				return fmt.Errorf("fake redactor: line %d: %w", i+1, err)
			}
			b, err := json.Marshal(perfectRedaction(v, "", labelsAt(recs[i])))
			if err != nil {
				return err
			}
			line = b
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return in.Err()
}

// TestScorerAgreesWithLabels runs shared/conformance/score.py on a corpus
// twice: with a redactor that returns events unchanged (every personal value
// must count as leaked) and with one that removes exactly the labelled values
// (nothing may leak and every keep value must be kept). It is skipped when
// Python or the scorer is not available.
func TestScorerAgreesWithLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("runs python")
	}
	scorer := os.Getenv("VEIL_SCORER")
	if scorer == "" {
		scorer = filepath.Join("..", "..", "..", "shared", "conformance", "score.py")
	}
	if _, err := os.Stat(scorer); err != nil {
		t.Skipf("scorer not found at %s", scorer)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteRecords(f, New(21), 1500); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	summary := regexp.MustCompile(`redact: leak_rate=([0-9.]+) keep_rate=([0-9.]+) events=(\d+)`)
	for _, c := range []struct{ mode, leak, keep string }{
		{"identity", "1.0000", "1.000"},
		{"perfect", "0.0000", "1.000"},
	} {
		cmd := exec.Command(py, scorer, "redact", path, "--", os.Args[0])
		cmd.Env = append(os.Environ(), "VEIL_CORPUS_REDACTOR="+c.mode, "VEIL_CORPUS_RECORDS="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: score.py failed: %v\n%s", c.mode, err, out)
		}
		m := summary.FindSubmatch(out)
		if m == nil {
			t.Fatalf("%s: no summary line in\n%s", c.mode, out)
		}
		if string(m[1]) != c.leak || string(m[2]) != c.keep || string(m[3]) != "1500" {
			t.Errorf("%s redactor: leak_rate=%s keep_rate=%s events=%s, want %s %s 1500\n%s", c.mode, m[1], m[2], m[3], c.leak, c.keep, out)
		}
	}
}
