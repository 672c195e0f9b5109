package aggregate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// SanitizeFunc appends the sanitized form of raw (the aggregate output's
// purpose) to dst; sanitize.Sanitizer.Sanitize has this shape.
type SanitizeFunc func(dst, raw []byte) ([]byte, error)

// SanitizerFactory makes a SanitizeFunc for one claimed input partition;
// each is used by one goroutine at a time.
type SanitizerFactory func() (SanitizeFunc, error)

// ProcessorConfig is an aggregate output over Kafka. Field names in errors
// are the yaml keys.
type ProcessorConfig struct {
	// Kafka is the cluster, the input topics and group, the dead-letter
	// topic (events that cannot be read or sanitized) and the client
	// tuning, TLS and SASL (both stages and the checkpoint reader connect
	// alike). Its Outputs are ignored. Stage 2 joins group GroupID +
	// ".aggregate".
	Kafka kafkaio.Config `yaml:"kafka"`
	// RepartitionTopic is the internal topic between the stages. It carries
	// contributor identifiers: restrict it like the input and keep its
	// retention short. Required.
	RepartitionTopic string `yaml:"repartition_topic"`
	// AggregateTopic receives the records, keyed by (window, cohort); make
	// it compacted. Required.
	AggregateTopic string `yaml:"aggregate_topic"`
	// CheckpointTopic holds each repartition partition's watermark, keyed
	// by partition; make it compacted. Required.
	CheckpointTopic string `yaml:"checkpoint_topic"`
	// PartitionBy names the dimensions the repartition topic is keyed by,
	// so that stage 2 spreads over its partitions. They must not be in the
	// rollup order (cohorts of different keys never meet), and with them
	// there is no "other" bucket (the residue of each key stays
	// suppressed) and differential privacy is refused (bounds would hold per
	// key, not per window). Empty: every event goes to one partition.
	PartitionBy []string `yaml:"partition_by"`
	// Aggregate is the aggregation itself.
	Aggregate Config `yaml:"aggregate"`
}

// Validate fills defaults and reports every invalid field.
func (c *ProcessorConfig) Validate() error {
	var errs []error
	if err := c.Aggregate.Validate(); err != nil {
		errs = append(errs, err)
	}
	for key, t := range map[string]string{"repartition_topic": c.RepartitionTopic, "aggregate_topic": c.AggregateTopic, "checkpoint_topic": c.CheckpointTopic} {
		if t == "" {
			errs = append(errs, fmt.Errorf("%s: required", key))
		} else if slices.Contains(c.Kafka.Inputs, t) {
			errs = append(errs, fmt.Errorf("%s: %q is also an input topic", key, t))
		}
	}
	if c.RepartitionTopic != "" && (c.RepartitionTopic == c.AggregateTopic || c.RepartitionTopic == c.CheckpointTopic) || c.AggregateTopic != "" && c.AggregateTopic == c.CheckpointTopic {
		errs = append(errs, errors.New("repartition_topic, aggregate_topic and checkpoint_topic must differ"))
	}
	for i, name := range c.PartitionBy {
		j := slices.IndexFunc(c.Aggregate.Dimensions, func(d Dimension) bool { return d.Name == name })
		switch {
		case j < 0:
			errs = append(errs, fmt.Errorf("partition_by[%d]: %q is not a dimension", i, name))
		case c.Aggregate.Dimensions[j].Derive != "":
			errs = append(errs, fmt.Errorf("partition_by[%d]: %q is derived; partition by read dimensions only", i, name))
		case slices.Contains(c.Aggregate.Rollup, name):
			errs = append(errs, fmt.Errorf("partition_by[%d]: %q is in the rollup order; cohorts of different repartition keys could not roll up together", i, name))
		}
	}
	if len(c.PartitionBy) > 0 && c.Aggregate.Privacy != nil {
		errs = append(errs, errors.New("partition_by: not allowed with differential_privacy (contribution bounds would hold per repartition key, not per window)"))
	}
	k := c.stageConfig(1)
	if err := k.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("aggregate processor: %w", err)
	}
	return nil
}

