package stream

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// memSource is an in-memory Source with one claim whose batches are given
// up front; it exists to exercise the loop without a broker (the Kafka
// source is tested against a real one in package kafkaio).
type memSource struct {
	tp      TopicPartition
	start   int64
	batches []*Batch
	commits []int64
}

func (s *memSource) Run(ctx context.Context, stop <-chan struct{}, h ClaimHandler) error {
	ch := make(chan *Batch, len(s.batches))
	for _, b := range s.batches {
		ch <- b
	}
	close(ch)
	return h(ctx, &memClaim{s: s, ch: ch, stopping: make(chan struct{})})
}

type memClaim struct {
	s        *memSource
	ch       chan *Batch
	stopping chan struct{}
}

func (c *memClaim) Partition() TopicPartition { return c.s.tp }
func (c *memClaim) Start() int64              { return c.s.start }
func (c *memClaim) Batches() <-chan *Batch    { return c.ch }
func (c *memClaim) Stopping() <-chan struct{} { return c.stopping }
func (c *memClaim) Release(*Batch)            {}
func (c *memClaim) Commit(_ context.Context, next int64) error {
	c.s.commits = append(c.s.commits, next)
	return nil
}

// memSink keeps copies of what it is given; held makes it a Resumer.
type memSink struct {
	mu   sync.Mutex
	recs []OutRecord
	held []int64
}

func (s *memSink) Write(_ context.Context, recs []OutRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		c := OutRecord{Key: bytes.Clone(r.Key), Value: bytes.Clone(r.Value), Source: r.Source, SourceOffset: r.SourceOffset}
		for _, h := range r.Headers {
			c.Headers = append(c.Headers, Header{Key: h.Key, Value: bytes.Clone(h.Value)})
		}
		s.recs = append(s.recs, c)
	}
	return nil
}

func (s *memSink) Close() error { return nil }

func (s *memSink) Written(_ context.Context, _ TopicPartition, from int64) ([]int64, bool, error) {
	if s.held == nil {
		return nil, false, nil
	}
	var out []int64
	for _, o := range s.held {
		if o >= from {
			out = append(out, o)
		}
	}
	return out, true, nil
}

