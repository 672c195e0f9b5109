package sanitize

import (
	"testing"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/schemas/policy"
)

// BenchmarkSanitize sanitizes a mixed corpus of generated events with the
// default product_improvement policy and the full built-in pack.
func BenchmarkSanitize(b *testing.B) {
	s := newTestSanitizer(b, policy.ProductImprovement, nil)
	g := corpus.New(3)
	var events [][]byte
	size := 0
	for i := 0; i < 300; i++ {
		ev := g.Next().Event
		events = append(events, ev)
		size += len(ev)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		for _, ev := range events {
			var err error
			if out, err = s.Sanitize(out[:0], ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}
