package kafkaio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/stream"
)

// sinkRetries is how many more times a Sink writes the records a write
// failed for, after kafka-go's own retries, before giving up.
const sinkRetries = 3

// Sink writes one output's records to a Kafka topic. It implements
// stream.Sink, and stream.Resumer when its partitioning is "source".
type Sink struct {
	topic        string
	partitioning string
	scan         int
	conn         *connector
	w            *kafka.Writer
	bufs         sync.Pool // *sinkBuf
}

type sinkBuf struct {
	msgs []kafka.Message
	hdrs []kafka.Header
	idx  []int
}

// NewSink returns a Sink for out, with the cluster, security and producer
// settings of c. c must have been validated.
func NewSink(c *Config, out OutputConfig) (*Sink, error) {
	cn, err := newConnector(c)
	if err != nil {
		return nil, err
	}
	return newSink(c, cn, out), nil
}

func newSink(c *Config, cn *connector, out OutputConfig) *Sink {
	acks := kafka.RequireAll
	if c.Producer.RequiredAcks == "one" {
		acks = kafka.RequireOne
	}
	s := &Sink{
		topic:        out.Topic,
		partitioning: out.Partitioning,
		scan:         c.Producer.ResumeScanRecords,
		conn:         cn,
		w: &kafka.Writer{
			Addr:         kafka.TCP(c.Brokers...),
			Topic:        out.Topic,
			Balancer:     balancer(out.Partitioning, c.Producer.Balancer),
			MaxAttempts:  10,
			BatchSize:    c.Producer.BatchRecords,
			BatchBytes:   int64(c.Producer.BatchBytes),
			BatchTimeout: c.Producer.BatchTimeout,
			WriteTimeout: c.Producer.WriteTimeout,
			ReadTimeout:  c.Producer.WriteTimeout,
			RequiredAcks: acks,
			Compression:  compression(c.Producer.Compression),
			Transport:    cn.transport(),
		},
	}
	s.bufs.New = func() any { return new(sinkBuf) }
	return s
}

// Topic returns the topic the sink writes.
func (s *Sink) Topic() string { return s.topic }

// Write produces recs and returns once the brokers acknowledged all of them.
// Records a write fails for are written again, in order, up to three times
// with backoff.
func (s *Sink) Write(ctx context.Context, recs []stream.OutRecord) error {
	if len(recs) == 0 {
		return nil
	}
	b := s.bufs.Get().(*sinkBuf)
	defer func() {
		clear(b.msgs)
		clear(b.hdrs)
		b.msgs, b.hdrs, b.idx = b.msgs[:0], b.hdrs[:0], b.idx[:0]
		s.bufs.Put(b)
	}()
	n := 0
	for i := range recs {
		n += len(recs[i].Headers)
	}
	b.hdrs = slices.Grow(b.hdrs[:0], n)
	for i := range recs {
		r := &recs[i]
		h := len(b.hdrs)
		for _, x := range r.Headers {
			b.hdrs = append(b.hdrs, kafka.Header{Key: x.Key, Value: x.Value})
		}
		// Topic stays empty: the Writer has its own, and kafka-go refuses a
		// message naming one as well. Partition is read by sourceBalancer
		// only.
		b.msgs = append(b.msgs, kafka.Message{
			Partition: int(r.Source.Partition),
			Key:       r.Key,
			Value:     r.Value,
			Headers:   b.hdrs[h:len(b.hdrs):len(b.hdrs)],
			Time:      r.Time,
		})
	}
	msgs := b.msgs
	for attempt := 0; ; attempt++ {
		err := s.w.WriteMessages(ctx, msgs...)
		if err == nil {
			return nil
		}
		var werrs kafka.WriteErrors
		if !errors.As(err, &werrs) || attempt == sinkRetries || ctx.Err() != nil {
			return fmt.Errorf("kafka sink %s: writing %d records: %w", s.topic, len(msgs), err)
		}
		// Keep only the failed messages, in order, and write them again.
		failed := msgs[:0]
		for i, e := range werrs {
			if e != nil {
				failed = append(failed, msgs[i])
			}
		}
		msgs = failed
		t := time.NewTimer(time.Duration(250<<attempt) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("kafka sink %s: writing %d records: %w (then %w)", s.topic, len(msgs), err, ctx.Err())
		case <-t.C:
		}
	}
}

