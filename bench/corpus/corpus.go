package corpus

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

// Label types. The first seventeen are the taxonomy's entity types
// (../../../shared/taxonomy.md); the last two exist only in labels:
// TypeLinkingID marks identifiers that link one person's events (user,
// anonymous, session, device, advertising and conversation ids) and
// TypeCity a city name, which the statement treats as precise location.
const (
	TypeEmail     = "EMAIL_ADDRESS"
	TypePhone     = "PHONE_NUMBER"
	TypeIP        = "IP_ADDRESS"
	TypeCard      = "CREDIT_CARD"
	TypeIBAN      = "IBAN_CODE"
	TypeSSN       = "US_SSN"
	TypeSIN       = "CA_SIN"
	TypeNINO      = "UK_NINO"
	TypePostal    = "POSTAL_CODE"
	TypePerson    = "PERSON"
	TypeStreet    = "STREET_ADDRESS"
	TypeGeo       = "GEO_COORDINATE"
	TypeMAC       = "MAC_ADDRESS"
	TypeURL       = "URL"
	TypeCrypto    = "CRYPTO"
	TypeSecret    = "SECRET"
	TypeDOB       = "DATE_OF_BIRTH"
	TypeLinkingID = "LINKING_ID"
	TypeCity      = "LOCATION_CITY"
)

// PIIValue is a personal value placed in an event: a redactor must not let
// Value survive anywhere in its output. Path says where it was placed, in the
// scorer's syntax (context.traits.email, items[2].name); for a value inside
// free text or a URL the path is the string's, and for a value used as an
// object key it is the object's.
type PIIValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
	Path  string `json:"path"`
}

// KeepValue is a non-personal value analytics needs: a redactor should leave
// it at Path. Value is a string (kept when the output string at Path contains
// it) or an int64 or float64 (kept when the output number at Path equals it).
type KeepValue struct {
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// Record is one labelled event. Its JSON form is a line of the scorer's
// `redact` data: {"id", "kind", "event", "pii_values", "keep_values"}.
type Record struct {
	ID    string          `json:"id"`
	Kind  string          `json:"kind"`
	Event json.RawMessage `json:"event"`
	PII   []PIIValue      `json:"pii_values"`
	Keep  []KeepValue     `json:"keep_values"`
}

// Entity is a labelled span of a TextCase: UTF-8 byte offsets, End exclusive.
type Entity struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value"`
}

// TextCase is a labelled free text in the scorer's `detect` data format. Its
// entities are exhaustive for the taxonomy's types.
type TextCase struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Entities []Entity `json:"entities"`
	Locale   string   `json:"locale"`
}

// Event kinds, one per event family.
const (
	KindPageView     = "analytics.page_view"
	KindSession      = "analytics.session"
	KindSegmentPage  = "segment.page"
	KindTrack        = "segment.track"
	KindIdentify     = "segment.identify"
	KindScreen       = "segment.screen"
	KindVisitor      = "visitor.profile"
	KindMessage      = "conversation.message"
	KindContent      = "content.upload"
	KindAPIRequest   = "usage.api_request"
	KindUsageRollup  = "usage.daily"
	KindSignup       = "account.signup"
	KindLogin        = "account.login"
	KindForm         = "form.submission"
	KindUnknownShape = "custom.unknown"
)

// Share is one kind's weight in a Mix.
type Share struct {
	Kind   string
	Weight int
}

// Mix says which kinds of event a Generator draws and how often.
type Mix []Share

// Named mixes, as the corpusgen command's -kind flag selects them.
var (
	// MixMixed is every family, in proportions like a chatbot platform's
	// event bus: analytics first, then conversation, usage and accounts.
	MixMixed = Mix{
		{KindPageView, 13}, {KindSession, 7}, {KindSegmentPage, 10}, {KindTrack, 13},
		{KindIdentify, 6}, {KindScreen, 6}, {KindVisitor, 4}, {KindMessage, 16},
		{KindContent, 5}, {KindAPIRequest, 5}, {KindUsageRollup, 1}, {KindSignup, 2},
		{KindLogin, 3}, {KindForm, 4}, {KindUnknownShape, 7},
	}
	// MixAnalytics is end-user and visitor analytics only.
	MixAnalytics = Mix{
		{KindPageView, 25}, {KindSession, 15}, {KindSegmentPage, 18}, {KindTrack, 20},
		{KindIdentify, 8}, {KindScreen, 8}, {KindVisitor, 6},
	}
	// MixConversation is Conversation Data and bot content only.
	MixConversation = Mix{{KindMessage, 80}, {KindContent, 20}}
)

