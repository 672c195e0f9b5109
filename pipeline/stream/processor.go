package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// ErrGraceExceeded is returned by Run when draining took longer than
// [Config].ShutdownGrace; in-flight batches were abandoned uncommitted.
var ErrGraceExceeded = errors.New("stream: shutdown grace period exceeded")

// ErrClaimLost is returned (wrapped) by Claim methods when the partition is
// no longer this processor's, such as a commit refused after a rebalance. The
// handler then ends the claim without failing the processor; the batch is
// re-delivered to the partition's new owner.
var ErrClaimLost = errors.New("stream: partition claim lost")

// Output is one clean stream: a purpose-specific Transform and the sink its
// records go to.
type Output struct {
	// Name identifies the output in hooks, logs and dead-letter headers.
	Name string
	// Sink receives the output's records. The Processor owns it from New on
	// and closes it in Close.
	Sink Sink
	// NewTransform makes the output's Transform, once per claimed partition.
	// nil means passthrough: the input value is copied unchanged (used to
	// measure the runtime without classification).
	NewTransform TransformFactory
	// PolicyVersion is written to every record's HeaderPolicyVersion
	// header. Required with a Transform; PassthroughVersion without one. A
	// Transform that implements [BatchStarter] replaces it batch by batch.
	PolicyVersion string
}

// Option configures a Processor.
type Option func(*Processor)

// WithHooks sends the processor's telemetry to h.
func WithHooks(h Hooks) Option {
	return func(p *Processor) {
		if h != nil {
			p.hooks = h
		}
	}
}

// WithLogger sets the logger for claim changes and errors (default: none).
// Event contents are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(p *Processor) {
		if l != nil {
			p.log = l
		}
	}
}

// Processor runs the processing loop over a Source.
type Processor struct {
	src     Source
	outputs []Output
	dlq     Sink
	cfg     Config
	hooks   Hooks
	log     *slog.Logger
}

// New returns a Processor reading from src, writing each event to every
// output and rejected events to dlq. It takes ownership of the sinks.
func New(src Source, outputs []Output, dlq Sink, cfg Config, opts ...Option) (*Processor, error) {
	var errs []error
	if src == nil {
		errs = append(errs, errors.New("source: nil"))
	}
	if dlq == nil {
		errs = append(errs, errors.New("dead-letter sink: nil (rejected events must have somewhere to go)"))
	}
	if len(outputs) == 0 {
		errs = append(errs, errors.New("outputs: none configured"))
	}
	seen := make(map[string]bool, len(outputs))
	for i, o := range outputs {
		switch {
		case o.Name == "":
			errs = append(errs, fmt.Errorf("outputs[%d].name: empty", i))
		case seen[o.Name]:
			errs = append(errs, fmt.Errorf("outputs[%d].name: %q used twice", i, o.Name))
		}
		seen[o.Name] = true
		if o.Sink == nil {
			errs = append(errs, fmt.Errorf("outputs[%d] (%s).sink: nil", i, o.Name))
		}
		if o.NewTransform != nil && o.PolicyVersion == "" {
			errs = append(errs, fmt.Errorf("outputs[%d] (%s).policy_version: empty (required with a transform)", i, o.Name))
		}
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("stream: invalid processor: %w", err)
	}
	p := &Processor{
		src:     src,
		outputs: append([]Output(nil), outputs...),
		dlq:     dlq,
		cfg:     cfg.withDefaults(),
		hooks:   NopHooks{},
		log:     slog.New(slog.DiscardHandler),
	}
	for i := range p.outputs {
		if p.outputs[i].NewTransform == nil && p.outputs[i].PolicyVersion == "" {
			p.outputs[i].PolicyVersion = PassthroughVersion
		}
	}
	for _, o := range opts {
		o(p)
	}
	return p, nil
}

// Run processes claims until ctx is cancelled, then stops fetching, lets every
// claim finish and commit the batch it is processing, and returns nil. It
// returns ErrGraceExceeded when that takes longer than the grace period, and
// the first fatal error (a sink or Transform failure) otherwise.
func (p *Processor) Run(ctx context.Context) error {
	hard, cancelHard := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelHard(nil)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		close(stop)
		t := time.NewTimer(p.cfg.ShutdownGrace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelHard(ErrGraceExceeded)
		case <-done:
		}
	}()
	err := p.src.Run(hard, stop, p.handle)
	close(done)
	if errors.Is(context.Cause(hard), ErrGraceExceeded) {
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, ErrGraceExceeded) {
			return errors.Join(ErrGraceExceeded, err)
		}
		return ErrGraceExceeded
	}
	return err
}

