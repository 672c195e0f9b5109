package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/validate"
)

// Rule ids reported in classifiers.Finding.Rule.
const (
	RuleTitle      = "person.title"
	RuleDictionary = "person.dictionary"
	RuleContext    = "person.context"
	RuleSignature  = "person.signature"
	RuleGiven      = "person.given"
)

// DefaultMinScore is the lowest score reported unless WithMinScore says
// otherwise.
const DefaultMinScore = 0.6

// Option configures a Detector.
type Option func(*config)

type config struct {
	minScore  float64
	given     []string
	surnames  []string
	stopwords []string
}

// WithMinScore sets the lowest score a finding needs to be reported
// (default DefaultMinScore). Scores range from 0.5 to 0.85.
func WithMinScore(score float64) Option {
	return func(c *config) { c.minScore = score }
}

// WithGivenNames adds given names to the embedded lists (any case).
func WithGivenNames(names ...string) Option {
	return func(c *config) { c.given = append(c.given, names...) }
}

// WithSurnames adds surnames to the embedded lists (any case).
func WithSurnames(names ...string) Option {
	return func(c *config) { c.surnames = append(c.surnames, names...) }
}

// WithStopwords adds capitalized words that are never names on their own,
// such as product or company names of the platform.
func WithStopwords(words ...string) Option {
	return func(c *config) { c.stopwords = append(c.stopwords, words...) }
}

// Detector finds PERSON spans in text. It is immutable after New and safe
// for concurrent use.
type Detector struct {
	base     *dictionary
	extra    *dictionary // nil unless options add words
	minScore float64
}

// New returns a Detector using the embedded name lists, which are parsed
// once per process and shared by all detectors.
func New(opts ...Option) *Detector {
	c := config{minScore: DefaultMinScore}
	for _, o := range opts {
		o(&c)
	}
	d := &Detector{base: base(), minScore: c.minScore}
	if len(c.given)+len(c.surnames)+len(c.stopwords) > 0 {
		x := &dictionary{m: map[string]uint8{}, sizes: map[string]int{}}
		for _, n := range c.given {
			x.add(n, flagGiven)
		}
		for _, n := range c.surnames {
			x.add(n, flagSurname)
		}
		for _, n := range c.stopwords {
			x.add(n, flagStop)
		}
		d.extra = x
	}
	return d
}

// lookup returns the dictionary flags of a lowercase token.
func (d *Detector) lookup(lower []byte) uint8 {
	f := d.base.lookup(lower)
	if d.extra != nil {
		f |= d.extra.lookup(lower)
	}
	return f
}

// ctxTok is a lowercase copy of a recent token, for context phrases.
type ctxTok struct {
	b   [24]byte
	n   int // -1 when the token was too long to copy
	sep uint16
	// spaced: whitespace or the start of the text precedes the token.
	spaced bool
	kind   uint8
	// sepAfter is the separator between this token and the next one.
	sepAfter uint16
}

func (c *ctxTok) is(s string) bool { return c.n == len(s) && string(c.b[:c.n]) == s }

// history keeps the last few tokens before the current position.
type history struct {
	t [6]ctxTok
	n int // tokens pushed so far
}

func (h *history) push(text string, t token) {
	slot := &h.t[h.n%len(h.t)]
	slot.sep = t.sep
	slot.spaced = t.spaced
	slot.kind = t.kind
	slot.sepAfter = 0
	slot.n = lowerInto(slot.b[:], text[t.start:t.stemEnd])
	if h.n > 0 {
		h.t[(h.n-1)%len(h.t)].sepAfter = t.sep
	}
	h.n++
}

// back returns the k-th previous token (1 = the last one) or nil.
func (h *history) back(k int) *ctxTok {
	if k > h.n || k > len(h.t) {
		return nil
	}
	return &h.t[(h.n-k)%len(h.t)]
}

// phrase reports whether the tokens before the current one are words,
// joined by spaces (or by allowed separators before the last word).
func (h *history) phrase(words ...string) bool {
	for i := 0; i < len(words); i++ {
		c := h.back(len(words) - i)
		if c == nil || !c.is(words[i]) {
			return false
		}
		if i > 0 && c.sep&(sepNewline|sepStop|sepComma|sepColon|sepDash|sepQuote|sepOther) != 0 {
			return false
		}
	}
	return true
}

