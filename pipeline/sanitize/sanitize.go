package sanitize

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// Unclassifiable is the entity type recorded for a value that could not be
// classified (its scan timed out) and was therefore redacted whole.
const Unclassifiable classifiers.EntityType = "UNCLASSIFIABLE"

// LinkingID is the entity type recorded for values that look like random
// identifiers (UUIDs, tokens) in fields no name classifies.
const LinkingID classifiers.EntityType = "LINKING_ID"

// Applied records one action taken on one member.
type Applied struct {
	// Path is the member's dotted path ("context.traits.email"); it aliases
	// the Sanitizer's buffer and is valid until the next Sanitize call.
	Path []byte
	// Type is the entity type or field kind, or empty when only the
	// category is known.
	Type classifiers.EntityType
	// Category is the data category the action was chosen for.
	Category classifiers.Category
	// Action is what was done.
	Action policy.ActionKind
}

// keyMask replaces, in an Applied path, a key that itself held personal
// data, so that tags never carry a value.
const keyMask = "*"

// Sanitizer rewrites events for one output. It is not safe for concurrent
// use: keep one per goroutine (they are cheap; share the Config's engine and
// policy).
type Sanitizer struct {
	cfg    Config
	pp     policy.PurposePolicy
	keys   keyCache
	check  schemas.Checker
	schema *schemas.Schema
	// schemaRank is the precedence of the discriminator that selected
	// schema (lower wins).
	schemaRank int
	rw         jsonwalk.Rewriter
	pre        jsonwalk.Rewriter // the first pass, run from inside rw's walk
	// event is the event being sanitized; settled is true once its
	// customer and schema are known.
	event   []byte
	settled bool
	now     time.Time
	cust    string
	custKy  [][]byte

	findings []classifiers.Finding
	segScan  []classifiers.Finding
	slug     []byte // a URL path segment spelled as words (slugNamesPerson)
	// decoded and decScan hold the decoded text of a base64 value and its
	// findings (see encodedFindings).
	decoded []byte
	decScan []classifiers.Finding
	repl    []byte
	scratch []byte
	pathBuf []byte
	applied []Applied
	spans   [][2]int
	err     error

	maskKey    bool
	uaCache    map[string]string
	clean      map[string]struct{}
	country    []byte
	pairName   []byte
	pairParent []byte
	pairIndex  int
	pairDepth  int

	visitFn   jsonwalk.Func
	segmentFn func(string) bool

	actions [64]actionEntry
	plans   []fieldPlan
	// slowOnly turns fastField off (tests compare the two paths).
	slowOnly bool
}

// New returns a Sanitizer for cfg, after validating it.
func New(cfg Config) (*Sanitizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pp, _ := cfg.Policy.Purpose(cfg.Purpose)
	s := &Sanitizer{cfg: cfg, pp: pp}
	s.rw.MaxDepth, s.pre.MaxDepth = cfg.MaxDepth, cfg.MaxDepth
	s.rw.MaxBytes, s.pre.MaxBytes = cfg.MaxBytes, cfg.MaxBytes
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.cfg.DefaultCustomer == "" {
		s.cfg.DefaultCustomer = "default"
	}
	for _, k := range cfg.CustomerKeys {
		s.custKy = append(s.custKy, []byte(k))
	}
	s.visitFn = s.visit
	s.segmentFn = s.personalSegment
	return s, nil
}

// Sanitize appends the sanitized form of event to dst. On error (malformed
// JSON, an event over the limits) dst is returned unchanged and the error
// says what and where without quoting the event.
func (s *Sanitizer) Sanitize(dst, event []byte) ([]byte, error) {
	s.applied = s.applied[:0]
	s.spans = s.spans[:0]
	s.pathBuf = s.pathBuf[:0]
	s.pairDepth = 0
	s.country = s.country[:0]
	s.err = nil
	s.now = s.cfg.Now()
	s.cust = s.cfg.DefaultCustomer
	s.schema = nil
	// The customer and the schema must be known before any member is acted
	// on; they are settled at the first member (see settle).
	s.event = event
	s.settled = len(s.custKy) == 0 && s.cfg.Schemas == nil
	out, err := s.rw.Rewrite(dst, event, s.visitFn)
	if err != nil {
		return dst, fmt.Errorf("event: %w", err)
	}
	if s.err == nil && s.schema != nil && s.cfg.RejectViolations {
		if err := s.check.Finish(); err != nil {
			s.err = fmt.Errorf("schema: %w", err)
		}
	}
	if s.err != nil {
		return dst, s.err
	}
	for i := range s.applied {
		s.applied[i].Path = s.pathBuf[s.spans[i][0]:s.spans[i][1]]
	}
	if s.cfg.TagOnly {
		return append(dst, event...), nil
	}
	return out, nil
}

