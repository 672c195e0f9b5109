package natsio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/stream"
)

// firstScanWindow is the stream-sequence span Written reads first; each
// further window going back is twice as long.
const firstScanWindow = 1024

// Written implements stream.Resumer. It reads src's subject back from its
// last message, window by window towards older messages, and returns the
// source offsets at or after from of the messages whose lineage headers name
// src and whose Nats-Msg-Id is the one this sink gives that record (so
// messages another writer put on the subject are never counted). It stops at
// a message of src older than from: src's records are written in order, and
// a batch is written only after the one before it was committed, so nothing
// of src at or after from is older than that message. It also stops at the
// start of the stream and after resume_scan_messages messages.
//
// Stopping early only makes the list shorter, and a record missing from it
// is written again (and dropped by the duplicate window if it is still
// open); an offset is listed only if its message was read from the stream.
func (s *Sink) Written(ctx context.Context, src stream.TopicPartition, from int64) ([]int64, bool, error) {
	subj := s.Subject(src)
	last, err := s.st.GetLastMsgForSubject(ctx, subj)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("nats sink %s: reading the last message of %s: %w", s.cfg.Stream, subj, err)
	}
	if off, ok := s.lineage(last.Header, src); ok && off < from {
		return nil, true, nil // the common case: nothing past the commit
	}
	info, err := s.st.Info(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("nats sink %s: stream info: %w", s.cfg.Stream, err)
	}
	first := max(info.State.FirstSeq, 1)
	var offs []int64
	scanned := 0
	end := last.Sequence // inclusive
	for span := uint64(firstScanWindow); ; span *= 2 {
		// The window never holds more sequences than messages may still be
		// read, so the newest are the ones read.
		left := uint64(s.cfg.ResumeScanMessages - scanned)
		start := first
		if w := min(span, left); end >= first+w {
			start = end - w + 1
		}
		n, older, err := s.scan(ctx, subj, src, from, start, end, int(left), &offs)
		if err != nil {
			return nil, false, fmt.Errorf("nats sink %s: reading %s back from sequence %d: %w", s.cfg.Stream, subj, start, err)
		}
		scanned += n
		if older || start <= first || scanned >= s.cfg.ResumeScanMessages {
			break
		}
		end = start - 1
	}
	slices.Sort(offs)
	return slices.Compact(offs), true, nil
}

// scan reads the messages of subj with stream sequences in [start, end]
// (headers only), appending to offs the offsets >= from of src's records.
// It reads at most limit messages and reports whether it met a record of src
// older than from.
func (s *Sink) scan(ctx context.Context, subj string, src stream.TopicPartition, from int64, start, end uint64, limit int, offs *[]int64) (n int, older bool, err error) {
	if limit <= 0 {
		return 0, false, nil
	}
	cons, err := s.st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{subj},
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       start,
		HeadersOnly:       true,
		InactiveThreshold: 10 * time.Second,
	})
	if err != nil {
		return 0, false, fmt.Errorf("creating a reader: %w", err)
	}
	defer s.deleteConsumer(cons)
	want := int(min(end-start+1, uint64(limit)))
	for n < want {
		batch, err := cons.FetchNoWait(min(want-n, 1000))
		if err != nil {
			return n, older, fmt.Errorf("fetching: %w", err)
		}
		got := 0
		past := false
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil || md.Sequence.Stream > end {
				past = true
				continue // drain the batch
			}
			n++
			if off, ok := s.lineage(m.Headers(), src); ok {
				if off >= from {
					*offs = append(*offs, off)
				} else {
					older = true
				}
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrNoMessages) {
			return n, older, fmt.Errorf("fetching: %w", err)
		}
		if got == 0 || past {
			break
		}
		if err := ctx.Err(); err != nil {
			return n, older, err
		}
	}
	return n, older, nil
}

func (s *Sink) deleteConsumer(cons jetstream.Consumer) {
	info := cons.CachedInfo()
	if info == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Best effort: the server removes it after its inactive threshold anyway.
	_ = s.st.DeleteConsumer(ctx, info.Name)
}

// lineage returns the source offset of a message this sink wrote for a record
// of src: its veil lineage headers (the last value of each, since a dead
// letter carries the input's own headers first) name src, and its
// Nats-Msg-Id is the one this sink gives that record.
func (s *Sink) lineage(h nats.Header, src stream.TopicPartition) (int64, bool) {
	topic := lastValue(h, stream.HeaderSourceTopic)
	if topic != src.Topic {
		return 0, false
	}
	p, ok := parseDecimal(lastValue(h, stream.HeaderSourcePartition), 1<<31-1)
	if !ok || int32(p) != src.Partition {
		return 0, false
	}
	off, ok := parseDecimal(lastValue(h, stream.HeaderSourceOffset), 1<<63-1)
	if !ok {
		return 0, false
	}
	var buf [128]byte
	if id := h.Get(msgIDHeader); id != string(s.appendMsgID(buf[:0], src, off)) {
		return 0, false
	}
	return off, true
}

func lastValue(h nats.Header, key string) string {
	vs := h[key]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// parseDecimal parses a non-negative decimal no greater than limit.
func parseDecimal(s string, limit int64) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
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
