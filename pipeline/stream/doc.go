// Package stream is veil's partition-level processing loop: it takes batches
// of raw events from a claimed input partition, turns each event into one
// event per output with that output's [Transform], writes the results to every
// output's [Sink], dead-letters what must not be forwarded, and commits the
// input offset only after every sink has acknowledged the batch.
//
// The package knows nothing about Kafka or NATS. A [Source] (package
// pipeline/kafkaio provides the Kafka one) hands out partition [Claim]s and
// their batches; sinks are anything that implements [Sink]. Telemetry goes
// through [Hooks], so the loop has no metrics dependency.
//
// # Delivery
//
// Delivery is at-least-once. Per claimed partition batches are processed one
// after the other: transform, write to all sinks in parallel, wait for every
// acknowledgement, then commit. A processor killed at any moment therefore
// re-delivers at most the one batch per partition it had not committed.
// Sinks that place records by their source partition implement [Resumer]:
// when a claim starts, the loop asks them which source offsets they already
// hold past the committed offset and does not write those again, so such
// outputs get no duplicates at all.
//
// # Dead letters
//
// An event whose Transform returns a [*Reject] for any output, and an event
// (or an output form of it) larger than [Config].MaxEventBytes, goes to the
// dead-letter sink with its reason and origin in headers, unchanged, and to
// no output. Any other Transform error stops the processor: it means the
// Transform cannot work, not that the event is bad.
//
// # Headers
//
// Every output record carries its origin ([HeaderSourceTopic],
// [HeaderSourcePartition], [HeaderSourceOffset]), the output's policy version
// ([HeaderPolicyVersion]) and, when the Transform reports any, the actions it
// took ([HeaderActions]). A Transform whose configuration is reloaded while
// running implements [BatchStarter]: it is told when each batch starts, keeps
// one configuration for the whole batch, and names it for the batch's
// policy version header. Input headers are not forwarded to outputs (they
// may carry personal data); they are kept on dead letters.
package stream