// stageConfig returns the kafkaio configuration of stage 1 or 2.
func (c *ProcessorConfig) stageConfig(stage int) kafkaio.Config {
	k := c.Kafka
	k.Outputs = []kafkaio.OutputConfig{{Name: "repartition", Topic: c.RepartitionTopic, Partitioning: kafkaio.PartitionKey}}
	if stage == 2 {
		k.Inputs = []string{c.RepartitionTopic}
		k.GroupID = c.Kafka.GroupID + ".aggregate"
		k.Outputs = []kafkaio.OutputConfig{{Name: "aggregate", Topic: c.AggregateTopic, Partitioning: kafkaio.PartitionKey}}
	}
	return k
}

// ProcessorOption configures NewProcessor.
type ProcessorOption func(*procOptions)

type procOptions struct {
	hooks  []Hook
	aopts  []Option
	shooks stream.Hooks
	log    *slog.Logger
	accept func(topic string) bool
	flush  bool
	grace  time.Duration
}

// WithAggregatorOptions passes opts to every stage-2 aggregator (for
// instance WithNoiseKey, so that a window published again after a restart
// carries the same noise).
func WithAggregatorOptions(opts ...Option) ProcessorOption {
	return func(o *procOptions) { o.aopts = append(o.aopts, opts...) }
}

// WithTopicFilter makes stage 1 skip the events of input topics for which
// accept returns false (an output whose purpose accepts some origins
// only). accept is called once per event and must be safe for concurrent
// use.
func WithTopicFilter(accept func(topic string) bool) ProcessorOption {
	return func(o *procOptions) { o.accept = accept }
}

// WithFlushOnStop makes a graceful stop (Run's context cancelled) publish
// every open window instead of leaving it to be rebuilt after a restart:
// stage 1 first consumes its inputs up to their end (its group's committed
// offsets reach the partitions' end offsets), then each stage-2 partition
// consumes the repartition topic up to its end, closes all its windows as
// Aggregator.Flush does, publishes them, checkpoints and commits. Events of
// those windows arriving later are late. This is for bounded inputs
// (demos, backfills, tests); a long-running processor should not flush, as
// every restart would then cut windows short. Each phase is bounded by the
// shutdown grace (see WithShutdownGrace); what does not finish in time is
// left as without the option.
func WithFlushOnStop() ProcessorOption {
	return func(o *procOptions) { o.flush = true }
}

// WithShutdownGrace bounds each phase of a stop: stage 2's last batch and,
// with WithFlushOnStop, the catching up of each stage. Default
// stream.DefaultShutdownGrace.
func WithShutdownGrace(d time.Duration) ProcessorOption {
	return func(o *procOptions) {
		if d > 0 {
			o.grace = d
		}
	}
}

// WithAggregatorHooks sends every stage-2 aggregator's telemetry (and stage
// 1's skipped events) to hs; they must be safe for concurrent use.
func WithAggregatorHooks(hs ...Hook) ProcessorOption {
	return func(o *procOptions) { o.hooks = append(o.hooks, hs...) }
}

// WithStreamHooks sends both stages' consumer and loop telemetry to h.
func WithStreamHooks(h stream.Hooks) ProcessorOption {
	return func(o *procOptions) { o.shooks = h }
}

// WithLogger logs claim changes and errors (never event contents).
func WithLogger(l *slog.Logger) ProcessorOption {
	return func(o *procOptions) { o.log = l }
}

// HookEventSkipped is called by stage 1 for an event that is not
// aggregated and not an error: it names no contributor.
type HookEventSkipped interface {
	OnEventSkipped(reason error)
}

// Processor is an aggregate output over Kafka: stage 1 (input to
// repartition topic) and stage 2 (repartition topic to aggregate topic)
// running side by side. Replicas may run the same configuration; both
// stages share work through their consumer groups.
type Processor struct {
	cfg     ProcessorConfig
	o       procOptions
	stage1  *stream.Processor
	src     *kafkaio.Source
	out     *kafkaio.Sink
	ckpt    *kafkaio.Sink
	dialer  *kafka.Dialer
	client  *kafka.Client
	skipped []HookEventSkipped

	// drain is closed, with WithFlushOnStop, once stage 1 has stopped:
	// stage-2 handlers then consume to the end and flush.
	drain    chan struct{}
	mu       sync.Mutex
	flushing map[stream.TopicPartition]chan struct{} // closed when flushed
}

