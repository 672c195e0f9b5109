package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/classifiers/rules"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// generation is one compiled, immutable version of what the sanitizers
// apply: the classifier engine (built-in rules and the rules directory),
// the policy and the schema registry, with each output's sanitizer
// configuration. Transforms take the runner's current generation at the
// start of each batch, so a batch is processed with one generation only.
type generation struct {
	// version names the generation in the policy version header of the
	// records it produced (see sources.version).
	version string
	// digests of the sources, to reuse what did not change.
	rulesSum, schemasSum, policySum [sha256.Size]byte

	engine  *engine.Engine
	policy  *policy.Policy
	schemas *schemas.Registry
	// outputs holds one entry per configured output, in Config.Outputs
	// order, then one per aggregate output, in Config.Aggregates order.
	outputs []outputGen
}

// outputGen is one output's part of a generation.
type outputGen struct {
	scfg sanitize.Config
	pp   policy.PurposePolicy
}

// sources is one reading of the files a generation is compiled from.
type sources struct {
	rules   *dirFiles // nil without a rules directory
	schemas *dirFiles // nil without a schemas directory
	policy  []byte    // nil: the embedded default policy

	rulesSum, schemasSum, policySum [sha256.Size]byte
}

// version names the sources: the policy as "file@" and 12 hex digits of
// its SHA-256 ("default@…" for the embedded policy), followed by
// "+rules@…" and "+schemas@…" digests of the rules and schemas directories
// when they are configured. It changes whenever any of them does.
func (s *sources) version() string {
	v := "file@" + hex.EncodeToString(s.policySum[:6])
	if s.policy == nil {
		v = "default@" + hex.EncodeToString(s.policySum[:6])
	}
	if s.rules != nil {
		v += "+rules@" + hex.EncodeToString(s.rulesSum[:6])
	}
	if s.schemas != nil {
		v += "+schemas@" + hex.EncodeToString(s.schemasSum[:6])
	}
	return v
}

// loader reads and compiles generations for one configuration.
type loader struct {
	cfg  *Config
	pack pack.Config // MatchTimeout and Hooks; rules come from sources
	// outputs are the per-event outputs, then the aggregate outputs (as
	// outputs of their purpose); section names each one's configuration
	// list in errors.
	outputs []OutputConfig
	section []string
	// pseuds holds each output's value pseudonymizer, kept across
	// generations (its HMAC states depend on keys only).
	pseuds []*actions.Pseudonymizer
}

func newLoader(cfg *Config, engHooks engine.Hooks, valueKeys actions.Keyring) *loader {
	mt := cfg.MatchTimeout
	if mt == 0 {
		mt = DefaultMatchTimeout
	}
	l := &loader{
		cfg:     cfg,
		pack:    pack.Config{Hooks: engHooks, MatchTimeout: mt},
		outputs: slices.Clone(cfg.Outputs),
	}
	for range cfg.Outputs {
		l.section = append(l.section, "outputs")
	}
	for _, a := range cfg.Aggregates {
		l.outputs = append(l.outputs, OutputConfig{Name: a.Name, Purpose: a.Purpose})
		l.section = append(l.section, "aggregates")
	}
	for range l.outputs {
		l.pseuds = append(l.pseuds, actions.NewPseudonymizer(valueKeys))
	}
	return l
}

// read reads the rules directory, the schemas directory and the policy
// file. Errors name the configuration key and the path.
func (l *loader) read() (*sources, error) {
	s := &sources{}
	var err error
	if l.cfg.Rules != "" {
		if s.rules, err = readConfigDir(l.cfg.Rules, ruleFile); err != nil {
			return nil, errNoFiles("rules", l.cfg.Rules, err)
		}
		s.rulesSum = s.rules.digest()
	}
	if l.cfg.Schemas != "" {
		if s.schemas, err = readConfigDir(l.cfg.Schemas, schemaFile); err != nil {
			return nil, errNoFiles("schemas", l.cfg.Schemas, err)
		}
		s.schemasSum = s.schemas.digest()
	}
	if l.cfg.Policy != "" {
		if s.policy, err = os.ReadFile(l.cfg.Policy); err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		s.policySum = sha256.Sum256(s.policy)
	} else {
		s.policySum = sha256.Sum256(policy.DefaultYAML())
	}
	return s, nil
}

