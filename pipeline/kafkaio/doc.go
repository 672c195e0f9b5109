// Package kafkaio connects veil's processing loop (package pipeline/stream)
// to Kafka with github.com/segmentio/kafka-go: a consumer-group [Source], a
// [Sink] per output topic, their [Config], and [NewProcessor], which builds a
// ready-to-run stream.Processor from them.
//
// # Consuming
//
// The Source uses kafka-go's ConsumerGroup API rather than a group Reader:
// the runtime needs to know when each partition is assigned (to apply the
// resume rule before processing) and to commit offsets per partition exactly
// when every output has acknowledged a batch. Each claimed partition gets a
// connection to its leader and a fetch loop; one fetch response (at most
// consumer.batch_records records) becomes one batch. A semaphore bounds the
// batches in flight across partitions, so a slow output makes fetching wait
// instead of buffering. Commits go through the generation that assigned the
// partition; when a rebalance starts, each claim finishes and commits its
// current batch before the processor rejoins the group.
//
// # Producing
//
// Each output is a kafka-go Writer in synchronous mode with a small
// BatchTimeout (a synchronous Writer with the default one-second timeout
// crawls at about a thousand events a second). Records are built fresh, so no
// fetched message's Topic ever reaches a Writer that has its own. Outputs
// with partitioning "source" write each record to the partition number of its
// input partition and implement stream.Resumer by reading back the lineage
// headers at the end of that partition; outputs with partitioning "key" use
// the Murmur2 balancer by default, which places keys as Java clients do
// (kafka.Hash does not).
//
// kafka-go has no idempotent producer and no transactions; the resume rule is
// what keeps restarts free of duplicates on "source" outputs.
package kafkaio
