package stream

import "context"

// Sink is where one output's records go: a Kafka topic, a NATS JetStream
// subject, anything that acknowledges writes.
//
// Write returns only when every record is acknowledged (durably accepted),
// or with an error; records must be kept in order per source partition. The
// runtime calls Write from several goroutines at once (one per claimed
// partition) and reuses the records' memory as soon as Write returns, so a
// sink must copy what it keeps. A Write error stops the processor without
// committing the batch, so a sink should retry transient failures itself.
type Sink interface {
	Write(ctx context.Context, recs []OutRecord) error
	Close() error
}

// Resumer is implemented by sinks that place records by their source
// partition and can read back what they hold. When a partition is claimed,
// the runtime calls Written with the offset processing starts at and does not
// write again any record whose source offset is in the returned list: a
// processor that crashed after writing but before committing then leaves no
// duplicate in this sink.
type Resumer interface {
	// Written returns, in increasing order, the source offsets at or after
	// from of records from src that the sink holds. ok is false when the sink
	// cannot tell (its placement does not follow the source partition); the
	// runtime then writes everything.
	Written(ctx context.Context, src TopicPartition, from int64) (offsets []int64, ok bool, err error)
}