// Context strengths.
const (
	ctxNone = iota
	ctxWeak
	ctxGreeting
	ctxStrong
	ctxSignature
)

// context classifies the words just before cur: a phrase that introduces
// a name, a greeting, a closing formula (signature) or nothing.
func (h *history) context(cur token) int {
	between := cur.sep
	last := h.back(1)
	// "— Anna" at the start of a line or of the text.
	if between&sepDash != 0 && (between&(sepNewline|sepStart) != 0 || (last != nil && last.sepAfter&sepNewline != 0)) {
		return ctxSignature
	}
	if last == nil || last.n <= 0 {
		return ctxNone
	}
	word := string(last.b[:last.n])
	// Signature: a closing formula, then comma or line break, then the name.
	if between&(sepComma|sepNewline) != 0 && between&sepStop == 0 && isCloser(word) {
		return ctxSignature
	}
	if between&(sepNewline|sepStop|sepDash|sepOther) != 0 {
		return ctxNone
	}
	weak := ctxWeak
	if between&sepColon != 0 {
		weak = ctxNone
	}
	switch word {
	case "is":
		if h.phrase("name", "is") || h.phrase("naam", "is") {
			return ctxStrong
		}
		if h.phrase("this", "is") {
			return weak
		}
	case "name's", "m'appelle", "dear", "cher", "chère", "liebe", "lieber",
		"estimado", "estimada", "querido", "querida", "gentile", "gentilissimo", "gentilissima", "beste", "geachte":
		return ctxStrong
	case "llamo":
		if h.phrase("me", "llamo") {
			return ctxStrong
		}
	case "chiamo":
		if h.phrase("mi", "chiamo") {
			return ctxStrong
		}
	case "heet":
		if h.phrase("ik", "heet") {
			return ctxStrong
		}
	case "es":
		if h.phrase("nombre", "es") {
			return ctxStrong
		}
	case "è":
		if h.phrase("nome", "è") {
			return ctxStrong
		}
	case "a":
		// "intestato a", "à l'attention de" are written out below.
		if h.phrase("intestato", "a") || h.phrase("intestata", "a") {
			return ctxStrong
		}
	case "de":
		if h.phrase("nombre", "de") || h.phrase("naam", "van") {
			return ctxStrong
		}
	case "kontoinhaber", "kontoinhaberin", "titulaire", "titular", "rekeninghouder", "beneficiario", "beneficiaria":
		// Account holders: a name follows.
		return ctxStrong
	case "soy", "sono":
		return weak
	case "an":
		if h.phrase("rückruf", "bitte", "an") || h.phrase("rückruf", "an") {
			return ctxStrong
		}
	case "ben":
		if h.phrase("ik", "ben") {
			return weak
		}
	case "collega", "kollege", "kollegin", "colleague", "collègue", "compañero", "compañera",
		// roles that come before a person's name ("our CTO Mark Evans",
		// "unser Geschäftsführer Jan Berg")
		"ceo", "cto", "cfo", "coo", "cmo", "founder", "cofounder", "co-founder", "manager", "boss",
		"geschäftsführer", "geschäftsführerin", "chef", "chefin", "directeur", "directrice",
		"gérant", "gérante", "jefe", "jefa", "gerente", "direttore", "direttrice", "titolare", "baas", "directeur-generaal":
		return weak
	case "hola", "gracias", "ciao", "grazie", "buongiorno", "buonasera", "salve", "hoi", "bedankt", "dank", "goedemorgen", "goedemiddag":
		return ctxGreeting
	case "me":
		if h.phrase("call", "me") {
			return ctxStrong
		}
	case "est":
		if h.phrase("nom", "est") || h.phrase("prénom", "est") {
			return ctxStrong
		}
	case "ist":
		if h.phrase("name", "ist") || h.phrase("vorname", "ist") {
			return ctxStrong
		}
	case "heiße", "heisse":
		if h.phrase("ich", word) {
			return ctxStrong
		}
	case "nomme":
		if h.phrase("je", "me", "nomme") {
			return ctxStrong
		}
	case "hi", "hello", "hey", "bonjour", "bonsoir", "salut", "coucou", "hallo", "servus", "moin",
		"thanks", "merci", "danke":
		return ctxGreeting
	case "you":
		if h.phrase("thank", "you") {
			return ctxGreeting
		}
	case "am":
		if h.phrase("i", "am") {
			return weak
		}
	case "i'm":
		return weak
	case "im":
		// Chat spelling of "I'm" after a greeting ("hi im sarah");
		// elsewhere, the start of a message included, it is German "im"
		// ("im Mai").
		if h.phrase("hi", "im") || h.phrase("hey", "im") || h.phrase("hello", "im") {
			return ctxStrong
		}
	case "suis":
		if h.phrase("je", "suis") {
			return weak
		}
	case "c'est":
		if h.phrase("moi", "c'est") {
			return weak
		}
	case "bin":
		if h.phrase("ich", "bin") {
			return weak
		}
	case "signed":
		return ctxWeak
	case "for":
		if h.phrase("ask", "for") || h.phrase("asking", "for") {
			return weak
		}
	case "met":
		// Dutch telephone greeting at the start of a sentence: "Met
		// Joost Jacobs, ..." (this is Joost Jacobs speaking).
		if last.sep&(sepStart|sepStop|sepNewline) != 0 {
			return weak
		}
	}
	return ctxNone
}