// Close closes every output sink and the dead-letter sink.
func (p *Processor) Close() error {
	var errs []error
	for _, o := range p.outputs {
		if err := o.Sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing output %s: %w", o.Name, err))
		}
	}
	if err := p.dlq.Close(); err != nil {
		errs = append(errs, fmt.Errorf("closing dead-letter sink: %w", err))
	}
	return errors.Join(errs...)
}

// handle is the ClaimHandler: it processes the claim's batches one after the
// other, committing each once every sink has acknowledged it.
func (p *Processor) handle(ctx context.Context, c Claim) error {
	tp := c.Partition()
	p.hooks.Assigned(tp, c.Start())
	defer p.hooks.Revoked(tp)
	w, err := p.newWorker(ctx, c)
	if err != nil {
		return err
	}
	p.log.Info("claim started", "partition", tp.String(), "offset", c.Start())
	for {
		select {
		case <-c.Stopping():
			return nil
		default:
		}
		var b *Batch
		select {
		case <-c.Stopping():
			return nil
		case nb, ok := <-c.Batches():
			if !ok {
				return nil
			}
			b = nb
		}
		if err := w.process(ctx, b); err != nil {
			c.Release(b)
			return err
		}
		next := b.NextOffset()
		if next >= 0 {
			err = c.Commit(ctx, next)
			p.hooks.Committed(tp, next, err)
		}
		c.Release(b)
		if errors.Is(err, ErrClaimLost) {
			p.log.Warn("claim lost before commit; the batch will be re-delivered", "partition", tp.String(), "offset", next)
			return nil
		}
		if err != nil {
			return fmt.Errorf("stream: committing %s at offset %d: %w", tp, next, err)
		}
	}
}

// outState is one output's per-claim state.
type outState struct {
	out     *Output
	t       Transform
	begin   BatchStarter // t, when it implements BatchStarter
	version []byte       // the HeaderPolicyVersion value of the current batch
	verStr  string       // version as a string, to notice a change
	resume  []int64      // source offsets the sink already holds, increasing
	recs    []OutRecord
	hdrs    []Header
	err     error
}

// worker holds one claim's reusable buffers.
type worker struct {
	p      *Processor
	tp     TopicPartition
	topic  []byte
	part   []byte
	outs   []outState
	dlq    outState
	arena  []byte
	marks  []int
	stats  BatchStats
	maxLen int
}

func (p *Processor) newWorker(ctx context.Context, c Claim) (*worker, error) {
	tp := c.Partition()
	w := &worker{
		p:      p,
		tp:     tp,
		topic:  []byte(tp.Topic),
		part:   strconv.AppendInt(nil, int64(tp.Partition), 10),
		outs:   make([]outState, len(p.outputs)),
		marks:  make([]int, 2*len(p.outputs)+2),
		maxLen: p.cfg.MaxEventBytes,
	}
	w.stats.Outputs = make([]OutputStats, len(p.outputs))
	for i := range p.outputs {
		o := &p.outputs[i]
		st := &w.outs[i]
		st.out = o
		st.version = []byte(o.PolicyVersion)
		st.verStr = o.PolicyVersion
		if o.NewTransform != nil {
			t, err := o.NewTransform()
			if err != nil {
				return nil, fmt.Errorf("stream: making transform for output %s: %w", o.Name, err)
			}
			if t == nil {
				return nil, fmt.Errorf("stream: output %s: transform factory returned nil", o.Name)
			}
			st.t = t
			st.begin, _ = t.(BatchStarter)
		}
		r, err := resumeOffsets(ctx, o.Sink, tp, c.Start())
		if err != nil {
			return nil, fmt.Errorf("stream: reading what output %s holds for %s: %w", o.Name, tp, err)
		}
		st.resume = r
		if len(r) > 0 {
			p.log.Info("resuming past records already written", "output", o.Name, "partition", tp.String(), "records", len(r))
		}
	}
	r, err := resumeOffsets(ctx, p.dlq, tp, c.Start())
	if err != nil {
		return nil, fmt.Errorf("stream: reading what the dead-letter sink holds for %s: %w", tp, err)
	}
	w.dlq.resume = r
	return w, nil
}