func header(r OutRecord, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// upper upper-cases values, rejects values starting with "bad", skips values
// starting with "skip", and fails on "boom".
var upper = TransformFunc(func(dst []byte, rec *Record) ([]byte, Meta, error) {
	switch {
	case bytes.HasPrefix(rec.Value, []byte("bad")):
		return dst, Meta{}, &Reject{Reason: "malformed: bad"}
	case bytes.HasPrefix(rec.Value, []byte("skip")):
		return dst, Meta{Skip: true}, nil
	case bytes.Equal(rec.Value, []byte("boom")):
		return dst, Meta{}, errors.New("key store unavailable")
	}
	return append(dst, bytes.ToUpper(rec.Value)...), Meta{Actions: []byte("v:TEXT:upper"), SetKey: true, Key: []byte("k2")}, nil
})

func batchOf(tp TopicPartition, first int64, values ...string) *Batch {
	b := &Batch{Source: tp}
	for i, v := range values {
		b.Records = append(b.Records, Record{Topic: tp.Topic, Partition: tp.Partition, Offset: first + int64(i),
			Key: []byte("k"), Value: []byte(v), Headers: []Header{{Key: "h", Value: []byte("1")}}})
	}
	return b
}

func offsets(recs []OutRecord) []int64 {
	var out []int64
	for _, r := range recs {
		out = append(out, r.SourceOffset)
	}
	return out
}

func TestProcessorRoutesEvents(t *testing.T) {
	tp := TopicPartition{Topic: "in", Partition: 2}
	tests := []struct {
		name       string
		values     []string
		held       []int64 // what output "resumable" already holds
		maxEvent   int
		wantPlain  []int64
		wantUpper  []int64
		wantDead   map[int64]string // offset -> reason
		wantErr    string
		wantCommit []int64
	}{
		{
			name:       "all forwarded",
			values:     []string{"a", "b", "c"},
			wantPlain:  []int64{10, 11, 12},
			wantUpper:  []int64{10, 11, 12},
			wantCommit: []int64{13},
		},
		{
			name:       "rejected by one output reaches none",
			values:     []string{"a", "bad1", "c"},
			wantPlain:  []int64{10, 12},
			wantUpper:  []int64{10, 12},
			wantDead:   map[int64]string{11: "malformed: bad"},
			wantCommit: []int64{13},
		},
		{
			name:       "skip filters one output only",
			values:     []string{"skip-me", "b"},
			wantPlain:  []int64{10, 11},
			wantUpper:  []int64{11},
			wantCommit: []int64{12},
		},
		{
			name:       "too large",
			values:     []string{"a", "0123456789abcdef", "c"},
			maxEvent:   8,
			wantPlain:  []int64{10, 12},
			wantUpper:  []int64{10, 12},
			wantDead:   map[int64]string{11: reasonTooLarge},
			wantCommit: []int64{13},
		},
		{
			name:       "resume skips what the sink holds",
			values:     []string{"a", "b", "c", "d"},
			held:       []int64{3, 11, 12},
			wantPlain:  []int64{10, 11, 12, 13},
			wantUpper:  []int64{10, 13},
			wantCommit: []int64{14},
		},
		{
			name:    "transform failure stops without commit",
			values:  []string{"a", "boom"},
			wantErr: "key store unavailable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &memSource{tp: tp, start: 10, batches: []*Batch{batchOf(tp, 10, tt.values...)}}
			plain, up, dead := &memSink{}, &memSink{held: tt.held}, &memSink{}
			p, err := New(src, []Output{
				{Name: "plain", Sink: plain},
				{Name: "resumable", Sink: up, NewTransform: Shared(upper), PolicyVersion: "v7"},
			}, dead, Config{MaxEventBytes: tt.maxEvent})
			if err != nil {
				t.Fatal(err)
			}
			err = p.Run(context.Background())
			if tt.wantErr != "" {
				if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.wantErr)) {
					t.Fatalf("Run = %v, want %q", err, tt.wantErr)
				}
				if len(src.commits) != 0 {
					t.Fatalf("committed %v after a failure", src.commits)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := offsets(plain.recs); !slices.Equal(got, tt.wantPlain) {
				t.Errorf("plain got offsets %v, want %v", got, tt.wantPlain)
			}
			if got := offsets(up.recs); !slices.Equal(got, tt.wantUpper) {
				t.Errorf("resumable got offsets %v, want %v", got, tt.wantUpper)
			}
			if !slices.Equal(src.commits, tt.wantCommit) {
				t.Errorf("commits %v, want %v", src.commits, tt.wantCommit)
			}
			if len(dead.recs) != len(tt.wantDead) {
				t.Fatalf("%d dead letters, want %d", len(dead.recs), len(tt.wantDead))
			}
			for _, d := range dead.recs {
				if header(d, HeaderDLQReason) != tt.wantDead[d.SourceOffset] || header(d, "h") != "1" ||
					header(d, HeaderSourceOffset) != strconv.FormatInt(d.SourceOffset, 10) {
					t.Errorf("dead letter %d headers %v", d.SourceOffset, d.Headers)
				}
			}
			for _, r := range plain.recs {
				if string(r.Key) != "k" || header(r, HeaderPolicyVersion) != PassthroughVersion || header(r, HeaderActions) != "" || header(r, "h") != "" {
					t.Errorf("plain record %d: key %q headers %v", r.SourceOffset, r.Key, r.Headers)
				}
			}
			for _, r := range up.recs {
				if string(r.Key) != "k2" || header(r, HeaderPolicyVersion) != "v7" || header(r, HeaderActions) != "v:TEXT:upper" ||
					header(r, HeaderSourceTopic) != "in" || header(r, HeaderSourcePartition) != "2" ||
					string(r.Value) != string(bytes.ToUpper([]byte(tt.values[r.SourceOffset-10]))) {
					t.Errorf("upper record %d: key %q value %q headers %v", r.SourceOffset, r.Key, r.Value, r.Headers)
				}
			}
		})
	}
}