// endsInPlaceWord reports whether the span's last name token is a word
// that heads the name of a place or an organization (station, street,
// hospital, GmbH, …) and is not also a listed surname (Hall, Park and
// Church stay names).
func (sp *span) endsInPlaceWord(text string, lb *[maxTokenBytes]byte) bool {
	li := sp.n - 1
	for li > 0 && sp.role[li] != roleName {
		li--
	}
	if sp.flags[li]&flagSurname != 0 {
		return false
	}
	t := sp.tok[li]
	n := lowerInto(lb[:], text[t.start:t.stemEnd])
	return n > 0 && n <= 16 && placeWords[string(lb[:n])]
}

// placeWords head the names of places and organizations, in the six
// languages veil detects names in.
var placeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		station line street road avenue square bridge centre center hospital university college
		school cathedral airport hotel museum tower gardens garden building stadium arena theatre
		theater library foundation institute clinic pharmacy mall market plaza boulevard terrace
		island beach mountain valley county academy restaurant cafe café studio labs systems
		solutions services technologies consulting partners inc ltd llc corp plc gmbh ag sa sas
		sarl bv nv spa srl kg collection group company agency boutique store shop festival
		award awards prize trophy cup motor motors controls industries holdings capital ventures
		brothers bros software cloud edge reader pro plus max mini prime connect suite hub app apps
		platform analytics insights assistant bot bots
		straße strasse platz bahnhof kirche schule krankenhaus klinik universität brücke halle
		gare rue église école hôpital université pont musée lycée collège
		estación calle iglesia escuela universidad puente museo mercado avenida
		stazione piazza chiesa scuola ospedale università ponte mercato viale
		straat plein kerk ziekenhuis universiteit brug gracht laan`) {
		m[w] = true
	}
	return m
}()

// afterPostcode reports whether cur follows a postal code on the same
// line with only spaces between: four to six digits, optionally followed
// by a group of two capitals (Dutch 1234 AB), in which case letters is
// true.
func (h *history) afterPostcode(cur token) (ok, letters bool) {
	if cur.sep != 0 || !cur.spaced {
		return false, false
	}
	k := 1
	if last := h.back(1); last != nil && last.n == 2 && last.sep == 0 && last.spaced && last.kind&kindUpper != 0 {
		k = 2
	}
	code := h.back(k)
	if code == nil || code.n < 4 || code.n > 6 {
		return false, false
	}
	for _, c := range code.b[:code.n] {
		if c < '0' || c > '9' {
			return false, false
		}
	}
	return true, k == 2
}

// ukPostcodeAt reports whether a UK postcode (outward code, a space, the
// inward code: "BS1 1LZ", "SW1A 2AA", "M1 1AE") follows a single space
// at p and ends the word there.
func ukPostcodeAt(text string, p int) bool {
	if p >= len(text) || text[p] != ' ' {
		return false
	}
	s := text[p+1:]
	out := strings.IndexByte(s, ' ') // the outward code is two to four bytes
	if out < 2 || out > 4 || len(s) < out+4 {
		return false
	}
	end := out + 4
	if end < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[end:]); isWordRune(r) {
			return false
		}
	}
	return validate.PostalUK(s[:end])
}

// afterPlaceWord reports whether the token before cur, joined to it by
// spaces only, is a word that names a kind of place or business
// (placeWords, or clinic, hotel, restaurant, bar, club words).
func (h *history) afterPlaceWord(cur token) bool {
	last := h.back(1)
	if last == nil || last.n <= 0 || cur.sep != 0 || !cur.spaced {
		return false
	}
	w := string(last.b[:last.n])
	return placeWords[w] || placePrefixes[w]
}

// placePrefixes name a kind of place, business or street when they come
// before its name ("Clínica Aurora", "Hotel Luna", "Rue du Faubourg
// Saint-Honoré").
var placePrefixes = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		clinic clínica clinica klinik clinique kliniek hotel hôtel hostal albergo
		restaurant restaurante ristorante trattoria pizzeria café cafe bar club studio
		farmacia apotheke pharmacie apotheek banco banca bank casa villa
		colegio collegio instituto istituto
		rue avenue boulevard faubourg chemin allée impasse quai place
		calle avenida paseo plaza via viale piazza corso largo
		san santa santo são saint sainte sankt sint`) {
		m[w] = true
	}
	return m
}()

