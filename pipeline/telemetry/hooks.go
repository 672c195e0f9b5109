package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
)

// StreamHooks returns the stream.Hooks that record the processing loop's
// metrics and batch spans. Give it to both the Source and the Processor.
func (t *Telemetry) StreamHooks() stream.Hooks { return streamHooks{t} }

// EngineHooks returns the engine.Hooks that count rule timeouts.
func (t *Telemetry) EngineHooks() engine.Hooks { return engineHooks{t} }

// ObserveApplied counts what a sanitizer did to one event for output: one
// finding per entry by its entity type ("none" when only the category was
// known) and one action per entry by category and action. Paths are never
// recorded. It is safe for concurrent use and, once output and the values
// it reports have been seen, does not allocate.
func (t *Telemetry) ObserveApplied(output string, applied []sanitize.Applied) {
	if len(applied) == 0 {
		return
	}
	o := t.outputs.get(output)
	for i := range applied {
		a := &applied[i]
		o.finding(a.Type).n.Add(1)
		o.action(a.Category, a.Action).n.Add(1)
	}
}

// ObserveConfigReload counts one configuration reload: ok when err is nil,
// refused otherwise (the running configuration stays in force).
func (t *Telemetry) ObserveConfigReload(err error) {
	if err != nil {
		t.ins.reloads.Add(context.Background(), 1, t.reloadRefused...)
		return
	}
	t.ins.reloads.Add(context.Background(), 1, t.reloadOK...)
}

// SetConfigVersion reports the configuration version in force (exported
// as the version attribute of veil.config.active) and whether the newest
// configuration files were refused, so that this older version runs
// (veil.config.refused). Call it at start and after every reload attempt.
func (t *Telemetry) SetConfigVersion(version string, refused bool) {
	t.config.Store(&configState{version: obsOpt(attribute.String(AttrVersion, version)), refused: refused})
}

type streamHooks struct{ t *Telemetry }

var _ stream.Hooks = streamHooks{}

// GroupJoined makes the process ready (kafkaio.GroupHooks).
func (h streamHooks) GroupJoined(string, int) { h.t.groupReady(nil) }

// GroupJoinFailed makes the process not ready, with the error as the
// reason (kafkaio.GroupHooks).
func (h streamHooks) GroupJoinFailed(_ string, err error) { h.t.groupReady(err) }

// Assigned counts the partition and starts tracking its lag.
func (h streamHooks) Assigned(tp stream.TopicPartition, _ int64) {
	t := h.t
	topic := t.topics.get(tp.Topic)
	t.ins.assigned.Add(context.Background(), 1, topic.in...)
	t.partMu.Lock()
	if _, ok := t.parts[tp]; !ok {
		t.parts[tp] = newPartition(tp, topic)
	}
	t.partMu.Unlock()
}

// Revoked uncounts the partition and stops reporting its lag.
func (h streamHooks) Revoked(tp stream.TopicPartition) {
	t := h.t
	topic := t.topics.get(tp.Topic)
	t.ins.assigned.Add(context.Background(), -1, topic.in...)
	t.partMu.Lock()
	p := t.parts[tp]
	delete(t.parts, tp)
	t.partMu.Unlock()
	if p != nil {
		p.endSpan()
	}
}

// Fetched records the partition's lag and the events now in flight.
func (h streamHooks) Fetched(tp stream.TopicPartition, records, _ int, lag int64) {
	t := h.t
	topic := t.topics.get(tp.Topic)
	t.ins.inFlight.Add(context.Background(), int64(records), topic.in...)
	if p := t.partition(tp); p != nil {
		p.lag.Store(lag)
		p.lagSeen.Store(true)
	}
}

// Released takes the batch's events out of flight.
func (h streamHooks) Released(tp stream.TopicPartition, records int) {
	t := h.t
	t.ins.inFlight.Add(context.Background(), -int64(records), t.topics.get(tp.Topic).in...)
}

// Processed counts the batch's events per topic and output, its dead letters
// and its latency, and records its span.
func (h streamHooks) Processed(tp stream.TopicPartition, stats *stream.BatchStats) {
	t := h.t
	ctx := context.Background()
	topic := t.topics.get(tp.Topic)
	if stats.In > 0 {
		t.ins.in.Add(ctx, int64(stats.In), topic.in...)
	}
	rejected := 0
	for i := range stats.Outputs {
		os := &stats.Outputs[i]
		o := t.outputs.get(os.Name)
		if os.Out > 0 {
			t.ins.out.Add(ctx, int64(os.Out), o.out...)
		}
		if os.Skipped > 0 {
			t.ins.skipped.Add(ctx, int64(os.Skipped), o.skipped...)
		}
		if os.Rejected > 0 {
			t.ins.dead.Add(ctx, int64(os.Rejected), o.rejected...)
			rejected += os.Rejected
		}
	}
	if n := stats.DeadLettered - rejected; n > 0 {
		t.ins.dead.Add(ctx, int64(n), t.deadTooLarge...)
	}
	t.ins.duration.Record(ctx, stats.Latency.Seconds(), topic.duration...)
	if t.tracing {
		t.hookSpan(t.partition(tp), tp, stats)
	}
}

// Committed counts the commit and ends the batch's span.
func (h streamHooks) Committed(tp stream.TopicPartition, offset int64, err error) {
	t := h.t
	topic := t.topics.get(tp.Topic)
	if err != nil {
		t.ins.commits.Add(context.Background(), 1, topic.commitEr...)
	} else {
		t.ins.commits.Add(context.Background(), 1, topic.commitOK...)
	}
	if !t.tracing {
		return
	}
	if p := t.partition(tp); p != nil {
		p.commitSpan(offset, err)
	}
}

type engineHooks struct{ t *Telemetry }

var _ engine.Hooks = engineHooks{}

// OnTimeout counts one timeout of the rule.
func (h engineHooks) OnTimeout(ruleID string) {
	h.t.ins.timeouts.Add(context.Background(), 1, h.t.rules.get(ruleID)...)
}

func newRuleAttrs(rule string, overflow bool) []metric.AddOption {
	return addOpt(attribute.String(AttrRule, orOverflow(rule, overflow)))
}
