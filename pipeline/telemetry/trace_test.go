package telemetry

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilstream/veil/pipeline/stream"
)

func attrs(kv []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kv))
	for _, a := range kv {
		m[a.Key] = a.Value
	}
	return m
}

func flush(t *testing.T, tel *Telemetry, exp *tracetest.InMemoryExporter) tracetest.SpanStubs {
	t.Helper()
	if err := tel.ForceFlush(context.Background()); err != nil {
		t.Fatalf("ForceFlush: %v", err)
	}
	return exp.GetSpans()
}

func TestBatchSpansFromHooks(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tel := newTest(t, WithSpanExporter(exp))
	h := tel.StreamHooks()
	h.Assigned(events0, 0)
	h.Assigned(events1, 0)

	stats := &stream.BatchStats{In: 10, DeadLettered: 1, Latency: 250 * time.Millisecond,
		Outputs: []stream.OutputStats{{Name: "analytics", Out: 8, Skipped: 1, Rejected: 1}, {Name: "security", Out: 9, Resumed: 1}}}
	before := time.Now()
	h.Processed(events0, stats)
	afterProcessed := time.Now()
	if spans := flush(t, tel, exp); len(spans) != 0 {
		t.Fatalf("%d spans exported before the commit, want 0 (the span waits for it)", len(spans))
	}
	h.Committed(events0, 10, nil)
	h.Processed(events1, &stream.BatchStats{In: 3, Latency: time.Millisecond, Outputs: []stream.OutputStats{{Name: "analytics", Out: 3}}})
	h.Committed(events1, 3, errors.New("commit refused: not the coordinator"))
	h.Processed(events1, &stream.BatchStats{Latency: time.Millisecond}) // empty: no commit follows
	after := time.Now()

	spans := flush(t, tel, exp)
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	s := spans[0]
	if s.Name != SpanBatch || s.SpanKind != trace.SpanKindConsumer {
		t.Errorf("span %q kind %v, want %q consumer", s.Name, s.SpanKind, SpanBatch)
	}
	// The span starts Latency before the hook saw the batch.
	if s.StartTime.Before(before.Add(-stats.Latency)) || s.StartTime.After(afterProcessed.Add(-stats.Latency)) {
		t.Errorf("span starts %v before Processed returned, want %v", afterProcessed.Sub(s.StartTime), stats.Latency)
	}
	if s.EndTime.Before(s.StartTime.Add(stats.Latency)) || s.EndTime.After(after) {
		t.Errorf("span ends at %v, want between start+latency and %v", s.EndTime, after)
	}
	a := attrs(s.Attributes)
	for k, want := range map[attribute.Key]attribute.Value{
		SpanAttrTopic:        attribute.StringValue("events"),
		SpanAttrPartition:    attribute.StringValue("0"),
		SpanAttrBatchCount:   attribute.IntValue(10),
		SpanAttrDeadLettered: attribute.IntValue(1),
		SpanAttrCommitOffset: attribute.Int64Value(10),
	} {
		if a[k] != want {
			t.Errorf("attribute %s = %v, want %v", k, a[k].Emit(), want.Emit())
		}
	}
	if s.Status.Code != codes.Unset {
		t.Errorf("status %v, want unset", s.Status)
	}
	if len(s.Events) != 2 {
		t.Fatalf("%d span events, want one per output", len(s.Events))
	}
	ev := attrs(s.Events[1].Attributes)
	if s.Events[1].Name != SpanEventOutput || ev[SpanAttrOutput] != attribute.StringValue("security") ||
		ev[SpanAttrOutputOut] != attribute.IntValue(9) || ev[SpanAttrOutputResumed] != attribute.IntValue(1) {
		t.Errorf("second output event = %s %v", s.Events[1].Name, s.Events[1].Attributes)
	}

	failedSpan := spans[1]
	if failedSpan.Status.Code != codes.Error {
		t.Errorf("failed commit: status %v, want error", failedSpan.Status)
	}
	if len(failedSpan.Events) == 0 || failedSpan.Events[len(failedSpan.Events)-1].Name != "exception" {
		t.Errorf("failed commit: no exception event recorded: %v", failedSpan.Events)
	}
	if attrs(spans[2].Attributes)[SpanAttrBatchCount] != attribute.IntValue(0) {
		t.Errorf("empty batch span: attributes %v", spans[2].Attributes)
	}
	// Every span is its own trace: the hooks carry no parent.
	if spans[0].SpanContext.TraceID() == spans[1].SpanContext.TraceID() {
		t.Error("two batches share a trace id")
	}
}

