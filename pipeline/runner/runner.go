package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas"
	"github.com/veilstream/veil/schemas/policy"
)

// Option configures New.
type Option func(*options)

type options struct {
	hooks   stream.Hooks
	engHook engine.Hooks
	observe func(output string, applied []sanitize.Applied)
	log     *slog.Logger
}

// WithHooks sends the processing loop's telemetry to h.
func WithHooks(h stream.Hooks) Option { return func(o *options) { o.hooks = h } }

// WithEngineHooks sends classifier events (rule timeouts) to h.
func WithEngineHooks(h engine.Hooks) Option { return func(o *options) { o.engHook = h } }

// WithObserver is called with what the sanitizer did to each event of each
// output (for metrics); it must be fast and safe for concurrent use.
func WithObserver(f func(output string, applied []sanitize.Applied)) Option {
	return func(o *options) { o.observe = f }
}

// WithLogger logs lifecycle events and errors, never event content.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// Runner is a configured stream processor.
type Runner struct {
	proc     *stream.Processor
	keyrings []*actions.FileKeyring
	refresh  time.Duration
	log      *slog.Logger
	// PolicyVersion names the policy in force, as output records carry it.
	PolicyVersion string
}

// New builds the processor cfg describes. cfg must have been validated
// (LoadConfig and ParseConfig do).
func New(cfg *Config, opts ...Option) (*Runner, error) {
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	mt := cfg.MatchTimeout
	if mt == 0 {
		mt = DefaultMatchTimeout
	}
	pc := pack.Config{RulesDir: cfg.Rules, Hooks: o.engHook, MatchTimeout: mt}
	eng, _, err := pack.Load(pc)
	if err != nil {
		return nil, err
	}
	pol, version, err := loadPolicy(cfg.Policy)
	if err != nil {
		return nil, err
	}
	reg, err := LoadSchemas(cfg.Schemas)
	if err != nil {
		return nil, err
	}
	r := &Runner{log: o.log, PolicyVersion: version, refresh: cfg.Keys.Refresh}
	if r.refresh == 0 {
		r.refresh = time.Minute
	}
	rot := actions.Rotation(cfg.Keys.Rotation)
	if rot == "" {
		rot = actions.RotateDay
	}
	valueKeys, err := r.keyring(cfg.Keys.Dir, rot)
	if err != nil {
		return nil, err
	}
	recordKeys, err := r.keyring(cfg.Keys.Dir, actions.RotateDay)
	if err != nil {
		return nil, err
	}
	origins := map[string]policy.Origin{}
	for topic, or := range cfg.Origins {
		origins[topic] = policy.Origin(or)
	}
	kopts := []kafkaio.Option{kafkaio.WithLogger(o.log)}
	if o.hooks != nil {
		kopts = append(kopts, kafkaio.WithHooks(o.hooks))
	}
	for _, out := range cfg.Outputs {
		purpose, _ := policy.ParsePurpose(out.Purpose)
		pp, ok := pol.Purpose(purpose)
		if !ok {
			return nil, fmt.Errorf("outputs: %s: purpose %s is not configured in the policy", out.Name, purpose)
		}
		scfg := sanitize.Config{
			Purpose:              purpose,
			Policy:               pol,
			Scanner:              eng,
			Keys:                 sanitize.KeyNames,
			Schemas:              reg,
			RejectViolations:     cfg.SchemaViolations != "classify",
			RejectUnclassifiable: true,
			Pseudonyms:           actions.NewPseudonymizer(valueKeys),
			CustomerKeys:         cfg.CustomerKeys,
			TagOnly:              out.TagOnly,
			MaxDepth:             cfg.MaxDepth,
		}
		// Fail at start, not on the first event.
		if _, err := sanitize.New(scfg); err != nil {
			return nil, fmt.Errorf("outputs: %s: %w", out.Name, err)
		}
		name := out.Name
		keyPseud := actions.NewPseudonymizer(recordKeys)
		var observe func([]sanitize.Applied)
		if o.observe != nil {
			observe = func(a []sanitize.Applied) { o.observe(name, a) }
		}
		factory := func() (stream.Transform, error) {
			s, err := sanitize.New(scfg)
			if err != nil {
				return nil, err
			}
			return &Transform{san: s, pp: pp, analytics: purpose.Analytics(), origins: origins,
				pseud: keyPseud, customer: "record-keys", observe: observe}, nil
		}
		if out.NATS == nil {
			kopts = append(kopts, kafkaio.WithTransform(out.Name, factory, version))
			continue
		}
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		sink, err := natsio.NewSink(cctx, *out.NATS, natsio.WithLogger(o.log))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("outputs: %s: nats: %w", out.Name, err)
		}
		kopts = append(kopts, kafkaio.WithOutput(stream.Output{Name: out.Name, Sink: sink, NewTransform: factory, PolicyVersion: version}))
	}
	proc, err := kafkaio.NewProcessor(cfg.Kafka, cfg.Stream, kopts...)
	if err != nil {
		return nil, err
	}
	r.proc = proc
	return r, nil
}

// keyring returns a file-backed key ring for dir, or an in-memory one.
func (r *Runner) keyring(dir string, rot actions.Rotation) (actions.Keyring, error) {
	if dir == "" {
		return actions.NewMemoryKeyring(rot)
	}
	kr, err := actions.NewFileKeyring(dir, rot)
	if err != nil {
		return nil, fmt.Errorf("keys.dir: %w", err)
	}
	r.keyrings = append(r.keyrings, kr)
	return kr, nil
}

// loadPolicy reads a policy file, or takes the embedded default, and names
// its version by a digest of its bytes.
func loadPolicy(path string) (*policy.Policy, string, error) {
	if path == "" {
		sum := sha256.Sum256(policy.DefaultYAML())
		return policy.Default(), "default@" + hex.EncodeToString(sum[:6]), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("policy: %w", err)
	}
	p, err := policy.Parse(path, data)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(data)
	return p, "file@" + hex.EncodeToString(sum[:6]), nil
}

// Run processes until ctx is cancelled, then drains within the configured
// grace period. Key files are re-read every keys.refresh meanwhile.
func (r *Runner) Run(ctx context.Context) error {
	kctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, kr := range r.keyrings {
		go kr.Run(kctx, r.refresh, func(err error) { r.log.Warn("re-reading key files", "err", err) })
	}
	err := r.proc.Run(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Close releases the processor's connections.
func (r *Runner) Close() error { return r.proc.Close() }

// LoadSchemas returns the built-in event schemas with those of dir (if not
// empty) laid over them.
func LoadSchemas(dir string) (*schemas.Registry, error) {
	if dir == "" {
		return schemas.Default()
	}
	reg, err := schemas.Load(os.DirFS(dir), ".")
	if err != nil {
		return nil, fmt.Errorf("schemas in %s: %w", dir, err)
	}
	return reg, nil
}