// NewProcessor validates c and builds both stages; sanitizer makes the
// output's sanitizer, whose result the dimensions are read from.
func NewProcessor(c ProcessorConfig, sanitizer SanitizerFactory, opts ...ProcessorOption) (*Processor, error) {
	if sanitizer == nil {
		return nil, errors.New("aggregate processor: a sanitizer is required (dimensions are read from sanitized events)")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	p := &Processor{cfg: c, o: procOptions{shooks: stream.NopHooks{}, log: slog.New(slog.DiscardHandler), grace: stream.DefaultShutdownGrace},
		drain: make(chan struct{}), flushing: map[stream.TopicPartition]chan struct{}{}}
	for _, o := range opts {
		o(&p.o)
	}
	for _, h := range p.o.hooks {
		if s, ok := h.(HookEventSkipped); ok {
			p.skipped = append(p.skipped, s)
		}
	}
	k1 := c.stageConfig(1)
	var err error
	p.stage1, err = kafkaio.NewProcessor(k1, stream.Config{},
		kafkaio.WithTransform("repartition", p.stage1Factory(sanitizer), "aggregate-projection/1"),
		kafkaio.WithHooks(p.o.shooks), kafkaio.WithLogger(p.o.log))
	if err != nil {
		return nil, fmt.Errorf("aggregate processor: stage 1: %w", err)
	}
	k2 := c.stageConfig(2)
	if err := k2.Validate(); err != nil {
		return nil, fmt.Errorf("aggregate processor: stage 2: %w", err)
	}
	if p.src, err = kafkaio.NewSource(&k2, p.o.shooks, p.o.log); err != nil {
		return nil, fmt.Errorf("aggregate processor: stage 2 source: %w", err)
	}
	if p.out, err = kafkaio.NewSink(&k2, kafkaio.OutputConfig{Name: "aggregate", Topic: c.AggregateTopic, Partitioning: kafkaio.PartitionKey}); err != nil {
		return nil, fmt.Errorf("aggregate processor: aggregate sink: %w", err)
	}
	if p.ckpt, err = kafkaio.NewSink(&k2, kafkaio.OutputConfig{Name: "checkpoint", Topic: c.CheckpointTopic, Partitioning: kafkaio.PartitionKey}); err != nil {
		return nil, fmt.Errorf("aggregate processor: checkpoint sink: %w", err)
	}
	if p.dialer, err = k2.Dialer(); err != nil {
		return nil, fmt.Errorf("aggregate processor: %w", err)
	}
	tr, err := k2.Transport()
	if err != nil {
		return nil, fmt.Errorf("aggregate processor: %w", err)
	}
	p.client = &kafka.Client{Addr: kafka.TCP(k2.Brokers...), Transport: tr, Timeout: 10 * time.Second}
	return p, nil
}

// Run runs both stages until ctx is cancelled (then each finishes its batch
// and returns nil; with WithFlushOnStop, both first catch up and stage 2
// publishes every open window) or one fails.
func (p *Processor) Run(ctx context.Context) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctx1, stop1 := context.WithCancel(context.WithoutCancel(ctx))
	defer stop1()
	stop2 := make(chan struct{})
	done1 := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() {
		defer close(done1)
		if errs[0] = p.stage1.Run(ctx1); errs[0] != nil {
			cancel()
		}
	})
	wg.Go(func() {
		hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
		defer cancelHard()
		go func() {
			select {
			case <-stop2:
			case <-hard.Done():
				return
			}
			t := time.NewTimer(p.o.grace)
			defer t.Stop()
			select {
			case <-t.C:
				cancelHard()
			case <-hard.Done():
			}
		}()
		if errs[1] = p.src.Run(hard, stop2, p.handle); errs[1] != nil {
			cancel()
		}
	})
	<-runCtx.Done()
	if p.o.flush && ctx.Err() != nil && errs0(done1, errs) == nil {
		p.catchUp(done1)
		stop1()
		<-done1
		if errs[0] == nil {
			p.flushAll()
		}
	}
	stop1()
	close(stop2)
	wg.Wait()
	if errs[0] != nil {
		errs[0] = fmt.Errorf("aggregate stage 1: %w", errs[0])
	}
	if errs[1] != nil {
		errs[1] = fmt.Errorf("aggregate stage 2: %w", errs[1])
	}
	return errors.Join(errs...)
}

