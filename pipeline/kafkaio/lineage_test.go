package kafkaio

import (
	"strconv"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/stream"
)

func TestParseLineage(t *testing.T) {
	h := func(kv ...string) []kafka.Header {
		var hs []kafka.Header
		for i := 0; i < len(kv); i += 2 {
			hs = append(hs, kafka.Header{Key: kv[i], Value: []byte(kv[i+1])})
		}
		return hs
	}
	tests := []struct {
		name    string
		headers []kafka.Header
		ok      bool
		topic   string
		part    int32
		off     int64
	}{
		{"complete", h(stream.HeaderSourceTopic, "in", stream.HeaderSourcePartition, "3", stream.HeaderSourceOffset, "9001"), true, "in", 3, 9001},
		{"among others", h("x", "y", stream.HeaderSourceOffset, "0", stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "0"), true, "t", 0, 0},
		{"max offset", h(stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "2147483647", stream.HeaderSourceOffset, "9223372036854775807"), true, "t", 2147483647, 9223372036854775807},
		{"no topic", h(stream.HeaderSourcePartition, "3", stream.HeaderSourceOffset, "1"), false, "", 0, 0},
		{"empty topic", h(stream.HeaderSourceTopic, "", stream.HeaderSourcePartition, "3", stream.HeaderSourceOffset, "1"), false, "", 0, 0},
		{"negative", h(stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "-1", stream.HeaderSourceOffset, "1"), false, "", 0, 0},
		{"partition overflow", h(stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "2147483648", stream.HeaderSourceOffset, "1"), false, "", 0, 0},
		{"offset overflow", h(stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "1", stream.HeaderSourceOffset, "9223372036854775808"), false, "", 0, 0},
		{"not decimal", h(stream.HeaderSourceTopic, "t", stream.HeaderSourcePartition, "1", stream.HeaderSourceOffset, "0x10"), false, "", 0, 0},
		{"none", nil, false, "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic, part, off, ok := parseLineage(tt.headers)
			if ok != tt.ok || ok && (topic != tt.topic || part != tt.part || off != tt.off) {
				t.Fatalf("parseLineage = %q %d %d %v, want %q %d %d %v", topic, part, off, ok, tt.topic, tt.part, tt.off, tt.ok)
			}
		})
	}
}

// FuzzParseLineage checks that any header bytes parse without panicking, and
// that what parses agrees with strconv.
func FuzzParseLineage(f *testing.F) {
	f.Add("in", "3", "42")
	f.Add("", "-1", "x")
	f.Add("t", "2147483648", "99999999999999999999")
	f.Fuzz(func(t *testing.T, topic, part, off string) {
		hs := []kafka.Header{
			{Key: stream.HeaderSourceTopic, Value: []byte(topic)},
			{Key: stream.HeaderSourcePartition, Value: []byte(part)},
			{Key: stream.HeaderSourceOffset, Value: []byte(off)},
		}
		gt, gp, gof, ok := parseLineage(hs)
		p, perr := strconv.ParseInt(part, 10, 32)
		o, oerr := strconv.ParseInt(off, 10, 64)
		want := topic != "" && perr == nil && oerr == nil && part[0] != '+' && part[0] != '-' && off[0] != '+' && off[0] != '-'
		if ok != want {
			t.Fatalf("parseLineage(%q, %q, %q) ok=%v, strconv says %v", topic, part, off, ok, want)
		}
		if ok && (gt != topic || int64(gp) != p || gof != o) {
			t.Fatalf("parseLineage(%q, %q, %q) = %q %d %d", topic, part, off, gt, gp, gof)
		}
	})
}
