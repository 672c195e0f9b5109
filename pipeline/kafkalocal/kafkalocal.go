// Package kafkalocal runs an in-process Kafka-protocol cluster
// (github.com/twmb/franz-go/pkg/kfake) on the loopback interface, with
// helpers to produce events to it and read topics back with kafka-go. It
// serves `veil demo`, the end-to-end benchmark and integration tests: real
// TCP and the real Kafka protocol, no external service.
package kafkalocal

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/veilstream/veil/pipeline/stream"
)

// Topic is a topic to create with its partition count.
type Topic struct {
	Name       string
	Partitions int32
}

// Cluster is a running in-process broker.
type Cluster struct {
	c    *kfake.Cluster
	Addr string
}

// Start starts a single-broker cluster on 127.0.0.1 with the topics.
func Start(topics ...Topic) (*Cluster, error) {
	opts := []kfake.Opt{kfake.Ports(0), kfake.GroupMinSessionTimeout(100 * time.Millisecond)}
	for _, t := range topics {
		opts = append(opts, kfake.SeedTopics(t.Partitions, t.Name))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting in-process Kafka: %w", err)
	}
	return &Cluster{c: c, Addr: c.ListenAddrs()[0]}, nil
}

// Close stops the cluster.
func (c *Cluster) Close() {
	if c.c != nil {
		c.c.Close()
	}
}

// Message is a record to produce.
type Message struct {
	Key, Value []byte
}

// Producer writes records to one topic with the Murmur2 balancer, as Java
// clients place keys.
type Producer struct{ w *kafka.Writer }

// NewProducer returns a synchronous producer with a short batch timeout.
func (c *Cluster) NewProducer(topic string) *Producer {
	return &Producer{w: &kafka.Writer{
		Addr:         kafka.TCP(c.Addr),
		Topic:        topic,
		Balancer:     &kafka.Murmur2Balancer{},
		BatchTimeout: 2 * time.Millisecond,
		BatchSize:    1000,
		RequiredAcks: kafka.RequireAll,
	}}
}

// Write produces msgs and waits for the broker's acknowledgement.
func (p *Producer) Write(ctx context.Context, msgs ...Message) error {
	km := make([]kafka.Message, len(msgs))
	for i, m := range msgs {
		km[i] = kafka.Message{Key: m.Key, Value: m.Value}
	}
	return p.w.WriteMessages(ctx, km...)
}

// Close flushes and closes the producer.
func (p *Producer) Close() error { return p.w.Close() }

// Record is a record read back from a topic.
type Record struct {
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   map[string]string
	// Source* are the lineage headers veil writes, parsed.
	SourceTopic     string
	SourcePartition int
	SourceOffset    int64
	Time            time.Time
}

// ReadAll reads every record of every partition of topic.
func (c *Cluster) ReadAll(ctx context.Context, topic string) ([]Record, error) {
	return c.read(ctx, topic, nil)
}

// ReadFrom reads the records of topic past the per-partition offsets in
// from (missing partitions start at 0) and returns the next offsets too.
func (c *Cluster) ReadFrom(ctx context.Context, topic string, from map[int]int64) ([]Record, map[int]int64, error) {
	next := map[int]int64{}
	for k, v := range from {
		next[k] = v
	}
	recs, err := c.read(ctx, topic, next)
	return recs, next, err
}

func (c *Cluster) read(ctx context.Context, topic string, from map[int]int64) ([]Record, error) {
	return readTopic(ctx, &kafka.Dialer{}, c.Addr, topic, from)
}

// ReadTopic reads every record of every partition of topic from the broker
// at addr through d (nil: a plain connection), such as a broker that needs
// TLS or SASL, or one this package did not start.
func ReadTopic(ctx context.Context, d *kafka.Dialer, addr, topic string) ([]Record, error) {
	if d == nil {
		d = &kafka.Dialer{}
	}
	return readTopic(ctx, d, addr, topic, nil)
}

func readTopic(ctx context.Context, d *kafka.Dialer, addr, topic string, from map[int]int64) ([]Record, error) {
	parts, err := d.LookupPartitions(ctx, "tcp", addr, topic)
	if err != nil {
		return nil, fmt.Errorf("looking up %s: %w", topic, err)
	}
	var out []Record
	for _, p := range parts {
		conn, err := d.DialLeader(ctx, "tcp", addr, topic, p.ID)
		if err != nil {
			return nil, fmt.Errorf("dialing %s/%d: %w", topic, p.ID, err)
		}
		first, last, err := conn.ReadOffsets()
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("offsets of %s/%d: %w", topic, p.ID, err)
		}
		start := first
		if from != nil && from[p.ID] > start {
			start = from[p.ID]
		}
		if start < last {
			if _, err := conn.Seek(start, kafka.SeekAbsolute); err != nil {
				conn.Close()
				return nil, fmt.Errorf("seek %s/%d: %w", topic, p.ID, err)
			}
		}
		for next := start; next < last; {
			if dl, ok := ctx.Deadline(); ok {
				conn.SetDeadline(dl)
			} else {
				conn.SetDeadline(time.Now().Add(10 * time.Second))
			}
			b := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: 4 << 20, MaxWait: 100 * time.Millisecond})
			for {
				m, err := b.ReadMessage()
				if err != nil {
					break
				}
				next = m.Offset + 1
				r := Record{Partition: p.ID, Offset: m.Offset, Key: m.Key, Value: m.Value, Time: m.Time, Headers: map[string]string{}}
				for _, h := range m.Headers {
					r.Headers[h.Key] = string(h.Value)
				}
				r.SourceTopic = r.Headers[stream.HeaderSourceTopic]
				r.SourcePartition, _ = strconv.Atoi(r.Headers[stream.HeaderSourcePartition])
				r.SourceOffset, _ = strconv.ParseInt(r.Headers[stream.HeaderSourceOffset], 10, 64)
				out = append(out, r)
			}
			if err := b.Close(); err != nil {
				conn.Close()
				return nil, fmt.Errorf("reading %s/%d: %w", topic, p.ID, err)
			}
		}
		if from != nil {
			from[p.ID] = last
		}
		conn.Close()
	}
	return out, nil
}

// Count returns the number of records in topic (end offsets summed).
func (c *Cluster) Count(ctx context.Context, topic string) (int64, error) {
	parts, err := (&kafka.Dialer{}).LookupPartitions(ctx, "tcp", c.Addr, topic)
	if err != nil {
		return 0, fmt.Errorf("looking up %s: %w", topic, err)
	}
	var n int64
	for _, p := range parts {
		conn, err := kafka.DialLeader(ctx, "tcp", c.Addr, topic, p.ID)
		if err != nil {
			return 0, fmt.Errorf("dialing %s/%d: %w", topic, p.ID, err)
		}
		first, last, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			return 0, fmt.Errorf("offsets of %s/%d: %w", topic, p.ID, err)
		}
		n += last - first
	}
	return n, nil
}

// Remote returns a Cluster handle for reading an existing cluster at addr
// (its Close does nothing).
func Remote(addr string) *Cluster { return &Cluster{Addr: addr} }