// errs0 returns stage 1's error if it has already returned.
func errs0(done1 <-chan struct{}, errs []error) error {
	select {
	case <-done1:
		if errs[0] == nil {
			return errors.New("stage 1 stopped")
		}
		return errs[0]
	default:
		return nil
	}
}

// catchUp waits, within the grace period, until stage 1's group has
// committed every input partition up to its end.
func (p *Processor) catchUp(done1 <-chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), p.o.grace)
	defer cancel()
	for {
		ok, err := p.caughtUp(ctx, p.cfg.Kafka.GroupID, p.cfg.Kafka.Inputs)
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			p.o.log.Warn("aggregate: stage 1 did not reach the end of its inputs within the shutdown grace; open windows stay open", "err", err)
			return
		case <-done1:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// caughtUp reports whether group has committed every partition of topics
// at its end offset.
func (p *Processor) caughtUp(ctx context.Context, group string, topics []string) (bool, error) {
	meta, err := p.client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return false, err
	}
	req := map[string][]kafka.OffsetRequest{}
	parts := map[string][]int{}
	for _, t := range meta.Topics {
		if t.Error != nil {
			return false, t.Error
		}
		for _, pt := range t.Partitions {
			req[t.Name] = append(req[t.Name], kafka.FirstOffsetOf(pt.ID), kafka.LastOffsetOf(pt.ID))
			parts[t.Name] = append(parts[t.Name], pt.ID)
		}
	}
	lo, err := p.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: req})
	if err != nil {
		return false, err
	}
	of, err := p.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: parts})
	if err != nil {
		return false, err
	}
	if of.Error != nil {
		return false, of.Error
	}
	committed := map[string]map[int]int64{}
	for t, ps := range of.Topics {
		committed[t] = map[int]int64{}
		for _, pt := range ps {
			committed[t][pt.Partition] = pt.CommittedOffset
		}
	}
	for t, ps := range lo.Topics {
		for _, pt := range ps {
			if pt.Error != nil {
				return false, pt.Error
			}
			if pt.LastOffset > pt.FirstOffset && committed[t][pt.Partition] < pt.LastOffset {
				return false, nil
			}
		}
	}
	return true, nil
}

// flushAll tells stage-2 handlers to consume to the end and flush, and
// waits, within the grace period, until those running have.
func (p *Processor) flushAll() {
	close(p.drain)
	p.mu.Lock()
	var waits []chan struct{}
	for _, ch := range p.flushing {
		waits = append(waits, ch)
	}
	p.mu.Unlock()
	t := time.NewTimer(p.o.grace)
	defer t.Stop()
	for _, ch := range waits {
		select {
		case <-ch:
		case <-t.C:
			p.o.log.Warn("aggregate: stage 2 did not flush every partition within the shutdown grace; their open windows stay open")
			return
		}
	}
}

// endOffset returns the end offset of a repartition partition.
func (p *Processor) endOffset(ctx context.Context, tp stream.TopicPartition) (int64, error) {
	lo, err := p.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{tp.Topic: {kafka.LastOffsetOf(int(tp.Partition))}}})
	if err != nil {
		return 0, err
	}
	for _, pt := range lo.Topics[tp.Topic] {
		if pt.Partition == int(tp.Partition) {
			return pt.LastOffset, pt.Error
		}
	}
	return 0, fmt.Errorf("no end offset for %s", tp)
}

// Close closes the writers of both stages.
func (p *Processor) Close() error {
	return errors.Join(p.stage1.Close(), p.out.Close(), p.ckpt.Close())
}

