package natsio_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
)

// TestWriteDeliversOnceInOrderWithHeaders writes three source partitions
// from concurrent goroutines, in batches, and reads the stream back: every
// record is there once, on its partition's subject, with its value, key and
// headers, and in source order per partition.
func TestWriteDeliversOnceInOrderWithHeaders(t *testing.T) {
	srv := startServer(t)
	c := baseConfig(srv.ClientURL())
	c.MaxInFlight = 64 // smaller than a batch: Write must wait for acks to publish more
	s := newSink(t, c)

	const perPartition, batch = 600, 150
	srcs := []stream.TopicPartition{{Topic: "web.events", Partition: 0}, {Topic: "web.events", Partition: 1}, {Topic: "app", Partition: 0}}
	want := map[string]stream.OutRecord{}
	var wg sync.WaitGroup
	errs := make(chan error, len(srcs))
	for _, src := range srcs {
		all := records(src, 0, perPartition)
		for _, r := range all {
			want[s.MsgID(src, r.SourceOffset)] = r
		}
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for i := 0; i < len(all); i += batch {
				if err := s.Write(ctx, all[i:i+batch]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Write: %v", err)
	}

	got := readStream(t, srv.ClientURL(), "CLEAN")
	if len(got) != len(want) {
		t.Fatalf("stream holds %d messages, want %d", len(got), len(want))
	}
	last := map[string]int64{}
	seen := map[string]bool{}
	for _, m := range got {
		id := m.header.Get(jetstream.MsgIDHeader)
		r, ok := want[id]
		if !ok {
			t.Fatalf("unexpected message id %q", id)
		}
		if seen[id] {
			t.Fatalf("message %q stored twice", id)
		}
		seen[id] = true
		if wantSubj := s.Subject(r.Source); m.subject != wantSubj {
			t.Errorf("%s on subject %q, want %q", id, m.subject, wantSubj)
		}
		if m.data != string(r.Value) {
			t.Errorf("%s value %q, want %q", id, m.data, r.Value)
		}
		if k := m.header.Get(natsio.HeaderKey); k != string(r.Key) {
			t.Errorf("%s key header %q, want %q", id, k, r.Key)
		}
		for _, h := range r.Headers {
			if v := m.header.Values(h.Key); len(v) != 1 || v[0] != string(h.Value) {
				t.Errorf("%s header %s = %q, want [%q]", id, h.Key, v, h.Value)
			}
		}
		if v := m.header.Get(jetstream.ExpectedStreamHeader); v != "CLEAN" {
			t.Errorf("%s: Nats-Expected-Stream %q", id, v)
		}
		p := r.Source.String()
		if prev, ok := last[p]; ok && r.SourceOffset <= prev {
			t.Fatalf("%s: offset %d stored after %d", p, r.SourceOffset, prev)
		}
		last[p] = r.SourceOffset
	}
	if s.Subject(srcs[0]) != "veil.clean.web_events.0" {
		t.Errorf("subject of %v is %q; {topic} must be one token", srcs[0], s.Subject(srcs[0]))
	}
	if n := s.Reordered(); n != 0 {
		t.Errorf("Reordered() = %d", n)
	}
}

// TestReplayedBatchIsDeduplicated writes a batch twice, as a processor
// restarted after a crash does: the stream keeps one copy, found by its
// Nats-Msg-Id.
func TestReplayedBatchIsDeduplicated(t *testing.T) {
	srv := startServer(t)
	s := newSink(t, baseConfig(srv.ClientURL()))
	src := stream.TopicPartition{Topic: "in", Partition: 3}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Write(ctx, records(src, 100, 200)); err != nil {
		t.Fatal(err)
	}
	// The replay overlaps: 150..249 again, then 300..349 new.
	if err := s.Write(ctx, records(src, 150, 100)); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, records(src, 300, 50)); err != nil {
		t.Fatal(err)
	}
	// A second sink (a restarted processor) replays the first batch.
	s2 := newSink(t, baseConfig(srv.ClientURL()))
	if err := s2.Write(ctx, records(src, 100, 200)); err != nil {
		t.Fatal(err)
	}
	got := readStream(t, srv.ClientURL(), "CLEAN")
	if len(got) != 250 {
		t.Fatalf("stream holds %d messages, want 250 (200 + 50, replays dropped)", len(got))
	}
	for i, m := range got {
		want := int64(100 + i)
		if i >= 200 {
			want = int64(300 + i - 200)
		}
		if m.offset != want {
			t.Fatalf("message %d has offset %d, want %d", i, m.offset, want)
		}
		if id := m.header.Get(jetstream.MsgIDHeader); id != "in-3-"+strconv.FormatInt(want, 10) {
			t.Fatalf("message %d: Nats-Msg-Id %q", i, id)
		}
	}
}

// TestMsgIDPrefixSeparatesOutputs puts two outputs in one stream: with
// distinct prefixes neither drops the other's records.
func TestMsgIDPrefixSeparatesOutputs(t *testing.T) {
	srv := startServer(t)
	a := baseConfig(srv.ClientURL())
	a.Subject, a.MsgIDPrefix = "veil.a.{topic}.{partition}", "a-"
	a.CreateStream.Subjects = []string{"veil.>"}
	b := baseConfig(srv.ClientURL())
	b.Subject, b.MsgIDPrefix = "veil.b.{topic}.{partition}", "b-"
	b.CreateStream.Enabled = false
	sa := newSink(t, a)
	sb := newSink(t, b)
	src := stream.TopicPartition{Topic: "in", Partition: 0}
	ctx := context.Background()
	if err := sa.Write(ctx, records(src, 0, 10)); err != nil {
		t.Fatal(err)
	}
	if err := sb.Write(ctx, records(src, 0, 10)); err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, srv.ClientURL(), "CLEAN"); n != 20 {
		t.Fatalf("stream holds %d messages, want 20", n)
	}
}

