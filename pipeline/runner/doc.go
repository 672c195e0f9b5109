// Package runner assembles a veil stream processor from its configuration
// (veil.yaml): the Kafka source and outputs of package kafkaio, one
// sanitizer per output and claimed partition applying the policy for the
// output's purpose, the classifier pack, the key ring for pseudonyms, and
// the origin filter that keeps marketing outputs to website events.
//
// It owns the Transform that plugs a sanitizer into the processing loop:
// malformed events are rejected to the dead-letter topic with the reason,
// every output record is tagged with what was done (paths, entity types and
// actions, never values), and record keys, which often are user ids, are
// replaced on analytics outputs by daily pseudonyms.
//
// # Aggregate outputs
//
// Each entry of aggregates runs a pipeline/aggregate processor next to the
// per-event processor, on the same brokers, TLS, SASL and input topics, in
// consumer groups of its own (kafka.group_id + "." + name, and that +
// ".aggregate"). Its events are sanitized for its purpose by the generation
// in force (a reload reaches it at the next event), so cohort dimensions are
// what that purpose's policy lets through. With differential privacy, the
// noise key is derived from the aggregate-noise entry of keys.dir (HKDF per
// aggregate name), so a window published again after a restart carries the
// same noise. Run stops every processor when one fails, and drains them all
// on cancellation.
//
// # Reloading rules, schemas and policy
//
// The rules directory, the schemas directory and the policy file are read
// every reload.interval (and at once by [Runner.Reload], which veil run
// calls on SIGHUP). Files are compared by content digest, not watched, so
// that Kubernetes ConfigMap volumes, whose updates swap a ..data symlink,
// are followed. When they changed they are compiled into a new immutable
// generation, which every claimed partition takes up at the start of its
// next batch: a batch is processed with one generation only, and its
// records carry that generation's version in the policy version header.
// Files with any error are refused whole; the generation in force stays.
package runner
