package validate

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Email looks the TLD up in data/icann_tlds.txt and checks punycode labels
// itself, without allocating; these tests hold it to the implementation
// over golang.org/x/net/publicsuffix and idna.Punycode it replaced, and
// the list to the publicsuffix package it was drawn from.

var updateTLDs = flag.Bool("update", false, "rewrite data/icann_tlds.txt from golang.org/x/net/publicsuffix")

// emailOracle is Email as it was written over publicsuffix.PublicSuffix and
// idna.Punycode.
func emailOracle(s string) bool {
	if len(s) < 6 || len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 {
		return false
	}
	if !emailLocal(s[:at]) {
		return false
	}
	domain := s[at+1:]
	ascii := true
	for i := 0; i < len(domain); i++ {
		if domain[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return false
		}
		domain = d
	}
	return emailDomainOracle(domain)
}

func emailDomainOracle(d string) bool {
	if len(d) < 4 || len(d) > 253 {
		return false
	}
	labels, start, hasUpper := 0, 0, false
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			hasUpper = hasUpper || isUpper(c)
			if !isLetter(c) && !isDigit(c) && c != '-' {
				return false
			}
			continue
		}
		l := d[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if len(l) > 4 && (l[:4] == "xn--" || l[:4] == "XN--" || strings.EqualFold(l[:4], "xn--")) {
			if _, err := idna.Punycode.ToUnicode(l); err != nil {
				return false
			}
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	if hasUpper {
		d = strings.ToLower(d)
	}
	return icannDomainOracle(d)
}

func icannDomainOracle(d string) bool {
	if _, icann := publicsuffix.PublicSuffix(d); icann {
		return true
	}
	tld := d[strings.LastIndexByte(d, '.')+1:]
	_, icann := publicsuffix.PublicSuffix(tld)
	return icann
}

func checkEmailOracle(t *testing.T, s string) {
	t.Helper()
	if got, want := Email(s), emailOracle(s); got != want {
		t.Errorf("Email(%q) = %v, publicsuffix says %v", s, got, want)
	}
}

// emailTricky are addresses at the edges of the old implementation: case,
// wildcard and exception rules, private suffixes, IP-shaped domains,
// punycode labels valid and not, in either case of the ACE prefix.
var emailTricky = []string{
	"a@b.ck", "a@www.ck", "a@x.y.ck", "a@B.CK", "a@ck.ck", "a@b.kh", "a@b.np", "a@b.pg", "a@b.jm", "a@b.er", "a@b.fk", "a@b.mm",
	"a@example.com", "a@EXAMPLE.COM", "a@Example.Com", "a@example.cOm", "a@example.co.uk", "a@co.uk", "a@uk.co",
	"a@my-app.appspot.com", "a@appspot.com", "a@x.blogspot.co.uk", "a@x.github.io", "a@x.dyndns.org",
	"a@1.2.3.4", "a@192.168.0.1", "a@1.2.3.com", "a@01.2.3.4", "a@256.1.1.1", "a@1.2.3.4.5", "a@1e.2.3.4",
	"a@xn--d1acufc.xn--p1ai", "a@XN--D1ACUFC.XN--P1AI", "a@Xn--d1acufc.xN--p1ai", "a@xn--80ak6aa92e.com",
	"a@xn--abc-.com", "a@xn---abc.com", "a@xn--a.com", "a@xn--zz.com", "a@xn--9999999999.com", "a@xn--a-b-c.com",
	"a@XN--ABC-.com", "a@Xn--9999999999.com", "a@xn--abcdefghijklmnopqrstuvwxyz0123456789.com", "a@xn--abc.xn--zz",
	"a@xn--mnchen-3ya.de", "a@xn--mnchen-3ya-.de", "a@xn--Mnchen-3ya.de", "a@xn--MNCHEN-3YA.de",
	"a@example.local", "a@example.test", "a@example.localhost", "a@example.onion", "a@example.arpa", "a@in-addr.arpa",
	"a@example.notatld", "a@example.c", "a@example.co", "a@example.xn--p1ai", "a@example.xn--p1a",
	"a@пример.рф", "a@ПРИМЕР.РФ", "a@münchen.de", "a@example.ком", "a@例え.テスト", "a@ex ample.com",
	"koen.devries@crème-brûlée.eu", "hernandez@café-lumière.es", "gisela@señor-viajes.com", "a@CAFÉ.com", "a@Café.COM", "a@café.xn--p1ai",
	"a@straße.de", "a@ÿ.com", "a@÷.com", "a@é.é", "a@é-.com", "a@-é.com", "a@é--é.com", "a@ab--é.com", "a@xn--é.com", "a@é..com", "a@é.com.", "a@.é.com",
	"a@" + strings.Repeat("é", 31) + ".com", "a@" + strings.Repeat("é", 32) + ".com", "a@" + strings.Repeat("é", 64) + ".com", "a@b." + strings.Repeat("é", 30),
	// ACE forms of 253 and 254 bytes.
	"a@é." + strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("a", 49) + ".com",
	"a@é." + strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("a", 50) + ".com",
	"a@" + strings.Repeat("é.", 120) + "com", "a@" + strings.Repeat("éé.", 40) + "com", "a@é.co.uk", "a@é.appspot.com", "a@é.ck", "a@é.1.2.3",
	"a@example.com.", "a@.example.com", "a@example..com", "a@-a.com", "a@a-.com", "a@a.-com",
	"a@" + strings.Repeat("a", 63) + ".com", "a@" + strings.Repeat("a", 64) + ".com", "a@a." + strings.Repeat("b", 63), "a@a." + strings.Repeat("b", 64),
	"a@" + strings.Repeat("a.", 124) + "com", "a@" + strings.Repeat("a.", 125) + "com",
}

// emailCandidates generates addresses near the grammar: a local part, then
// labels drawn from TLDs, private suffixes, punycode (valid or mangled)
// and random runs, with case flipped and characters inserted, deleted or
// replaced.
func emailCandidates(rng *rand.Rand, n int) []string {
	tlds := slices.Sorted(func(yield func(string) bool) {
		for t := range icannTLDs() {
			if !yield(t) {
				return
			}
		}
	})
	labels := []string{
		"example", "my-app", "appspot", "blogspot", "github", "co", "com", "org", "uk", "ac", "www", "b", "1", "255",
		"xn--d1acufc", "xn--80ak6aa92e", "xn--mnchen-3ya", "xn--p1ai", "xn--", "xn--a", "xn---", "xn--0", "xn--abc-", "notatld", "local",
	}
	const alpha = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-.@_"
	latin := []rune("àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿßÀÉÖÞ")
	runs := func() string {
		k := 1 + rng.IntN(12)
		var b strings.Builder
		for range k {
			if rng.IntN(4) == 0 {
				b.WriteRune(latin[rng.IntN(len(latin))])
			} else {
				b.WriteByte(alpha[rng.IntN(len(alpha)-3)])
			}
		}
		return b.String()
	}
	label := func() string {
		switch rng.IntN(6) {
		case 0, 1:
			return labels[rng.IntN(len(labels))]
		case 2:
			return tlds[rng.IntN(len(tlds))]
		case 3:
			return "xn--" + runs()
		default:
			return runs()
		}
	}
	out := make([]string, 0, n)
	for range n {
		var b strings.Builder
		b.WriteString([]string{"a", "john.doe+tag", "o'brien", "müller", "x_y"}[rng.IntN(5)])
		b.WriteByte('@')
		k := 1 + rng.IntN(4)
		for j := range k {
			if j > 0 {
				b.WriteByte('.')
			}
			b.WriteString(label())
		}
		if rng.IntN(3) > 0 {
			b.WriteByte('.')
			b.WriteString(tlds[rng.IntN(len(tlds))])
		}
		s := []byte(b.String())
		for range rng.IntN(3) {
			i := rng.IntN(len(s))
			switch rng.IntN(4) {
			case 0:
				s = slices.Insert(s, i, alpha[rng.IntN(len(alpha))])
			case 1:
				s = slices.Delete(s, i, i+1)
			case 2:
				s[i] = alpha[rng.IntN(len(alpha))]
			default:
				if isLetter(s[i]) {
					s[i] ^= 0x20
				}
			}
		}
		if rng.IntN(8) == 0 {
			s = bytes.ToUpper(s)
		}
		out = append(out, string(s))
	}
	return out
}

func TestEmailMatchesPublicSuffix(t *testing.T) {
	for _, s := range emailTricky {
		checkEmailOracle(t, s)
		checkEmailOracle(t, "user@sub."+s[strings.IndexByte(s, '@')+1:])
	}
	for _, s := range benchInputs {
		checkEmailOracle(t, s.pass)
		checkEmailOracle(t, s.fail)
	}
	// Every listed TLD, under a name and alone, in either case.
	for tld := range icannTLDs() {
		for _, s := range []string{"a@b." + tld, "a@" + tld, "a@b." + strings.ToUpper(tld), "a@b.c." + tld} {
			checkEmailOracle(t, s)
		}
	}
	n := 60000
	if raceEnabled || testing.Short() {
		n = 6000
	}
	rng := rand.New(rand.NewPCG(13, 17))
	accepted := 0
	for _, s := range emailCandidates(rng, n) {
		checkEmailOracle(t, s)
		if emailOracle(s) {
			accepted++
		}
	}
	// The generator must reach both answers in numbers, or the comparison
	// says little.
	if accepted < n/10 || accepted > n*9/10 {
		t.Errorf("%d of %d candidates are addresses; the generator is off balance", accepted, n)
	}
}

func FuzzEmailMatchesPublicSuffix(f *testing.F) {
	for _, s := range emailTricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkEmailOracle(t, s)
		checkEmailOracle(t, "a@"+s)
		checkEmailOracle(t, "a@"+s+".com")
	})
}

