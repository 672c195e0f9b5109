package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/aggregate"
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
	reload  func(ReloadResult)
	aggHook func(output string) aggregate.Hook
	log     *slog.Logger
}

// WithAggregateHooks sends each aggregate output's telemetry (late events,
// closed windows, published, rolled-up and suppressed counts) to the hook
// f returns for its name; the hook must be safe for concurrent use.
func WithAggregateHooks(f func(output string) aggregate.Hook) Option {
	return func(o *options) { o.aggHook = f }
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

// WithReloadHook is called after every reload attempt that found the files
// different from the last ones read (and after every Reload call), with
// what it did; calls are serialized. See ReloadResult.
func WithReloadHook(f func(ReloadResult)) Option { return func(o *options) { o.reload = f } }

// WithLogger logs lifecycle events and errors, never event content.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// Runner is a configured stream processor.
type Runner struct {
	proc     *stream.Processor
	aggs     []*aggregate.Processor
	keyrings []*actions.FileKeyring
	// memKeys are the in-memory key rings (no keys.dir): Run destroys each
	// period's keys once the period is over.
	memKeys []*actions.MemoryKeyring
	refresh time.Duration
	log     *slog.Logger

	// gens is the generation in force; Transforms take it at the start of
	// each batch.
	gens     atomic.Pointer[generation]
	loader   *loader
	interval time.Duration // 0: no polling
	hook     func(ReloadResult)
	reloadMu sync.Mutex // serializes reloads
	seen     string     // what the last reload read (version or read error)
}

// New builds the processor cfg describes. cfg must have been validated
// (LoadConfig and ParseConfig do).
func New(cfg *Config, opts ...Option) (*Runner, error) {
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	r := &Runner{log: o.log, refresh: cfg.Keys.Refresh, hook: o.reload}
	if r.refresh == 0 {
		r.refresh = time.Minute
	}
	if !cfg.Reload.Disabled && (cfg.Rules != "" || cfg.Schemas != "" || cfg.Policy != "") {
		r.interval = cfg.Reload.Interval
		if r.interval == 0 {
			r.interval = DefaultReloadInterval
		}
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
	own := *cfg // reloads read the paths of the configuration given
	r.loader = newLoader(&own, o.engHook, valueKeys)
	gen, err := r.loader.load()
	if err != nil {
		return nil, err
	}
	r.gens.Store(gen)
	r.seen = gen.version
	origins := map[string]policy.Origin{}
	for topic, or := range cfg.Origins {
		origins[topic] = policy.Origin(or)
	}
	kopts := []kafkaio.Option{kafkaio.WithLogger(o.log)}
	if o.hooks != nil {
		kopts = append(kopts, kafkaio.WithHooks(o.hooks))
	}
	for i, out := range cfg.Outputs {
		purpose, _ := policy.ParsePurpose(out.Purpose)
		name := out.Name
		keyPseud := actions.NewPseudonymizer(recordKeys)
		var observe func([]sanitize.Applied)
		if o.observe != nil {
			observe = func(a []sanitize.Applied) { o.observe(name, a) }
		}
		factory := func() (stream.Transform, error) {
			t := &Transform{gens: &r.gens, out: i, analytics: purpose.Analytics(), origins: origins,
				pseud: keyPseud, customer: "record-keys", observe: observe}
			if err := t.use(r.gens.Load()); err != nil {
				return nil, err
			}
			return t, nil
		}
		if out.NATS == nil {
			kopts = append(kopts, kafkaio.WithTransform(out.Name, factory, gen.version))
			continue
		}
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		sink, err := natsio.NewSink(cctx, *out.NATS, natsio.WithLogger(o.log))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("outputs: %s: nats: %w", out.Name, err)
		}
		kopts = append(kopts, kafkaio.WithOutput(stream.Output{Name: out.Name, Sink: sink, NewTransform: factory, PolicyVersion: gen.version}))
	}
	perEvent := len(cfg.Kafka.Outputs)
	for _, out := range cfg.Outputs {
		if out.NATS != nil {
			perEvent++
		}
	}
	if perEvent > 0 {
		proc, err := kafkaio.NewProcessor(cfg.Kafka, cfg.Stream, kopts...)
		if err != nil {
			return nil, err
		}
		r.proc = proc
	}
	var aggHooks stream.Hooks
	if gh, ok := o.hooks.(kafkaio.GroupHooks); ok && r.proc == nil {
		// Only aggregate outputs: their consumer groups tell readiness.
		aggHooks = groupHooks{gh}
	}
	for j := range cfg.Aggregates {
		p, err := r.newAggregate(cfg, j, len(cfg.Outputs)+j, origins, o.log, o.aggHook, aggHooks)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.aggs = append(r.aggs, p)
	}
	return r, nil
}

// PolicyVersion names the configuration in force (policy, rules and
// schemas), as the records of the batches that start now carry it in their
// policy version header. It changes when a reload succeeds.
func (r *Runner) PolicyVersion() string { return r.gens.Load().version }

// keyring returns a file-backed key ring for dir, or an in-memory one.
func (r *Runner) keyring(dir string, rot actions.Rotation) (actions.Keyring, error) {
	if dir == "" {
		kr, err := actions.NewMemoryKeyring(rot)
		if err != nil {
			return nil, err
		}
		r.memKeys = append(r.memKeys, kr)
		return kr, nil
	}
	kr, err := actions.NewFileKeyring(dir, rot)
	if err != nil {
		return nil, fmt.Errorf("keys.dir: %w", err)
	}
	r.keyrings = append(r.keyrings, kr)
	return kr, nil
}

// pruneKeys destroys, every interval until ctx ends, the in-memory keys of
// periods that are over: pseudonyms are made with the key of the current
// period (processing time), so a past period's key is never needed again,
// and once it is gone nobody can link that period's pseudonyms to the next
// period's, this process included.
func (r *Runner) pruneKeys(ctx context.Context, every time.Duration, now func() time.Time) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, kr := range r.memKeys {
			if n := kr.Prune(now()); n > 0 {
				r.log.Info("destroyed the keys of past periods", "keys", n, "rotation", kr.Rotation())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Run processes until ctx is cancelled, then drains within the configured
// grace period. The aggregate outputs run alongside the per-event outputs;
// if any of them fails, the others stop too and Run returns the failures.
// Key files are re-read every keys.refresh meanwhile, and the rules,
// schemas and policy files every reload.interval (see Reload).
func (r *Runner) Run(ctx context.Context) error {
	kctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()
	for _, kr := range r.keyrings {
		go kr.Run(kctx, r.refresh, func(err error) { r.log.Warn("re-reading key files", "err", err) })
	}
	if r.interval > 0 {
		wg.Go(func() { r.poll(kctx) })
	}
	if len(r.memKeys) > 0 {
		wg.Go(func() { r.pruneKeys(kctx, time.Minute, time.Now) })
	}
	var runs []func(context.Context) error
	if r.proc != nil {
		runs = append(runs, r.proc.Run)
	}
	for _, a := range r.aggs {
		runs = append(runs, a.Run)
	}
	if len(runs) == 1 {
		return quiet(runs[0](ctx))
	}
	// A failure of one processor stops the others: one process, one fate.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(runs))
	var pw sync.WaitGroup
	for i, run := range runs {
		pw.Go(func() {
			if errs[i] = quiet(run(pctx)); errs[i] != nil {
				cancel()
			}
		})
	}
	pw.Wait()
	return errors.Join(errs...)
}

// groupHooks passes on only the consumer-group events of the hooks it
// wraps (readiness), not their per-record counts.
type groupHooks struct{ kafkaio.GroupHooks }

func (groupHooks) Assigned(stream.TopicPartition, int64)               {}
func (groupHooks) Revoked(stream.TopicPartition)                       {}
func (groupHooks) Fetched(stream.TopicPartition, int, int, int64)      {}
func (groupHooks) Released(stream.TopicPartition, int)                 {}
func (groupHooks) Processed(stream.TopicPartition, *stream.BatchStats) {}
func (groupHooks) Committed(stream.TopicPartition, int64, error)       {}

func quiet(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Close releases the processors' connections.
func (r *Runner) Close() error {
	var errs []error
	if r.proc != nil {
		errs = append(errs, r.proc.Close())
	}
	for _, a := range r.aggs {
		errs = append(errs, a.Close())
	}
	return errors.Join(errs...)
}

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