// settle learns the event's customer and schema before its first member is
// acted on. When the first member is the top-ranked discriminator (events
// usually start with "type" or "event"), its value selects the schema at
// once; otherwise a first pass over the top level finds them.
func (s *Sanitizer) settle(p *jsonwalk.Path, v *jsonwalk.Value) {
	s.settled = true
	fast := false
	if len(s.custKy) == 0 && s.cfg.Schemas != nil && p.Len() == 1 && v.Kind == jsonwalk.String {
		if ds := s.cfg.Schemas.Discriminators(); len(ds) > 0 && bytes.Equal(ds[0], p.Last().Key) {
			if sc, ok := s.cfg.Schemas.Select(ds[0], v.Str); ok {
				s.schema, fast = sc, true
			}
		}
	}
	if !fast && !jsonwalk.TopLevelStrings(s.event, s.topMember) {
		// Escapes at the top level, or not an object read that way: walk.
		s.schema, s.cust = nil, s.cfg.DefaultCustomer
		if err := s.pre.Walk(s.event, s.findCustomer); err != nil {
			s.err = fmt.Errorf("event: %w", err)
			return
		}
	}
	if s.schema != nil {
		s.check.Reset(s.schema)
	} else if s.pp.Strict {
		s.err = fmt.Errorf("schema: no schema selects this event and purpose %s is strict", s.cfg.Purpose)
	}
}

// Applied returns what the last Sanitize call did, in event order. The
// slice and its paths are valid until the next call.
func (s *Sanitizer) Applied() []Applied { return s.applied }

func (s *Sanitizer) findCustomer(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	if p.Len() != 1 || v.Kind != jsonwalk.String {
		if v.Kind == jsonwalk.Object || v.Kind == jsonwalk.Array {
			return jsonwalk.Drop, nil // do not descend: only top-level keys count
		}
		return jsonwalk.Keep, nil
	}
	s.topMember(p.Last().Key, v.Str)
	return jsonwalk.Keep, nil
}

// topMember learns the schema and the customer from a top-level string
// member.
func (s *Sanitizer) topMember(key, val []byte) {
	if s.cfg.Schemas != nil {
		for rank, d := range s.cfg.Schemas.Discriminators() {
			if (s.schema == nil || rank < s.schemaRank) && bytes.Equal(d, key) {
				if sc, ok := s.cfg.Schemas.Select(key, val); ok {
					s.schema, s.schemaRank = sc, rank
				}
			}
		}
	}
	for _, k := range s.custKy {
		if bytes.Equal(k, key) && s.cust == s.cfg.DefaultCustomer && len(val) > 0 {
			s.cust = string(val)
		}
	}
}

// keyContext returns the key naming the value at p (for an array element,
// the key of the array) and the key of the object holding that member.
func keyContext(p *jsonwalk.Path) (key, parent []byte, member bool) {
	i := p.Len() - 1
	member = !p.At(i).IsIndex
	for i >= 0 && p.At(i).IsIndex {
		i--
	}
	if i < 0 {
		return nil, nil, member
	}
	key = p.At(i).Key
	i--
	for i >= 0 && p.At(i).IsIndex {
		i--
	}
	if i >= 0 {
		parent = p.At(i).Key
	}
	return key, parent, member
}

