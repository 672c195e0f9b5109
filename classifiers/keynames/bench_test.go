package keynames

import "testing"

// benchKeys is a mix of the keys of a typical analytics event.
var benchKeys = [][]byte{
	[]byte("anonymousId"), []byte("userId"), []byte("event"), []byte("messageId"), []byte("timestamp"),
	[]byte("ip"), []byte("userAgent"), []byte("locale"), []byte("email"), []byte("firstName"),
	[]byte("plan"), []byte("utm_source"), []byte("Straße"), []byte("nom_du_produit"), []byte("favoriteColor"),
	[]byte("X-Forwarded-For"),
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range benchKeys {
			Classify(k)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchKeys)), "ns/key")
}

func BenchmarkClassifyPath(b *testing.B) {
	parent := []byte("context.traits")
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range benchKeys {
			ClassifyPath(parent, k)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchKeys)), "ns/key")
}