// MixNamed returns the mix called name: "mixed", "analytics" or "conversation".
func MixNamed(name string) (Mix, error) {
	switch name {
	case "mixed":
		return MixMixed, nil
	case "analytics":
		return MixAnalytics, nil
	case "conversation":
		return MixConversation, nil
	}
	return nil, fmt.Errorf("corpus: unknown mix %q (want mixed, analytics or conversation)", name)
}

// Kinds returns every event kind the generator knows, sorted.
func Kinds() []string {
	out := make([]string, 0, len(builders))
	for k := range builders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TextLocales are the languages of the labelled free texts.
var TextLocales = []string{"en", "fr", "de", "es", "it", "nl"}

type config struct {
	mix        Mix
	population int
	start      time.Time
	locales    []string
}

// Option configures a Generator.
type Option func(*config)

// WithMix sets the kinds of event Next draws (default MixMixed). Unknown
// kinds and non-positive weights are ignored; an empty result keeps the default.
func WithMix(m Mix) Option { return func(c *config) { c.mix = m } }

// WithPopulation sets how many distinct people the events come from
// (default 400). More people means less linkage between events.
func WithPopulation(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.population = n
		}
	}
}

// WithStart sets the time of the first event (default 2025-03-03T08:00:00Z).
// Later events follow at random intervals of up to a few seconds.
func WithStart(t time.Time) Option { return func(c *config) { c.start = t.UTC() } }

// WithTextLocales restricts the languages of Text (default TextLocales).
// Unknown languages are ignored.
func WithTextLocales(langs ...string) Option { return func(c *config) { c.locales = langs } }

// Generator draws labelled events and texts. The output depends only on the
// seed, the options and the sequence of calls. A Generator is not safe for
// concurrent use.
type Generator struct {
	r       *rand.Rand
	cfg     config
	mix     []Share
	total   int
	people  []*person
	byLang  map[string][]*person
	bots    []string
	spaces  []string
	now     time.Time
	n       int // events drawn
	nText   int // texts drawn
	redraws int // events rebuilt because a label would have been ambiguous
}

// New returns a generator seeded with seed.
func New(seed uint64, opts ...Option) *Generator {
	cfg := config{mix: MixMixed, population: 400, start: time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC), locales: TextLocales}
	for _, o := range opts {
		o(&cfg)
	}
	g := &Generator{
		r:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		cfg:    cfg,
		now:    cfg.start,
		byLang: map[string][]*person{},
	}
	for _, s := range cfg.mix {
		if _, ok := builders[s.Kind]; ok && s.Weight > 0 {
			g.mix = append(g.mix, s)
			g.total += s.Weight
		}
	}
	if g.total == 0 {
		g.mix = MixMixed
		for _, s := range g.mix {
			g.total += s.Weight
		}
	}
	for i := 0; i < 16; i++ {
		g.bots = append(g.bots, "bot_"+randString(g.r, base62, 10))
	}
	for i := 0; i < 8; i++ {
		g.spaces = append(g.spaces, "ws_"+randString(g.r, lowerAlnum, 8))
	}
	var langs []string
	for _, l := range cfg.locales {
		if _, ok := names[l]; ok {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = TextLocales
	}
	g.cfg.locales = langs
	wsum := 0
	for _, c := range countries {
		wsum += c.weight
	}
	for i := 0; i < cfg.population; i++ {
		p := newPerson(g.r, g.country(wsum))
		g.people = append(g.people, p)
		g.byLang[p.lang] = append(g.byLang[p.lang], p)
	}
	return g
}

func (g *Generator) country(wsum int) *country {
	n := g.r.IntN(wsum)
	for i := range countries {
		if n < countries[i].weight {
			return &countries[i]
		}
		n -= countries[i].weight
	}
	return &countries[0]
}

// maxAttempts bounds how often one event is rebuilt when its labels would be
// ambiguous; past it the generator emits a usage roll-up, which holds no
// personal value and cannot be ambiguous.
const maxAttempts = 64

// Next draws the next labelled event.
func (g *Generator) Next() Record {
	g.n++
	kind := g.pickKind()
	for attempt := 0; attempt < maxAttempts; attempt++ {
		e := newEvent()
		builders[kind](g, e)
		if e.consistent() {
			return g.record(kind, e)
		}
		g.redraws++
	}
	e := newEvent()
	buildUsageRollup(g, e)
	return g.record(KindUsageRollup, e)
}

func (g *Generator) record(kind string, e *event) Record {
	pii := e.pii
	if pii == nil {
		pii = []PIIValue{}
	}
	keep := e.keep
	if keep == nil {
		keep = []KeepValue{}
	}
	return Record{
		ID:    "evt-" + pad(g.n, 6),
		Kind:  kind,
		Event: appendValue(nil, e.root),
		PII:   pii,
		Keep:  keep,
	}
}