// isElision reports whether tok is one or two ASCII letters, an
// apostrophe and a lower-case letter: an elided article or pronoun.
func isElision(tok string) bool {
	for k := 1; k <= 2 && k < len(tok); k++ {
		c := tok[k-1]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
		rest := tok[k:]
		var after string
		switch {
		case strings.HasPrefix(rest, "'"):
			after = rest[1:]
		case strings.HasPrefix(rest, "’"):
			after = rest[len("’"):]
		default:
			continue
		}
		r, _ := utf8.DecodeRuneInString(after)
		return unicode.IsLower(r)
	}
	return false
}

func isCloser(w string) bool {
	switch w {
	case "best", "regards", "cheers", "thanks", "thx", "sincerely", "yours", "respectfully",
		"warmly", "wishes", "love", "xoxo", "cordialement", "amicalement", "bisous", "bises",
		"merci", "salutations", "grüße", "grüßen", "grüsse", "grüssen", "gruß", "gruss",
		"lg", "vg", "mfg", "danke", "tschüss", "ciao",
		"saludos", "saludo", "saluto", "atentamente", "abrazos", "gracias", "saluti", "cordialmente", "distinti", "grazie",
		"groet", "groeten", "groetjes", "bedankt", "dank",
		// the last words of "talk soon", "take care", "bis bald", "à bientôt",
		// "hasta pronto", "hasta luego", "a presto", "a dopo", "tot ziens"
		"soon", "care", "later", "bald", "servus", "bientôt", "bientot", "pronto", "luego", "presto", "dopo", "ziens":
		return true
	}
	return false
}

func (h *history) title(cur token) bool {
	last := h.back(1)
	if last == nil || last.n <= 0 || cur.sep&(sepNewline|sepComma|sepColon|sepDash|sepQuote|sepOther) != 0 {
		return false
	}
	w := string(last.b[:last.n])
	if w == "v" {
		// Dutch "t.n.v." (ten name van, in the name of): an account
		// holder follows.
		t2, t3 := h.back(2), h.back(3)
		return cur.sep&sepStop != 0 && t2 != nil && t2.is("n") && t3 != nil && t3.is("t")
	}
	if (w == "ra" || w == "ssa") && last.sep == sepStop && !last.spaced {
		// Italian feminine abbreviations: Sig.ra, Dott.ssa, Prof.ssa.
		if t2 := h.back(2); t2 != nil && (t2.is("sig") || t2.is("dott") || t2.is("prof")) {
			w, last = string(t2.b[:t2.n]), t2
		}
	}
	if !isTitleWord(w) {
		return false
	}
	if !last.spaced && last.sep&(sepStop|sepOther) != 0 {
		// Glued to the word before it by a dot or a symbol: the end of
		// a domain or an address ("orange.fr. Je", "x@web.de. Mit"),
		// not a title.
		return false
	}
	// Single-letter "M." (Monsieur) and "Hr."/"Fr."/"Pr." need the dot.
	switch w {
	case "m", "hr", "fr", "pr":
		return cur.sep&sepStop != 0
	}
	return true
}