func (s *Sanitizer) visit(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	if !s.settled {
		s.settle(p, v)
	}
	if s.err != nil {
		return jsonwalk.Drop, nil // the event is rejected: skip the work
	}
	d, repl := s.classifyAndAct(p, v)
	if s.schema != nil && d != jsonwalk.Keep && (v.Kind == jsonwalk.Object || v.Kind == jsonwalk.Array) {
		s.check.Skip() // its members will not be visited
	}
	return d, repl
}

func (s *Sanitizer) classifyAndAct(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
	var (
		f  *schemas.Field
		ok bool
	)
	if s.schema != nil {
		var err error
		f, ok, err = s.check.Visit(p, v)
		if err != nil && s.cfg.RejectViolations && s.err == nil {
			s.err = fmt.Errorf("schema: %w", err)
		}
		// A member the field's plan settles (a member, not an array
		// element) skips the rest.
		if ok && f.Index < len(s.plans) && s.plans[f.Index].fast && !p.Last().IsIndex && !s.slowOnly {
			return s.fastField(p, v, &s.plans[f.Index])
		}
	}
	return s.classifySlow(p, v, f, ok)
}

// fastField decides a member whose schema field settles everything (see
// fieldPlan.fast): what classifySlow would decide, without its lookups.
func (s *Sanitizer) fastField(p *jsonwalk.Path, v *jsonwalk.Value, fp *fieldPlan) (jsonwalk.Decision, []byte) {
	cls, a := &fp.cls, fp.action
	switch v.Kind {
	case jsonwalk.Null:
		return jsonwalk.Keep, nil
	case jsonwalk.Object, jsonwalk.Array:
		if cls.Category == classifiers.Credentials {
			return s.decide(p, policy.Drop, cls.Type, cls.Category)
		}
		return jsonwalk.Keep, nil
	case jsonwalk.Number, jsonwalk.True, jsonwalk.False:
		if cls.Category == classifiers.Conversation || cls.Category == classifiers.BotContent || a.Kind == policy.Keep {
			return jsonwalk.Keep, nil
		}
		return s.apply(p, v, a, cls.Type, cls.Category)
	}
	if a.Kind == policy.Keep {
		if cls.Opaque || (plainToken(v.Str) || cls.Identifier && idToken(v.Str)) && !s.encodedText(v.Str) {
			return jsonwalk.Keep, nil
		}
		return s.content(p, v, false)
	}
	return s.apply(p, v, a, cls.Type, cls.Category)
}

