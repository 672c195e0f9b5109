package policy

import (
	"errors"
	"fmt"
	"slices"

	"github.com/veilstream/veil/classifiers"
)

// Validate checks the policy against the file format and the statement's
// invariants (see the package documentation) and, when it passes, builds the
// lookup table ActionFor reads. It reports every problem it finds, each as
// an *Error naming the file, line and key, joined with errors.Join.
func (p *Policy) Validate() error {
	p.table = nil
	var errs []error
	if p.Version != Version {
		errs = append(errs, p.src.errAt("version", fmt.Errorf("unsupported policy version %q (this build reads %q)", p.Version, Version)))
	}
	if len(p.Purposes) == 0 {
		errs = append(errs, p.src.errAt("purposes", errors.New("no purpose configured")))
	}
	var unknown []string
	for purpose := range p.Purposes {
		if !purpose.Valid() {
			unknown = append(unknown, string(purpose))
		}
	}
	slices.Sort(unknown)
	for _, u := range unknown {
		errs = append(errs, p.src.errAt("purposes."+u, fmt.Errorf("unknown purpose %q (known: %v)", u, Purposes)))
	}
	for _, purpose := range Purposes {
		pp, ok := p.Purposes[purpose]
		if !ok {
			continue
		}
		errs = append(errs, p.validatePurpose(purpose, &pp)...)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	p.table = buildTable(p)
	return nil
}

func (p *Policy) validatePurpose(purpose Purpose, pp *PurposePolicy) []error {
	var errs []error
	base := "purposes." + string(purpose)
	check := func(key string, c classifiers.Category, a Action) {
		if err := a.Validate(); err != nil {
			errs = append(errs, p.src.errAt(key, err))
			return
		}
		if err := permitted(purpose, c, a); err != nil {
			errs = append(errs, p.src.errAt(key, err))
		}
	}

	check(base+".default", classifiers.Unknown, pp.Default)

	for _, c := range classifiers.Categories {
		a, ok := pp.Categories[c]
		if !ok {
			continue
		}
		key := base + ".categories." + string(c)
		if c == classifiers.Unknown {
			errs = append(errs, p.src.errAt(key, errors.New("the unknown category has no rule of its own: it always gets the purpose's default")))
			continue
		}
		check(key, c, a)
	}
	var bad []string
	for c := range pp.Categories {
		if !c.Valid() {
			bad = append(bad, string(c))
		}
	}
	slices.Sort(bad)
	for _, c := range bad {
		errs = append(errs, p.src.errAt(base+".categories."+c, fmt.Errorf("unknown data category %q (known: %v)", c, classifiers.Categories)))
	}

	kinds := make([]string, 0, len(pp.Entities))
	for t := range pp.Entities {
		kinds = append(kinds, string(t))
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		t := classifiers.EntityType(k)
		key := base + ".entities." + k
		if !ValidKind(t) {
			errs = append(errs, p.src.errAt(key, fmt.Errorf("unknown entity type or field kind %q (known: %v)", k, allKinds())))
			continue
		}
		check(key, KindCategory(t), pp.Entities[t])
	}

	okey := base + ".allowed_origins"
	seen := make(map[Origin]bool, len(pp.AllowedOrigins))
	for _, o := range pp.AllowedOrigins {
		switch {
		case o == "":
			errs = append(errs, p.src.errAt(okey, errors.New("empty origin")))
		case seen[o]:
			errs = append(errs, p.src.errAt(okey, fmt.Errorf("origin %q listed twice", o)))
		case purpose == Marketing && o != OriginWebsite:
			errs = append(errs, p.src.errAt(okey, fmt.Errorf("marketing accepts %q events only, not %q (statement: service data, conversation data included, is not used for personalized marketing)", OriginWebsite, o)))
		}
		seen[o] = true
	}
	if purpose == Marketing && len(pp.AllowedOrigins) == 0 {
		errs = append(errs, p.src.errAt(okey, fmt.Errorf("marketing must list its allowed origins, and only %q (statement: service data is not used for personalized marketing)", OriginWebsite)))
	}
	return errs
}

// permitted reports why action a may not be applied to category c on
// purpose, or nil when it may. These are the statement's invariants; they
// hold whatever a policy file says.
func permitted(purpose Purpose, c classifiers.Category, a Action) error {
	if c == classifiers.Credentials && a.Kind != Drop {
		return fmt.Errorf("credentials must be dropped on every purpose, not %s (statement: passwords and other secrets dropped everywhere, always)", a.Kind)
	}
	if c == classifiers.Unknown && a.Kind != Drop && a.Kind != Redact {
		return fmt.Errorf("values that could not be classified must be dropped or redacted, not %s (fail-closed)", a.Kind)
	}
	if a.Kind == Generalize && !a.Generalize.Applies(c) {
		return fmt.Errorf("generalizer %s does not apply to category %s", a.Generalize, c)
	}
	if !purpose.Analytics() {
		return nil
	}
	switch c {
	case classifiers.Identity, classifiers.Contact, classifiers.GovernmentID, classifiers.Financial:
		if a.Kind == Keep || a.Kind == Scrub {
			return fmt.Errorf("%s is never kept on analytics purpose %s, so %s is not allowed (statement: no direct identifier on analytics outputs)", c, purpose, a.Kind)
		}
	case classifiers.Conversation, classifiers.BotContent:
		if a.Kind == Keep || a.Kind == Scrub {
			return fmt.Errorf("%s text never reaches analytics purpose %s, so %s is not allowed (statement: used only to provide the service; counts and durations are non-personal fields)", c, purpose, a.Kind)
		}
	case classifiers.PreciseLocation, classifiers.NetworkIdentifier:
		switch a.Kind {
		case Generalize, Drop, Redact, Hash:
		default:
			return fmt.Errorf("%s may only be generalized, dropped, redacted or hashed on analytics purpose %s, not %s (statement: no raw IP, no city or postal code finer than a coarse prefix)", c, purpose, a.Kind)
		}
	case classifiers.Pseudonymous:
		switch a.Kind {
		case Drop, Redact, Hash:
		default:
			return fmt.Errorf("%s may only be dropped, redacted or hashed with daily rotation on analytics purpose %s, not %s (statement: no pseudonym that links a person across days)", c, purpose, a.Kind)
		}
	}
	if a.Kind == Hash && a.Rotation != RotateDay {
		return fmt.Errorf("a hash on analytics purpose %s must rotate daily, not every %s (statement: no pseudonym that links a person across days)", purpose, a.Rotation)
	}
	return nil
}

// Positions of the two special columns of the kind axis of the table.
const (
	kindNone         = 0 // no entity type given
	kindUnrecognized = 1 // an entity type the policy does not know
	kindFirst        = 2
)

// table is the precomputed purpose × category × kind → action lookup.
type table struct {
	configured  [numPurposes]bool
	category    map[classifiers.Category]int
	unknownCat  int
	kind        map[classifiers.EntityType]int
	ncat, nkind int
	actions     []Action
	cell        []uint16
}

func buildTable(p *Policy) *table {
	kinds := allKinds()
	tb := &table{
		category: make(map[classifiers.Category]int, len(classifiers.Categories)),
		kind:     make(map[classifiers.EntityType]int, len(kinds)),
		ncat:     len(classifiers.Categories),
		nkind:    kindFirst + len(kinds),
	}
	for i, c := range classifiers.Categories {
		tb.category[c] = i
		if c == classifiers.Unknown {
			tb.unknownCat = i
		}
	}
	for i, k := range kinds {
		tb.kind[k] = kindFirst + i
	}
	tb.cell = make([]uint16, numPurposes*tb.ncat*tb.nkind)
	index := map[Action]uint16{}
	intern := func(a Action) uint16 {
		if i, ok := index[a]; ok {
			return i
		}
		i := uint16(len(tb.actions))
		tb.actions = append(tb.actions, a)
		index[a] = i
		return i
	}
	drop := intern(Action{Kind: Drop})
	for pi, purpose := range Purposes {
		pp, ok := p.Purposes[purpose]
		tb.configured[pi] = ok
		for ci, c := range classifiers.Categories {
			for ki := 0; ki < tb.nkind; ki++ {
				cell := (pi*tb.ncat+ci)*tb.nkind + ki
				if !ok {
					tb.cell[cell] = drop
					continue
				}
				var t classifiers.EntityType
				switch ki {
				case kindNone:
				case kindUnrecognized:
					t = unrecognizedKind
				default:
					t = kinds[ki-kindFirst]
				}
				tb.cell[cell] = intern(resolve(purpose, &pp, c, t))
			}
		}
	}
	return tb
}

// unrecognizedKind stands for any entity type the policy does not know.
const unrecognizedKind classifiers.EntityType = "\x00unrecognized"

// categoryAction is the purpose's rule for category c, or its default.
func categoryAction(pp *PurposePolicy, c classifiers.Category) Action {
	if c == classifiers.Unknown {
		return pp.Default
	}
	if a, ok := pp.Categories[c]; ok {
		return a
	}
	return pp.Default
}

// resolve computes the action for one cell of the table: the category's
// rule, the entity override when the entity belongs to that category, the
// stricter of both categories' rules when it does not, and the invariants
// on top, falling back to drop when a combination would break one.
func resolve(purpose Purpose, pp *PurposePolicy, c classifiers.Category, t classifiers.EntityType) Action {
	drop := Action{Kind: Drop}
	if c == classifiers.Credentials || t == classifiers.Secret {
		return drop
	}
	a := categoryAction(pp, c)
	nat := classifiers.Unknown
	switch {
	case t == "":
	case t == unrecognizedKind:
		a = stricter(a, pp.Default)
	default:
		nat = KindCategory(t)
		o, override := pp.Entities[t]
		switch {
		case nat == c && override:
			a = o
		case nat == c:
		case override:
			a = stricter(a, o)
		default:
			a = stricter(a, categoryAction(pp, nat))
		}
	}
	if a.Validate() != nil || permitted(purpose, c, a) != nil {
		return drop
	}
	if nat != classifiers.Unknown && nat != c && permitted(purpose, nat, a) != nil {
		return drop
	}
	return a
}