func isTitleWord(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
		"madam", "madame", "mme", "mlle", "monsieur", "mademoiselle", "pr", "docteur",
		"maître", "herr", "frau", "fräulein", "hr", "fr", "doktor", "doctor", "m", "mister",
		"sr", "sra", "srta", "señor", "señora", "señorita", "doña", "dra",
		"sig", "sigra", "signor", "signore", "signora", "signorina", "dott", "dottor", "dottore", "dottoressa",
		"dhr", "mevr", "mw", "mevrouw", "meneer", "heer":
		return true
	}
	return false
}

func isParticle(w string) bool {
	switch w {
	case "van", "von", "der", "den", "de", "du", "des", "le", "la", "di", "da", "dos", "das",
		"del", "della", "ten", "ter", "zu", "zum", "zur", "vom", "bin", "ibn", "al", "el", "st":
		return true
	}
	return false
}

// span is a candidate name: up to maxSpan tokens.
const maxSpan = 6

type span struct {
	tok    [maxSpan]token
	flags  [maxSpan]uint8
	role   [maxSpan]uint8 // roleName, roleParticle, roleInitial
	n      int
	names  int
	endPos int // text position after the last token
}

const (
	roleName uint8 = iota
	roleParticle
	roleInitial
)

// Detect appends the PERSON findings of text to dst and returns it. Offsets
// are UTF-8 byte offsets, End exclusive. Detect does not allocate when dst
// has room for the findings.
func (d *Detector) Detect(text string, dst []classifiers.Finding) []classifiers.Finding {
	if !mayHoldName(text) {
		return dst
	}
	return d.detect(text, dst)
}

// nameBytes marks the bytes without which a text holds no name: capital
// letters and non-ASCII bytes (a capitalized token), and the white space
// and punctuation that let a context phrase or a title reach the next
// token (the others, such as . - _ / @, separate ids, paths and addresses,
// and a context phrase never spans them).
var nameBytes = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	for _, c := range []byte(" \t\n\r\f\v,:;\"'()[]{}<>`") {
		t[c] = true
	}
	return t
}()

// mayHoldName reports whether detect can find a name in text: a text
// without any of nameBytes has only lower-case ASCII tokens, and a
// lower-case token is a name only after a context phrase or a title that
// such separators cannot link to it (TestMayHoldName holds detect to it).
func mayHoldName(text string) bool {
	for i := 0; i < len(text); i++ {
		if nameBytes[text[i]] {
			return true
		}
	}
	return false
}

// detect is Detect without the mayHoldName screen.
func (d *Detector) detect(text string, dst []classifiers.Finding) []classifiers.Finding {
	var h history
	var lb [maxTokenBytes]byte
	pos := 0
	for {
		t, next, ok := nextToken(text, pos)
		if !ok {
			return dst
		}
		f, end, found := d.candidate(text, t, next, &h, &lb)
		if found {
			if f.Score >= d.minScore {
				dst = append(dst, f)
			}
			// Push the span's tokens into the history and continue after it.
			p := pos
			for {
				st, sn, ok := nextToken(text, p)
				if !ok || st.start >= end {
					break
				}
				h.push(text, st)
				p = sn
			}
			pos = end
			continue
		}
		h.push(text, t)
		pos = next
	}
}

