package kafkaio_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

// BenchmarkPassthroughKfake measures consume -> produce -> commit of 1 KiB
// events through the runtime with no Transform, on an in-process kfake
// broker over TCP (which itself takes a large share of the CPU). It reports
// events/s; run with -benchtime=1x for one pass over 100k events.
func BenchmarkPassthroughKfake(b *testing.B) {
	const events = 100_000
	for range b.N {
		b.StopTimer()
		addr := startCluster(b, topicSpec{"in", 4}, topicSpec{"clean-src", 4}, topicSpec{"dlq", 4})
		w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "in", Balancer: &kafka.Murmur2Balancer{},
			BatchTimeout: time.Millisecond, BatchSize: 1000, RequiredAcks: kafka.RequireAll}
		value := bytes.Repeat([]byte("x"), 1024)
		msgs := make([]kafka.Message, 1000)
		for i := 0; i < events; i += len(msgs) {
			for j := range msgs {
				msgs[j] = kafka.Message{Key: []byte{byte(i + j), byte((i + j) >> 8)}, Value: value}
			}
			if err := w.WriteMessages(context.Background(), msgs...); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
		c := kafkaio.Config{
			Brokers:    []string{addr},
			GroupID:    "bench",
			Inputs:     []string{"in"},
			Outputs:    []kafkaio.OutputConfig{{Name: "out", Topic: "clean-src"}},
			DeadLetter: kafkaio.OutputConfig{Topic: "dlq"},
		}
		p, err := kafkaio.NewProcessor(c, stream.Config{})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		b.StartTimer()
		begin := time.Now()
		go func() { done <- p.Run(ctx) }()
		for countRecords(b, addr, "clean-src") < events {
			time.Sleep(10 * time.Millisecond)
		}
		took := time.Since(begin)
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		p.Close()
		b.ReportMetric(float64(events)/took.Seconds(), "events/s")
		b.ReportMetric(float64(events)*1024/took.Seconds()/1e6, "MB/s")
	}
}