// classifySlow classifies and acts on a member by every signal; f and ok
// are what the schema said.
func (s *Sanitizer) classifySlow(p *jsonwalk.Path, v *jsonwalk.Value, f *schemas.Field, ok bool) (jsonwalk.Decision, []byte) {
	key, parent, member := keyContext(p)
	var (
		cls    KeyClass
		known  bool
		named  bool
		byName bool // the key table knows the key itself
	)
	var fp *fieldPlan
	if s.schema != nil {
		if ok {
			fp = s.fieldPlan(f, parent, key)
		}
		// A member of a map-like object ("*" in the schema path) has a key
		// the event chose: it is still scanned below.
		named = ok && fp.named
		if ok && f.Tagged() {
			cls, known = fp.cls, true
		}
		if !ok && s.pp.Strict { // only what the schema names passes
			return s.decide(p, policy.Drop, "", classifiers.Unknown)
		}
	}
	var ki *keyInfo
	if s.cfg.Keys != nil && key != nil {
		if fp != nil && fp.stable {
			ki = &fp.key
		} else {
			ki = s.info(parent, key)
		}
	}
	haveAction := false
	var a policy.Action
	if known {
		a, haveAction = fp.action, true
	}
	if name, ok := s.pairedName(p, key); ok && s.cfg.Keys != nil {
		// {"name": "email", "value": "…"}: the sibling names the value,
		// more precisely than a schema tag for the list as a whole.
		if c, ok := s.classOf(parent, name); ok {
			cls, known, haveAction = c, true, false
		}
	}
	if ki != nil && member && v.Kind == jsonwalk.String && ki.pairName {
		s.rememberPair(p, v.Str)
		if plainKey(v.Str) {
			if _, ok := s.classOf(parent, v.Str); ok {
				// {"key": "customer_email", "value": …}: the name member
				// holds a field name the key table knows, not personal
				// data; the value is classified by it.
				return jsonwalk.Keep, nil
			}
		}
	}
	if !known && !named && ki != nil {
		cls, known, byName = ki.cls, ki.known, ki.byName
		a, haveAction = ki.action, ki.known
	}
	if !named && !byName && member && len(key) > 0 && (ki == nil || !ki.plain) {
		// A key can carry personal data ({"jane@example.com": 3}).
		fs, err := s.scanValue(key)
		if err != nil {
			s.unclassifiable(p, err)
			s.maskKey = true
			return s.decide(p, policy.Drop, Unclassifiable, classifiers.Unknown)
		}
		if len(fs) > 0 {
			s.maskKey = true
			return s.decide(p, policy.Drop, fs[0].Type, classifiers.CategoryOf(fs[0].Type))
		}
	}
	switch v.Kind {
	case jsonwalk.Null:
		return jsonwalk.Keep, nil
	case jsonwalk.Object, jsonwalk.Array:
		if !known {
			return jsonwalk.Keep, nil
		}
		if cls.Category == classifiers.Credentials {
			// Secrets go whole, whatever their structure.
			return s.decide(p, policy.Drop, cls.Type, cls.Category)
		}
		// Descend: members are classified on their own, and members the
		// key table does not know inherit this container's class (the text
		// of a message is conversation, its size is not).
		return jsonwalk.Keep, nil
	}
	if known && v.Kind == jsonwalk.Number && digitEntity(cls.Type) && digitCount(v.Raw) < 7 {
		// A count under a phone-ish name ({"whatsapp": 63}) cannot be the
		// entity the name suggests: classify it by content instead.
		known = false
	}
	if known && (v.Kind == jsonwalk.Number || v.Kind == jsonwalk.True || v.Kind == jsonwalk.False) &&
		(cls.Category == classifiers.Conversation || cls.Category == classifiers.BotContent) {
		// Conversation and bot content reach analytics as counts, sizes and
		// flags only: those are the numbers and booleans inside them.
		return jsonwalk.Keep, nil
	}
	if known && cls.Category == classifiers.CoarseLocation && v.Kind == jsonwalk.String && ki != nil && ki.country {
		// Remembered for postal prefixes, which depend on the country.
		s.country = append(s.country[:0], v.Str...)
	}
	if known {
		if !haveAction {
			a = s.action(cls.Category, cls.Type)
		}
		if a.Kind == policy.Keep {
			if cls.Opaque || v.Kind != jsonwalk.String || (plainToken(v.Str) || cls.Identifier && idToken(v.Str)) && !s.encodedText(v.Str) {
				// Routing by field: a kept field's value that is a plain
				// token cannot hold what the content scan looks for.
				return jsonwalk.Keep, nil
			}
			return s.content(p, v, false)
		}
		return s.apply(p, v, a, cls.Type, cls.Category)
	}
	return s.content(p, v, true)
}