// candidate tries to read a name starting at t. It returns the finding, the
// text position after the span, and whether a span was read (found is true
// also when the score is below the threshold, so the span is skipped).
func (d *Detector) candidate(text string, t token, next int, h *history, lb *[maxTokenBytes]byte) (classifiers.Finding, int, bool) {
	if t.kind&(kindDigit|kindUpper) != 0 {
		return classifiers.Finding{}, 0, false
	}
	if t.kind&kindSingle != 0 && (t.kind&kindCap == 0 || next >= len(text) || text[next] != '.' || !h.title(t)) {
		// A lone letter starts a name only as an initial right after a
		// title ("Mr. J. Smith", "Mevr. E. de Boer").
		return classifiers.Finding{}, 0, false
	}
	if isElision(text[t.start:t.end]) {
		// J'ai, L'équipe, C'est, Qu'il: a French or Italian elided
		// article or pronoun, never a name (O'Brien, D'Angelo are
		// capitalized after the apostrophe).
		return classifiers.Finding{}, 0, false
	}
	n := lowerInto(lb[:], text[t.start:t.stemEnd])
	if n <= 0 {
		return classifiers.Finding{}, 0, false
	}
	if n <= 16 && (isTitleWord(string(lb[:n])) || isCloser(string(lb[:n]))) {
		// Titles introduce names; closing formulas ("Liebe Grüße",
		// "Best regards") end letters: neither is a name itself.
		return classifiers.Finding{}, 0, false
	}
	lowerMode := false
	particle := t.kind&kindLower != 0 && (n <= 8 && isParticle(string(lb[:n])))
	if t.kind&kindCap == 0 && !particle && (t.kind&kindLower == 0 || h.n == 0) {
		return classifiers.Finding{}, 0, false
	}
	title := h.title(t)
	ctx := h.context(t)
	if ctx == ctxNone && atMention(text, t.start) {
		// "@Marco can you check this?", "thanks @sophie": a chat mention
		// names a person (listed names only when written in lower case).
		ctx = ctxStrong
	}
	switch {
	case t.kind&kindCap != 0:
	case particle && (title || ctx != ctxNone):
	case t.kind&kindLower != 0 && ctx == ctxStrong:
		// "my name is john smith": lowercase names after a strong phrase,
		// only when listed.
		if d.lookup(lb[:n])&flagGiven == 0 || d.lookup(lb[:n])&flagStop != 0 {
			return classifiers.Finding{}, 0, false
		}
		lowerMode = true
	default:
		return classifiers.Finding{}, 0, false
	}

	var sp span
	sp.add(t, d.lookup(lb[:n]), particle)
	sp.endPos = next
	d.extend(text, &sp, lowerMode, lb)
	if sp.names == 0 {
		return classifiers.Finding{}, 0, false
	}
	if sp.names >= 2 && !title && ctx != ctxStrong && sp.endsInPlaceWord(text, lb) {
		// "Victoria Station", "Jubilee Line", "Santa Maria Hospital":
		// a place or an organization named after a person or a word.
		return classifiers.Finding{}, 0, false
	}
	if ctx != ctxStrong {
		// "46004 Valencia", "3563 YD Utrecht", "2520 DR Den Haag": a
		// place after its postal code, even when a surname is spelled
		// the same (and the Dutch postcode letters read as a title).
		if pc, letters := h.afterPostcode(t); pc && (!title || letters) {
			return classifiers.Finding{}, 0, false
		}
		// "Clarence Road, Bristol BS1 1LZ": a town before its UK postcode.
		if sp.names == 1 && !title && ukPostcodeAt(text, sp.endPos) {
			return classifiers.Finding{}, 0, false
		}
		// "Clínica Aurora", "Hotel Luna": a place or business named by
		// the word before it.
		if sp.names == 1 && !title && h.afterPlaceWord(t) {
			return classifiers.Finding{}, 0, false
		}
	}

	score, rule := d.score(text, &sp, title, ctx, lowerMode)
	// Span offsets: from the first token to the end of the last name token.
	first, last := 0, sp.n-1
	for last > 0 && sp.role[last] != roleName {
		last--
	}
	f := classifiers.Finding{
		Type:  classifiers.Person,
		Start: sp.tok[first].start,
		End:   sp.tok[last].stemEnd,
		Score: score,
		Rule:  rule,
	}
	end := sp.tok[last].end
	if score == 0 {
		// Not a name: skip only the first token so later tokens get their
		// own chance (e.g. "Apple Store" then "John Smith").
		return classifiers.Finding{}, 0, false
	}
	return f, end, true
}

func (sp *span) add(t token, flags uint8, particle bool) {
	sp.tok[sp.n] = t
	sp.flags[sp.n] = flags
	switch {
	case particle:
		sp.role[sp.n] = roleParticle
	case t.kind&kindSingle != 0:
		sp.role[sp.n] = roleInitial
	default:
		sp.role[sp.n] = roleName
		sp.names++
	}
	sp.n++
}

