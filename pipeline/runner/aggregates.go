package runner

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/veilstream/veil/pipeline/aggregate"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// noiseKeySalt separates the noise keys derived from the aggregate-noise
// secret from any other use of it.
var noiseKeySalt = []byte("veil/aggregate-noise/v1")

// newAggregate builds the processor of aggregate output j of cfg, whose
// sanitizer configuration is entry idx of every generation.
func (r *Runner) newAggregate(cfg *Config, j, idx int, origins map[string]policy.Origin, log *slog.Logger, hook func(string) aggregate.Hook, shooks stream.Hooks) (*aggregate.Processor, error) {
	ac := &cfg.Aggregates[j]
	factory := func() (aggregate.SanitizeFunc, error) {
		s := &aggSanitizer{gens: &r.gens, out: idx}
		if err := s.use(r.gens.Load()); err != nil {
			return nil, err
		}
		return s.sanitize, nil
	}
	accept := func(topic string) bool {
		pp := &r.gens.Load().outputs[idx].pp
		return len(pp.AllowedOrigins) == 0 || pp.AcceptsOrigin(origins[topic])
	}
	grace := cfg.Stream.ShutdownGrace
	opts := []aggregate.ProcessorOption{
		aggregate.WithLogger(log.With("aggregate", ac.Name)),
		aggregate.WithTopicFilter(accept),
		aggregate.WithShutdownGrace(grace),
	}
	if ac.FlushOnStop {
		opts = append(opts, aggregate.WithFlushOnStop())
	}
	if hook != nil {
		opts = append(opts, aggregate.WithAggregatorHooks(hook(ac.Name)))
	}
	if shooks != nil {
		opts = append(opts, aggregate.WithStreamHooks(shooks))
	}
	if ac.Privacy != nil {
		if cfg.Keys.Dir != "" {
			secret, err := readNoiseKey(cfg.Keys.Dir)
			if err != nil {
				return nil, fmt.Errorf("aggregates: %s: %w", ac.Name, err)
			}
			key, err := hkdf.Key(sha256.New, secret, noiseKeySalt, "noise "+ac.Name, aggregate.MinNoiseKeySize)
			if err != nil {
				return nil, fmt.Errorf("aggregates: %s: deriving the noise key: %w", ac.Name, err)
			}
			opts = append(opts, aggregate.WithAggregatorOptions(aggregate.WithNoiseKey(key)))
		} else {
			log.Warn("aggregate output with differential privacy and no keys.dir: its noise key lives in memory, so a window published again after a restart gets a fresh draw",
				"aggregate", ac.Name)
		}
	}
	p, err := aggregate.NewProcessor(ac.processorConfig(cfg.Kafka), factory, opts...)
	if err != nil {
		return nil, fmt.Errorf("aggregates: %s: %w", ac.Name, err)
	}
	return p, nil
}

// aggSanitizer sanitizes events for an aggregate output with the runner's
// current generation, switching to a new sanitizer when a reload put
// another generation in force.
type aggSanitizer struct {
	gens *atomic.Pointer[generation]
	out  int
	gen  *generation
	san  *sanitize.Sanitizer
}

func (s *aggSanitizer) use(g *generation) error {
	san, err := sanitize.New(g.outputs[s.out].scfg)
	if err != nil {
		return fmt.Errorf("runner: configuration %s: %w", g.version, err)
	}
	s.san, s.gen = san, g
	return nil
}

// sanitize implements aggregate.SanitizeFunc.
func (s *aggSanitizer) sanitize(dst, raw []byte) ([]byte, error) {
	if g := s.gens.Load(); g != s.gen {
		if err := s.use(g); err != nil {
			return dst, err
		}
	}
	return s.san.Sanitize(dst, raw)
}
