// Package telemetry is veil's observability: OpenTelemetry metrics served in
// the Prometheus text format, a span per processed batch exportable over
// OTLP/HTTP, and the /healthz and /readyz probes Kubernetes needs.
//
// A [Telemetry] is made once per process with [New]. The runtime wires it in
// through the hook interfaces the other packages expose, so none of them
// depends on OpenTelemetry:
//
//   - [Telemetry.StreamHooks] implements stream.Hooks (events in and out,
//     dead letters, batch latency, consumer lag, commits, assignments);
//   - [Telemetry.EngineHooks] implements engine.Hooks (rule timeouts);
//   - [Telemetry.ObserveApplied] counts what a sanitizer did to one event
//     (findings per entity type, actions per category and action). It is on
//     the per-event path and does not allocate;
//   - [Telemetry.ObserveConfigReload] and [Telemetry.SetConfigVersion]
//     report reloads of rules, schemas and policy: how many were put in
//     force or refused, which version is in force, and whether newer files
//     were refused.
//
// # Metrics
//
// Instrument names follow OpenTelemetry conventions (see the Metric*
// constants); the Prometheus exporter translates them, so veil.events.in
// is scraped as veil_events_in_total and veil.batch.duration as
// veil_batch_duration_seconds. Attributes are bounded: they carry topic,
// partition, output, rule and taxonomy names, never event values or paths,
// and each attribute keeps at most [MaxAttributeValues] distinct values per
// instrument (further ones are counted under [OverflowValue]).
//
// # Traces
//
// Without an OTLP endpoint (and without [WithSpanExporter]) tracing is a
// no-op. With one, each processed batch becomes a consumer span. The stream
// hooks carry no context, so the hook-driven span is recorded after the fact
// from the batch's latency and ended when the batch's commit returns;
// [Telemetry.StartBatch] and [EndBatch] are for a runtime that can carry the
// batch's context to its sinks.
//
// Nothing here touches OpenTelemetry's globals unless [WithGlobal] asks for
// it: metrics go to a private Prometheus registry.
package telemetry