// A span still waiting for its commit is ended when the claim ends or the
// process shuts down, never lost.
func TestBatchSpanEndedWithClaim(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tel := newTest(t, WithSpanExporter(exp))
	h := tel.StreamHooks()
	h.Assigned(events0, 0)
	h.Processed(events0, &stream.BatchStats{In: 2, Latency: time.Millisecond})
	h.Revoked(events0)
	h.Committed(events0, 2, nil) // late: the span is already gone
	if spans := flush(t, tel, exp); len(spans) != 1 {
		t.Fatalf("%d spans after the claim ended, want 1", len(spans))
	}
	if _, ok := attrs(exp.GetSpans()[0].Attributes)[SpanAttrCommitOffset]; ok {
		t.Error("a commit reported after the claim ended was recorded on the span")
	}
}

func TestStartEndBatch(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tel := newTest(t, WithSpanExporter(exp))
	parentCtx, parent := tel.TracerProvider().Tracer("test").Start(context.Background(), "run")
	ctx, span := tel.StartBatch(parentCtx, events1)
	if !trace.SpanFromContext(ctx).SpanContext().Equal(span.SpanContext()) {
		t.Error("StartBatch's context does not carry its span")
	}
	EndBatch(span, &stream.BatchStats{In: 4, Outputs: []stream.OutputStats{{Name: "a", Out: 4}}}, nil)
	_, failedSpan := tel.StartBatch(parentCtx, events1)
	EndBatch(failedSpan, nil, errors.New("sink: broker unavailable"))
	parent.End()

	spans := flush(t, tel, exp)
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	ok, bad := spans[0], spans[1]
	if ok.Parent.SpanID() != parent.SpanContext().SpanID() || ok.SpanContext.TraceID() != parent.SpanContext().TraceID() {
		t.Error("batch span is not a child of the span in its context")
	}
	if a := attrs(ok.Attributes); a[SpanAttrBatchCount] != attribute.IntValue(4) || a[SpanAttrPartition] != attribute.StringValue("1") {
		t.Errorf("batch span attributes %v", ok.Attributes)
	}
	if bad.Status.Code != codes.Error || bad.Status.Description != "sink: broker unavailable" {
		t.Errorf("failed batch status %v", bad.Status)
	}
}

func TestSampleRatioZeroMeansDefault(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tel, err := New(Config{TraceSampleRatio: 0}, WithSpanExporter(exp))
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	_, s := tel.StartBatch(context.Background(), events0)
	if !s.IsRecording() {
		t.Error("with the default ratio a batch span is not recorded")
	}
	s.End()
}

func TestSampleRatioSmallDropsMost(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tel, err := New(Config{TraceSampleRatio: 1e-9}, WithSpanExporter(exp))
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	h := tel.StreamHooks()
	h.Assigned(events0, 0)
	for i := range 200 {
		h.Processed(events0, &stream.BatchStats{In: 1, Latency: time.Microsecond})
		h.Committed(events0, int64(i+1), nil)
	}
	if spans := flush(t, tel, exp); len(spans) > 1 {
		t.Errorf("%d of 200 batches traced at ratio 1e-9", len(spans))
	}
}

// Without an endpoint or exporter tracing is a no-op: nothing records.
func TestNoTracingByDefault(t *testing.T) {
	tel := newTest(t)
	_, s := tel.StartBatch(context.Background(), events0)
	if s.IsRecording() || s.SpanContext().IsValid() {
		t.Error("a span records without any exporter configured")
	}
	s.End()
}
