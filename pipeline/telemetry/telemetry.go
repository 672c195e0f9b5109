package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/veilstream/veil/pipeline/stream"
)

// ScopeName is the instrumentation scope of veil's meter and tracer.
const ScopeName = "github.com/veilstream/veil/pipeline/telemetry"

// Option configures New.
type Option func(*options)

type options struct {
	spanExporter sdktrace.SpanExporter
	global       bool
	log          *slog.Logger
}

// WithSpanExporter exports spans to exp (batched) instead of the OTLP
// endpoint of the Config; tests use tracetest's in-memory exporter.
func WithSpanExporter(exp sdktrace.SpanExporter) Option {
	return func(o *options) { o.spanExporter = exp }
}

// WithGlobal also installs the tracer and meter providers, and the W3C trace
// context propagator, as OpenTelemetry's globals, for libraries that
// instrument themselves through them.
func WithGlobal() Option {
	return func(o *options) { o.global = true }
}

// WithLogger sets the logger for HTTP server and scrape errors (default:
// none).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// Telemetry owns veil's meter and tracer providers, its Prometheus registry
// and its probe state. Its methods are safe for concurrent use.
type Telemetry struct {
	cfg Config
	log *slog.Logger

	registry *prometheus.Registry
	meters   *sdkmetric.MeterProvider
	traces   trace.TracerProvider
	sdkTrace *sdktrace.TracerProvider // nil when tracing is a no-op
	tracer   trace.Tracer
	tracing  bool
	reg      metric.Registration

	ins     *instruments
	topics  *cache[string, *topicAttrs]
	outputs *cache[string, *outputAttrs]
	rules   *cache[string, []metric.AddOption]

	deadTooLarge            []metric.AddOption
	reloadOK, reloadRefused []metric.AddOption

	config atomic.Pointer[configState] // nil until SetConfigVersion

	partMu sync.RWMutex
	parts  map[stream.TopicPartition]*partition

	notReady atomic.Pointer[string] // nil when ready
	stopping atomic.Bool            // set with ReasonShuttingDown
	shutdown sync.Once
	shutErr  error
}

// New validates cfg and builds the providers: a MeterProvider whose
// Prometheus exporter writes to a private registry (with Go runtime and
// process collectors beside it), and a TracerProvider exporting over
// OTLP/HTTP when cfg.OTLPEndpoint is set (a no-op one otherwise). The
// process starts not ready; call SetReady when it is.
func New(cfg Config, opts ...Option) (*Telemetry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("telemetry: invalid config: %w", err)
	}
	cfg = cfg.withDefaults()
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	t := &Telemetry{
		cfg:      cfg,
		log:      o.log,
		registry: prometheus.NewRegistry(),
		parts:    map[stream.TopicPartition]*partition{},
	}
	t.SetNotReady("starting")

	res, err := newResource(cfg)
	if err != nil {
		return nil, err
	}
	if err := t.registry.Register(collectors.NewGoCollector()); err != nil {
		return nil, fmt.Errorf("telemetry: registering the Go collector: %w", err)
	}
	if err := t.registry.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, fmt.Errorf("telemetry: registering the process collector: %w", err)
	}
	exp, err := otelprom.New(otelprom.WithRegisterer(t.registry), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry: creating the Prometheus exporter: %w", err)
	}
	t.meters = sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithResource(res))
	if err := t.initMetrics(); err != nil {
		_ = t.meters.Shutdown(context.Background())
		return nil, err
	}

	spanExp := o.spanExporter
	if spanExp == nil && cfg.OTLPEndpoint != "" {
		u, err := traceURL(cfg.OTLPEndpoint)
		if err != nil {
			_ = t.meters.Shutdown(context.Background())
			return nil, fmt.Errorf("telemetry: otlp_endpoint: %w", err)
		}
		// New does not connect: the first export does.
		spanExp, err = otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(u))
		if err != nil {
			_ = t.meters.Shutdown(context.Background())
			return nil, fmt.Errorf("telemetry: creating the OTLP/HTTP span exporter: %w", err)
		}
	}
	if spanExp != nil {
		t.sdkTrace = sdktrace.NewTracerProvider(
			sdktrace.WithBatcher(spanExp),
			sdktrace.WithResource(res),
			sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.TraceSampleRatio))),
		)
		t.traces, t.tracing = t.sdkTrace, true
	} else {
		t.traces = noop.NewTracerProvider()
	}
	t.tracer = t.traces.Tracer(ScopeName)

	if o.global {
		otel.SetMeterProvider(t.meters)
		otel.SetTracerProvider(t.traces)
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	}
	return t, nil
}

