package natsio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/stream"
)

// HeaderKey carries the record key: NATS messages have no key of their own.
// It is absent when the record has none.
const HeaderKey = "veil-key"

// ErrClosed is returned (wrapped) by Write after Close.
var ErrClosed = errors.New("nats sink: closed")

// Backoff between attempts of a Write: it doubles from the first value to
// the cap.
const (
	retryBackoffMin = 50 * time.Millisecond
	retryBackoffMax = 2 * time.Second
)

// Option configures NewSink.
type Option func(*options)

type options struct {
	log *slog.Logger
}

// WithLogger logs connection changes, retries and stream setup to l. No
// event content and no secret is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// Sink publishes one output's records to a JetStream stream. It implements
// stream.Sink and stream.Resumer. It is safe for concurrent use.
type Sink struct {
	cfg      Config
	subject  subjectTemplate
	nc       *nats.Conn
	js       jetstream.JetStream
	st       jetstream.Stream
	pubOpts  []jetstream.PublishOpt
	streamHV []string // the Nats-Expected-Stream header value, shared read-only
	slots    chan struct{}
	gone     chan struct{} // closed when the connection is closed for good
	log      *slog.Logger

	bufs sync.Pool // *msgBuf

	closeOnce sync.Once
	closeErr  error
	reordered atomic.Int64
}

