package policy

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
)

// checkInvariants asks a validated policy for every purpose × category ×
// kind cell (plus an invalid category and an unrecognized kind) and checks
// the statement's invariants on the answers. It is written independently of
// permitted so that it can catch mistakes there.
func checkInvariants(t testing.TB, p *Policy) {
	t.Helper()
	cats := append(append([]classifiers.Category(nil), classifiers.Categories...), "no_such_category")
	kinds := append([]classifiers.EntityType{""}, allKinds()...)
	kinds = append(kinds, "NOT_A_TYPE")
	for _, purpose := range Purposes {
		if _, ok := p.Purposes[purpose]; !ok {
			continue
		}
		for _, c := range cats {
			for _, k := range kinds {
				a, err := p.ActionFor(purpose, c, k)
				if err != nil {
					t.Fatalf("ActionFor(%s, %s, %q): %v", purpose, c, k, err)
				}
				if err := a.Validate(); err != nil {
					t.Fatalf("ActionFor(%s, %s, %q) = malformed %v: %v", purpose, c, k, a, err)
				}
				eff := c
				if !c.Valid() {
					eff = classifiers.Unknown
				}
				bad := func(why string) {
					t.Fatalf("ActionFor(%s, %s, %q) = %v: %s", purpose, c, k, a, why)
				}
				if (eff == classifiers.Credentials || k == classifiers.Secret) && a.Kind != Drop {
					bad("credentials and secrets must be dropped on every purpose")
				}
				if eff == classifiers.Unknown && a.Kind != Drop && a.Kind != Redact {
					bad("unknown values must be dropped or redacted")
				}
				if k == "NOT_A_TYPE" && a.Kind != Drop && a.Kind != Redact {
					bad("an unrecognized entity type must get a fail-closed action")
				}
				if !purpose.Analytics() {
					continue
				}
				for _, cc := range []classifiers.Category{eff, KindCategory(k)} {
					switch cc {
					case classifiers.Identity, classifiers.Contact, classifiers.Credentials,
						classifiers.Conversation, classifiers.BotContent,
						classifiers.GovernmentID, classifiers.Financial:
						if a.Kind == Keep || a.Kind == Scrub {
							bad(string(cc) + " is never kept on analytics purposes")
						}
					case classifiers.PreciseLocation, classifiers.NetworkIdentifier:
						if a.Kind == Keep || a.Kind == Mask || a.Kind == Scrub {
							bad(string(cc) + " must be generalized, dropped, redacted or hashed on analytics purposes")
						}
					case classifiers.Pseudonymous:
						if a.Kind != Drop && a.Kind != Redact && a.Kind != Hash {
							bad("linking identifiers must be dropped or hashed on analytics purposes")
						}
					}
				}
				if a.Kind == Hash && a.Rotation != RotateDay {
					bad("hashes on analytics purposes must rotate daily")
				}
			}
		}
	}
}

// actionVariants are the actions the fuzz test assigns: every kind, every
// generalizer, and some malformed ones.
var actionVariants = []Action{
	{Kind: Keep}, {Kind: Drop}, {Kind: Redact}, {Kind: Scrub},
	{Kind: Mask, MaskKeep: 0}, {Kind: Mask, MaskKeep: 4}, {Kind: Mask, MaskKeep: 9},
	{Kind: Hash, Rotation: RotateDay}, {Kind: Hash, Rotation: RotateWeek}, {Kind: Hash, Rotation: RotateMonth}, {Kind: Hash},
	{Kind: Generalize, Generalize: GeneralizeIPPrefix, IPv4Bits: 24, IPv6Bits: 48},
	{Kind: Generalize, Generalize: GeneralizeIPPrefix, IPv4Bits: 32, IPv6Bits: 128},
	{Kind: Generalize, Generalize: GeneralizePostalPrefix},
	{Kind: Generalize, Generalize: GeneralizeTimeBucket, TimeUnit: TimeHour},
	{Kind: Generalize, Generalize: GeneralizeTimeBucket},
	{Kind: Generalize, Generalize: GeneralizeAgeBand},
	{Kind: Generalize, Generalize: GeneralizeURL},
	{Kind: Generalize, Generalize: GeneralizeUserAgent},
	{Kind: Generalize, Generalize: GeneralizeCoarseLocation},
	{Kind: Generalize},
	{Kind: "shuffle"},
	{Kind: Keep, Rotation: RotateDay},
}