// Close flushes and closes the writer.
func (s *Sink) Close() error {
	if err := s.w.Close(); err != nil {
		return fmt.Errorf("kafka sink %s: closing: %w", s.topic, err)
	}
	return nil
}

// Written implements stream.Resumer for "source" partitioning: it reads the
// end of the output partition numbered like src (at most
// producer.resume_scan_records records back) and returns the source offsets
// at or after from of records that came from src. It fails when the output
// topic has too few partitions to keep src's partitioning.
func (s *Sink) Written(ctx context.Context, src stream.TopicPartition, from int64) ([]int64, bool, error) {
	if s.partitioning != PartitionSource {
		return nil, false, nil
	}
	d := s.conn.dialer()
	var parts []kafka.Partition
	var err error
	for _, b := range s.conn.brokers {
		if parts, err = d.LookupPartitions(ctx, "tcp", b, s.topic); err == nil {
			break
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("kafka sink %s: looking up partitions: %w", s.topic, err)
	}
	if !slices.ContainsFunc(parts, func(p kafka.Partition) bool { return p.ID == int(src.Partition) }) {
		return nil, false, fmt.Errorf("kafka sink %s: the topic has %d partitions, but partitioning %q needs partition %d for input %s; add partitions or use partitioning %q",
			s.topic, len(parts), PartitionSource, src.Partition, src, PartitionKey)
	}
	offs, err := scanLineage(ctx, d, s.conn.brokers, s.topic, int(src.Partition), s.scan, src, from)
	if err != nil {
		return nil, false, fmt.Errorf("kafka sink %s: reading partition %d back: %w", s.topic, src.Partition, err)
	}
	return offs, true, nil
}

// scanLineage reads partition part of topic backwards, in chunks, from its
// end and collects the source offsets >= from of records whose lineage
// headers name src. It stops at a record of src older than from (everything
// src wrote after it is then seen), at the start of the partition, or after
// limit records.
func scanLineage(ctx context.Context, d *kafka.Dialer, brokers []string, topic string, part, limit int, src stream.TopicPartition, from int64) ([]int64, error) {
	var conn *kafka.Conn
	var err error
	for _, b := range brokers {
		if conn, err = d.DialLeader(ctx, "tcp", b, topic, part); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dialing the leader: %w", err)
	}
	defer conn.Close()
	stopOnCancel := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopOnCancel()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	first, last, err := conn.ReadOffsets()
	if err != nil {
		return nil, fmt.Errorf("reading offsets: %w", err)
	}
	chunk := int64(min(limit, 2000))
	var out []int64
	end := last
	for end > first && last-end < int64(limit) {
		start := max(first, end-chunk)
		older := false
		if _, err := conn.Seek(start, kafka.SeekAbsolute|kafka.SeekDontCheck); err != nil {
			return nil, fmt.Errorf("seeking to %d: %w", start, err)
		}
		for next := start; next < end; {
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
			batch := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: MaxBatchBytes, MaxWait: 500 * time.Millisecond})
			n := 0
			for {
				m, err := batch.ReadMessage()
				if err != nil {
					break
				}
				n++
				next = m.Offset + 1
				if m.Offset >= end {
					break
				}
				t, p, o, ok := parseLineage(m.Headers)
				if !ok || p != src.Partition || t != src.Topic {
					continue
				}
				if o >= from {
					out = append(out, o)
				} else {
					older = true
				}
			}
			if err := batch.Close(); err != nil {
				return nil, fmt.Errorf("reading from %d: %w", next, err)
			}
			if n == 0 {
				// Nothing readable below end (a compacted or aborted range).
				break
			}
		}
		if older {
			break
		}
		end = start
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// parseLineage reads the source headers veil writes on every record. ok is
// false unless all three are present and well formed.
func parseLineage(hs []kafka.Header) (topic string, partition int32, offset int64, ok bool) {
	var haveT, haveP, haveO bool
	for _, h := range hs {
		switch h.Key {
		case stream.HeaderSourceTopic:
			topic, haveT = string(h.Value), len(h.Value) > 0
		case stream.HeaderSourcePartition:
			v, good := parseDecimal(h.Value, 1<<31-1)
			partition, haveP = int32(v), good
		case stream.HeaderSourceOffset:
			offset, haveO = parseDecimal(h.Value, 1<<63-1)
		}
	}
	return topic, partition, offset, haveT && haveP && haveO
}

// parseDecimal parses a non-negative decimal no greater than limit.
func parseDecimal(b []byte, limit int64) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if v > (limit-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}
