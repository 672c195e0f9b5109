// Package natsio connects veil's processing loop (package pipeline/stream)
// to NATS JetStream with github.com/nats-io/nats.go: a [Sink] that publishes
// one output's records to a stream, and its [Config].
//
// # Subjects
//
// Each record is published to the subject rendered from the config's
// template, where {topic} and {partition} stand for the record's source
// topic and partition: "veil.clean.{topic}.{partition}" gives every input
// partition a subject of its own. The stream must capture those subjects;
// NewSink checks it, and can create the stream when it is missing.
//
// # Headers
//
// The record's headers (veil's lineage, policy version and action tags; on
// dead letters also the input's own headers) become NATS headers, and the
// record key, which NATS messages lack, travels in [HeaderKey]. NATS headers
// are a map: the values of one name keep their order, names do not. A
// header NATS cannot carry unchanged (a value with control characters or
// surrounding spaces, a name with separators) or that JetStream would obey
// (a name starting with "Nats-", such as an input header trying to set a
// message ID) is written base64-encoded under a name starting with
// [EncodedHeaderPrefix]; [DecodeHeader] restores it.
//
// # Delivery and duplicates
//
// Write publishes the records asynchronously, keeping at most max_in_flight
// unacknowledged across the sink, waits for every acknowledgement in order
// and retries transient failures (no acknowledgement within
// publish_timeout, a lost connection, a stream briefly without a leader)
// with backoff, for up to retry_timeout and never past its context.
//
// Every message carries Nats-Msg-Id "<source-topic>-<partition>-<offset>"
// (after msg_id_prefix): JetStream drops a message whose ID it stored within
// the stream's duplicate window. That is what makes retries safe (a record
// whose acknowledgement was lost is stored once), and what drops the batch
// a restarted processor writes again after a crash, when the restart comes
// within the window. Several outputs writing to one stream need distinct
// msg_id_prefix values, or they drop each other's records.
//
// The sink also implements stream.Resumer: when a partition is claimed,
// [Sink.Written] reads the partition's subject back from its last message
// and reports the source offsets it holds past the committed offset, so the
// runtime does not write them again even after the duplicate window has
// closed. It counts only messages whose lineage headers and Nats-Msg-Id are
// the ones this sink writes for that record, and stops early rather than
// guess, so it can cause a duplicate but never a loss. With both, a
// processor killed at any moment leaves no duplicate in the stream.
//
// # Ordering
//
// Records of one source partition are published in order on one connection
// and the server stores them in that order. Two rules keep a retry from
// breaking it: nothing is ever left in nats.go's reconnect buffer (which
// would be sent blindly on reconnection, possibly to a stream still
// recovering that refuses the first records and stores later ones), and a
// retry starts only once the stream answers an info request again. It then
// republishes from the first failed record on, and the records already
// stored after it are dropped as duplicates in place. A stream that refuses
// one record and stores a later one of the same attempt (conceivable while
// a clustered stream changes leader) still stores the retried record after
// it: the sink cannot take a stored message back, so it counts the case in
// [Sink.Reordered] and logs it.
//
// # Allocation
//
// nats.go needs a nats.Msg and a header map per record (and allocates
// several objects per publish and acknowledgement); the sink adds nothing
// per header: the header values of a batch share one string.
//
// # Security
//
// TLS (a CA file, a client certificate for mutual TLS) and one
// authentication method (user and password, token, .creds file or nkey
// seed) are configured with secrets read from files or environment
// variables. The config holds only their locations; its String and
// LogValue never show a secret, and credentials in server URLs are refused.
//
// The sink's user needs, besides publishing to the subjects, the JetStream
// API calls it makes on the stream ($JS.API.…): STREAM.INFO (at start and
// before a retry), STREAM.CREATE when it creates the stream, and for the
// read-back STREAM.MSG.GET (DIRECT.GET on streams that allow direct gets),
// CONSUMER.CREATE, CONSUMER.MSG.NEXT and CONSUMER.DELETE; it subscribes to
// its own inbox (_INBOX.>) for acknowledgements.
package natsio