// extend adds following tokens that continue the name: capitalized words
// separated by single spaces, particles followed by a capitalized word, and
// middle initials ("John F. Kennedy").
func (d *Detector) extend(text string, sp *span, lowerMode bool, lb *[maxTokenBytes]byte) {
	pos := sp.endPos
	beforeParticles := sp.endPos // where the span ended before its last particles
	for sp.n < maxSpan && sp.names < 4 {
		t, next, ok := nextToken(text, pos)
		if !ok {
			return
		}
		prev := sp.tok[sp.n-1]
		prevInitial := sp.role[sp.n-1] == roleInitial
		switch {
		case t.sep == 0:
		case prevInitial && t.sep == sepStop && text[prev.end] == '.':
		default:
			return
		}
		if t.kind&(kindDigit|kindUpper) != 0 {
			return
		}
		n := lowerInto(lb[:], text[t.start:t.stemEnd])
		if n <= 0 || (n <= 16 && isTitleWord(string(lb[:n]))) {
			return
		}
		flags := d.lookup(lb[:n])
		switch {
		case lowerMode:
			if t.kind&kindLower == 0 || flags&flagSurname == 0 || flags&(flagStop|flagAmbiguous) != 0 {
				return
			}
		case t.kind&kindSingle != 0:
			// Middle initial: "F." followed by a capitalized word.
			if t.kind&kindCap == 0 || next >= len(text) || text[next] != '.' {
				return
			}
			nt, _, ok := nextToken(text, next)
			if !ok || nt.kind&kindCap == 0 || nt.kind&kindSingle != 0 {
				return
			}
		case t.kind&kindCap != 0:
			if flags&flagStop != 0 && flags&(flagGiven|flagSurname) == 0 {
				return
			}
			if flags&flagStop != 0 && flags&flagGiven == 0 && lowerWordNext(text, next) {
				// A word that is also a surname ("You", "Card") but begins
				// a sentence here: "ask for Megan You can reach me".
				return
			}
			if sp.role[sp.n-1] == roleParticle && !particleJoins(sp, flags) {
				// "Frau Schneider von der Buchhaltung": the particles
				// lead to a word that is no surname, after a word that
				// is no given name; the name ends before them.
				for sp.role[sp.n-1] == roleParticle {
					sp.n--
				}
				sp.endPos = beforeParticles
				return
			}
		case t.kind&kindLower != 0 && (n <= 8 && isParticle(string(lb[:n]))):
			// A particle must be followed by a capitalized word or another particle.
			nt, _, ok := nextToken(text, next)
			if !ok || nt.sep != 0 || (nt.kind&kindCap == 0 && nt.kind&kindLower == 0) {
				return
			}
			if nt.kind&kindLower != 0 {
				var b2 [maxTokenBytes]byte
				m := lowerInto(b2[:], text[nt.start:nt.stemEnd])
				if m <= 0 || (m > 8 || !isParticle(string(b2[:m]))) {
					return
				}
			}
			if sp.role[sp.n-1] != roleParticle {
				beforeParticles = sp.endPos
			}
			sp.add(t, flags, true)
			sp.endPos = next
			pos = next
			continue
		default:
			return
		}
		sp.add(t, flags, false)
		sp.endPos = next
		pos = next
		if t.stemEnd != t.end {
			return
		}
	}
}

// atMention reports whether the token at start follows an '@' that
// begins a word (a chat mention, not the domain of an e-mail address).
func atMention(text string, start int) bool {
	if start < 1 || text[start-1] != '@' {
		return false
	}
	if start == 1 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:start-1])
	return unicode.IsSpace(r) || r == '(' || r == '"'
}

// lowerWordNext reports whether a lowercase word follows position p after
// a single space, as a sentence's verb or noun does.
func lowerWordNext(text string, p int) bool {
	if p+1 >= len(text) || text[p] != ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[p+1:])
	return unicode.IsLower(r)
}

// particleJoins reports whether particles continue a name into a word
// with dictionary flags: the word before them is a given name (Pieter van
// den Berg), the word after them is a listed surname (… de Vries), or the
// span begins with them (Mr. van der Berg, which the candidate allowed).
func particleJoins(sp *span, flags uint8) bool {
	if flags&flagSurname != 0 {
		return true
	}
	i := sp.n - 1
	for i >= 0 && sp.role[i] == roleParticle {
		i--
	}
	return i < 0 || sp.role[i] == roleName && sp.flags[i]&flagGiven != 0
}

