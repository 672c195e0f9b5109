// Package bench holds veil's benchmarks: the classifier core against the
// naive loop (every rule with regexp2 over every string value), and
// `veil redact` end to end against an encoding/json map round trip, on the
// same generated corpus in the same run, so that the ratios are measured
// rather than asserted. bench/cmd/veilbench prints the same figures as
// MB/s per core; bench/corpus generates the labelled events.
package bench