// TestHeadersNATSCannotCarry writes a dead letter whose input headers hold
// CR/LF, a JetStream control header and a name with a separator: they come
// back encoded, decode to what was given, and the injected Nats-Msg-Id has
// no effect.
func TestHeadersNATSCannotCarry(t *testing.T) {
	srv := startServer(t)
	s := newSink(t, baseConfig(srv.ClientURL()))
	src := stream.TopicPartition{Topic: "in", Partition: 0}
	recs := records(src, 0, 2)
	odd := []stream.Header{
		{Key: "trace", Value: []byte("line1\r\nNats-Msg-Id: in-0-1")},
		{Key: "Nats-Msg-Id", Value: []byte("in-0-1")},
		{Key: "nats-expected-stream", Value: []byte("OTHER")},
		{Key: "a:b", Value: []byte("x")},
		{Key: "padded", Value: []byte(" v ")},
		{Key: "binary", Value: []byte{0, 1, 2, 0xff}},
		{Key: "plain", Value: []byte("kept as is")},
	}
	recs[0].Headers = append(odd, recs[0].Headers...)
	recs[0].Key = []byte("key\nwith newline")
	if err := s.Write(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	got := readStream(t, srv.ClientURL(), "CLEAN")
	if len(got) != 2 {
		t.Fatalf("stream holds %d messages, want 2 (an input header must not deduplicate record 1)", len(got))
	}
	h := got[0].header
	if id := h.Get(jetstream.MsgIDHeader); id != "in-0-0" {
		t.Fatalf("Nats-Msg-Id %q, want in-0-0", id)
	}
	if v := h.Get("plain"); v != "kept as is" {
		t.Errorf("plain header %q", v)
	}
	decoded := map[string]string{}
	for k, vs := range h {
		for _, v := range vs {
			dk, dv, ok := natsio.DecodeHeader(k, v)
			if !ok {
				t.Fatalf("header %s: %q does not decode", k, v)
			}
			decoded[dk] = string(dv)
		}
		if strings.HasPrefix(k, natsio.EncodedHeaderPrefix) {
			continue
		}
		if strings.ContainsAny(strings.Join(vs, ""), "\r\n") {
			t.Errorf("header %s carries a line break", k)
		}
	}
	for _, x := range odd {
		if x.Key == "Nats-Msg-Id" {
			continue // the record's own ID shares the name; checked above
		}
		if decoded[x.Key] != string(x.Value) {
			t.Errorf("header %q decoded to %q, want %q", x.Key, decoded[x.Key], x.Value)
		}
	}
	if decoded[natsio.HeaderKey] != "key\nwith newline" {
		t.Errorf("key decoded to %q", decoded[natsio.HeaderKey])
	}
}

// TestWriteHonoursContext cancels Writes that cannot complete (the server
// is gone): they return the context's error promptly, although retry_timeout
// is far longer, and a Write with a done context publishes nothing. The
// in-flight slots of the abandoned records come back: once the server
// returns, a Write larger than max_in_flight goes through.
func TestWriteHonoursContext(t *testing.T) {
	dir := t.TempDir()
	opts := func() *server.Options {
		return &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true}
	}
	srv := runServer(t, opts())
	url := srv.ClientURL()
	c := baseConfig(url)
	c.RetryTimeout = 5 * time.Minute
	c.PublishTimeout = time.Second
	c.MaxInFlight = 100
	s := newSink(t, c)
	src := stream.TopicPartition{Topic: "in", Partition: 0}

	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if err := s.Write(done, records(src, 0, 10)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a cancelled context: %v, want context.Canceled", err)
	}
	if n := streamMsgs(t, url, "CLEAN"); n != 0 {
		t.Fatalf("a Write with a cancelled context stored %d messages", n)
	}

	port := srv.Addr().(*net.TCPAddr).Port
	srv.Shutdown()
	srv.WaitForShutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := s.Write(ctx, records(src, 10, 500))
	took := time.Since(begin)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write to a stopped server: %v, want context.DeadlineExceeded", err)
	}
	if took > 3*time.Second {
		t.Fatalf("Write returned %s after its deadline", took-300*time.Millisecond)
	}
	t.Logf("returned %s after the start, error: %v", took, err)

	o := opts()
	o.Port = port
	runServer(t, o)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	if err := s.Write(ctx2, records(src, 10, 500)); err != nil {
		t.Fatalf("Write after the server came back: %v", err)
	}
	if n := streamMsgs(t, url, "CLEAN"); n != 500 {
		t.Fatalf("stream holds %d messages, want 500", n)
	}
}