// compile builds the generation of s, reusing from prev (which may be nil)
// the engine, schemas or policy whose sources did not change. Any problem
// refuses the whole generation: a rule file, schema or policy error (each
// naming its file and line), a policy that lacks a configured output's
// purpose, or a sanitizer configuration the new parts make invalid.
func (l *loader) compile(s *sources, prev *generation) (*generation, error) {
	g := &generation{version: s.version(), rulesSum: s.rulesSum, schemasSum: s.schemasSum, policySum: s.policySum}
	var err error
	if prev != nil && prev.rulesSum == s.rulesSum {
		g.engine = prev.engine
	} else if g.engine, err = l.compileRules(s.rules); err != nil {
		return nil, err
	}
	if prev != nil && prev.schemasSum == s.schemasSum {
		g.schemas = prev.schemas
	} else if s.schemas == nil {
		if g.schemas, err = schemas.Default(); err != nil {
			return nil, fmt.Errorf("built-in schemas: %w", err)
		}
	} else if g.schemas, err = schemas.Load(s.schemas, "."); err != nil {
		return nil, fmt.Errorf("schemas in %s: %w", l.cfg.Schemas, err)
	}
	if prev != nil && prev.policySum == s.policySum {
		g.policy = prev.policy
	} else if s.policy == nil {
		g.policy = policy.Default()
	} else if g.policy, err = policy.Parse(l.cfg.Policy, s.policy); err != nil {
		return nil, err // names the file, line and key
	}
	for i, out := range l.outputs {
		purpose, err := policy.ParsePurpose(out.Purpose)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", l.section[i], out.Name, err)
		}
		pp, ok := g.policy.Purpose(purpose)
		if !ok {
			return nil, fmt.Errorf("%s: %s: purpose %s is not configured in the policy %s", l.section[i], out.Name, purpose, l.policyName())
		}
		if want, ok := pp.ShortestRotation(); ok {
			have := policy.Rotation(l.cfg.Keys.Rotation)
			if have == "" {
				have = policy.RotateDay
			}
			if have.Days() > want.Days() {
				return nil, fmt.Errorf("%s: %s: keys.rotation is %s, but the policy %s hashes for purpose %s with keys that rotate every %s: pseudonyms would link across periods it keeps apart", l.section[i], out.Name, have, l.policyName(), purpose, want)
			}
		}
		scfg := sanitize.Config{
			Purpose:              purpose,
			Policy:               g.policy,
			Scanner:              g.engine,
			Keys:                 sanitize.KeyNames,
			Schemas:              g.schemas,
			RejectViolations:     l.cfg.SchemaViolations != "classify",
			RejectUnclassifiable: true,
			Pseudonyms:           l.pseuds[i],
			CustomerKeys:         l.cfg.CustomerKeys,
			TagOnly:              out.TagOnly,
			MaxDepth:             l.cfg.MaxDepth,
		}
		// Refuse here, not on the first batch.
		if _, err := sanitize.New(scfg); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", l.section[i], out.Name, err)
		}
		g.outputs = append(g.outputs, outputGen{scfg: scfg, pp: pp})
	}
	return g, nil
}

// compileRules compiles the built-in pack with the user rules of files (if
// any) merged over it by id, as pack.Load does for a directory on disk.
func (l *loader) compileRules(files *dirFiles) (*engine.Engine, error) {
	rs, err := l.pack.Rules()
	if err != nil {
		return nil, err
	}
	if files != nil {
		user, err := rules.LoadDir(files, ".", rules.WithValidators(pack.KnownValidator))
		if err != nil {
			return nil, fmt.Errorf("user rules in %s: %w", l.cfg.Rules, err)
		}
		for i := range user {
			user[i].Source.File = l.cfg.Rules + "/" + user[i].Source.File
		}
		if rs, err = rules.Merge(rs, user); err != nil {
			return nil, fmt.Errorf("user rules in %s: %w", l.cfg.Rules, err)
		}
	}
	e, err := engine.Compile(rs, l.pack.EngineOptions()...)
	if err != nil {
		return nil, fmt.Errorf("compiling rules: %w", err)
	}
	return e, nil
}

func (l *loader) policyName() string {
	if l.cfg.Policy == "" {
		return policy.DefaultName
	}
	return l.cfg.Policy
}

// load reads and compiles a first generation.
func (l *loader) load() (*generation, error) {
	s, err := l.read()
	if err != nil {
		return nil, err
	}
	return l.compile(s, nil)
}

// DefaultReloadInterval is how often the rules, schemas and policy files
// are read for changes when reload.interval is not set.
const DefaultReloadInterval = 10 * time.Second

// MinReloadInterval is the shortest reload.interval: every poll reads
// every file.
const MinReloadInterval = 50 * time.Millisecond
