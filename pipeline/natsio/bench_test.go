package natsio_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/veilstream/veil/pipeline/stream"
)

// BenchmarkWrite measures Write of 1000-record batches of 1 KiB events from
// one source partition to a file stream on an in-process server (client and
// server share the machine's cores).
func BenchmarkWrite(b *testing.B) {
	for _, inFlight := range []int{256, 1024, 4096} {
		b.Run("max_in_flight="+strconv.Itoa(inFlight), func(b *testing.B) {
			srv := startServer(b)
			c := baseConfig(srv.ClientURL())
			c.MaxInFlight = inFlight
			s := newSink(b, c)
			src := stream.TopicPartition{Topic: "in", Partition: 0}
			recs := records(src, 0, 1000)
			value := bytes.Repeat([]byte("x"), 1024)
			for i := range recs {
				recs[i].Value = value
			}
			ctx := context.Background()
			b.SetBytes(int64(len(recs) * len(value)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				// New offsets each round, so nothing is dropped as a duplicate.
				for j := range recs {
					recs[j].SourceOffset = int64(i*len(recs) + j)
				}
				if err := s.Write(ctx, recs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "records/s")
		})
	}
}