// content classifies a scalar by what it holds.
func (s *Sanitizer) content(p *jsonwalk.Path, v *jsonwalk.Value, unknownKey bool) (jsonwalk.Decision, []byte) {
	var text []byte
	switch v.Kind {
	case jsonwalk.String:
		text = v.Str
	case jsonwalk.Number:
		if digitCount(v.Raw) < 7 {
			return jsonwalk.Keep, nil // too short to be a phone, card or id number
		}
		text = v.Raw
	default:
		return jsonwalk.Keep, nil
	}
	if v.Kind == jsonwalk.String {
		// Routing by shape: the few shapes analytics carries in bulk are
		// classified by their form, as the scan would classify them.
		switch shapeOf(text) {
		case shapeUUID:
			if unknownKey {
				return s.apply(p, v, s.action(classifiers.Pseudonymous, LinkingID), LinkingID, classifiers.Pseudonymous)
			}
			return jsonwalk.Keep, nil
		case shapeTimestamp:
			return jsonwalk.Keep, nil
		case shapeEmail:
			c := classifiers.CategoryOf(classifiers.EmailAddress)
			return s.apply(p, v, s.action(c, classifiers.EmailAddress), classifiers.EmailAddress, c)
		}
	}
	if v.Kind == jsonwalk.String && looksLikeURL(text) {
		// A URL or path: its query and identifying segments are handled by
		// the URL action, percent-encoded data included.
		return s.apply(p, v, s.action(classifiers.Navigation, classifiers.URL), classifiers.URL, classifiers.Navigation)
	}
	fs, err := s.scanValue(text)
	if err != nil {
		s.unclassifiable(p, err)
		return s.apply(p, v, s.pp.Default, Unclassifiable, classifiers.Unknown)
	}
	if len(fs) == 0 {
		if unknownKey && v.Kind == jsonwalk.String && looksLikeIdentifier(text) {
			return s.apply(p, v, s.action(classifiers.Pseudonymous, LinkingID), LinkingID, classifiers.Pseudonymous)
		}
		return jsonwalk.Keep, nil
	}
	if wholeValue(fs, text) || v.Kind != jsonwalk.String {
		t := fs[0].Type
		c := classifiers.CategoryOf(t)
		return s.apply(p, v, s.action(c, t), t, c)
	}
	// Free text with personal data inside: keep the text, replace each finding.
	return s.scrub(p, text, fs)
}

func (s *Sanitizer) scrub(p *jsonwalk.Path, text []byte, fs []classifiers.Finding) (jsonwalk.Decision, []byte) {
	s.scratch = actions.Scrub(s.scratch[:0], str(text), fs)
	s.repl = jsonwalk.AppendString(s.repl[:0], s.scratch)
	return s.record(p, policy.Scrub, fs[0].Type, classifiers.CategoryOf(fs[0].Type), jsonwalk.Replace)
}

// unclassifiable notes a value the scanner could not classify; with
// RejectUnclassifiable the event fails with the path and the scanner's
// reason (which names the rule, never the value).
func (s *Sanitizer) unclassifiable(p *jsonwalk.Path, err error) {
	if s.cfg.RejectUnclassifiable && s.err == nil {
		s.err = fmt.Errorf("unclassifiable: %s: %w", p.String(), err)
	}
}

// action returns the policy's action for a category and type; an error
// (which a validated policy does not produce) fails closed to drop.
// Answers are remembered in a small table keyed by the strings' addresses:
// categories and types come from rules, schemas and key tables loaded once,
// so the same few strings recur, and a miss only costs the policy lookup.
func (s *Sanitizer) action(c classifiers.Category, t classifiers.EntityType) policy.Action {
	cp, tp := unsafe.StringData(string(c)), unsafe.StringData(string(t))
	h := (uintptr(unsafe.Pointer(cp))>>3 ^ uintptr(unsafe.Pointer(tp))>>2 ^ uintptr(len(t))) % uintptr(len(s.actions))
	e := &s.actions[h]
	if e.set && e.c == cp && e.t == tp && e.cl == len(c) && e.tl == len(t) {
		return e.a
	}
	a, err := s.cfg.Policy.ActionFor(s.cfg.Purpose, c, t)
	if err != nil {
		a = policy.Action{Kind: policy.Drop}
	}
	*e = actionEntry{set: true, c: cp, t: tp, cl: len(c), tl: len(t), a: a}
	return a
}

// actionEntry is one slot of the action table.
type actionEntry struct {
	set    bool
	c, t   *byte
	cl, tl int
	a      policy.Action
}

// fieldPlan is what a schema field decides about its members, worked out
// at its first member and kept for the Sanitizer's life.
type fieldPlan struct {
	ready bool
	// named: the schema names the member itself (its path has no "*"
	// last); stable: no "*" at all, so key and parent are the same at
	// every visit and key holds their keyInfo.
	named, stable bool
	// fast: the field's tag and action decide its members alone (named,
	// stable, tagged, and none of the signals classifySlow weighs beside
	// the tag applies: the key is no name/value pair member and no
	// country, and the type is not written in digits).
	fast   bool
	cls    KeyClass
	action policy.Action
	key    keyInfo
}