// score rates a span from its dictionary flags and the surrounding
// signals; 0 means "not a name".
func (d *Detector) score(text string, sp *span, title bool, ctx int, lowerMode bool) (float64, string) {
	// First and last name tokens.
	fi, li := -1, -1
	for i := 0; i < sp.n; i++ {
		if sp.role[i] == roleName {
			if fi < 0 {
				fi = i
			}
			li = i
		}
	}
	ff, lf := sp.flags[fi], sp.flags[li]
	given := ff&flagGiven != 0
	firstAmb := ff&flagAmbiguous != 0
	firstStop := ff&flagStop != 0
	multi := sp.names >= 2
	lastListed := multi && lf&(flagSurname|flagGiven) != 0
	lastAmb := multi && lf&flagAmbiguous != 0
	lastStop := multi && lf&flagStop != 0
	startsSentence := sp.tok[0].sep&(sepStart|sepStop|sepNewline|sepColon|sepQuote) != 0

	if title {
		if !multi && firstStop && ff&(flagGiven|flagSurname) == 0 {
			return 0, ""
		}
		return 0.85, RuleTitle
	}
	switch ctx {
	case ctxStrong:
		switch {
		case lowerMode && multi:
			return 0.75, RuleContext
		case lowerMode:
			return 0.7, RuleContext
		case given && lastListed:
			return 0.85, RuleContext
		case given:
			return 0.8, RuleContext
		case multi && lastListed:
			return 0.75, RuleContext
		case firstStop:
			return 0, ""
		default:
			return 0.6, RuleContext
		}
	case ctxGreeting, ctxWeak:
		switch {
		case given && lastListed && !firstStop:
			return 0.85, RuleContext
		case given && !firstAmb && !firstStop:
			return 0.75, RuleContext
		case given && firstAmb && !firstStop && !multi && ctx == ctxGreeting && followedBy(text, sp, sepComma|sepStop):
			return 0.65, RuleContext
		case given && firstAmb && !firstStop && ctx == ctxWeak:
			return 0.65, RuleContext
		case !given && !firstStop && multi && lastListed:
			return 0.7, RuleContext
		case !given && !firstStop && !multi && ctx == ctxGreeting && followedBy(text, sp, sepComma) && ff&flagSurname == 0:
			return 0.6, RuleContext
		}
		// fall through to the dictionary rules below
	case ctxSignature:
		if lineEnds(text, sp) {
			switch {
			case given && !firstStop:
				return 0.8, RuleSignature
			case multi && !firstStop && !lastStop:
				return 0.65, RuleSignature
			}
		}
	}

	if multi {
		if !given || (firstStop && lastStop) {
			return 0, ""
		}
		if lastListed {
			// Words that are also common words or stoplisted places lower
			// the score; two of them at a sentence start are not a name
			// ("May Day").
			amb := 0
			if firstAmb || firstStop {
				amb++
			}
			if lastAmb || lastStop {
				amb++
			}
			switch {
			case amb == 0:
				return 0.85, RuleDictionary
			case amb == 1 && startsSentence:
				return 0.75, RuleDictionary
			case amb == 1:
				return 0.8, RuleDictionary
			case startsSentence:
				return 0, ""
			default:
				return 0.65, RuleDictionary
			}
		}
		if firstAmb || firstStop || lastStop || lf&flagAmbiguous != 0 {
			return 0, ""
		}
		if startsSentence {
			return 0.6, RuleDictionary
		}
		return 0.7, RuleDictionary
	}
	// A single token without title or context.
	if given && !firstAmb && !firstStop && !startsSentence && sp.role[0] == roleName {
		return 0.6, RuleGiven
	}
	return 0, ""
}

// followedBy reports whether the separator after the span has one of the
// flags (or the text ends there).
func followedBy(text string, sp *span, flags uint16) bool {
	t, _, ok := nextToken(text, sp.endPos)
	if !ok {
		return true
	}
	return t.sep&flags != 0
}

// lineEnds reports whether the span is the last thing on its line.
func lineEnds(text string, sp *span) bool {
	t, _, ok := nextToken(text, sp.endPos)
	if !ok {
		return true
	}
	return t.sep&(sepNewline|sepStop) != 0
}
