package telemetry

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilstream/veil/pipeline/stream"
)

// SpanBatch is the name of the span covering one batch of one partition.
const SpanBatch = "veil.batch"

// Span attribute keys: OpenTelemetry's messaging conventions where they have
// one, veil.* otherwise.
const (
	// SpanAttrTopic is the input topic.
	SpanAttrTopic = "messaging.destination.name"
	// SpanAttrPartition is the input partition, in decimal.
	SpanAttrPartition = "messaging.destination.partition.id"
	// SpanAttrBatchCount is the number of input events in the batch.
	SpanAttrBatchCount = "messaging.batch.message_count"
	// SpanAttrOperation is always "process".
	SpanAttrOperation = "messaging.operation.type"
	// SpanAttrDeadLettered is the number of events dead-lettered.
	SpanAttrDeadLettered = "veil.batch.dead_lettered"
	// SpanAttrCommitOffset is the offset committed after the batch.
	SpanAttrCommitOffset = "veil.commit.offset"
	// SpanAttrOutput names the output of a SpanEventOutput event.
	SpanAttrOutput = "veil.output"
	// SpanAttrOutputOut is the number of records the output wrote.
	SpanAttrOutputOut = "veil.output.out"
	// SpanAttrOutputSkipped is the number of events the output filtered out.
	SpanAttrOutputSkipped = "veil.output.skipped"
	// SpanAttrOutputReject is the number of events the output rejected.
	SpanAttrOutputReject = "veil.output.rejected"
	// SpanAttrOutputResumed is the number of records the output already
	// held.
	SpanAttrOutputResumed = "veil.output.resumed"
	// SpanEventOutput is the span event recording one output's counts.
	SpanEventOutput = "veil.output"
)

// batchSpan is a span started by the hooks and ended by the commit.
type batchSpan = trace.Span

func spanStartOptions(tp stream.TopicPartition, extra ...trace.SpanStartOption) []trace.SpanStartOption {
	return append([]trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String(SpanAttrTopic, tp.Topic),
			attribute.String(SpanAttrPartition, strconv.FormatInt(int64(tp.Partition), 10)),
			attribute.String(SpanAttrOperation, "process"),
		),
	}, extra...)
}

// StartBatch starts the span of one batch of tp, as a child of any span in
// ctx, for a runtime that carries the batch's context through its sinks
// (a Kafka sink could then propagate it in record headers). End it with
// [EndBatch]. The stream hooks make their own batch spans; a runtime using
// StartBatch as well would trace each batch twice.
func (t *Telemetry) StartBatch(ctx context.Context, tp stream.TopicPartition) (context.Context, trace.Span) {
	return t.tracer.Start(ctx, SpanBatch, spanStartOptions(tp)...)
}

// EndBatch records a batch's outcome on its span and ends it: stats when the
// batch was processed (nil otherwise), err when processing or the commit
// failed.
func EndBatch(span trace.Span, stats *stream.BatchStats, err error) {
	annotate(span, stats)
	failed(span, err)
	span.End()
}

// annotate sets a processed batch's counts on span.
func annotate(span trace.Span, stats *stream.BatchStats) {
	if stats == nil || !span.IsRecording() {
		return
	}
	span.SetAttributes(
		attribute.Int(SpanAttrBatchCount, stats.In),
		attribute.Int(SpanAttrDeadLettered, stats.DeadLettered),
	)
	for i := range stats.Outputs {
		o := &stats.Outputs[i]
		span.AddEvent(SpanEventOutput, trace.WithAttributes(
			attribute.String(SpanAttrOutput, o.Name),
			attribute.Int(SpanAttrOutputOut, o.Out),
			attribute.Int(SpanAttrOutputSkipped, o.Skipped),
			attribute.Int(SpanAttrOutputReject, o.Rejected),
			attribute.Int(SpanAttrOutputResumed, o.Resumed),
		))
	}
}

func failed(span trace.Span, err error) {
	if err == nil {
		return
	}
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

// hookSpan records a processed batch as a span that started Latency ago.
// It stays open on p until the batch's commit returns (see commitSpan);
// without a partition to wait on, or for an empty batch, which is not
// committed, it ends at once.
func (t *Telemetry) hookSpan(p *partition, tp stream.TopicPartition, stats *stream.BatchStats) {
	now := time.Now()
	_, span := t.tracer.Start(context.Background(), SpanBatch,
		spanStartOptions(tp, trace.WithTimestamp(now.Add(-stats.Latency)))...)
	annotate(span, stats)
	if p == nil || stats.In == 0 {
		span.End(trace.WithTimestamp(now))
		return
	}
	p.mu.Lock()
	prev := p.span
	p.span = span
	p.mu.Unlock()
	if prev != nil {
		prev.End() // its commit was never reported
	}
}

// commitSpan ends the span awaiting tp's commit with the commit's outcome.
func (p *partition) commitSpan(offset int64, err error) {
	p.mu.Lock()
	span := p.span
	p.span = nil
	p.mu.Unlock()
	if span == nil {
		return
	}
	span.SetAttributes(attribute.Int64(SpanAttrCommitOffset, offset))
	failed(span, err)
	span.End()
}

// endSpan ends a span still awaiting its commit (the claim ended).
func (p *partition) endSpan() {
	p.mu.Lock()
	span := p.span
	p.span = nil
	p.mu.Unlock()
	if span != nil {
		span.End()
	}
}
