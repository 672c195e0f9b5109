package builtin

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/rules"
	"github.com/veilstream/veil/classifiers/ruletest"
	"github.com/veilstream/veil/classifiers/validate"
)

func TestRulesParse(t *testing.T) {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("no rules")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.ID] {
			t.Errorf("%s: duplicate id %s", r.Source, r.ID)
		}
		seen[r.ID] = true
		if r.Disabled {
			t.Errorf("%s: rule %s is disabled in the built-in pack", r.Source, r.ID)
		}
		if strings.TrimSpace(r.Description) == "" {
			t.Errorf("%s: rule %s has no description", r.Source, r.ID)
		}
		if len(r.Examples.Match) < 3 || len(r.Examples.NoMatch) < 2 {
			t.Errorf("%s: rule %s has %d match and %d no_match examples, want at least 3 and 2",
				r.Source, r.ID, len(r.Examples.Match), len(r.Examples.NoMatch))
		}
		if !strings.HasPrefix(r.Source.File, SourceDir+"/") {
			t.Errorf("rule %s: source %s is not under %s", r.ID, r.Source, SourceDir)
		}
		prefix, _, _ := strings.Cut(r.ID, ".")
		if prefix == r.ID {
			t.Errorf("%s: rule id %s has no family prefix (want family.name)", r.Source, r.ID)
		}
	}

	// Two calls give the same rules in the same order.
	again, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []rules.Rule) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}
	if !slices.Equal(ids(rs), ids(again)) {
		t.Errorf("order differs between calls:\n%v\n%v", ids(rs), ids(again))
	}
}

// TestCoverage checks that every entity type a pattern can find has a rule.
// PERSON comes from the names detector.
func TestCoverage(t *testing.T) {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	have := map[classifiers.EntityType]int{}
	for _, r := range rs {
		have[r.Type]++
	}
	for _, typ := range classifiers.EntityTypes {
		if typ == classifiers.Person {
			continue
		}
		if have[typ] == 0 {
			t.Errorf("no built-in rule finds %s", typ)
		}
	}
}

// TestReadmeListsRules keeps the table of README.md in step with the pack.
func TestReadmeListsRules(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !strings.Contains(string(readme), "`"+r.ID+"`") {
			t.Errorf("README.md does not list rule %s", r.ID)
		}
	}
}

func TestFS(t *testing.T) {
	names, err := fs.Glob(FS(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("FS holds no rule files")
	}
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, r := range rs {
		files[strings.TrimPrefix(r.Source.File, SourceDir+"/")] = true
	}
	for _, n := range names {
		if !files[n] {
			t.Errorf("%s holds no rule", n)
		}
	}
}

// TestExamples runs every rule's examples through the engine with the real
// validators, one rule at a time, exactly as `veil rules test` does.
func TestExamples(t *testing.T) {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ruletest.Check(rs, engine.WithValidators(validate.Lookup)) {
		t.Error(f)
	}
}
