package kafkaio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/stream"
)

// Source consumes the input topics in a consumer group and hands each
// assigned partition to the processing loop as a stream.Claim.
type Source struct {
	cfg    *Config
	conn   *connector
	hooks  stream.Hooks
	log    *slog.Logger
	tokens chan struct{}
	pool   sync.Pool // *stream.Batch
}

// NewSource returns a Source for c, which must have been validated. hooks
// and log may be nil.
func NewSource(c *Config, hooks stream.Hooks, log *slog.Logger) (*Source, error) {
	cn, err := newConnector(c)
	if err != nil {
		return nil, err
	}
	return newSource(c, cn, hooks, log), nil
}

func newSource(c *Config, cn *connector, hooks stream.Hooks, log *slog.Logger) *Source {
	if hooks == nil {
		hooks = stream.NopHooks{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Source{
		cfg:    c,
		conn:   cn,
		hooks:  hooks,
		log:    log,
		tokens: make(chan struct{}, c.Consumer.MaxInFlightBatches),
	}
	s.pool.New = func() any { return new(stream.Batch) }
	return s
}

// Run implements stream.Source.
func (s *Source) Run(ctx context.Context, stop <-chan struct{}, h stream.ClaimHandler) error {
	start := kafka.FirstOffset
	if s.cfg.StartOffset == StartLatest {
		start = kafka.LastOffset
	}
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                     s.cfg.GroupID,
		Brokers:                s.cfg.Brokers,
		Dialer:                 s.conn.dialer(),
		Topics:                 s.cfg.Inputs,
		GroupBalancers:         []kafka.GroupBalancer{kafka.RangeGroupBalancer{}, kafka.RoundRobinGroupBalancer{}},
		HeartbeatInterval:      s.cfg.Consumer.HeartbeatInterval,
		SessionTimeout:         s.cfg.Consumer.SessionTimeout,
		RebalanceTimeout:       s.cfg.Consumer.RebalanceTimeout,
		JoinGroupBackoff:       time.Second,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
		StartOffset:            start,
		ErrorLogger: kafka.LoggerFunc(func(msg string, args ...any) {
			s.log.Debug("kafka-go consumer group: " + fmt.Sprintf(msg, args...))
		}),
	})
	if err != nil {
		return fmt.Errorf("kafka source: creating consumer group %s: %w", s.cfg.GroupID, err)
	}

	// quit closes on stop or on the first fatal claim error.
	quit := make(chan struct{})
	var quitOnce sync.Once
	var fatalMu sync.Mutex
	var fatal error
	fail := func(err error) {
		fatalMu.Lock()
		if fatal == nil {
			fatal = err
		}
		fatalMu.Unlock()
		quitOnce.Do(func() { close(quit) })
	}
	go func() {
		select {
		case <-stop:
			quitOnce.Do(func() { close(quit) })
		case <-quit:
		}
	}()
	nextCtx, cancelNext := context.WithCancel(ctx)
	defer cancelNext()
	go func() {
		select {
		case <-quit:
		case <-nextCtx.Done():
		}
		cancelNext()
	}()

	for {
		gen, err := cg.Next(nextCtx)
		if err != nil {
			if nextCtx.Err() != nil {
				break
			}
			s.log.Warn("joining consumer group failed; retrying", "group", s.cfg.GroupID, "err", err)
			if gh, ok := s.hooks.(GroupHooks); ok {
				gh.GroupJoinFailed(s.cfg.GroupID, err)
			}
			continue
		}
		s.log.Info("consumer group generation", "group", s.cfg.GroupID, "generation", gen.ID, "member", gen.MemberID)
		if gh, ok := s.hooks.(GroupHooks); ok {
			gh.GroupJoined(s.cfg.GroupID, int(gen.ID))
		}
		cm := &committer{gen: gen, reqs: make(chan commitReq, 64), quit: make(chan struct{})}
		go cm.loop()
		var claims sync.WaitGroup
		for topic, parts := range gen.Assignments {
			for _, pa := range parts {
				c := &claim{
					src:      s,
					commits:  cm,
					tp:       stream.TopicPartition{Topic: topic, Partition: int32(pa.ID)},
					start:    pa.Offset,
					batches:  make(chan *stream.Batch, 1),
					stopping: make(chan struct{}),
				}
				claims.Add(1)
				gen.Start(func(genCtx context.Context) {
					defer claims.Done()
					if err := c.run(ctx, genCtx, quit, h); err != nil {
						fail(err)
					}
				})
			}
		}
		// The committer outlives the generation's heartbeat: claims drain and
		// commit after kafka-go has signalled the generation's end.
		go func() {
			claims.Wait()
			close(cm.quit)
		}()
	}

	// Close waits for the claims of the current generation to drain and
	// commit, then leaves the group. Past the hard deadline it is left to
	// finish in the background.
	closed := make(chan struct{})
	go func() {
		_ = cg.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-ctx.Done():
	}
	fatalMu.Lock()
	defer fatalMu.Unlock()
	return fatal
}