func newResource(cfg Config) (*resource.Resource, error) {
	kv := []attribute.KeyValue{attribute.String("service.name", cfg.ServiceName)}
	if cfg.ServiceVersion != "" {
		kv = append(kv, attribute.String("service.version", cfg.ServiceVersion))
	}
	// Ours last: it wins over OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES,
	// which resource.Default reads.
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(kv...))
	if err != nil {
		return nil, fmt.Errorf("telemetry: building the resource: %w", err)
	}
	return res, nil
}

func (t *Telemetry) initMetrics() error {
	ins, err := newInstruments(t.meters.Meter(ScopeName))
	if err != nil {
		return err
	}
	t.ins = ins
	t.topics = newCache(MaxAttributeValues, ownString, newTopicAttrs)
	t.outputs = newCache(MaxAttributeValues, ownString, newOutputAttrs)
	t.rules = newCache(MaxAttributeValues, ownString, newRuleAttrs)
	t.deadTooLarge = addOpt(attribute.String(AttrReason, ReasonTooLarge))
	t.reloadOK = addOpt(attribute.String(AttrResult, ResultOK))
	t.reloadRefused = addOpt(attribute.String(AttrResult, ResultRefused))
	t.reg, err = t.meters.Meter(ScopeName).RegisterCallback(t.observe, ins.findings, ins.actions, ins.lag,
		ins.configActive, ins.configRefused)
	if err != nil {
		return fmt.Errorf("telemetry: registering the observable callback: %w", err)
	}
	return nil
}

// partition returns the state of a claimed partition, or nil.
func (t *Telemetry) partition(tp stream.TopicPartition) *partition {
	t.partMu.RLock()
	p := t.parts[tp]
	t.partMu.RUnlock()
	return p
}

// MeterProvider returns the provider veil's metrics come from, for other
// packages' instruments: they are served on the same /metrics.
func (t *Telemetry) MeterProvider() metric.MeterProvider { return t.meters }

// TracerProvider returns the provider batch spans come from (a no-op one
// when no span exporter is configured).
func (t *Telemetry) TracerProvider() trace.TracerProvider { return t.traces }

// Registry returns the private Prometheus registry /metrics serves.
func (t *Telemetry) Registry() *prometheus.Registry { return t.registry }

// ForceFlush exports the spans ended so far.
func (t *Telemetry) ForceFlush(ctx context.Context) error {
	if t.sdkTrace == nil {
		return nil
	}
	if err := t.sdkTrace.ForceFlush(ctx); err != nil {
		return fmt.Errorf("telemetry: flushing spans: %w", err)
	}
	return nil
}

// Shutdown marks the process not ready ("shutting down"), ends the batch
// spans still open, then flushes and stops the span exporter and the meter
// provider. After it, /metrics reports an error. Calling it again returns
// the first call's result.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	t.shutdown.Do(func() {
		t.SetNotReady(ReasonShuttingDown)
		t.partMu.RLock()
		for _, p := range t.parts {
			p.endSpan()
		}
		t.partMu.RUnlock()
		var errs []error
		if t.sdkTrace != nil {
			if err := t.sdkTrace.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("telemetry: shutting down the tracer provider: %w", err))
			}
		}
		if err := t.reg.Unregister(); err != nil {
			errs = append(errs, fmt.Errorf("telemetry: unregistering the observable callback: %w", err))
		}
		if err := t.meters.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("telemetry: shutting down the meter provider: %w", err))
		}
		t.shutErr = errors.Join(errs...)
	})
	return t.shutErr
}
