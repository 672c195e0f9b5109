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
package runner
