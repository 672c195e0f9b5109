// Package aggregate turns a stream of analytics events into windowed
// cohort counts that are not linked to any end-user: tumbling windows on
// event time, cohorts by allowed dimensions, distinct contributors counted
// with a key that lives only in memory, a k threshold with rollup, and
// optional differential privacy.
//
// # Pieces
//
//   - [Extractor] reads one event: its time and its contributor (the
//     anonymous id, or the IP address with the user agent and the customer)
//     from the raw event, its dimension and metric values from the
//     sanitized event, the output's own already generalized form. Dimension
//     values are published, so they never come from the raw event.
//   - [Aggregator] keeps the windows of one stream partition and closes
//     them as its watermark passes their end; [Aggregator.Drain] hands out
//     the [Record]s of closed windows.
//   - [NewProcessor] runs both over Kafka in two stages (see "Kafka
//     runtime").
//
// # Windows and watermark
//
// Windows are tumbling, Config.Window long (1m to 24h, dividing a day),
// aligned on UTC midnight. The watermark of an aggregator is the newest event
// time it has seen minus Config.AllowedLateness; a window closes when the
// watermark reaches its end. An event whose window has closed is late: it is
// dropped, reported to [HookLateEvent] and Add returns [ErrLate]; it is never
// merged into a published window. [Aggregator.Flush] closes every window at
// once (end of a demo or test input).
//
// # Contributors
//
// A window draws a random 128-bit key when it opens. Each event's contributor
// bytes are hashed with SipHash-2-4 under that key into 64 bits and
// forgotten; a cohort keeps the distinct hashes exactly up to
// Config.ExactLimit (at least k), then a HyperLogLog sketch of precision
// Config.Precision (Ertl's improved estimator, relative standard error
// 1.04/sqrt(2^p)). When the window closes its key, hashes and registers are
// zeroed. No identifier, hash or register is ever written to a record; the
// same person has unrelated hashes in different windows, so windows cannot
// be joined on them even in memory. Because a cohort only becomes a sketch
// after more than ExactLimit ≥ k distinct hashes, the k test is always made
// on an exact count (a hash collision can only merge two people, which errs
// on the safe side).
//
// For per-event outputs, the same idea as a pseudonym that rotates daily is
// already in package pipeline/actions: an actions.Pseudonymizer over an
// actions.MemoryKeyring with actions.RotateDay gives each customer a random
// key per UTC day, so an identifier's pseudonym is stable within a day and
// unrelated across days; MemoryKeyring.Prune(now) drops past days' keys (the
// keyring then refuses them, so a pseudonym of a past day can never be
// recomputed), which pipeline/runner does every minute for its in-memory key
// rings. In policy terms: action "hash" with rotation "day" on the
// linking_identifier category of the output's purpose, and no keys.dir.
//
// # The k threshold and rollup
//
// When a window closes:
//
//  1. Every cohort with at least K distinct contributors is published as
//     such (level 0).
//  2. The other cohorts are grouped by the values of the dimensions that
//     remain once Rollup[0] is dropped. A group's count, metric sums and
//     histograms are the sums of its cohorts'; its contributors are counted
//     on the union of their contributor sets (or merged sketches), never
//     summed. Groups with at least K contributors are published with
//     rolled_up = [Rollup[0]] (level 1).
//  3. What remains is grouped again without Rollup[0] and Rollup[1], and so
//     on through the rollup order.
//  4. Last, the remainder goes to the "other" bucket, which has no
//     dimension (other = true), if dimensions outside Rollup remain.
//  5. What is still below K is suppressed: counted in
//     WindowStats.SuppressedEvents, published nowhere.
//
// Every event of a closed window is thus counted in exactly one record or in
// the suppressed total: the counts of a window's records add up to its events
// when nothing is suppressed. Contributors do not add up across records.
//
// # Differential privacy
//
// With Config.Privacy set, Config.Bounds is required and applied first: per
// window, a contributor's events beyond MaxEventsPerCohort in one cohort, and
// its events in cohorts beyond its first MaxCohortsPerWindow, are dropped in
// arrival order and counted (WindowStats.DroppedOver*). Then, at every rollup
// level, each group's exact distinct-contributor count gets two-sided
// geometric noise and the group is published only if that noisy count
// reaches the threshold τ = k + ⌈ln(1/(δ'(1+α)))/ε'⌉ (and its true count
// reaches k); its count, and per metric its n, its sum of values clamped to
// [lower, upper] and rounded, and its histogram get noise too. Noise is
// discrete Laplace, P(z) ∝ exp(-|z|·ε'/Δ), drawn with integer arithmetic
// only by the exact sampler of Canonne, Kamath and Steinke (2020); epsilon
// is used as a rational with denominator 1e6. Its random bits come, for each
// published group, from a ChaCha8 stream (a cryptographically strong
// generator) seeded with HMAC-SHA256, under a secret noise key, of the
// window, the rollup level, the group's dimension values and a fingerprint
// of the configuration (see WithNoiseKey): publishing the same window again
// draws the same noise, so a replay is not a second release. The noise key
// is kept across restarts by whoever runs the aggregator (the runner reads
// it from its key directory); without one it is random and in memory only.
// See dp.go for how ε and δ are divided and the sensitivities, and
// README.md for the guarantee in plain words.
//
// # Kafka runtime
//
// [NewProcessor] runs two stages over kafka-go (package pipeline/kafkaio):
//
//   - Stage 1 consumes the input topics in a consumer group, sanitizes each
//     event with the output's sanitizer, extracts it and produces a compact
//     projection (event time, contributor bytes, dimension values, metrics)
//     to an internal repartition topic, keyed by the values of the
//     partition_by dimensions, so all cohorts that may roll up into each
//     other meet in one partition. Input offsets are committed once the
//     projections are acknowledged; after a crash or a rebalance stage 1
//     writes its last uncommitted batch again, and stage 2 skips those
//     copies by the input offset in their lineage headers (each input
//     partition reaches a repartition partition in input order), so no
//     event is counted twice.
//   - Stage 2 consumes the repartition topic in its own group, with one
//     Aggregator per partition, publishes each closed window's records to
//     the aggregate topic keyed by (window, cohort), and records the
//     partition's watermark in a checkpoint topic. It commits a repartition
//     offset only once every window holding records before it has been
//     published: the committed offset is the first offset of the oldest
//     open window. After a crash the partition is replayed from there with
//     the checkpointed watermark restored, so windows already published
//     ignore their replayed events, open windows are rebuilt exactly, and
//     windows published again overwrite their own keys on the compacted
//     topic with the same values (with noise too when the noise key
//     survives the restart, see WithNoiseKey; with an in-memory noise key,
//     with a fresh draw).
//
// Both stages, and the reader of the checkpoint topic, connect with the
// kafkaio configuration's TLS and SASL settings (kafkaio.Config.Dialer and
// Transport). WithFlushOnStop makes a graceful stop consume both stages to
// the end and publish every open window, for bounded inputs such as a demo
// or a backfill.
//
// The repartition topic is an internal topic that carries the same
// identifiers as the raw input (contributor bytes: anonymous ids, IP
// addresses, user agents, customer ids): restrict it like the input (ACLs,
// encryption) and give it a short retention (a few times the allowed
// lateness plus the window). The checkpoint topic carries only watermarks.
// No identifier, hash or sketch register is ever written to the aggregate
// topic; the per-window hashing key is random, lives only in the stage-2
// process and is zeroed when the window closes.
package aggregate