// claim is one assigned partition.
type claim struct {
	src      *Source
	commits  *committer
	tp       stream.TopicPartition
	start    int64
	batches  chan *stream.Batch
	stopping chan struct{}

	stopOnce    sync.Once
	cancelFetch context.CancelFunc
	mu          sync.Mutex
	conn        *kafka.Conn
}

func (c *claim) Partition() stream.TopicPartition { return c.tp }
func (c *claim) Start() int64                     { return c.start }
func (c *claim) Batches() <-chan *stream.Batch    { return c.batches }
func (c *claim) Stopping() <-chan struct{}        { return c.stopping }
func (c *claim) Release(b *stream.Batch)          { c.src.release(b) }
func (c *claim) setConn(conn *kafka.Conn)         { c.mu.Lock(); c.conn = conn; c.mu.Unlock() }
func (c *claim) stopped() bool                    { return isClosed(c.stopping) }
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Commit commits next through the generation that assigned the partition.
func (c *claim) Commit(ctx context.Context, next int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("kafka source: not committing %s at %d: %w", c.tp, next, err)
	}
	err := c.commits.commit(ctx, c.tp, next)
	if err == nil {
		return nil
	}
	var kerr kafka.Error
	if ctx.Err() != nil || errors.As(err, &kerr) && (kerr == kafka.GroupAuthorizationFailed || kerr == kafka.TopicAuthorizationFailed) {
		return fmt.Errorf("kafka source: committing %s at %d: %w", c.tp, next, err)
	}
	// The generation is over (rebalance, fenced member, lost coordinator):
	// the partition's next owner re-processes the batch.
	return fmt.Errorf("kafka source: committing %s at %d: %w: %w", c.tp, next, stream.ErrClaimLost, err)
}

// committer sends the commits of one generation's claims one request at a
// time, merging those that queue up meanwhile. kafka-go's Conn spins when
// several goroutines wait for responses on it, and the generation's
// coordinator connection also carries the heartbeats: concurrent commits from
// many partitions would delay heartbeats until the group fences the member.
type committer struct {
	gen  *kafka.Generation
	reqs chan commitReq
	quit chan struct{}
}

type commitReq struct {
	tp   stream.TopicPartition
	next int64
	done chan error
}