// fieldPlan returns the plan of schema field f, met under parent and key.
func (s *Sanitizer) fieldPlan(f *schemas.Field, parent, key []byte) *fieldPlan {
	if f.Index >= len(s.plans) {
		s.plans = append(s.plans, make([]fieldPlan, f.Index+1-len(s.plans))...)
	}
	fp := &s.plans[f.Index]
	if fp.ready {
		return fp
	}
	fp.ready = true
	fp.named = !strings.HasSuffix(f.Path, "*")
	fp.stable = !strings.Contains(f.Path, "*") && s.cfg.Keys != nil && key != nil
	if f.Tagged() {
		fp.cls = KeyClass{Category: f.Category, Type: f.Type, Opaque: f.Opaque()}
		fp.action = s.action(f.Category, f.Type)
	}
	if fp.stable {
		fp.key = *s.info(parent, key)
		// A non-personal field whose name says it is an identifier (a
		// message or event id): its value, when it has the shape of one,
		// needs no content scan, as for a field no schema names.
		if f.Category == classifiers.NonPersonal && fp.key.known && fp.key.cls.Identifier {
			fp.cls.Identifier = true
		}
		fp.fast = fp.named && f.Tagged() && !fp.key.pairName && !fp.key.country &&
			!inList(key, pairValueKeys) && !digitEntity(f.Type)
	}
	return fp
}

// apply carries out action a on the scalar v.
func (s *Sanitizer) apply(p *jsonwalk.Path, v *jsonwalk.Value, a policy.Action, t classifiers.EntityType, c classifiers.Category) (jsonwalk.Decision, []byte) {
	text := v.Str
	if v.Kind != jsonwalk.String {
		text = v.Raw
	}
	switch a.Kind {
	case policy.Keep:
		return jsonwalk.Keep, nil
	case policy.Drop:
		return s.decide(p, policy.Drop, t, c)
	case policy.Redact:
		return s.redact(p, t, c)
	case policy.Mask:
		s.scratch = actions.Mask(s.scratch[:0], str(text), a.MaskKeep)
		s.repl = jsonwalk.AppendString(s.repl[:0], s.scratch)
		return s.record(p, policy.Mask, t, c, jsonwalk.Replace)
	case policy.Hash:
		if s.cfg.Pseudonyms == nil {
			return s.redact(p, t, c)
		}
		out, err := s.cfg.Pseudonyms.Append(s.scratch[:0], s.cust, text, s.now)
		if err != nil {
			// A destroyed or missing key: the value must not pass.
			return s.decide(p, policy.Drop, t, c)
		}
		s.scratch = out
		s.repl = jsonwalk.AppendString(s.repl[:0], s.scratch)
		return s.record(p, policy.Hash, t, c, jsonwalk.Replace)
	case policy.Scrub:
		if v.Kind != jsonwalk.String {
			return s.redact(p, t, c)
		}
		switch shapeOf(text) {
		case shapeUUID, shapeTimestamp:
			return jsonwalk.Keep, nil // nothing to scrub
		case shapeEmail:
			fs := append(s.findings[:0], classifiers.Finding{Type: classifiers.EmailAddress, Start: 0, End: len(text), Score: 1})
			s.findings = fs
			return s.scrub(p, text, fs)
		}
		fs, err := s.scanValue(text)
		if err != nil {
			s.unclassifiable(p, err)
			return s.redact(p, Unclassifiable, classifiers.Unknown)
		}
		if len(fs) == 0 {
			return jsonwalk.Keep, nil
		}
		return s.scrub(p, text, fs)
	case policy.Generalize:
		out, ok := s.generalize(s.scratch[:0], a, str(text), v.Kind == jsonwalk.Number)
		if !ok {
			return s.redact(p, t, c) // unparseable: fail closed
		}
		s.scratch = out
		if v.Kind == jsonwalk.Number && isNumber(out) {
			s.repl = append(s.repl[:0], out...)
		} else {
			s.repl = jsonwalk.AppendString(s.repl[:0], out)
		}
		return s.record(p, policy.Generalize, t, c, jsonwalk.Replace)
	}
	return s.decide(p, policy.Drop, t, c)
}