// TestWriteRetriesAcrossServerRestart restarts the server (same port, same
// store) while batches are being written: the Writes retry through the
// outage and every record is stored exactly once.
func TestWriteRetriesAcrossServerRestart(t *testing.T) {
	dir := t.TempDir()
	opts := func() *server.Options {
		return &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true}
	}
	srv := runServer(t, opts())
	url := srv.ClientURL()
	port := srv.Addr().(*net.TCPAddr).Port
	c := baseConfig(url)
	c.PublishTimeout = time.Second
	c.RetryTimeout = 30 * time.Second
	s := newSink(t, c)
	src := stream.TopicPartition{Topic: "in", Partition: 0}

	const total, batch = 4000, 200
	var written sync.WaitGroup
	var werr error
	progress := make(chan int, total/batch)
	written.Go(func() {
		for off := 0; off < total; off += batch {
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			werr = s.Write(ctx, records(src, int64(off), batch))
			cancel()
			if werr != nil {
				return
			}
			progress <- off
		}
	})
	// Restart after a few batches are in.
	for range 3 {
		<-progress
	}
	srv.Shutdown()
	srv.WaitForShutdown()
	time.Sleep(300 * time.Millisecond)
	o := opts()
	o.Port = port
	runServer(t, o)
	written.Wait()
	if werr != nil {
		t.Fatalf("Write across the restart: %v", werr)
	}
	got := readStream(t, url, "CLEAN")
	if len(got) != total {
		t.Fatalf("stream holds %d messages, want %d", len(got), total)
	}
	for i, m := range got {
		if m.offset != int64(i) {
			var near []int64
			for _, n := range got[max(0, i-3):min(len(got), i+4)] {
				near = append(near, n.offset)
			}
			t.Fatalf("message %d has offset %d (duplicate or out of order); offsets around it: %v", i, m.offset, near)
		}
	}
}

// TestNewSinkStreamChecks refuses a missing stream without create_stream,
// and a stream that does not capture the template's subjects.
func TestNewSinkStreamChecks(t *testing.T) {
	srv := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	c := baseConfig(srv.ClientURL())
	c.CreateStream = natsio.CreateStreamConfig{}
	if _, err := natsio.NewSink(ctx, c); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing stream: %v", err)
	}

	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "OTHER", Subjects: []string{"veil.clean.fixed.*"}}); err != nil {
		t.Fatal(err)
	}
	c.Stream = "OTHER"
	if _, err := natsio.NewSink(ctx, c); err == nil || !strings.Contains(err.Error(), "do not cover") {
		t.Fatalf("stream not covering the subjects: %v", err)
	}
	c.Subject = "veil.clean.fixed.{partition}"
	s, err := natsio.NewSink(ctx, c)
	if err != nil {
		t.Fatalf("stream covering the subjects: %v", err)
	}
	_ = s.Close()
	if err := s.Write(ctx, records(stream.TopicPartition{Topic: "in"}, 0, 1)); !errors.Is(err, natsio.ErrClosed) {
		t.Fatalf("Write after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestWritePermanentErrorFailsAtOnce gives the server a record larger than
// its max_payload: the Write fails at once, naming the cause, instead of
// retrying for retry_timeout; the records before it are stored.
func TestWritePermanentErrorFailsAtOnce(t *testing.T) {
	srv := startServer(t, func(o *server.Options) { o.MaxPayload = 4096 })
	c := baseConfig(srv.ClientURL())
	c.RetryTimeout = time.Minute
	s := newSink(t, c)
	recs := records(stream.TopicPartition{Topic: "in", Partition: 0}, 0, 5)
	recs[3].Value = make([]byte, 8192)
	begin := time.Now()
	err := s.Write(context.Background(), recs)
	if !errors.Is(err, nats.ErrMaxPayload) {
		t.Fatalf("Write of an oversized record: %v, want nats.ErrMaxPayload", err)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Fatalf("a permanent error took %s to report", took)
	}
	if n := streamMsgs(t, srv.ClientURL(), "CLEAN"); n != 3 {
		t.Fatalf("stream holds %d messages, want the 3 before the oversized one", n)
	}
	t.Logf("error: %v", err)
}