// clonePolicy deep-copies the rules of p (without table or source).
func clonePolicy(p *Policy) *Policy {
	q := &Policy{Version: p.Version, Purposes: make(map[Purpose]PurposePolicy, len(p.Purposes))}
	for purpose, pp := range p.Purposes {
		c := pp
		c.Categories = make(map[classifiers.Category]Action, len(pp.Categories))
		for k, v := range pp.Categories {
			c.Categories[k] = v
		}
		c.Entities = make(map[classifiers.EntityType]Action, len(pp.Entities))
		for k, v := range pp.Entities {
			c.Entities[k] = v
		}
		c.AllowedOrigins = append([]Origin(nil), pp.AllowedOrigins...)
		q.Purposes[purpose] = c
	}
	return q
}

// mutate applies the assignments encoded in data to p. Each assignment is
// three bytes: purpose, target (a category, an entity kind or the default),
// action variant.
func mutate(p *Policy, data []byte) {
	kinds := allKinds()
	for len(data) >= 3 {
		purpose := Purposes[int(data[0])%len(Purposes)]
		target := int(data[1]) % (len(classifiers.Categories) + len(kinds) + 2)
		a := actionVariants[int(data[2])%len(actionVariants)]
		data = data[3:]
		pp := p.Purposes[purpose]
		if pp.Categories == nil {
			pp.Categories = map[classifiers.Category]Action{}
		}
		if pp.Entities == nil {
			pp.Entities = map[classifiers.EntityType]Action{}
		}
		switch {
		case target < len(classifiers.Categories):
			pp.Categories[classifiers.Categories[target]] = a
		case target < len(classifiers.Categories)+len(kinds):
			pp.Entities[kinds[target-len(classifiers.Categories)]] = a
		case target == len(classifiers.Categories)+len(kinds):
			pp.Default = a
		default:
			// toggle the purpose's origins between website-only and none
			if len(pp.AllowedOrigins) == 0 {
				pp.AllowedOrigins = []Origin{OriginWebsite}
			} else {
				pp.AllowedOrigins = nil
			}
		}
		p.Purposes[purpose] = pp
	}
}

// FuzzPolicyInvariant mutates the default policy with random category /
// purpose / action assignments and checks that whenever Validate accepts the
// result, ActionFor honours the statement's invariants.
func FuzzPolicyInvariant(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0})  // product_improvement identity: keep
	f.Add([]byte{3, 0, 0})  // service identity: keep (allowed)
	f.Add([]byte{0, 13, 8}) // product_improvement linking id: hash week
	f.Add([]byte{0, 13, 7}) // product_improvement linking id: hash day
	f.Add([]byte{2, 2, 11}) // marketing network id: ip prefix
	f.Add([]byte{0, 16, 0}) // product_improvement EMAIL_ADDRESS: keep
	f.Add([]byte{0, 32, 0}) // product_improvement default: keep
	f.Add([]byte{3, 9, 0, 0, 4, 1, 1, 7, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := clonePolicy(Default())
		mutate(p, data)
		if err := p.Validate(); err != nil {
			return
		}
		checkInvariants(t, p)
	})
}

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, and whatever
// it accepts must honour the invariants.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte("version: \"1\"\npurposes:\n  product_improvement:\n    default: drop\n    categories:\n      identity: keep\n"))
	f.Add([]byte("version: \"1\"\npurposes:\n  service:\n    default: redact\n    entities:\n      SECRET: keep\n"))
	f.Add([]byte("version: 1\npurposes: {marketing: {default: drop, allowed_origins: [website], categories: {linking_identifier: {action: hash, rotation: day}}}}"))
	f.Add([]byte("a: &x [*x]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		checkInvariants(t, p)
	})
}
