// Package pack assembles the content classifier veil runs: the built-in
// rule pack, a directory of user rules merged over it by id, the validators
// and the PERSON dictionaries, compiled into one engine.
package pack

import (
	"fmt"
	"os"
	"time"

	"github.com/veilstream/veil/classifiers/builtin"
	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/names"
	"github.com/veilstream/veil/classifiers/rules"
	"github.com/veilstream/veil/classifiers/validate"
)

// Config says which rules to load and how to run them.
type Config struct {
	// RulesDir is a directory of user rule files laid over the built-in
	// pack; empty means the built-in pack alone.
	RulesDir string
	// NoBuiltin leaves the built-in pack out (for testing a rules directory
	// on its own).
	NoBuiltin bool
	// NoNames leaves the PERSON dictionary detector out.
	NoNames bool
	// MinScore is the lowest score reported; 0 means the engine's default.
	MinScore float64
	// MatchTimeout bounds each backtracking rule per value; 0 means the
	// engine's default.
	MatchTimeout time.Duration
	// Hooks receive engine events (timeouts) for telemetry; may be nil.
	Hooks engine.Hooks
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.MinScore < 0 || c.MinScore > 1 {
		return fmt.Errorf("min score %v: must be in [0, 1]", c.MinScore)
	}
	if c.MatchTimeout < 0 {
		return fmt.Errorf("match timeout %v: must not be negative", c.MatchTimeout)
	}
	if c.RulesDir != "" {
		st, err := os.Stat(c.RulesDir)
		if err != nil {
			return fmt.Errorf("rules directory: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("rules directory %s: not a directory", c.RulesDir)
		}
	}
	return nil
}

// KnownValidator reports whether name is a validator rules may use.
func KnownValidator(name string) bool {
	_, ok := validate.Lookup(name)
	return ok
}

// ValidatorLookup adapts package validate to engine.WithValidators.
func ValidatorLookup(name string) (func(string) bool, bool) {
	f, ok := validate.Lookup(name)
	if !ok {
		return nil, false
	}
	return f, true
}

// Rules loads the rules c names: the built-in pack (unless NoBuiltin) with
// the user rules directory merged over it.
func (c Config) Rules() ([]rules.Rule, error) {
	var rs []rules.Rule
	if !c.NoBuiltin {
		b, err := builtin.Rules()
		if err != nil {
			return nil, fmt.Errorf("built-in rules: %w", err)
		}
		rs = b
	}
	if c.RulesDir != "" {
		user, err := rules.LoadDir(os.DirFS(c.RulesDir), ".", rules.WithValidators(KnownValidator))
		if err != nil {
			return nil, fmt.Errorf("user rules in %s: %w", c.RulesDir, err)
		}
		for i := range user {
			user[i].Source.File = c.RulesDir + "/" + user[i].Source.File
		}
		if rs, err = rules.Merge(rs, user); err != nil {
			return nil, fmt.Errorf("user rules in %s: %w", c.RulesDir, err)
		}
	}
	return rs, nil
}

// EngineOptions returns the engine options c implies, for callers that
// compile rule sets of their own (rules test, benchmarks).
func (c Config) EngineOptions() []engine.Option {
	opts := []engine.Option{engine.WithValidators(ValidatorLookup)}
	if !c.NoNames {
		opts = append(opts, engine.WithDetectors(names.New()))
	}
	if c.MinScore > 0 {
		opts = append(opts, engine.WithMinScore(c.MinScore))
	}
	if c.MatchTimeout > 0 {
		opts = append(opts, engine.WithMatchTimeout(c.MatchTimeout))
	}
	if c.Hooks != nil {
		opts = append(opts, engine.WithHooks(c.Hooks))
	}
	return opts
}

// Load validates c, loads its rules and compiles them with the validators
// and detectors into an engine.
func Load(c Config) (*engine.Engine, []rules.Rule, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	rs, err := c.Rules()
	if err != nil {
		return nil, nil, err
	}
	e, err := engine.Compile(rs, c.EngineOptions()...)
	if err != nil {
		return nil, nil, fmt.Errorf("compiling rules: %w", err)
	}
	return e, rs, nil
}
