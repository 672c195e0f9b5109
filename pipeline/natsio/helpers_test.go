package natsio_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
)

// startServer runs an in-process nats-server with JetStream on 127.0.0.1 and
// a random port, storing streams in a temporary directory. tweaks adjust the
// options (TLS, users) before it starts.
func startServer(t testing.TB, tweaks ...func(*server.Options)) *server.Server {
	t.Helper()
	o := &server.Options{
		Host:               "127.0.0.1",
		Port:               server.RANDOM_PORT,
		JetStream:          true,
		StoreDir:           t.TempDir(),
		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  512 << 20,
		NoLog:              true,
		NoSigs:             true,
	}
	for _, tw := range tweaks {
		tw(o)
	}
	return runServer(t, o)
}

func runServer(t testing.TB, o *server.Options) *server.Server {
	t.Helper()
	s, err := server.NewServer(o)
	if err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		t.Fatal("nats-server not ready within 10s")
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s
}

// baseConfig is a sink config for tests: a file stream created on demand,
// short timeouts.
func baseConfig(url string) natsio.Config {
	return natsio.Config{
		URLs:           []string{url},
		Stream:         "CLEAN",
		Subject:        "veil.clean.{topic}.{partition}",
		CreateStream:   natsio.CreateStreamConfig{Enabled: true},
		PublishTimeout: 2 * time.Second,
		RetryTimeout:   20 * time.Second,
	}
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func newSink(t testing.TB, c natsio.Config) *natsio.Sink {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := natsio.NewSink(ctx, c, natsio.WithLogger(testLogger()))
	if err != nil {
		t.Fatalf("NewSink: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// records makes n output records of src starting at offset from, shaped as
// the runtime makes them: lineage headers, policy version, a key.
func records(src stream.TopicPartition, from int64, n int) []stream.OutRecord {
	out := make([]stream.OutRecord, n)
	for i := range out {
		off := from + int64(i)
		out[i] = stream.OutRecord{
			Key:   []byte("user-" + strconv.FormatInt(off%7, 10)),
			Value: fmt.Appendf(nil, `{"seq":%d,"src":%q}`, off, src.String()),
			Headers: []stream.Header{
				{Key: stream.HeaderSourceTopic, Value: []byte(src.Topic)},
				{Key: stream.HeaderSourcePartition, Value: strconv.AppendInt(nil, int64(src.Partition), 10)},
				{Key: stream.HeaderSourceOffset, Value: strconv.AppendInt(nil, off, 10)},
				{Key: stream.HeaderPolicyVersion, Value: []byte("test-1")},
				{Key: stream.HeaderActions, Value: []byte("email:EMAIL_ADDRESS:drop")},
			},
			Source:       src,
			SourceOffset: off,
			Time:         time.Unix(1700000000, 0),
		}
	}
	return out
}

// stored is one message read back from a stream.
type stored struct {
	seq     uint64
	subject string
	data    string
	header  nats.Header
	topic   string
	part    int32
	offset  int64
}

// readStream reads every message of the stream, in stream order, over its
// own connection.
func readStream(t testing.TB, url, name string, opts ...nats.Option) []stored {
	t.Helper()
	js, err := jetstream.New(testConn(t, url, opts...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatalf("stream %s: %v", name, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := int(info.State.Msgs)
	var out []stored
	if total == 0 {
		return out
	}
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for len(out) < total {
		batch, err := cons.Fetch(min(total-len(out), 1000), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatalf("fetch: %v", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			r := stored{seq: md.Sequence.Stream, subject: m.Subject(), data: string(m.Data()), header: m.Headers()}
			r.topic = r.header.Get(stream.HeaderSourceTopic)
			p, _ := strconv.Atoi(r.header.Get(stream.HeaderSourcePartition))
			r.part = int32(p)
			r.offset, _ = strconv.ParseInt(r.header.Get(stream.HeaderSourceOffset), 10, 64)
			out = append(out, r)
		}
		if err := batch.Error(); err != nil {
			t.Fatalf("fetch: %v", err)
		}
		if got == 0 {
			t.Fatalf("read %d of %d messages, then nothing", len(out), total)
		}
	}
	return out
}

// streamMsgs returns how many messages the stream holds.
func streamMsgs(t testing.TB, url, name string, opts ...nats.Option) uint64 {
	t.Helper()
	js, _ := jetstream.New(testConn(t, url, opts...))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, name)
	if err != nil {
		if err == jetstream.ErrStreamNotFound {
			return 0
		}
		t.Fatalf("stream %s: %v", name, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// testConns keeps one reader connection per test and server, so polling
// loops do not connect again each time (which, on a loaded machine under
// the race detector, can outlast a connect timeout).
var testConns sync.Map // testConnKey -> *nats.Conn

type testConnKey struct {
	t   testing.TB
	url string
}

// testConn returns the test's connection to url, made with opts on first
// use and closed when the test ends.
func testConn(t testing.TB, url string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	k := testConnKey{t, url}
	if nc, ok := testConns.Load(k); ok {
		return nc.(*nats.Conn)
	}
	nc, err := nats.Connect(url, append([]nats.Option{nats.Timeout(20 * time.Second), nats.MaxReconnects(-1)}, opts...)...)
	if err != nil {
		t.Fatalf("reader connect: %v", err)
	}
	testConns.Store(k, nc)
	t.Cleanup(func() {
		testConns.Delete(k)
		nc.Close()
	})
	return nc
}

// waitFor polls cond every 50ms until it holds or d passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
