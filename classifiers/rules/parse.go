package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dlclark/regexp2/v2"
	"go.yaml.in/yaml/v3"

	"github.com/veilstream/veil/classifiers"
)

// ParseOption configures Parse and LoadDir.
type ParseOption func(*parseConfig)

type parseConfig struct {
	knownValidator func(string) bool
}

// WithValidators makes the loader refuse rules that name a validator for
// which known returns false.
func WithValidators(known func(name string) bool) ParseOption {
	return func(c *parseConfig) { c.knownValidator = known }
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.\-]*$`)

// Parse reads one rule file. name is used in error messages. Either every
// rule of the file is returned or an *Error for the first problem found:
// a file is never half-loaded.
func Parse(name string, data []byte, opts ...ParseOption) ([]Rule, error) {
	var cfg parseConfig
	for _, o := range opts {
		o(&cfg)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{Source: Source{File: name, Line: yamlErrorLine(err)}, Err: fmt.Errorf("not valid YAML: %w", err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil // an empty file holds no rules
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nodeErr(name, root, "", "a rule file is a mapping with the key \"rules\"")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "rules":
			list = v
		default:
			return nil, nodeErr(name, k, "", fmt.Sprintf("unknown top-level key %q (want \"rules\")", k.Value))
		}
	}
	if list == nil {
		return nil, nodeErr(name, root, "", "missing top-level key \"rules\"")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, nodeErr(name, list, "", "\"rules\" must be a list")
	}
	out := make([]Rule, 0, len(list.Content))
	seen := map[string]int{}
	for _, n := range list.Content {
		r, err := parseRule(name, n, &cfg)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, nodeErr(name, n, r.ID, fmt.Sprintf("duplicate rule id (first defined at line %d)", prev))
		}
		seen[r.ID] = r.Source.Line
		out = append(out, r)
	}
	return out, nil
}

func parseRule(file string, n *yaml.Node, cfg *parseConfig) (Rule, error) {
	r := Rule{Source: Source{File: file, Line: n.Line}}
	if n.Kind != yaml.MappingNode {
		return r, nodeErr(file, n, "", "a rule must be a mapping")
	}
	// Find the id first so that every later error can name the rule.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" {
			r.ID = n.Content[i+1].Value
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "id":
			err = scalar(v, &r.ID)
		case "type":
			var s string
			if err = scalar(v, &s); err == nil {
				r.Type, err = classifiers.ParseEntityType(s)
			}
		case "description":
			err = scalar(v, &r.Description)
		case "pattern":
			err = scalar(v, &r.Pattern)
		case "validators":
			err = v.Decode(&r.Validators)
		case "score":
			err = v.Decode(&r.Score)
		case "group":
			err = v.Decode(&r.Group)
		case "priority":
			err = v.Decode(&r.Priority)
		case "locales":
			err = v.Decode(&r.Locales)
		case "disabled":
			err = v.Decode(&r.Disabled)
		case "context":
			err = parseContext(file, r.ID, v, &r.Context)
		case "examples":
			err = parseExamples(file, r.ID, v, &r.Examples)
		default:
			return r, nodeErr(file, k, r.ID, fmt.Sprintf("unknown key %q", k.Value))
		}
		if err != nil {
			var re *Error
			if errors.As(err, &re) {
				return r, err
			}
			return r, nodeErr(file, v, r.ID, fmt.Sprintf("%s: %v", k.Value, cleanYAMLErr(err)))
		}
	}
	if err := r.validate(cfg); err != nil {
		return r, &Error{Source: r.Source, RuleID: r.ID, Err: err}
	}
	return r, nil
}

func parseContext(file, id string, n *yaml.Node, c *Context) error {
	if n.Kind != yaml.MappingNode {
		return nodeErr(file, n, id, "context must be a mapping")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "words":
			err = v.Decode(&c.Words)
		case "window":
			err = v.Decode(&c.Window)
		case "boost":
			err = v.Decode(&c.Boost)
		case "required":
			err = v.Decode(&c.Required)
		case "deny":
			err = v.Decode(&c.Deny)
		default:
			return nodeErr(file, k, id, fmt.Sprintf("unknown context key %q", k.Value))
		}
		if err != nil {
			return nodeErr(file, v, id, fmt.Sprintf("context.%s: %v", k.Value, cleanYAMLErr(err)))
		}
	}
	return nil
}

func parseExamples(file, id string, n *yaml.Node, e *Examples) error {
	if n.Kind != yaml.MappingNode {
		return nodeErr(file, n, id, "examples must be a mapping with \"match\" and \"no_match\"")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var dst *[]Example
		switch k.Value {
		case "match":
			dst = &e.Match
		case "no_match":
			dst = &e.NoMatch
		default:
			return nodeErr(file, k, id, fmt.Sprintf("unknown examples key %q", k.Value))
		}
		if v.Kind != yaml.SequenceNode {
			return nodeErr(file, v, id, "examples."+k.Value+" must be a list")
		}
		for _, item := range v.Content {
			ex := Example{Line: item.Line}
			switch item.Kind {
			case yaml.ScalarNode:
				ex.Text = item.Value
			case yaml.MappingNode:
				for j := 0; j+1 < len(item.Content); j += 2 {
					switch item.Content[j].Value {
					case "text":
						ex.Text = item.Content[j+1].Value
					case "want":
						ex.Want = item.Content[j+1].Value
					default:
						return nodeErr(file, item.Content[j], id, fmt.Sprintf("unknown example key %q (want text, want)", item.Content[j].Value))
					}
				}
				if ex.Want != "" && !strings.Contains(ex.Text, ex.Want) {
					return nodeErr(file, item, id, "example want is not part of its text")
				}
			default:
				return nodeErr(file, item, id, "an example is a string or a mapping {text, want}")
			}
			*dst = append(*dst, ex)
		}
	}
	return nil
}

// validate checks a parsed rule's fields.
func (r *Rule) validate(cfg *parseConfig) error {
	if r.ID == "" {
		return errors.New("missing id")
	}
	if !idPattern.MatchString(r.ID) {
		return fmt.Errorf("id %q: use lowercase letters, digits, '.', '_' and '-'", r.ID)
	}
	if r.Disabled {
		return nil // a disabling entry needs nothing else
	}
	if r.Type == "" {
		return errors.New("missing type")
	}
	if r.Pattern == "" {
		return errors.New("missing pattern")
	}
	re, err := regexp2.Compile(r.Pattern, regexp2.RE2)
	if err != nil {
		return fmt.Errorf("pattern does not compile: %w", err)
	}
	if r.Group < 0 || r.Group >= len(re.GetGroupNumbers()) {
		return fmt.Errorf("group %d: the pattern has %d capture groups", r.Group, len(re.GetGroupNumbers())-1)
	}
	if r.Score <= 0 || r.Score > 1 {
		return fmt.Errorf("score %v: must be in (0, 1]", r.Score)
	}
	if r.Context.Boost < 0 || r.Context.Boost > 1 {
		return fmt.Errorf("context.boost %v: must be in [0, 1]", r.Context.Boost)
	}
	if r.Context.Window < 0 || r.Context.Window > 1024 {
		return fmt.Errorf("context.window %d: must be in [0, 1024]", r.Context.Window)
	}
	if r.Context.Required && len(r.Context.Words) == 0 {
		return errors.New("context.required needs context.words")
	}
	for _, w := range append(append([]string(nil), r.Context.Words...), r.Context.Deny...) {
		if strings.TrimSpace(w) == "" {
			return errors.New("context words must not be empty")
		}
	}
	for _, v := range r.Validators {
		if cfg.knownValidator != nil && !cfg.knownValidator(v) {
			return fmt.Errorf("unknown validator %q", v)
		}
	}
	if len(r.Examples.Match) == 0 {
		return errors.New("needs at least one examples.match entry: a rule nobody can test is refused")
	}
	return nil
}

func scalar(n *yaml.Node, dst *string) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("must be a string")
	}
	*dst = n.Value
	return nil
}

func nodeErr(file string, n *yaml.Node, id, msg string) *Error {
	return &Error{Source: Source{File: file, Line: n.Line}, RuleID: id, Err: errors.New(msg)}
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func cleanYAMLErr(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: unmarshal errors:\n  ")
	return yamlLine.ReplaceAllString(s, "")
}

// LoadDir reads every *.yaml and *.yml file of dir in fsys (not recursing),
// in lexical order, and returns their rules. A problem in any file fails
// the whole load.
func LoadDir(fsys fs.FS, dir string, opts ...ParseOption) ([]Rule, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("reading rules directory %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if ext := path.Ext(e.Name()); ext == ".yaml" || ext == ".yml" {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var all []Rule
	where := map[string]Source{}
	for _, n := range names {
		p := path.Join(dir, n)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("reading rule file %s: %w", p, err)
		}
		rs, err := Parse(p, data, opts...)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if prev, dup := where[r.ID]; dup {
				return nil, &Error{Source: r.Source, RuleID: r.ID, Err: fmt.Errorf("duplicate rule id (also defined at %s)", prev)}
			}
			where[r.ID] = r.Source
		}
		all = append(all, rs...)
	}
	return all, nil
}

// Merge lays overlay over base by id: an overlay rule with the id of a base
// rule replaces it in place, a disabled overlay rule removes it, and other
// overlay rules are appended in their order. Disabling an id that base lacks
// is an error, so that a typo does not silently keep a rule active.
func Merge(base, overlay []Rule) ([]Rule, error) {
	idx := make(map[string]int, len(base))
	out := make([]Rule, len(base))
	copy(out, base)
	for i, r := range out {
		idx[r.ID] = i
	}
	removed := map[string]bool{}
	for _, r := range overlay {
		i, ok := idx[r.ID]
		switch {
		case r.Disabled && !ok:
			return nil, &Error{Source: r.Source, RuleID: r.ID, Err: errors.New("disables a rule that is not loaded")}
		case r.Disabled:
			removed[r.ID] = true
		case ok:
			out[i] = r
			delete(removed, r.ID)
		default:
			idx[r.ID] = len(out)
			out = append(out, r)
		}
	}
	if len(removed) == 0 {
		return out, nil
	}
	kept := out[:0]
	for _, r := range out {
		if !removed[r.ID] {
			kept = append(kept, r)
		}
	}
	return kept, nil
}