func TestNewRejectsBadSetup(t *testing.T) {
	src := &memSource{}
	tests := []struct {
		name    string
		outputs []Output
		dlq     Sink
		cfg     Config
		want    string
	}{
		{"no dlq", []Output{{Name: "a", Sink: &memSink{}}}, nil, Config{}, "dead-letter sink: nil"},
		{"no outputs", nil, &memSink{}, Config{}, "outputs: none"},
		{"unnamed", []Output{{Sink: &memSink{}}}, &memSink{}, Config{}, "outputs[0].name: empty"},
		{"same name", []Output{{Name: "a", Sink: &memSink{}}, {Name: "a", Sink: &memSink{}}}, &memSink{}, Config{}, "used twice"},
		{"no version", []Output{{Name: "a", Sink: &memSink{}, NewTransform: Shared(upper)}}, &memSink{}, Config{}, "policy_version"},
		{"negative grace", []Output{{Name: "a", Sink: &memSink{}}}, &memSink{}, Config{ShutdownGrace: -1}, "shutdown_grace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(src, tt.outputs, tt.dlq, tt.cfg)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Fatalf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// discardSink acknowledges without keeping anything.
type discardSink struct{}

func (discardSink) Write(context.Context, []OutRecord) error { return nil }
func (discardSink) Close() error                             { return nil }

var (
	benchActions = []byte("v:TEXT:upper")
	benchKey     = []byte("k2")
)

// upperNoAlloc upper-cases ASCII into dst without allocating, so the
// benchmark below measures the loop, not the transform.
var upperNoAlloc = TransformFunc(func(dst []byte, rec *Record) ([]byte, Meta, error) {
	for _, c := range rec.Value {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, Meta{Actions: benchActions, SetKey: true, Key: benchKey}, nil
})

// BenchmarkProcessBatch measures staging a 500-event batch for a passthrough
// and a transforming output; after warm-up it must not allocate per event.
func BenchmarkProcessBatch(b *testing.B) {
	tp := TopicPartition{Topic: "in", Partition: 0}
	values := make([]string, 500)
	for i := range values {
		values[i] = `{"event":"page","path":"/pricing","n":` + strconv.Itoa(i) + `}`
	}
	batch := batchOf(tp, 0, values...)
	p, err := New(&memSource{}, []Output{
		{Name: "plain", Sink: discardSink{}},
		{Name: "upper", Sink: discardSink{}, NewTransform: Shared(upperNoAlloc), PolicyVersion: "v1"},
	}, discardSink{}, Config{})
	if err != nil {
		b.Fatal(err)
	}
	w, err := p.newWorker(context.Background(), &memClaim{s: &memSource{tp: tp}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := w.process(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(values)), "ns/event")
}

// versioned is a Transform that implements BatchStarter: each batch takes
// the next of versions, and every event records the version its batch
// started with, so the test can tell whether a batch mixed two.
type versioned struct {
	versions []string
	fail     int // BeginBatch fails at this call (1-based); 0 never
	calls    int
	cur      string
}

func (v *versioned) BeginBatch() (string, error) {
	v.calls++
	if v.calls == v.fail {
		return "", errors.New("rule set unavailable")
	}
	ver := v.versions[min(v.calls, len(v.versions))-1]
	v.cur = ver
	if ver == "" {
		v.cur = "v0" // the output's own version
	}
	return ver, nil
}

func (v *versioned) Transform(dst []byte, rec *Record) ([]byte, Meta, error) {
	if v.cur == "" {
		return dst, Meta{}, errors.New("Transform called before BeginBatch")
	}
	return append(append(append(dst, rec.Value...), '@'), v.cur...), Meta{}, nil
}

func TestBatchStarterVersionsEachBatch(t *testing.T) {
	tp := TopicPartition{Topic: "in", Partition: 0}
	tests := []struct {
		name     string
		versions []string
		fail     int
		want     map[int64]string // offset -> policy version header
		wantErr  string
		commits  []int64
	}{
		{
			name:     "version changes between batches",
			versions: []string{"v1", "v1", "v2", ""},
			// batch 4 reports no version: the output's own applies.
			want:    map[int64]string{0: "v1", 1: "v1", 2: "v1", 3: "v2", 4: "v2", 5: "v2", 6: "v0"},
			commits: []int64{2, 3, 6, 7},
		},
		{
			name:     "failure stops the claim uncommitted",
			versions: []string{"v1"},
			fail:     2,
			want:     map[int64]string{0: "v1", 1: "v1"},
			wantErr:  "rule set unavailable",
			commits:  []int64{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &memSource{tp: tp, batches: []*Batch{
				batchOf(tp, 0, "a", "b"), batchOf(tp, 2, "c"), batchOf(tp, 3, "d", "e", "f"), batchOf(tp, 6, "g"),
			}}
			tr := &versioned{versions: tt.versions, fail: tt.fail}
			out, dead := &memSink{}, &memSink{}
			p, err := New(src, []Output{{Name: "v", Sink: out, NewTransform: func() (Transform, error) { return tr, nil }, PolicyVersion: "v0"}},
				dead, Config{})
			if err != nil {
				t.Fatal(err)
			}
			err = p.Run(context.Background())
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.wantErr))) {
				t.Fatalf("Run = %v, want error %q", err, tt.wantErr)
			}
			if !slices.Equal(src.commits, tt.commits) {
				t.Errorf("commits %v, want %v", src.commits, tt.commits)
			}
			if len(out.recs) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(out.recs), len(tt.want))
			}
			for _, r := range out.recs {
				h := header(r, HeaderPolicyVersion)
				if h != tt.want[r.SourceOffset] {
					t.Errorf("record %d: version header %q, want %q", r.SourceOffset, h, tt.want[r.SourceOffset])
				}
				// The value says which version transformed it: header and
				// transform agree for every record.
				if _, v, _ := bytes.Cut(r.Value, []byte("@")); string(v) != h {
					t.Errorf("record %d transformed with %q, headed %q", r.SourceOffset, v, h)
				}
			}
		})
	}
}