func resumeOffsets(ctx context.Context, s Sink, tp TopicPartition, from int64) ([]int64, error) {
	r, ok := s.(Resumer)
	if !ok {
		return nil, nil
	}
	offs, ok, err := r.Written(ctx, tp, from)
	if err != nil || !ok {
		return nil, err
	}
	return offs, nil
}

// held reports whether the sink already holds the record at off, consuming
// the resume list as offsets increase.
func (st *outState) held(off int64) bool {
	for len(st.resume) > 0 && st.resume[0] < off {
		st.resume = st.resume[1:]
	}
	if len(st.resume) > 0 && st.resume[0] == off {
		st.resume = st.resume[1:]
		return true
	}
	return false
}

const (
	reasonTooLarge       = "too-large: event exceeds max_event_bytes"
	reasonOutputTooLarge = "too-large: output event exceeds max_event_bytes"
)

// process transforms one batch, writes it to every sink and waits for all
// acknowledgements.
func (w *worker) process(ctx context.Context, b *Batch) error {
	start := time.Now()
	w.arena = w.arena[:0]
	w.stats.In = len(b.Records)
	w.stats.DeadLettered = 0
	for i := range w.outs {
		st := &w.outs[i]
		st.recs, st.hdrs, st.err = st.recs[:0], st.hdrs[:0], nil
		w.stats.Outputs[i] = OutputStats{Name: st.out.Name}
	}
	w.dlq.recs, w.dlq.hdrs, w.dlq.err = w.dlq.recs[:0], w.dlq.hdrs[:0], nil
	if err := w.begin(); err != nil {
		return err
	}

	for i := range b.Records {
		if err := w.record(&b.Records[i]); err != nil {
			return err
		}
	}
	for i := range w.outs {
		w.stats.Outputs[i].Out = len(w.outs[i].recs)
	}
	if err := w.write(ctx); err != nil {
		return err
	}
	w.stats.Latency = time.Since(start)
	w.p.hooks.Processed(w.tp, &w.stats)
	return nil
}

// begin tells the Transforms that implement BatchStarter that a batch
// starts, and takes up the version each reports for it. The version's bytes
// are replaced, not overwritten, so records of earlier batches keep theirs.
func (w *worker) begin() error {
	for i := range w.outs {
		st := &w.outs[i]
		if st.begin == nil {
			continue
		}
		v, err := st.begin.BeginBatch()
		if err != nil {
			return fmt.Errorf("stream: output %s: starting a batch of %s: %w", st.out.Name, w.tp, err)
		}
		if v == "" {
			v = st.out.PolicyVersion
		}
		if v != st.verStr {
			st.verStr, st.version = v, []byte(v)
		}
	}
	return nil
}

// record stages one event on every output, or on the dead-letter sink.
func (w *worker) record(rec *Record) error {
	mark := len(w.arena)
	w.arena = strconv.AppendInt(w.arena, rec.Offset, 10)
	off := w.arena[mark:len(w.arena):len(w.arena)]
	if len(rec.Key)+len(rec.Value) > w.maxLen {
		w.deadLetter(rec, off, reasonTooLarge, "")
		return nil
	}
	for i := range w.outs {
		st := &w.outs[i]
		w.marks[2*i], w.marks[2*i+1] = len(st.recs), len(st.hdrs)
	}
	for i := range w.outs {
		st := &w.outs[i]
		value, key := rec.Value, rec.Key
		var actions []byte
		if st.t != nil {
			before := len(w.arena)
			out, meta, err := st.t.Transform(w.arena, rec)
			if err != nil {
				if r, ok := AsReject(err); ok {
					w.unstage()
					w.stats.Outputs[i].Rejected++
					w.deadLetter(rec, off, r.Reason, st.out.Name)
					return nil
				}
				return fmt.Errorf("stream: output %s: transform failed on %s offset %d: %w", st.out.Name, w.tp, rec.Offset, err)
			}
			if len(out) < before {
				return fmt.Errorf("stream: output %s: transform returned %d bytes, less than the %d-byte dst it was given (it must append)", st.out.Name, len(out), before)
			}
			w.arena = out
			value = out[before:len(out):len(out)]
			if meta.Skip {
				w.stats.Outputs[i].Skipped++
				continue
			}
			if len(meta.Actions) > 0 {
				a := len(w.arena)
				w.arena = append(w.arena, meta.Actions...)
				actions = w.arena[a:len(w.arena):len(w.arena)]
			}
			if meta.SetKey {
				key = nil
				if meta.Key != nil {
					k := len(w.arena)
					w.arena = append(w.arena, meta.Key...)
					key = w.arena[k:len(w.arena):len(w.arena)]
				}
			}
			if len(key)+len(value) > w.maxLen {
				w.unstage()
				w.stats.Outputs[i].Rejected++
				w.deadLetter(rec, off, reasonOutputTooLarge, st.out.Name)
				return nil
			}
		}
		if st.held(rec.Offset) {
			w.stats.Outputs[i].Resumed++
			continue
		}
		h := len(st.hdrs)
		st.hdrs = append(st.hdrs,
			Header{Key: HeaderSourceTopic, Value: w.topic},
			Header{Key: HeaderSourcePartition, Value: w.part},
			Header{Key: HeaderSourceOffset, Value: off},
			Header{Key: HeaderPolicyVersion, Value: st.version},
		)
		if actions != nil {
			st.hdrs = append(st.hdrs, Header{Key: HeaderActions, Value: actions})
		}
		st.recs = append(st.recs, OutRecord{
			Key:          key,
			Value:        value,
			Headers:      st.hdrs[h:len(st.hdrs):len(st.hdrs)],
			Source:       w.tp,
			SourceOffset: rec.Offset,
			Time:         rec.Time,
		})
	}
	return nil
}