// punycodeOracle is the punycode check as it was: idna.Punycode over the
// label with its prefix.
func punycodeOracle(enc string) bool {
	_, err := idna.Punycode.ToUnicode("xn--" + enc)
	return err == nil
}

func TestPunycodeMatchesIDNA(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	const alpha = "abcdefghijklmnopqrstuvwxyz0123456789-ABCZ"
	valid := 0
	for range 200000 {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		enc := string(b)
		got, want := punycodeOK(enc), punycodeOracle(enc)
		if got != want {
			t.Errorf("punycodeOK(%q) = %v, idna says %v", enc, got, want)
		}
		if want {
			valid++
		}
	}
	if valid < 1000 {
		t.Errorf("only %d of the generated labels decode; the generator is off balance", valid)
	}
	// Real labels, and every punycode TLD on the list.
	for _, u := range []string{"münchen", "пример", "例え", "bücher-ß", "a-b-ü", strings.Repeat("ü", 40)} {
		a, err := idna.Punycode.ToASCII(u)
		if err != nil {
			t.Fatal(err)
		}
		if !punycodeOK(a[4:]) || !punycodeOracle(a[4:]) {
			t.Errorf("%q (%q): punycodeOK = %v, idna = %v", a, u, punycodeOK(a[4:]), punycodeOracle(a[4:]))
		}
	}
	for tld := range icannTLDs() {
		if enc, ok := strings.CutPrefix(tld, "xn--"); ok && !punycodeOK(enc) {
			t.Errorf("punycodeOK(%q) = false for a listed TLD", enc)
		}
	}
}

