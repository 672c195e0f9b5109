package policy

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/veilstream/veil/classifiers"
	"go.yaml.in/yaml/v3"
)

// Parse reads a policy from YAML and validates it. name is used in error
// messages (usually the file name); every error names it, the line and the
// dotted key. The format:
//
//	version: "1"
//	purposes:
//	  product_improvement:             # one of Purposes
//	    strict: false                  # optional
//	    allowed_origins: [website]     # optional; required for marketing
//	    default: drop                  # drop or redact
//	    categories:                    # data category -> action
//	      identity: drop
//	      network_identifier: drop
//	    entities:                      # entity type or field kind -> action
//	      IP_ADDRESS: {action: generalize, generalizer: ip_prefix, ipv4_bits: 24, ipv6_bits: 48}
//
// An action is either a bare kind ("drop", "keep", "redact", "scrub") or a
// mapping with the key "action" and the parameters of its kind:
// generalizer, ipv4_bits, ipv6_bits (default 24 and 48 for ip_prefix), unit
// (hour, day, month for time_bucket), keep_last (mask) and rotation (day,
// week, month for hash). Unknown keys are errors.
func Parse(name string, data []byte) (*Policy, error) {
	p := &Policy{src: source{name: name}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("invalid YAML: %w", err)}
	}
	ps := &parser{p: p}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: name, Line: 1, Err: errors.New("empty policy")}
	}
	ps.root(doc.Content[0])
	if len(ps.errs) > 0 {
		return nil, errors.Join(ps.errs...)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

type parser struct {
	p    *Policy
	errs []error
}

func (ps *parser) fail(n *yaml.Node, key string, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	ps.errs = append(ps.errs, &Error{File: ps.p.src.name, Line: line, Key: key, Err: fmt.Errorf(format, args...)})
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// pairs walks a mapping node, reporting non-mappings and duplicate keys.
func (ps *parser) pairs(n *yaml.Node, key string, fn func(k string, kn, v *yaml.Node)) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		ps.fail(n, key, "expected a mapping, got %s", kindName(n))
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := deref(n.Content[i]), deref(n.Content[i+1])
		if kn.Kind != yaml.ScalarNode {
			ps.fail(kn, key, "expected a scalar key, got %s", kindName(kn))
			continue
		}
		child := join(key, kn.Value)
		if seen[kn.Value] {
			ps.fail(kn, child, "key defined twice")
			continue
		}
		seen[kn.Value] = true
		fn(kn.Value, kn, v)
	}
}

func join(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return "scalar " + strconv.Quote(n.Value)
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "nothing"
}

func (ps *parser) scalar(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		ps.fail(n, key, "expected a scalar, got %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

func (ps *parser) integer(n *yaml.Node, key string) int {
	s, ok := ps.scalar(n, key)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		ps.fail(n, key, "expected an integer, got %q", s)
	}
	return v
}

func (ps *parser) boolean(n *yaml.Node, key string) bool {
	s, ok := ps.scalar(n, key)
	if !ok {
		return false
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	ps.fail(n, key, "expected true or false, got %q", s)
	return false
}

func (ps *parser) root(n *yaml.Node) {
	src := &ps.p.src
	ps.pairs(n, "", func(k string, kn, v *yaml.Node) {
		src.set(k, kn.Line)
		switch k {
		case "version":
			if s, ok := ps.scalar(v, k); ok {
				ps.p.Version = s
			}
		case "purposes":
			ps.p.Purposes = make(map[Purpose]PurposePolicy)
			ps.pairs(v, k, func(name string, pk, pv *yaml.Node) {
				key := join(k, name)
				src.set(key, pk.Line)
				ps.p.Purposes[Purpose(name)] = ps.purpose(pv, key)
			})
		default:
			ps.fail(kn, k, "unknown key (expected version, purposes)")
		}
	})
}

func (ps *parser) purpose(n *yaml.Node, base string) PurposePolicy {
	src := &ps.p.src
	var pp PurposePolicy
	haveDefault := false
	ps.pairs(n, base, func(k string, kn, v *yaml.Node) {
		key := join(base, k)
		src.set(key, kn.Line)
		switch k {
		case "strict":
			pp.Strict = ps.boolean(v, key)
		case "default":
			haveDefault = true
			src.set(key, v.Line)
			pp.Default = ps.action(v, key)
		case "allowed_origins":
			if v.Kind != yaml.SequenceNode {
				ps.fail(v, key, "expected a sequence of origins, got %s", kindName(v))
				return
			}
			for _, o := range v.Content {
				if s, ok := ps.scalar(deref(o), key); ok {
					pp.AllowedOrigins = append(pp.AllowedOrigins, Origin(s))
				}
			}
		case "categories":
			pp.Categories = make(map[classifiers.Category]Action)
			ps.pairs(v, key, func(c string, ck, cv *yaml.Node) {
				ckey := join(key, c)
				src.set(ckey, ck.Line)
				pp.Categories[classifiers.Category(c)] = ps.action(cv, ckey)
			})
		case "entities":
			pp.Entities = make(map[classifiers.EntityType]Action)
			ps.pairs(v, key, func(t string, tk, tv *yaml.Node) {
				tkey := join(key, t)
				src.set(tkey, tk.Line)
				pp.Entities[classifiers.EntityType(t)] = ps.action(tv, tkey)
			})
		default:
			ps.fail(kn, key, "unknown key (expected strict, allowed_origins, default, categories, entities)")
		}
	})
	if !haveDefault && n.Kind == yaml.MappingNode {
		ps.fail(n, join(base, "default"), "missing: every purpose names its default action (drop or redact) for values that could not be classified")
	}
	return pp
}

func (ps *parser) action(n *yaml.Node, key string) Action {
	var a Action
	switch n.Kind {
	case yaml.ScalarNode:
		a.Kind = ActionKind(n.Value)
	case yaml.MappingNode:
		var v4, v6 bool
		ps.pairs(n, key, func(k string, kn, v *yaml.Node) {
			pkey := join(key, k)
			switch k {
			case "action":
				if s, ok := ps.scalar(v, pkey); ok {
					a.Kind = ActionKind(s)
				}
			case "generalizer":
				if s, ok := ps.scalar(v, pkey); ok {
					a.Generalize = Generalizer(s)
				}
			case "ipv4_bits":
				v4 = true
				a.IPv4Bits = ps.integer(v, pkey)
			case "ipv6_bits":
				v6 = true
				a.IPv6Bits = ps.integer(v, pkey)
			case "unit":
				if s, ok := ps.scalar(v, pkey); ok {
					a.TimeUnit = TimeUnit(s)
				}
			case "keep_last":
				a.MaskKeep = ps.integer(v, pkey)
			case "rotation":
				if s, ok := ps.scalar(v, pkey); ok {
					a.Rotation = Rotation(s)
				}
			default:
				ps.fail(kn, pkey, "unknown action key (expected action, generalizer, ipv4_bits, ipv6_bits, unit, keep_last, rotation)")
			}
		})
		if a.Kind == "" {
			ps.fail(n, key, "action mapping without an action key")
		}
		if a.Kind == Generalize && a.Generalize == GeneralizeIPPrefix {
			if !v4 {
				a.IPv4Bits = DefaultIPv4Bits
			}
			if !v6 {
				a.IPv6Bits = DefaultIPv6Bits
			}
		}
	default:
		ps.fail(n, key, "expected an action (a kind such as drop, or a mapping with an action key), got %s", kindName(n))
	}
	return a
}
