package stream

import "context"

// Source hands out input partitions as claims and fetches their batches.
type Source interface {
	// Run joins the source (a Kafka consumer group, say) and calls h in a
	// goroutine of its own for each partition it claims. It returns when
	// stop is closed and every handler has returned, or when a handler
	// returns an error (after stopping and draining the other claims), with
	// that error. ctx is the hard deadline: once it is done, I/O is abandoned
	// and nothing more is committed.
	Run(ctx context.Context, stop <-chan struct{}, h ClaimHandler) error
}

// ClaimHandler processes one claimed partition until the claim stops. ctx is
// done when in-flight work must be abandoned (the shutdown grace period is
// over); a claim that is merely revoked or stopping closes Stopping instead.
type ClaimHandler func(ctx context.Context, c Claim) error

// Claim is one input partition held by this processor.
type Claim interface {
	// Partition names the claimed partition.
	Partition() TopicPartition
	// Start is the absolute offset processing starts at (the committed
	// offset, or the start offset for a partition never committed).
	Start() int64
	// Batches delivers fetched batches in offset order. It is closed when
	// fetching stops.
	Batches() <-chan *Batch
	// Stopping is closed when the claim must end: the partition is revoked
	// or the processor is shutting down. A handler finishes the batch it is
	// processing, commits it and returns.
	Stopping() <-chan struct{}
	// Commit records next as the offset to resume from and returns once the
	// source has acknowledged it.
	Commit(ctx context.Context, next int64) error
	// Release returns a processed (or abandoned) batch to the source, ending
	// its time in flight.
	Release(b *Batch)
}
