package stream

import "time"

// Hooks receives telemetry from the runtime. Calls come from many goroutines
// at once and sit on the per-batch path: implementations must be safe for
// concurrent use and fast. Embed [NopHooks] to implement only some methods.
type Hooks interface {
	// Assigned is called when a partition is claimed, with the offset
	// processing starts at.
	Assigned(tp TopicPartition, start int64)
	// Revoked is called when a claim ends (rebalance or shutdown).
	Revoked(tp TopicPartition)
	// Fetched is called when a batch is fetched and becomes in flight. lag is
	// the high-water mark minus the batch's next offset.
	Fetched(tp TopicPartition, records, bytes int, lag int64)
	// Released is called when a fetched batch stops being in flight:
	// committed, or discarded unprocessed at the end of a claim.
	Released(tp TopicPartition, records int)
	// Processed is called once per batch after every sink acknowledged it,
	// before the commit. stats is valid only during the call.
	Processed(tp TopicPartition, stats *BatchStats)
	// Committed is called after each commit attempt.
	Committed(tp TopicPartition, offset int64, err error)
}

// BatchStats describes one processed batch.
type BatchStats struct {
	// In is the number of input events in the batch.
	In int
	// DeadLettered is the number of events sent to the dead-letter sink.
	DeadLettered int
	// Latency is the time from the start of processing to the last
	// acknowledgement.
	Latency time.Duration
	// Outputs has one entry per output, in configuration order.
	Outputs []OutputStats
}

// OutputStats counts what one output did with one batch.
type OutputStats struct {
	// Name is the output's name.
	Name string
	// Out is the number of records written.
	Out int
	// Skipped is the number of events the output's Transform filtered out.
	Skipped int
	// Rejected is the number of events this output's Transform rejected
	// (they are counted once in BatchStats.DeadLettered).
	Rejected int
	// Resumed is the number of records not written again because the sink
	// already held them (see [Resumer]).
	Resumed int
}

// NopHooks implements Hooks and does nothing.
type NopHooks struct{}

// Assigned does nothing.
func (NopHooks) Assigned(TopicPartition, int64) {}

// Revoked does nothing.
func (NopHooks) Revoked(TopicPartition) {}

// Fetched does nothing.
func (NopHooks) Fetched(TopicPartition, int, int, int64) {}

// Released does nothing.
func (NopHooks) Released(TopicPartition, int) {}

// Processed does nothing.
func (NopHooks) Processed(TopicPartition, *BatchStats) {}

// Committed does nothing.
func (NopHooks) Committed(TopicPartition, int64, error) {}