// unstage drops what the current event staged on the outputs before one of
// them rejected it.
func (w *worker) unstage() {
	for i := range w.outs {
		st := &w.outs[i]
		st.recs, st.hdrs = st.recs[:w.marks[2*i]], st.hdrs[:w.marks[2*i+1]]
	}
}

// deadLetter stages rec, unchanged and with its own headers, on the
// dead-letter sink.
func (w *worker) deadLetter(rec *Record, off []byte, reason, output string) {
	w.stats.DeadLettered++
	if w.dlq.held(rec.Offset) {
		return
	}
	r := len(w.arena)
	w.arena = append(w.arena, reason...)
	rb := w.arena[r:len(w.arena):len(w.arena)]
	h := len(w.dlq.hdrs)
	w.dlq.hdrs = append(w.dlq.hdrs, rec.Headers...)
	w.dlq.hdrs = append(w.dlq.hdrs,
		Header{Key: HeaderDLQReason, Value: rb},
		Header{Key: HeaderSourceTopic, Value: w.topic},
		Header{Key: HeaderSourcePartition, Value: w.part},
		Header{Key: HeaderSourceOffset, Value: off},
	)
	if output != "" {
		o := len(w.arena)
		w.arena = append(w.arena, output...)
		w.dlq.hdrs = append(w.dlq.hdrs, Header{Key: HeaderDLQOutput, Value: w.arena[o:len(w.arena):len(w.arena)]})
	}
	w.dlq.recs = append(w.dlq.recs, OutRecord{
		Key:          rec.Key,
		Value:        rec.Value,
		Headers:      w.dlq.hdrs[h:len(w.dlq.hdrs):len(w.dlq.hdrs)],
		Source:       w.tp,
		SourceOffset: rec.Offset,
		Time:         rec.Time,
	})
}

// write sends the staged records to every sink in parallel and waits for all
// of them.
func (w *worker) write(ctx context.Context) error {
	var wg sync.WaitGroup
	for i := range w.outs {
		st := &w.outs[i]
		if len(st.recs) == 0 {
			continue
		}
		wg.Go(func() { st.err = st.out.Sink.Write(ctx, st.recs) })
	}
	if len(w.dlq.recs) > 0 {
		wg.Go(func() { w.dlq.err = w.p.dlq.Write(ctx, w.dlq.recs) })
	}
	wg.Wait()
	var errs []error
	for i := range w.outs {
		if err := w.outs[i].err; err != nil {
			errs = append(errs, fmt.Errorf("stream: writing %d records of %s to output %s: %w", len(w.outs[i].recs), w.tp, w.outs[i].out.Name, err))
		}
	}
	if err := w.dlq.err; err != nil {
		errs = append(errs, fmt.Errorf("stream: writing %d records of %s to the dead-letter sink: %w", len(w.dlq.recs), w.tp, err))
	}
	return errors.Join(errs...)
}