func (g *Generator) pickKind() string {
	n := g.r.IntN(g.total)
	for _, s := range g.mix {
		if n < s.Weight {
			return s.Kind
		}
		n -= s.Weight
	}
	return g.mix[0].Kind
}

// Text draws the next labelled free text: one to three sentences a person
// writes to a chatbot, in one of the configured languages, with the
// taxonomy's entities marked. About one text in six holds none.
func (g *Generator) Text() TextCase {
	g.nText++
	r := g.r
	lang := pick(r, g.cfg.locales)
	me := g.speaker(lang)
	x := &textCtx{r: r, me: me, other: g.sameCountry(me), now: g.tick()}
	var w writer
	negative := r.IntN(6) == 0
	ts := templatesFor(userTemplates, lang, me.c.code, negative)
	var gov []tmpl
	if !negative {
		gov = templatesFor(govTemplates, lang, me.c.code, false)
	}
	n := 1 + r.IntN(3)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.lit(pick(r, []string{" ", " ", "\n", " \n"}))
		}
		if len(gov) > 0 && r.IntN(8) == 0 {
			x.render(&w, pick(r, gov).text)
			continue
		}
		x.render(&w, pick(r, ts).text)
	}
	ents := make([]Entity, 0, len(w.ents))
	for _, e := range w.ents {
		if e.Type != TypeCity {
			ents = append(ents, e)
		}
	}
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].Start < ents[j].Start })
	locale := lang
	return TextCase{ID: "text-" + lang + "-" + pad(g.nText, 6), Text: w.b.String(), Entities: ents, Locale: locale}
}

// speaker returns someone who writes in lang: a country where lang is
// spoken is drawn uniformly (so Canada and the UK are as present as the US
// in English texts, and a quarter of French texts come from Québec), then a
// member of the population from there, or a new person.
func (g *Generator) speaker(lang string) *person {
	r := g.r
	var cs []*country
	for i := range countries {
		if countries[i].lang == lang {
			cs = append(cs, &countries[i])
		}
	}
	c := pick(r, cs)
	if lang == "fr" && r.IntN(4) == 0 {
		c = &countries[2] // Canada
	}
	if r.IntN(4) != 0 {
		var same []*person
		for _, p := range g.byLang[lang] {
			if p.c == c {
				same = append(same, p)
			}
		}
		if len(same) > 0 {
			return pick(r, same)
		}
	}
	for {
		if p := newPerson(r, c); p.lang == lang {
			return p
		}
	}
}

// sameCountry draws a new person from p's country (a colleague, a recipient).
func (g *Generator) sameCountry(p *person) *person {
	for {
		o := newPerson(g.r, p.c)
		if o.lang == p.lang && o.last != p.last && o.first != p.first {
			return o
		}
	}
}

// Redraws reports how many events were rebuilt so far because a label would
// have been ambiguous (a personal value also found in a kept value).
func (g *Generator) Redraws() int { return g.redraws }

// tick advances the clock by a random interval and returns the new time.
func (g *Generator) tick() time.Time {
	g.now = g.now.Add(time.Duration(50+g.r.IntN(4000)) * time.Millisecond)
	return g.now
}

// person draws a member of the population; low indices are drawn more often,
// so some people have many events and most have few.
func (g *Generator) person() *person {
	u := g.r.Float64()
	p := g.people[int(u*u*float64(len(g.people)))]
	if g.r.IntN(4) == 0 {
		p.session = newSessionID(g.r)
	}
	return p
}

func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// standardOffsets are the UTC offsets (minutes, standard time) of the time
// zones people live in here; daylight saving time is ignored.
var standardOffsets = map[string]int{
	"America/Los_Angeles": -480, "America/Vancouver": -480, "America/Denver": -420, "America/Phoenix": -420,
	"America/Edmonton": -420, "America/Chicago": -360, "America/New_York": -300, "America/Toronto": -300,
	"Europe/London": 0,
}

// stamp writes t as one of the RFC 3339 forms producers send: UTC with
// milliseconds (most), UTC without, or the person's local offset.
func (g *Generator) stamp(t time.Time, p *person) string {
	switch g.r.IntN(7) {
	case 0:
		return t.UTC().Format("2006-01-02T15:04:05Z")
	case 1:
		tz := p.c.tz
		if p.city.tz != "" {
			tz = p.city.tz
		}
		off, ok := standardOffsets[tz]
		if !ok {
			off = 60
		}
		return t.In(time.FixedZone("", off*60)).Format("2006-01-02T15:04:05.000-07:00")
	}
	return rfc3339(t)
}

func itoa(n int) string { return strconv.Itoa(n) }