func FuzzPunycodeMatchesIDNA(f *testing.F) {
	for _, s := range []string{"mnchen-3ya", "p1ai", "d1acufc", "abc-", "-abc", "zz", "9999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, enc string) {
		// punycodeOK sees what emailDomain passes: letters, digits and
		// hyphens, no dots.
		for i := 0; i < len(enc); i++ {
			if !isLetter(enc[i]) && !isDigit(enc[i]) && enc[i] != '-' {
				t.Skip()
			}
		}
		if got, want := punycodeOK(enc), punycodeOracle(enc); got != want {
			t.Errorf("punycodeOK(%q) = %v, idna says %v", enc, got, want)
		}
	})
}

// pslTLDs derives the ICANN TLD list from the publicsuffix package: every
// label the package knows is a substring of its label text (data/text in
// the module), so it asks the package about each substring that could be
// a label. A label is listed when a name under it is an ICANN domain,
// which takes in TLDs listed only through wildcard rules.
func pslTLDs(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/net").Output()
	if err != nil {
		return nil
	}
	text, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "publicsuffix", "data", "text"))
	if err != nil {
		return nil
	}
	seen := make(map[string]bool)
	var tlds []string
	for i := range text {
		for j := i + 1; j <= len(text) && j-i <= 63; j++ {
			c := text[j-1]
			if !isLower(c) && !isDigit(c) && c != '-' {
				break
			}
			l := string(text[i:j])
			if seen[l] {
				continue
			}
			seen[l] = true
			_, a := publicsuffix.PublicSuffix(l)
			_, b := publicsuffix.PublicSuffix("x." + l)
			if a || b {
				tlds = append(tlds, l)
			}
		}
	}
	slices.Sort(tlds)
	return tlds
}

