package kafkaio

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/veilstream/veil/pipeline/stream"
)

// headerRoom is what NewProcessor keeps free in a produce batch for a
// record's key-independent overhead: veil's headers and the record framing.
const headerRoom = 16 << 10

// Option configures NewProcessor.
type Option func(*options)

type options struct {
	extra      []stream.Output
	transforms map[string]transformSpec
	hooks      stream.Hooks
	log        *slog.Logger
}

type transformSpec struct {
	factory stream.TransformFactory
	version string
}

// WithTransform sets the Transform factory and policy version of the output
// named output. An output without one is a passthrough: its values are
// copied unchanged (for benchmarks and tag-free mirroring).
func WithTransform(output string, f stream.TransformFactory, policyVersion string) Option {
	return func(o *options) { o.transforms[output] = transformSpec{f, policyVersion} }
}

// WithOutput adds an output that is not a Kafka topic (a NATS JetStream
// subject, say) beside the configured ones. The processor owns its sink
// from then on.
func WithOutput(out stream.Output) Option {
	return func(o *options) { o.extra = append(o.extra, out) }
}

// GroupHooks is an optional interface of the stream.Hooks given to
// WithHooks or NewSource: a Source calls it on every attempt to join its
// consumer group, so that a process can report itself ready only while it
// is a member (a broker it cannot reach or whose certificate it refuses
// keeps it not ready, with the reason). Calls come from the Source's
// goroutine.
type GroupHooks interface {
	// GroupJoined is called after each successful join, with the group
	// and its generation.
	GroupJoined(group string, generation int)
	// GroupJoinFailed is called after each failed attempt, with the
	// error; the Source retries.
	GroupJoinFailed(group string, err error)
}

// WithHooks sends the source's and the loop's telemetry to h.
func WithHooks(h stream.Hooks) Option {
	return func(o *options) { o.hooks = h }
}

// WithLogger logs claim changes and errors to l; nothing of an event's
// content and no secret is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// NewProcessor validates c and sc and builds a stream.Processor consuming
// c.Inputs in group c.GroupID, writing every output of c.Outputs and
// dead-lettering to c.DeadLetter. Close the processor to close its writers.
func NewProcessor(c Config, sc stream.Config, opts ...Option) (*stream.Processor, error) {
	o := options{transforms: map[string]transformSpec{}, hooks: stream.NopHooks{}, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("stream config: %w", err)
	}
	maxEvent := sc.MaxEventBytes
	if maxEvent == 0 {
		maxEvent = stream.DefaultMaxEventBytes
	}
	if maxEvent+headerRoom > c.Producer.BatchBytes {
		return nil, fmt.Errorf("max_event_bytes %d plus %d bytes of headers exceeds producer.batch_bytes %d: the largest event could not be written",
			maxEvent, headerRoom, c.Producer.BatchBytes)
	}
	var errs []error
	names := map[string]bool{}
	for _, out := range c.Outputs {
		names[out.Name] = true
	}
	for name := range o.transforms {
		if !names[name] {
			errs = append(errs, fmt.Errorf("transform given for output %q, which the config does not name", name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cn, err := newConnector(&c)
	if err != nil {
		return nil, err
	}
	outs := make([]stream.Output, 0, len(c.Outputs))
	for _, out := range c.Outputs {
		t := o.transforms[out.Name]
		if t.factory == nil {
			o.log.Warn("output has no transform: values are copied unchanged", "output", out.Name, "topic", out.Topic)
		}
		outs = append(outs, stream.Output{
			Name:          out.Name,
			Sink:          newSink(&c, cn, out),
			NewTransform:  t.factory,
			PolicyVersion: t.version,
		})
	}
	outs = append(outs, o.extra...)
	dlq := newSink(&c, cn, c.DeadLetter)
	src := newSource(&c, cn, o.hooks, o.log)
	p, err := stream.New(src, outs, dlq, sc, stream.WithHooks(o.hooks), stream.WithLogger(o.log))
	if err != nil {
		for _, out := range outs {
			_ = out.Sink.Close()
		}
		_ = dlq.Close()
		return nil, err
	}
	return p, nil
}