// stage1Factory makes the stage-1 Transform: sanitize, extract, project.
func (p *Processor) stage1Factory(sanitizer SanitizerFactory) stream.TransformFactory {
	return func() (stream.Transform, error) {
		san, err := sanitizer()
		if err != nil {
			return nil, err
		}
		x, err := NewExtractor(p.cfg.Aggregate)
		if err != nil {
			return nil, err
		}
		var pidx []int
		for _, name := range p.cfg.PartitionBy {
			pidx = append(pidx, slices.IndexFunc(p.cfg.Aggregate.Dimensions, func(d Dimension) bool { return d.Name == name }))
		}
		var buf, key []byte
		keyDims := make([][]byte, len(pidx))
		return stream.TransformFunc(func(dst []byte, rec *stream.Record) ([]byte, stream.Meta, error) {
			if p.o.accept != nil && !p.o.accept(rec.Topic) {
				return dst, stream.Meta{Skip: true}, nil
			}
			var err error
			buf, err = san(buf[:0], rec.Value)
			if err != nil {
				return dst, stream.Meta{}, &stream.Reject{Reason: "aggregate: event could not be sanitized"}
			}
			ev, err := x.Extract(rec.Value, buf, rec.Time)
			if errors.Is(err, ErrNoContributor) {
				for _, h := range p.skipped {
					h.OnEventSkipped(err)
				}
				return dst, stream.Meta{Skip: true}, nil
			}
			if err != nil {
				return dst, stream.Meta{}, &stream.Reject{Reason: "aggregate: event time or fields unreadable"}
			}
			for i, j := range pidx {
				keyDims[i] = ev.Dims[j]
			}
			key = append(appendCohortKey(key[:0], keyDims), 'k') // never empty
			return appendProjection(dst, &ev), stream.Meta{SetKey: true, Key: key}, nil
		}), nil
	}
}

// checkpoint is the value of a checkpoint record.
type checkpoint struct {
	Watermark time.Time `json:"watermark"`
	Offset    int64     `json:"offset"`
}

func (p *Processor) checkpointKey(tp stream.TopicPartition) []byte {
	return []byte(tp.Topic + "/" + strconv.Itoa(int(tp.Partition)))
}

// readCheckpoint returns the last checkpoint of tp, reading the whole
// checkpoint topic (it is compacted: one record per repartition partition).
func (p *Processor) readCheckpoint(ctx context.Context, tp stream.TopicPartition) (checkpoint, bool, error) {
	want := p.checkpointKey(tp)
	var last []byte
	var err error
	var parts []kafka.Partition
	for _, b := range p.cfg.Kafka.Brokers {
		if parts, err = p.dialer.LookupPartitions(ctx, "tcp", b, p.cfg.CheckpointTopic); err == nil {
			break
		}
	}
	if err != nil {
		return checkpoint{}, false, fmt.Errorf("looking up %s: %w", p.cfg.CheckpointTopic, err)
	}
	for _, part := range parts {
		v, err := p.scanCheckpoints(ctx, part.ID, want)
		if err != nil {
			return checkpoint{}, false, err
		}
		if v != nil {
			last = v
		}
	}
	if last == nil {
		return checkpoint{}, false, nil
	}
	var c checkpoint
	if err := json.Unmarshal(last, &c); err != nil {
		return checkpoint{}, false, fmt.Errorf("checkpoint of %s: %w", tp, err)
	}
	return c, true, nil
}

