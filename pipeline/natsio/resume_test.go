package natsio_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
)

func offsets(from, to int64) []int64 {
	var out []int64
	for o := from; o < to; o++ {
		out = append(out, o)
	}
	return out
}

// written calls Written and fails the test on an error or ok=false.
func written(t *testing.T, s *natsio.Sink, src stream.TopicPartition, from int64) []int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	offs, ok, err := s.Written(ctx, src, from)
	if err != nil || !ok {
		t.Fatalf("Written(%v, %d): ok %t, %v", src, from, ok, err)
	}
	return offs
}

// TestWrittenReadsBack checks the read-back on per-partition subjects: it
// reports exactly what the stream holds at or after the offset asked, for
// the partition asked.
func TestWrittenReadsBack(t *testing.T) {
	srv := startServer(t)
	s := newSink(t, baseConfig(srv.ClientURL()))
	p0 := stream.TopicPartition{Topic: "in", Partition: 0}
	p1 := stream.TopicPartition{Topic: "in", Partition: 1}
	other := stream.TopicPartition{Topic: "other", Partition: 0}
	ctx := context.Background()

	if got := written(t, s, p0, 0); len(got) != 0 {
		t.Fatalf("empty stream: Written = %v", got)
	}
	for b := int64(0); b < 100; b += 25 {
		for _, src := range []stream.TopicPartition{p0, p1} {
			if err := s.Write(ctx, records(src, b, 25)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A hole: offset 110 was never written (say, dead-lettered).
	if err := s.Write(ctx, records(p0, 100, 10)); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, records(p0, 111, 9)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src  stream.TopicPartition
		from int64
		want []int64
	}{
		{p0, 120, nil},
		{p0, 500, nil},
		{p0, 90, append(offsets(90, 110), offsets(111, 120)...)},
		{p0, 0, append(offsets(0, 110), offsets(111, 120)...)},
		{p1, 60, offsets(60, 100)},
		{p1, 100, nil},
		{other, 0, nil},
	}
	for _, tt := range tests {
		if got := written(t, s, tt.src, tt.from); !slices.Equal(got, tt.want) {
			t.Errorf("Written(%v, %d) = %v, want %v", tt.src, tt.from, got, tt.want)
		}
	}
}

// TestWrittenOneSubjectManyWindows reads back from a single subject shared by
// two partitions, far enough to need several read windows, and ignores a
// message another client put on the subject with lineage headers but not
// this sink's message ID.
func TestWrittenOneSubjectManyWindows(t *testing.T) {
	srv := startServer(t)
	c := baseConfig(srv.ClientURL())
	c.Subject = "veil.all"
	s := newSink(t, c)
	p0 := stream.TopicPartition{Topic: "in", Partition: 0}
	p1 := stream.TopicPartition{Topic: "in", Partition: 1}
	ctx := context.Background()
	// Small interleaved batches: a gap between read windows would miss p0's
	// records wherever it fell.
	for b := int64(0); b < 3000; b += 20 {
		for _, src := range []stream.TopicPartition{p0, p1} {
			if err := s.Write(ctx, records(src, b, 20)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Someone else's message naming p0 offset 5000.
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	m := nats.NewMsg("veil.all")
	m.Header.Set(stream.HeaderSourceTopic, "in")
	m.Header.Set(stream.HeaderSourcePartition, "0")
	m.Header.Set(stream.HeaderSourceOffset, "5000")
	m.Header.Set(jetstream.MsgIDHeader, "someone-else-5000")
	if _, err := js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}

	begin := time.Now()
	if got, want := written(t, s, p0, 1000), offsets(1000, 3000); !slices.Equal(got, want) {
		t.Fatalf("Written(p0, 1000): %d offsets %v…, want %d from 1000 to 2999", len(got), got[:min(len(got), 5)], len(want))
	}
	t.Logf("read back 2000 of p0's records among 6001 messages in %s", time.Since(begin))
	if got := written(t, s, p1, 2999); !slices.Equal(got, []int64{2999}) {
		t.Fatalf("Written(p1, 2999) = %v", got)
	}

	// With a scan limit the answer is shorter, never wrong.
	c.ResumeScanMessages = 700
	c.CreateStream.Enabled = false
	limited := newSink(t, c)
	got := written(t, limited, p0, 0)
	if len(got) == 0 || len(got) > 700 {
		t.Fatalf("limited Written returned %d offsets, want 1..700", len(got))
	}
	for _, o := range got {
		if o < 0 || o >= 3000 {
			t.Fatalf("limited Written returned offset %d, which p0 does not hold", o)
		}
	}
	if !slices.Equal(got, offsets(3000-int64(len(got)), 3000)) {
		t.Fatalf("limited Written returned %d offsets not ending the partition: %v…", len(got), got[:5])
	}
}

// TestWrittenIgnoresOtherPrefix shares one subject between two sinks with
// different msg_id_prefix: each reads back only its own records.
func TestWrittenIgnoresOtherPrefix(t *testing.T) {
	srv := startServer(t)
	a := baseConfig(srv.ClientURL())
	a.MsgIDPrefix = "a-"
	b := a
	b.MsgIDPrefix = "b-"
	b.CreateStream.Enabled = false
	sa := newSink(t, a)
	sb := newSink(t, b)
	src := stream.TopicPartition{Topic: "in", Partition: 0}
	if err := sa.Write(context.Background(), records(src, 0, 50)); err != nil {
		t.Fatal(err)
	}
	if err := sb.Write(context.Background(), records(src, 0, 20)); err != nil {
		t.Fatal(err)
	}
	if got := written(t, sa, src, 10); !slices.Equal(got, offsets(10, 50)) {
		t.Errorf("sink a: Written = %v", got)
	}
	if got := written(t, sb, src, 10); !slices.Equal(got, offsets(10, 20)) {
		t.Errorf("sink b: Written = %v", got)
	}
	if id := sa.MsgID(src, 7); id != "a-in-0-7" {
		t.Errorf("MsgID = %q", id)
	}
}