// TestTLDListMatchesPublicSuffix holds data/icann_tlds.txt to the
// publicsuffix package in go.mod: the version it names, and (outside
// -short) the labels, derived afresh. With -update it rewrites the file.
func TestTLDListMatchesPublicSuffix(t *testing.T) {
	const path = "data/icann_tlds.txt"
	header := "# ICANN top-level domains of the Public Suffix List, one a line.\n" +
		"# Drawn from golang.org/x/net/publicsuffix by TestTLDListMatchesPublicSuffix -update; see README.md.\n" +
		"# version: " + publicsuffix.List.String() + "\n"
	if *updateTLDs {
		tlds := pslTLDs(t)
		if len(tlds) == 0 {
			t.Fatal("cannot read golang.org/x/net/publicsuffix/data/text (go list -m golang.org/x/net)")
		}
		if err := os.WriteFile(path, []byte(header+strings.Join(tlds, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d TLDs to %s; rebuild to embed them", len(tlds), path)
		return
	}
	if !strings.HasPrefix(icannTLDList, header) {
		t.Fatalf("%s was drawn from another list than %q; run go test -run TestTLDListMatchesPublicSuffix -update", path, publicsuffix.List.String())
	}
	if len(icannTLDs()) < 1000 {
		t.Fatalf("%s lists %d TLDs", path, len(icannTLDs()))
	}
	if raceEnabled || testing.Short() {
		t.Skip("slow: asks publicsuffix about two million labels")
	}
	tlds := pslTLDs(t)
	if tlds == nil {
		t.Skip("golang.org/x/net source not found (go list -m)")
	}
	for _, l := range tlds {
		if _, ok := icannTLDs()[l]; !ok {
			t.Errorf("%s lacks %q", path, l)
		}
	}
	if len(tlds) != len(icannTLDs()) {
		t.Errorf("%s lists %d TLDs, publicsuffix has %d", path, len(icannTLDs()), len(tlds))
	}
}

func TestPunyEncodeMatchesIDNA(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 31))
	alpha := []rune("abcxyzABZ019-àáéèñöøüÿþ")
	for range 50000 {
		r := make([]rune, 1+rng.IntN(30))
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		label := string(r)
		want, err := idna.Punycode.ToASCII(strings.ToLower(label))
		if err != nil {
			t.Fatal(err)
		}
		var buf [63]byte
		n, ok := punyEncode(&buf, label)
		if isASCII(label) {
			continue // idna leaves ASCII labels as they are
		}
		if ok != (len(want) <= 63) || ok && string(buf[:n]) != want {
			t.Errorf("punyEncode(%q) = %q, %v; idna says %q", label, buf[:n], ok, want)
		}
	}
}
