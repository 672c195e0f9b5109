package bench

import (
	"fmt"
	"time"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// Setup is the classifier and sanitizer under measurement: the full
// built-in pack with validators and name dictionaries, the default policy
// for product_improvement, and the naive reference over the same rules.
type Setup struct {
	Engine *engine.Engine
	Naive  *engine.Naive
	Rules  int
	// cfg is the sanitizer configuration of `veil redact`.
	cfg sanitize.Config
}

// NewSanitizer returns a fresh sanitizer (empty caches) as `veil redact`
// configures it; measurements take a new one per run so that no run
// profits from values a previous run already classified.
func (s *Setup) NewSanitizer() (*sanitize.Sanitizer, error) { return sanitize.New(s.cfg) }

// NewSetup loads the built-in pack and builds what the benchmarks compare.
// matchTimeout bounds backtracking rules per value on both sides (0: the
// engine's default); the naive reference is meant to finish, so callers
// that run it under the race detector or on a loaded machine raise it.
func NewSetup(matchTimeout time.Duration) (*Setup, error) {
	cfg := pack.Config{MatchTimeout: matchTimeout}
	eng, rs, err := pack.Load(cfg)
	if err != nil {
		return nil, err
	}
	naive, err := engine.NewNaive(rs, cfg.EngineOptions()...)
	if err != nil {
		return nil, fmt.Errorf("naive reference: %w", err)
	}
	kr, err := actions.NewMemoryKeyring(actions.RotateDay)
	if err != nil {
		return nil, err
	}
	reg, err := schemas.Default()
	if err != nil {
		return nil, err
	}
	// The configuration of `veil redact`: default policy, key names and
	// the built-in event schemas (classification only).
	scfg := sanitize.Config{
		Purpose:    policy.ProductImprovement,
		Policy:     policy.Default(),
		Scanner:    eng,
		Keys:       sanitize.KeyNames,
		Schemas:    reg,
		Pseudonyms: actions.NewPseudonymizer(kr),
		// veil redact writes events only; it keeps no record of actions
		// unless --tag-only asks for it.
		DiscardApplied: true,
	}
	if _, err := sanitize.New(scfg); err != nil {
		return nil, err
	}
	return &Setup{Engine: eng, Naive: naive, Rules: len(rs), cfg: scfg}, nil
}