func (s *Sanitizer) generalize(dst []byte, a policy.Action, text string, number bool) ([]byte, bool) {
	switch a.Generalize {
	case policy.GeneralizeIPPrefix:
		return actions.IPPrefix(dst, text, a.IPv4Bits, a.IPv6Bits)
	case policy.GeneralizePostalPrefix:
		return actions.PostalPrefix(dst, text, str(s.country))
	case policy.GeneralizeTimeBucket:
		return actions.TimeBucket(dst, text, actions.TimeUnit(a.TimeUnit))
	case policy.GeneralizeAgeBand:
		if isAgeBand(text) {
			return append(dst, text...), true // already a band
		}
		if number {
			if n, err := strconv.ParseFloat(text, 64); err == nil && n >= 0 && n < 1000 {
				return actions.AgeBand(dst, int(n))
			}
			return dst, false
		}
		return actions.AgeBandOf(dst, text, s.now)
	case policy.GeneralizeURL:
		return actions.URL(dst, text, s.segmentFn)
	case policy.GeneralizeUserAgent:
		// User agents repeat across a stream's events: remember the last
		// few thousand results.
		if r, ok := s.uaCache[text]; ok {
			return append(dst, r...), r != ""
		}
		out, ok := actions.UserAgent(dst, text)
		if len(s.uaCache) >= maxCachedKeys {
			clear(s.uaCache)
		}
		if s.uaCache == nil {
			s.uaCache = make(map[string]string)
		}
		if ok {
			s.uaCache[strings.Clone(text)] = string(out[len(dst):])
		} else {
			s.uaCache[strings.Clone(text)] = ""
		}
		return out, ok
	case policy.GeneralizeCoarseLocation:
		return actions.Country(dst, text)
	}
	return dst, false
}

// maxCleanLen bounds the values the clean-value cache remembers.
const maxCleanLen = 64

// scanValue classifies a value's content, and the content of a value
// written in base64 (encodedFindings). Short values found clean are
// remembered (analytics streams repeat app names, library names, enum
// values from event to event), so a repeat costs a map lookup; the cache
// is exact, bounded, and starts afresh when full.
func (s *Sanitizer) scanValue(text []byte) ([]classifiers.Finding, error) {
	short := len(text) <= maxCleanLen
	if short {
		if _, ok := s.clean[string(text)]; ok {
			return s.findings[:0], nil
		}
	}
	fs, err := s.cfg.Scanner.Scan(str(text), s.findings[:0])
	if err == nil && len(fs) == 0 {
		fs, err = s.encodedFindings(text, fs)
	}
	s.findings = fs
	if err == nil && len(fs) == 0 && short {
		if s.clean == nil || len(s.clean) >= maxCachedKeys {
			s.clean = make(map[string]struct{}, 256)
		}
		s.clean[string(text)] = struct{}{}
	}
	return fs, err
}

// personalSegment reports whether a URL path segment holds personal data:
// what the scan finds in it ("pricing", "v1" and other plain tokens need
// none), or a person's name spelled as a slug (slugNamesPerson).
func (s *Sanitizer) personalSegment(seg string) bool {
	if !plainToken(unsafe.Slice(unsafe.StringData(seg), len(seg))) {
		fs, err := s.cfg.Scanner.Scan(seg, s.segScan[:0])
		s.segScan = fs
		if err != nil || len(fs) > 0 {
			return true
		}
	}
	return s.slugNamesPerson(seg)
}

// slugNamesPerson reports whether a segment of words joined by '-', '_'
// or '.' spells a person's name ("jane-doe", "Maria_Garcia-1985",
// "/team/pieter-van-den-berg"): its words, capitalized and spaced as in
// text, are scanned, and a PERSON finding decides. Slugs repeat from event
// to event, and clean ones are remembered (scanValue).
func (s *Sanitizer) slugNamesPerson(seg string) bool {
	b := s.slug[:0]
	words, start := 0, true
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c == '-' || c == '_' || c == '.':
			if !start {
				b = append(b, ' ')
			}
			start = true
			continue
		case c >= 'a' && c <= 'z' && start:
			c -= 'a' - 'A'
		}
		if start && (c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf) {
			words++
		}
		start = false
		b = append(b, c)
	}
	s.slug = b
	if words < 2 || len(b) > maxCleanLen {
		return false
	}
	fs, err := s.scanValue(b)
	if err != nil {
		return true
	}
	for _, f := range fs {
		if f.Type == classifiers.Person {
			return true
		}
	}
	return false
}