// NewSink validates c, connects to the servers, finds the stream (creating
// it when c.CreateStream.Enabled and it is missing) and checks that the
// stream captures every subject of c.Subject. ctx bounds the stream lookup.
func NewSink(ctx context.Context, c Config, opts ...Option) (*Sink, error) {
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tmpl, err := parseSubject(c.Subject)
	if err != nil {
		return nil, fmt.Errorf("nats config: subject: %w", err)
	}
	tc, err := c.TLS.build()
	if err != nil {
		return nil, err
	}
	authOpts, err := c.Auth.options()
	if err != nil {
		return nil, err
	}
	s := &Sink{
		cfg:      c,
		subject:  tmpl,
		pubOpts:  []jetstream.PublishOpt{jetstream.WithRetryAttempts(0)},
		streamHV: []string{c.Stream},
		slots:    make(chan struct{}, c.MaxInFlight),
		gone:     make(chan struct{}),
		log:      o.log.With("stream", c.Stream),
	}
	s.bufs.New = func() any { return new(msgBuf) }
	nopts := []nats.Option{
		nats.Name(c.Name),
		nats.Timeout(c.ConnectTimeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		// No reconnect buffer: a record published while the connection is
		// down fails at once and is retried by Write once the stream
		// answers, instead of being sent blindly on reconnection, perhaps
		// to a stream still recovering that would refuse it and store a
		// later one.
		nats.ReconnectBufSize(-1),
		nats.DrainTimeout(c.PublishTimeout + time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				s.log.Warn("nats: disconnected", "error", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			s.log.Info("nats: reconnected", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			s.log.Warn("nats: asynchronous error", "error", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(s.gone) }),
	}
	if tc != nil {
		nopts = append(nopts, nats.Secure(tc))
	}
	nopts = append(nopts, authOpts...)
	nc, err := nats.Connect(strings.Join(c.URLs, ","), nopts...)
	if err != nil {
		return nil, connectError(&c, err)
	}
	s.nc = nc
	fail := func(err error) (*Sink, error) {
		nc.Close()
		return nil, err
	}
	s.js, err = jetstream.New(nc, jetstream.WithPublishAsyncTimeout(c.PublishTimeout), jetstream.WithPublishAsyncMaxPending(c.MaxInFlight))
	if err != nil {
		return fail(fmt.Errorf("nats sink %s: %w", c.Stream, err))
	}
	if s.st, err = s.ensureStream(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// connectError says why the first connection failed, without secrets.
func connectError(c *Config, err error) error {
	urls := make([]string, len(c.URLs))
	for i, u := range c.URLs {
		urls[i] = redactURL(u)
	}
	where := strings.Join(urls, ",")
	switch {
	case errors.Is(err, nats.ErrAuthorization):
		return fmt.Errorf("nats sink: connecting to %s: the server refused the credentials (auth %s): %w", where, c.Auth.String(), err)
	case clientCertRefused(err):
		// The server, not this client, ended the handshake: with mutual TLS,
		// over the client certificate. tls.ca_file is not the one to check.
		return fmt.Errorf("nats sink: connecting to %s: the server refused this client's TLS certificate (check tls.cert_file and tls.key_file, and that the server trusts their CA): %w", where, err)
	case strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "tls:"):
		return fmt.Errorf("nats sink: connecting to %s: TLS handshake failed (check tls.ca_file and tls.server_name): %w", where, err)
	}
	return fmt.Errorf("nats sink: connecting to %s: %w", where, err)
}

// clientCertRefused reports whether err is the server ending the TLS
// handshake over the client's certificate: a certificate alert from the
// server, or (nats.go's reading when the alert is lost) the connection
// closed by the server right after the handshake.
func clientCertRefused(err error) bool {
	msg := err.Error()
	if i := strings.Index(msg, "remote error: tls: "); i >= 0 {
		return strings.Contains(msg[i:], "certificate")
	}
	return errors.Is(err, nats.ErrTLS) && strings.Contains(msg, "closed by remote after TLS handshake")
}

// ensureStream finds the stream, creating it if allowed, and checks that it
// takes the sink's subjects.
func (s *Sink) ensureStream(ctx context.Context) (jetstream.Stream, error) {
	c := &s.cfg
	st, err := s.js.Stream(ctx, c.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if !c.CreateStream.Enabled {
			return nil, fmt.Errorf("nats sink: stream %q does not exist; create it or set create_stream.enabled", c.Stream)
		}
		cs := &c.CreateStream
		sc := jetstream.StreamConfig{
			Name:       c.Stream,
			Subjects:   cs.Subjects,
			Retention:  jetstream.LimitsPolicy,
			Discard:    jetstream.DiscardOld,
			Storage:    jetstream.FileStorage,
			Replicas:   cs.Replicas,
			MaxAge:     cs.MaxAge,
			MaxBytes:   -1,
			MaxMsgs:    -1,
			Duplicates: cs.DuplicateWindow,
		}
		if cs.Storage == StorageMemory {
			sc.Storage = jetstream.MemoryStorage
		}
		if cs.MaxBytes > 0 {
			sc.MaxBytes = cs.MaxBytes
		}
		st, err = s.js.CreateStream(ctx, sc)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			st, err = s.js.Stream(ctx, c.Stream) // created concurrently
		}
		if err == nil {
			s.log.Info("nats: created stream", "subjects", cs.Subjects, "storage", cs.Storage, "replicas", cs.Replicas)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("nats sink: stream %q: %w", c.Stream, err)
	}
	info := st.CachedInfo()
	if info.Config.Mirror != nil {
		return nil, fmt.Errorf("nats sink: stream %q is a mirror and cannot be published to", c.Stream)
	}
	if p := s.subject.pattern(); !covered(p, info.Config.Subjects) {
		return nil, fmt.Errorf("nats sink: stream %q captures %q, which do not cover the subjects %q of template %q",
			c.Stream, info.Config.Subjects, p, c.Subject)
	}
	s.log.Info("nats: publishing", "subject", c.Subject, "duplicate_window", info.Config.Duplicates)
	return st, nil
}

// Stream returns the name of the stream the sink publishes to.
func (s *Sink) Stream() string { return s.cfg.Stream }

// Subject returns the subject records from src are published to.
func (s *Sink) Subject(src stream.TopicPartition) string {
	return string(s.subject.append(nil, src.Topic, src.Partition))
}

// MsgID returns the Nats-Msg-Id of the record from src at offset:
// msg_id_prefix, the source topic, partition and offset joined by '-'.
// Partition and offset are decimal, so the ID reads back unambiguously from
// its end.
func (s *Sink) MsgID(src stream.TopicPartition, offset int64) string {
	return string(s.appendMsgID(nil, src, offset))
}

func (s *Sink) appendMsgID(dst []byte, src stream.TopicPartition, offset int64) []byte {
	dst = append(dst, s.cfg.MsgIDPrefix...)
	dst = append(dst, src.Topic...)
	dst = append(dst, '-')
	dst = strconv.AppendInt(dst, int64(src.Partition), 10)
	dst = append(dst, '-')
	return strconv.AppendInt(dst, offset, 10)
}

// Reordered counts records that the stream stored before an earlier record
// of the same source partition (see the package documentation, Ordering).
func (s *Sink) Reordered() int64 { return s.reordered.Load() }

// String describes the sink (its config, redacted) for logs.
func (s *Sink) String() string { return "nats sink " + s.cfg.String() }

// Write publishes recs and returns once the stream acknowledged every one of
// them. Records are published asynchronously, at most max_in_flight at a
// time across the sink, and acknowledgements are awaited in order. When a
// record fails with a transient error, the Write waits for the records
// still in flight, backs off and publishes again from the first failed
// record on; records already stored are dropped by the stream as duplicates
// of their Nats-Msg-Id. It gives up after retry_timeout, at once on a
// permanent error, and when ctx is done.
func (s *Sink) Write(ctx context.Context, recs []stream.OutRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if s.nc.IsClosed() || s.nc.IsDraining() {
		return fmt.Errorf("nats sink %s: writing %d records: %w", s.cfg.Stream, len(recs), ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return s.writeErr(len(recs), 0, 0, err)
	}
	msgs := s.messages(recs)
	seqs := make([]uint64, len(recs))
	deadline := time.Now().Add(s.cfg.RetryTimeout)
	backoff := retryBackoffMin
	from := 0
	for attempt := 1; ; attempt++ {
		n, err := s.publish(ctx, msgs[from:], seqs[from:])
		from += n
		if err == nil {
			break
		}
		if ctx.Err() != nil || !transient(err) {
			return s.writeErr(len(recs), from, attempt, err)
		}
		s.log.Warn("nats: publish failed, retrying", "subject", msgs[from].Subject, "records_left", len(msgs)-from, "attempt", attempt, "error", err)
		// Publish again only once the stream answers: records sent to a
		// stream that is still recovering could be refused while later ones
		// are stored, out of order.
		pubErr := err
		for {
			if time.Now().Add(backoff).After(deadline) {
				return s.writeErr(len(recs), from, attempt, fmt.Errorf("retry_timeout %s exceeded: %w", s.cfg.RetryTimeout, err))
			}
			if !sleep(ctx, backoff) {
				return s.writeErr(len(recs), from, attempt, fmt.Errorf("%w (while backing off after %w)", ctx.Err(), err))
			}
			backoff = min(2*backoff, retryBackoffMax)
			if s.nc.IsClosed() {
				return s.writeErr(len(recs), from, attempt, ErrClosed)
			}
			if s.nc.Status() != nats.CONNECTED {
				continue
			}
			ictx, cancel := context.WithTimeout(ctx, s.cfg.PublishTimeout)
			_, ierr := s.st.Info(ictx)
			cancel()
			if ierr == nil {
				break
			}
			err = fmt.Errorf("stream not ready: %w (after %w)", ierr, pubErr)
		}
	}
	s.checkOrder(recs, seqs)
	return nil
}

func (s *Sink) writeErr(total, acked, attempts int, err error) error {
	msg := fmt.Sprintf("nats sink %s: writing %d records: %d acknowledged after %d attempts", s.cfg.Stream, total, acked, attempts)
	if last := s.nc.LastError(); last != nil && !errors.Is(err, last) {
		return fmt.Errorf("%s (last connection error: %v): %w", msg, last, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// msgBuf is scratch space for building one Write's messages.
type msgBuf struct {
	arena []byte   // header values of all records, back to back
	refs  []hdrRef // one per header, in record order
}

// hdrRef is one header: its name and its value's place in the arena.
type hdrRef struct {
	key        string
	start, end int
}

// messages builds the NATS message of every record. Header values of the
// whole batch share one string and their []string slices one backing array,
// so a record costs its nats.Msg and header map, not an allocation per
// header.
func (s *Sink) messages(recs []stream.OutRecord) []*nats.Msg {
	b := s.bufs.Get().(*msgBuf)
	defer func() {
		clear(b.refs)
		b.arena, b.refs = b.arena[:0], b.refs[:0]
		s.bufs.Put(b)
	}()
	arena, refs := b.arena, b.refs
	for i := range recs {
		r := &recs[i]
		for _, x := range r.Headers {
			start := len(arena)
			var key string
			key, arena = appendHeader(arena, x.Key, x.Value)
			refs = append(refs, hdrRef{key, start, len(arena)})
		}
		if r.Key != nil {
			start := len(arena)
			var key string
			key, arena = appendHeader(arena, HeaderKey, r.Key)
			refs = append(refs, hdrRef{key, start, len(arena)})
		}
		start := len(arena)
		arena = s.appendMsgID(arena, r.Source, r.SourceOffset)
		refs = append(refs, hdrRef{msgIDHeader, start, len(arena)})
	}
	b.arena, b.refs = arena, refs
	all := string(arena)
	vals := make([]string, len(refs))
	store := make([]nats.Msg, len(recs))
	msgs := make([]*nats.Msg, len(recs))
	var subj string
	var sbuf []byte
	k := 0
	for i := range recs {
		r := &recs[i]
		if i == 0 || r.Source != recs[i-1].Source {
			sbuf = s.subject.append(sbuf[:0], r.Source.Topic, r.Source.Partition)
			subj = string(sbuf)
		}
		n := len(r.Headers) + 1
		if r.Key != nil {
			n++
		}
		h := make(nats.Header, n+1)
		for j := k; j < k+n; j++ {
			ref := refs[j]
			vals[j] = all[ref.start:ref.end]
			if prev := h[ref.key]; prev != nil {
				h[ref.key] = append(prev, vals[j]) // a repeated name: copies, never overwrites vals
			} else {
				h[ref.key] = vals[j : j+1 : j+1]
			}
		}
		k += n
		h[expectStreamHeader] = s.streamHV
		store[i] = nats.Msg{Subject: subj, Data: r.Value, Header: h}
		msgs[i] = &store[i]
	}
	return msgs
}

// publish publishes msgs in order and waits for their acknowledgements,
// storing each stream sequence in seqs. It returns how many leading
// messages were acknowledged; on a failure it stops publishing, waits for
// the messages already in flight and returns the first failed index with its
// error. When ctx is done it abandons what is in flight.
func (s *Sink) publish(ctx context.Context, msgs []*nats.Msg, seqs []uint64) (int, error) {
	futs := make([]jetstream.PubAckFuture, 0, min(len(msgs), cap(s.slots)))
	next, done := 0, 0 // published, resolved
	failed := -1
	var failErr error
	fail := func(i int, err error) {
		if failed < 0 || i < failed {
			failed, failErr = i, err
		}
	}
	var okC <-chan *jetstream.PubAck
	var errC <-chan error
	for done < next || next < len(msgs) && failed < 0 {
		var slot chan<- struct{}
		if next < len(msgs) && failed < 0 {
			slot = s.slots
		}
		if done < next && okC == nil {
			okC, errC = futs[done].Ok(), futs[done].Err()
		}
		select {
		case slot <- struct{}{}:
			f, err := s.js.PublishMsgAsync(msgs[next], s.pubOpts...)
			if err != nil {
				<-s.slots
				fail(next, err)
				continue
			}
			futs = append(futs, f)
			next++
		case ack := <-okC:
			<-s.slots
			seqs[done] = ack.Sequence
			done++
			okC, errC = nil, nil
		case err := <-errC:
			<-s.slots
			fail(done, err)
			done++
			okC, errC = nil, nil
		case <-ctx.Done():
			s.abandon(futs[done:next])
			return done, ctx.Err()
		case <-s.gone:
			s.abandon(futs[done:next])
			return done, ErrClosed
		}
	}
	if failed >= 0 {
		return failed, failErr
	}
	return len(msgs), nil
}

// abandon frees the in-flight slots of futures a cancelled Write no longer
// waits for, as each resolves (every one does, at the latest after
// publish_timeout) or when the connection closes.
func (s *Sink) abandon(futs []jetstream.PubAckFuture) {
	if len(futs) == 0 {
		return
	}
	futs = append([]jetstream.PubAckFuture(nil), futs...)
	go func() {
		for i, f := range futs {
			select {
			case <-f.Ok():
			case <-f.Err():
			case <-s.gone:
				for range futs[i:] {
					<-s.slots
				}
				return
			}
			<-s.slots
		}
	}()
}

// checkOrder counts and logs records the stream holds before an earlier
// record of their source partition: a record failed while a later one was
// stored, and its retry was stored after it.
func (s *Sink) checkOrder(recs []stream.OutRecord, seqs []uint64) {
	n := 0
	for i := 1; i < len(recs); i++ {
		if recs[i].Source == recs[i-1].Source && seqs[i] <= seqs[i-1] {
			n++
		}
	}
	if n > 0 {
		s.reordered.Add(int64(n))
		s.log.Warn("nats: records stored out of source order after a retry", "partition", recs[0].Source.String(), "records", n)
	}
}

// sleep waits d, or returns false when ctx is done first.
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

// transient reports whether a publish failure may succeed when retried.
func transient(err error) bool {
	for _, e := range []error{
		jetstream.ErrAsyncPublishTimeout,
		jetstream.ErrNoStreamResponse,
		jetstream.ErrTooManyStalledMsgs,
		nats.ErrTimeout,
		nats.ErrNoResponders,
		nats.ErrDisconnected,
		nats.ErrReconnectBufExceeded,
		nats.ErrStaleConnection,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		// 503: JetStream temporarily unavailable, no quorum, insufficient
		// resources. 4xx errors (wrong stream, too large, bad header) stay.
		return apiErr.Code >= 500
	}
	return false
}

// Close drains the connection: it flushes what is buffered, lets pending
// acknowledgements arrive, and closes. Write fails after Close.
func (s *Sink) Close() error {
	s.closeOnce.Do(func() {
		if err := s.nc.Drain(); err != nil {
			s.nc.Close()
			if !errors.Is(err, nats.ErrConnectionClosed) {
				s.closeErr = fmt.Errorf("nats sink %s: draining: %w", s.cfg.Stream, err)
			}
			return
		}
		t := time.NewTimer(s.cfg.PublishTimeout + 5*time.Second)
		defer t.Stop()
		select {
		case <-s.gone:
		case <-t.C:
			s.nc.Close()
			s.closeErr = fmt.Errorf("nats sink %s: draining took longer than %s; closed", s.cfg.Stream, s.cfg.PublishTimeout+5*time.Second)
		}
	})
	return s.closeErr
}