func (p *Processor) scanCheckpoints(ctx context.Context, part int, want []byte) ([]byte, error) {
	var conn *kafka.Conn
	var err error
	for _, b := range p.cfg.Kafka.Brokers {
		if conn, err = p.dialer.DialLeader(ctx, "tcp", b, p.cfg.CheckpointTopic, part); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dialing %s/%d: %w", p.cfg.CheckpointTopic, part, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	first, last, err := conn.ReadOffsets()
	if err != nil {
		return nil, fmt.Errorf("offsets of %s/%d: %w", p.cfg.CheckpointTopic, part, err)
	}
	if first >= last {
		return nil, nil
	}
	if _, err := conn.Seek(first, kafka.SeekAbsolute); err != nil {
		return nil, fmt.Errorf("seeking %s/%d: %w", p.cfg.CheckpointTopic, part, err)
	}
	var found []byte
	for next := first; next < last; {
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		b := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: kafkaio.MaxBatchBytes, MaxWait: 200 * time.Millisecond})
		n := 0
		for {
			m, err := b.ReadMessage()
			if err != nil {
				break
			}
			n++
			next = m.Offset + 1
			if string(m.Key) == string(want) {
				found = m.Value
			}
		}
		if err := b.Close(); err != nil {
			return nil, fmt.Errorf("reading %s/%d: %w", p.cfg.CheckpointTopic, part, err)
		}
		if n == 0 {
			break
		}
	}
	return found, nil
}

// handle runs stage 2 on one repartition partition: aggregate, publish
// closed windows, checkpoint the watermark, commit past published windows.
func (p *Processor) handle(ctx context.Context, c stream.Claim) error {
	tp := c.Partition()
	opts := append([]Option{WithHooks(p.o.hooks...)}, p.o.aopts...)
	if len(p.cfg.PartitionBy) > 0 {
		opts = append(opts, withoutOther())
	}
	agg, err := New(p.cfg.Aggregate, opts...)
	if err != nil {
		return err
	}
	defer agg.Close()
	flushed := make(chan struct{})
	p.mu.Lock()
	p.flushing[tp] = flushed
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		if p.flushing[tp] == flushed {
			delete(p.flushing, tp)
		}
		p.mu.Unlock()
	}()
	ck, ok, err := p.readCheckpoint(ctx, tp)
	if err != nil {
		return fmt.Errorf("aggregate: reading the checkpoint of %s: %w", tp, err)
	}
	if ok {
		if err := agg.Restore(ck.Watermark); err != nil {
			return err
		}
		p.o.log.Info("aggregate partition resumed", "partition", tp.String(), "offset", c.Start(), "watermark", ck.Watermark)
	}
	size := int64(p.cfg.Aggregate.Window)
	first := map[int64]int64{} // open window start -> first offset in it
	committed := c.Start()
	pos := c.Start() // next offset to process
	ev := Event{Dims: make([][]byte, len(p.cfg.Aggregate.Dimensions)), Metrics: make([]float64, len(p.cfg.Aggregate.Metrics))}
	var recs []Record
	var out []stream.OutRecord
	var arena []byte
	var applied appliedInputs
	drain := p.drain
	end := int64(-1) // with drain: the end offset to reach before flushing
	for {
		if end >= 0 && pos >= end {
			// Drained: close every window, publish, checkpoint, commit.
			agg.Flush()
			clear(first)
			if err := p.publish(ctx, c, agg, &recs, &out, &arena, pos, &committed, true); err != nil {
				return lostOK(err)
			}
			close(flushed)
			end = -1
		}
		var b *stream.Batch
		select {
		case <-c.Stopping():
			return nil
		case <-drain:
			drain = nil
			if end, err = p.endOffset(ctx, tp); err != nil {
				p.o.log.Warn("aggregate: end offset unknown; not flushing", "partition", tp.String(), "err", err)
				end = -1
			}
			continue
		case nb, ok := <-c.Batches():
			if !ok {
				return nil
			}
			b = nb
		}
		for i := range b.Records {
			r := &b.Records[i]
			if applied.seen(r.Headers) {
				// A copy stage 1 wrote again after a crash or a rebalance
				// (it replays its last uncommitted batch): counted once.
				continue
			}
			if err := decodeProjection(r.Value, &ev); err != nil {
				p.o.log.Warn("aggregate: skipping a malformed repartition record", "partition", tp.String(), "offset", r.Offset)
				continue
			}
			start := floorDiv(ev.Time.UnixNano(), size) * size
			if err := agg.Add(ev); err != nil {
				continue // late (counted by the hook) or unusable
			}
			if _, ok := first[start]; !ok {
				first[start] = r.Offset
			}
		}
		next := b.NextOffset()
		pos = next
		c.Release(b)
		if err := agg.Err(); err != nil {
			return err
		}
		wm := agg.Watermark().UnixNano()
		closed := false
		commit := next
		for s, off := range first {
			if s+size <= wm {
				delete(first, s)
				closed = true
			} else if off < commit {
				commit = off
			}
		}
		if err := p.publish(ctx, c, agg, &recs, &out, &arena, commit, &committed, closed); err != nil {
			return lostOK(err)
		}
	}
}

