package stream

import (
	"strconv"
	"time"
)

// Header names veil writes on every record it produces.
const (
	// HeaderSourceTopic names the input topic a record came from.
	HeaderSourceTopic = "veil-source-topic"
	// HeaderSourcePartition is the input partition, in decimal.
	HeaderSourcePartition = "veil-source-partition"
	// HeaderSourceOffset is the input offset, in decimal.
	HeaderSourceOffset = "veil-source-offset"
	// HeaderPolicyVersion names the policy (or "passthrough") that produced
	// an output record.
	HeaderPolicyVersion = "veil-policy-version"
	// HeaderActions lists what the Transform did to the event (paths, entity
	// types and actions, never values), as [Meta].Actions reports it.
	HeaderActions = "veil-actions"
	// HeaderDLQReason says why a record was dead-lettered.
	HeaderDLQReason = "veil-dlq-reason"
	// HeaderDLQOutput names the output whose Transform rejected the event;
	// absent when the runtime itself dead-lettered it (size limit).
	HeaderDLQOutput = "veil-dlq-output"
)

// PassthroughVersion is the policy version written by outputs that have no
// Transform and copy values unchanged.
const PassthroughVersion = "passthrough"

// Header is one record header.
type Header struct {
	// Key is the header name.
	Key string
	// Value is the header value.
	Value []byte
}

// TopicPartition names one partition of one topic.
type TopicPartition struct {
	// Topic is the topic name.
	Topic string
	// Partition is the partition number.
	Partition int32
}

// String returns "topic/partition".
func (tp TopicPartition) String() string {
	return tp.Topic + "/" + strconv.FormatInt(int64(tp.Partition), 10)
}

// Record is one raw input event. The runtime owns it: a Transform must not
// keep any of its slices after it returns.
type Record struct {
	// Topic is the input topic.
	Topic string
	// Partition is the input partition.
	Partition int32
	// Offset is the record's offset in its partition.
	Offset int64
	// Key is the record key; nil when the record has none.
	Key []byte
	// Value is the raw event.
	Value []byte
	// Headers are the record's headers as produced.
	Headers []Header
	// Time is the record's timestamp.
	Time time.Time
}

// OutRecord is one record handed to a [Sink]. Its slices are owned by the
// runtime and valid only until Sink.Write returns.
type OutRecord struct {
	// Key is the record key (nil for none).
	Key []byte
	// Value is the event to publish.
	Value []byte
	// Headers carry lineage and action tags (and, on dead letters, the
	// input's own headers first).
	Headers []Header
	// Source is the input partition the record came from; sinks that keep the
	// input's partitioning place the record by Source.Partition.
	Source TopicPartition
	// SourceOffset is the input offset the record came from.
	SourceOffset int64
	// Time is the input record's timestamp.
	Time time.Time
}

// Batch is a run of consecutive records fetched from one input partition.
type Batch struct {
	// Source is the partition the records come from.
	Source TopicPartition
	// Records are in offset order. Their offsets are increasing but need not
	// be contiguous (compaction, transaction markers).
	Records []Record
	// HighWater is the partition's high-water mark when the batch was
	// fetched; HighWater minus the next offset is the consumer lag.
	HighWater int64
	// Bytes is the total size of the records' keys and values.
	Bytes int
	// HeaderStore is backing storage for the records' Headers, kept with
	// the batch so a Source can reuse it; the processing loop ignores it.
	HeaderStore []Header
}

// NextOffset is the offset to commit once the whole batch is done: one past
// its last record. It is -1 for an empty batch.
func (b *Batch) NextOffset() int64 {
	if len(b.Records) == 0 {
		return -1
	}
	return b.Records[len(b.Records)-1].Offset + 1
}
