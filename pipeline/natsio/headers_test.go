package natsio

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strconv"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/veilstream/veil/pipeline/stream"
)

func TestAddHeader(t *testing.T) {
	tests := []struct {
		key, value string
		plain      bool
	}{
		{stream.HeaderSourceTopic, "web.events", true},
		{stream.HeaderActions, "a.b:EMAIL_ADDRESS:drop,c:IP_ADDRESS:generalize", true},
		{"x", "", true},
		{"x", "inner\ttab", true},
		{"x", "ünïcode", true},
		{"x", "cr\rlf", false},
		{"x", "nl\n", false},
		{"x", " lead", false},
		{"x", "trail\t", false},
		{"x", "nul\x00", false},
		{"", "v", false},
		{"a b", "v", false},
		{"a:b", "v", false},
		{"é", "v", false},
		{"Nats-Msg-Id", "v", false},
		{"NATS-EXPECTED-STREAM", "v", false},
		{"Veil-B64-eA", "v", false},
	}
	for _, tt := range tests {
		h := nats.Header{}
		addHeader(h, tt.key, []byte(tt.value))
		if len(h) != 1 {
			t.Fatalf("%q: %d header names", tt.key, len(h))
		}
		for k, vs := range h {
			if plain := k == tt.key; plain != tt.plain {
				t.Errorf("%q=%q written as %q=%q, plain %t, want %t", tt.key, tt.value, k, vs, plain, tt.plain)
			}
			dk, dv, ok := DecodeHeader(k, vs[0])
			if !ok || dk != tt.key || string(dv) != tt.value {
				t.Errorf("%q=%q decodes to %q=%q (ok %t)", tt.key, tt.value, dk, dv, ok)
			}
		}
	}
}

// FuzzHeaderEncoding checks that any header, once written, is carried by
// the NATS header encoding unchanged, is never a JetStream control header,
// and decodes back to what was given.
func FuzzHeaderEncoding(f *testing.F) {
	f.Add("veil-source-topic", []byte("events"))
	f.Add("Nats-Msg-Id", []byte("x"))
	f.Add("trace", []byte("a\r\nNats-Msg-Id: 1"))
	f.Add("", []byte(" "))
	f.Add("k:v", []byte{0xff, 0})
	f.Fuzz(func(t *testing.T, key string, value []byte) {
		h := nats.Header{}
		addHeader(h, key, value)
		if len(h) != 1 {
			t.Fatalf("%d names for one header", len(h))
		}
		m := &nats.Msg{Subject: "s", Header: h}
		raw, err := headerBytes(m)
		if err != nil {
			t.Fatalf("nats.go refuses %q=%q as written (%v)", key, value, err)
		}
		back, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
		if err != nil {
			t.Fatalf("written %q=%q does not parse back: %v", key, value, err)
		}
		for k, vs := range h {
			if hasPrefixFold(k, "nats-") {
				t.Fatalf("%q=%q written as control header %q", key, value, k)
			}
			got := back.Values(k)
			if len(got) != 1 || got[0] != vs[0] {
				t.Fatalf("%q=%q went out as %q and parsed back as %q", k, vs[0], k, got)
			}
			dk, dv, ok := DecodeHeader(k, vs[0])
			if !ok || dk != key || !bytes.Equal(dv, value) {
				t.Fatalf("%q=%q decodes to %q=%q (ok %t)", key, value, dk, dv, ok)
			}
		}
	})
}

// headerBytes encodes m's headers as nats.go puts them on the wire, after
// the status line.
func headerBytes(m *nats.Msg) ([]byte, error) {
	var b bytes.Buffer
	for k, vs := range m.Header {
		if !isValidKeyForNATS(k) {
			return nil, nats.ErrBadHeaderMsg
		}
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(textproto.TrimString(v))
			b.WriteString("\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// isValidKeyForNATS mirrors the key rule nats.go applies before publishing.
func isValidKeyForNATS(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c < 33 || c > 126 {
			return false
		}
		switch c {
		case '"', '(', ')', '/', ',', ':', ';', '<', '=', '>', '?', '@', '[', '\\', ']', '{', '}':
			return false
		}
	}
	return true
}

// BenchmarkMessages measures building the NATS messages of a 1000-record
// batch: what the sink itself allocates per record, apart from nats.go.
func BenchmarkMessages(b *testing.B) {
	tmpl, err := parseSubject("veil.clean.{topic}.{partition}")
	if err != nil {
		b.Fatal(err)
	}
	s := &Sink{cfg: Config{Stream: "CLEAN"}, subject: tmpl, streamHV: []string{"CLEAN"}}
	s.bufs.New = func() any { return new(msgBuf) }
	src := stream.TopicPartition{Topic: "events", Partition: 3}
	recs := make([]stream.OutRecord, 1000)
	for i := range recs {
		off := []byte(strconv.Itoa(i))
		recs[i] = stream.OutRecord{
			Key:   []byte("user-42"),
			Value: []byte(`{"page":"/pricing"}`),
			Headers: []stream.Header{
				{Key: stream.HeaderSourceTopic, Value: []byte("events")},
				{Key: stream.HeaderSourcePartition, Value: []byte("3")},
				{Key: stream.HeaderSourceOffset, Value: off},
				{Key: stream.HeaderPolicyVersion, Value: []byte("default-1")},
				{Key: stream.HeaderActions, Value: []byte("email:EMAIL_ADDRESS:drop")},
			},
			Source:       src,
			SourceOffset: int64(i),
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if msgs := s.messages(recs); len(msgs) != len(recs) {
			b.Fatal("short")
		}
	}
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() { s.messages(recs) }))/float64(len(recs)), "allocs/record")
}