// appliedInputs remembers, per input partition of stage 1, the highest
// input offset a repartition partition applied. Stage 1 writes each input
// partition's projections to a repartition partition in input order, and
// after a crash or a rebalance writes its last uncommitted batch again:
// those copies carry input offsets already seen, and are skipped. After a
// restart of stage 2 the memory starts empty, which is safe: it replays
// from the first offset of its oldest open window, so the first copy of
// every record it meets again comes before any later copy, and copies of
// records before that point fall in closed windows and are refused as
// late.
type appliedInputs struct {
	byTopic map[string]map[int32]int64
}

// seen reports whether the record with the lineage headers h repeats an
// input offset already applied, and notes it otherwise. Records without
// lineage are never taken for copies.
func (a *appliedInputs) seen(h []stream.Header) bool {
	var topic, part, off []byte
	for i := range h {
		switch h[i].Key {
		case stream.HeaderSourceTopic:
			topic = h[i].Value
		case stream.HeaderSourcePartition:
			part = h[i].Value
		case stream.HeaderSourceOffset:
			off = h[i].Value
		}
	}
	pn, ok1 := parseDecimal(part)
	on, ok2 := parseDecimal(off)
	if topic == nil || !ok1 || !ok2 {
		return false
	}
	if a.byTopic == nil {
		a.byTopic = map[string]map[int32]int64{}
	}
	parts := a.byTopic[string(topic)]
	if parts == nil {
		parts = map[int32]int64{}
		a.byTopic[string(topic)] = parts
	}
	if last, ok := parts[int32(pn)]; ok && on <= last {
		return true
	}
	parts[int32(pn)] = on
	return false
}

// parseDecimal reads a non-negative decimal integer of at most 18 digits.
func parseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// publish writes the records of the windows agg closed (when closed), the
// partition's checkpoint, and commits commit if it moved forward. A lost
// claim is an error wrapping stream.ErrClaimLost.
func (p *Processor) publish(ctx context.Context, c stream.Claim, agg *Aggregator, recs *[]Record, out *[]stream.OutRecord, arena *[]byte, commit int64, committed *int64, closed bool) error {
	tp := c.Partition()
	*recs = agg.Drain((*recs)[:0])
	if closed {
		o, a := (*out)[:0], (*arena)[:0]
		for i := range *recs {
			r := &(*recs)[i]
			k := len(a)
			a = r.AppendKey(a)
			v := len(a)
			a = r.AppendJSON(a)
			o = append(o, stream.OutRecord{Key: a[k:v:v], Value: a[v:], Source: tp, Time: r.End})
		}
		*out, *arena = o, a
		if len(o) > 0 {
			if err := p.out.Write(ctx, o); err != nil {
				return fmt.Errorf("aggregate: publishing %d records of %s: %w", len(o), tp, err)
			}
		}
		val, _ := json.Marshal(checkpoint{Watermark: agg.Watermark(), Offset: commit})
		if err := p.ckpt.Write(ctx, []stream.OutRecord{{Key: p.checkpointKey(tp), Value: val, Source: tp, Time: time.Now()}}); err != nil {
			return fmt.Errorf("aggregate: checkpointing %s: %w", tp, err)
		}
	}
	if commit > *committed {
		if err := c.Commit(ctx, commit); err != nil {
			return fmt.Errorf("aggregate: committing %s at %d: %w", tp, commit, err)
		}
		*committed = commit
	}
	return nil
}

// lostOK ends a handler quietly when its claim was lost (another member
// has the partition now).
func lostOK(err error) error {
	if errors.Is(err, stream.ErrClaimLost) {
		return nil
	}
	return err
}