func (s *Sanitizer) redact(p *jsonwalk.Path, t classifiers.EntityType, c classifiers.Category) (jsonwalk.Decision, []byte) {
	s.scratch = actions.Marker(s.scratch[:0], t)
	s.repl = jsonwalk.AppendString(s.repl[:0], s.scratch)
	return s.record(p, policy.Redact, t, c, jsonwalk.Replace)
}

func (s *Sanitizer) decide(p *jsonwalk.Path, k policy.ActionKind, t classifiers.EntityType, c classifiers.Category) (jsonwalk.Decision, []byte) {
	return s.record(p, k, t, c, jsonwalk.Drop)
}

// record notes the action and returns the decision (Keep in tag-only mode).
func (s *Sanitizer) record(p *jsonwalk.Path, k policy.ActionKind, t classifiers.EntityType, c classifiers.Category, d jsonwalk.Decision) (jsonwalk.Decision, []byte) {
	if s.cfg.DiscardApplied {
		s.maskKey = false
		if d == jsonwalk.Replace {
			return d, s.repl
		}
		return d, nil
	}
	start := len(s.pathBuf)
	s.pathBuf = p.AppendTo(s.pathBuf)
	if s.maskKey {
		// The key is personal data: name the member by its parent only.
		s.maskKey = false
		n := len(p.Last().Key)
		if p.Len() > 1 {
			n++ // the '.' before it
		}
		if end := len(s.pathBuf) - n; end >= start && !p.Last().IsIndex {
			s.pathBuf = s.pathBuf[:end]
			if p.Len() > 1 {
				s.pathBuf = append(s.pathBuf, '.')
			}
			s.pathBuf = append(s.pathBuf, keyMask...)
		}
	}
	s.spans = append(s.spans, [2]int{start, len(s.pathBuf)})
	s.applied = append(s.applied, Applied{Type: t, Category: c, Action: k})
	if s.cfg.TagOnly {
		return jsonwalk.Keep, nil
	}
	if d == jsonwalk.Replace {
		return d, s.repl
	}
	return d, nil
}

// wholeValue reports whether the findings cover the value as one entity:
// a single finding spanning it all but surrounding space and punctuation.
func wholeValue(fs []classifiers.Finding, text []byte) bool {
	if len(fs) != 1 {
		return false
	}
	f := fs[0]
	for _, b := range text[:f.Start] {
		if !isFiller(b) {
			return false
		}
	}
	for _, b := range text[f.End:] {
		if !isFiller(b) {
			return false
		}
	}
	return true
}

func isFiller(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '(', ')', '[', ']', ',', ';', '.':
		return true
	}
	return false
}

// looksLikeIdentifier reports whether s looks like a random identifier that
// would link a person's events: a UUID, a long hex string, or a long token
// that mixes letters and digits without spaces.
func looksLikeIdentifier(s []byte) bool {
	n := len(s)
	if n < 12 || n > 128 {
		return false
	}
	var digits, letters, other int
	for _, b := range s {
		switch {
		case b >= '0' && b <= '9':
			digits++
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
			letters++
		case b == '-' || b == '_':
			other++
		default:
			return false // spaces, dots, colons, slashes: text, versions, times, paths
		}
	}
	if digits == 0 || letters == 0 {
		return digits >= 12 // long pure digit runs are ids too
	}
	return digits >= 3 && (n >= 16 || other > 0)
}

func digitCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

func isNumber(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || (c == '-' && i == 0)) {
			return false
		}
	}
	return b[0] != '.' && b[len(b)-1] != '.' && !(len(b) > 1 && b[0] == '0' && b[1] != '.')
}

// str views b as a string without copying; the callee must not retain it.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