func (cm *committer) commit(ctx context.Context, tp stream.TopicPartition, next int64) error {
	r := commitReq{tp: tp, next: next, done: make(chan error, 1)}
	select {
	case cm.reqs <- r:
	case <-cm.quit:
		return errors.New("generation over")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (cm *committer) loop() {
	var batch []commitReq
	for {
		batch = batch[:0]
		select {
		case r := <-cm.reqs:
			batch = append(batch, r)
		case <-cm.quit:
			return
		}
	drain:
		for {
			select {
			case r := <-cm.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		offsets := map[string]map[int]int64{}
		for _, r := range batch {
			m := offsets[r.tp.Topic]
			if m == nil {
				m = map[int]int64{}
				offsets[r.tp.Topic] = m
			}
			m[int(r.tp.Partition)] = max(m[int(r.tp.Partition)], r.next)
		}
		err := cm.gen.CommitOffsets(offsets)
		for _, r := range batch {
			r.done <- err
		}
	}
}

// run owns the claim for the life of its generation: it resolves the start
// offset, runs the fetch loop and the handler, and cleans up.
func (c *claim) run(ctx, genCtx context.Context, quit <-chan struct{}, h stream.ClaimHandler) error {
	fetchCtx, cancelFetch := context.WithCancel(ctx)
	defer cancelFetch()
	c.cancelFetch = cancelFetch
	ended := make(chan struct{}) // run is returning
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		select {
		case <-genCtx.Done():
		case <-quit:
		case <-ctx.Done():
		case <-ended:
		}
		c.stop()
	}()
	defer func() {
		close(ended)
		<-watchDone
	}()

	if err := c.resolveStart(fetchCtx); err != nil {
		if c.stopped() {
			return nil
		}
		return err
	}
	var fetchWG sync.WaitGroup
	fetchWG.Go(func() { c.fetchLoop(fetchCtx) })
	err := h(ctx, c)
	// A handler that returns on its own (error or lost claim) ends the
	// claim; kafka-go then ends the generation, as it does when any function
	// started on it returns.
	c.stop()
	fetchWG.Wait()
	for b := range c.batches {
		c.src.release(b)
	}
	if err != nil && !errors.Is(err, stream.ErrClaimLost) {
		return err
	}
	return nil
}

// stop closes Stopping, ends the fetch loop and interrupts a fetch waiting on
// the broker.
func (c *claim) stop() {
	c.stopOnce.Do(func() { close(c.stopping) })
	c.cancelFetch()
	c.mu.Lock()
	if c.conn != nil {
		c.conn.Close()
	}
	c.mu.Unlock()
}

// dial connects to the partition leader, retrying with backoff until it
// succeeds or ctx ends.
func (c *claim) dial(ctx context.Context) (*kafka.Conn, error) {
	d := c.src.conn.dialer()
	for attempt := 0; ; attempt++ {
		var conn *kafka.Conn
		var err error
		for _, b := range c.src.cfg.Brokers {
			if conn, err = d.DialLeader(ctx, "tcp", b, c.tp.Topic, int(c.tp.Partition)); err == nil {
				c.setConn(conn)
				if c.stopped() {
					conn.Close()
					return nil, ctx.Err()
				}
				return conn, nil
			}
		}
		c.src.log.Warn("connecting to partition leader failed; retrying", "partition", c.tp.String(), "err", err)
		if !sleep(ctx, backoff(attempt)) {
			return nil, fmt.Errorf("kafka source: connecting to the leader of %s: %w", c.tp, err)
		}
	}
}

// resolveStart turns a relative start offset (no commit yet) into an
// absolute one, and moves a committed offset that retention has deleted to
// the first retained one.
func (c *claim) resolveStart(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		conn, err := c.dial(ctx)
		if err != nil {
			return err
		}
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		first, last, err := conn.ReadOffsets()
		_ = conn.SetDeadline(time.Time{})
		if err == nil {
			switch {
			case c.start == kafka.LastOffset:
				c.start = last
			case c.start < first:
				if c.start >= 0 {
					c.src.log.Warn("committed offset no longer retained; starting at the first retained offset",
						"partition", c.tp.String(), "committed", c.start, "first", first)
				}
				c.start = first
			}
			return nil
		}
		conn.Close()
		c.setConn(nil)
		if !sleep(ctx, backoff(attempt)) {
			return fmt.Errorf("kafka source: reading offsets of %s: %w", c.tp, err)
		}
	}
}

// fetchLoop fetches batches from next on and hands them to the handler, each
// holding one in-flight token until released.
func (c *claim) fetchLoop(ctx context.Context) {
	defer close(c.batches)
	s := c.src
	next := c.start
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	errs := 0
	for !c.stopped() {
		if conn == nil {
			var err error
			if conn, err = c.dial(ctx); err != nil {
				return
			}
		}
		b := s.pool.Get().(*stream.Batch)
		b.Source = c.tp
		err := c.fetch(conn, next, b)
		if err != nil || len(b.Records) == 0 {
			s.recycle(b)
		}
		if c.stopped() {
			return
		}
		if err != nil {
			switch {
			case errors.Is(err, kafka.OffsetOutOfRange):
				_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
				first, last, oerr := conn.ReadOffsets()
				_ = conn.SetDeadline(time.Time{})
				if oerr == nil && (next < first || next > last) {
					s.log.Warn("offset out of range; continuing at the first retained offset",
						"partition", c.tp.String(), "offset", next, "first", first, "last", last)
					next = first
					continue
				}
			case errors.Is(err, kafka.RequestTimedOut):
				continue
			}
			var kerr kafka.Error
			if !errors.As(err, &kerr) || errors.Is(err, kafka.NotLeaderForPartition) || errors.Is(err, kafka.UnknownTopicOrPartition) {
				conn.Close()
				conn = nil
			}
			s.log.Warn("fetch failed; retrying", "partition", c.tp.String(), "offset", next, "err", err)
			errs++
			if !sleep(ctx, backoff(errs)) {
				return
			}
			continue
		}
		errs = 0
		if len(b.Records) == 0 {
			continue
		}
		// Wait for an in-flight slot: this is where a slow output stops
		// fetching.
		select {
		case s.tokens <- struct{}{}:
		case <-c.stopping:
			s.recycle(b)
			return
		}
		next = b.NextOffset()
		s.hooks.Fetched(c.tp, len(b.Records), b.Bytes, b.HighWater-next)
		select {
		case c.batches <- b:
		case <-c.stopping:
			s.release(b)
			return
		}
	}
}

// fetch reads one fetch response from offset next into b, at most
// consumer.batch_records records.
func (c *claim) fetch(conn *kafka.Conn, next int64, b *stream.Batch) error {
	cc := &c.src.cfg.Consumer
	if _, err := conn.Seek(next, kafka.SeekAbsolute|kafka.SeekDontCheck); err != nil {
		return err
	}
	_ = conn.SetReadDeadline(time.Now().Add(cc.FetchMaxWait + 10*time.Second))
	kb := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: cc.FetchMaxBytes, MaxWait: cc.FetchMaxWait})
	arena := b.HeaderStore[:0]
	for len(b.Records) < cc.BatchRecords {
		m, err := kb.ReadMessage()
		if err != nil {
			break
		}
		if m.Offset < next {
			continue
		}
		h := len(arena)
		for _, x := range m.Headers {
			arena = append(arena, stream.Header{Key: x.Key, Value: x.Value})
		}
		b.Records = append(b.Records, stream.Record{
			Topic:     c.tp.Topic,
			Partition: c.tp.Partition,
			Offset:    m.Offset,
			Key:       m.Key,
			Value:     m.Value,
			Headers:   arena[h:len(arena):len(arena)],
			Time:      m.Time,
		})
		b.Bytes += len(m.Key) + len(m.Value)
	}
	b.HighWater = kb.HighWaterMark()
	err := kb.Close()
	_ = conn.SetReadDeadline(time.Time{})
	b.HeaderStore = arena
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// recycle empties b and puts it back in the pool.
func (s *Source) recycle(b *stream.Batch) {
	clear(b.HeaderStore)
	clear(b.Records)
	b.Records, b.HeaderStore, b.Bytes, b.HighWater = b.Records[:0], b.HeaderStore[:0], 0, 0
	s.pool.Put(b)
}

// release ends the in-flight time of a fetched batch.
func (s *Source) release(b *stream.Batch) {
	tp, n := b.Source, len(b.Records)
	s.recycle(b)
	s.hooks.Released(tp, n)
	<-s.tokens
}

func backoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << min(attempt, 6)
	return min(d, 2*time.Second)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
