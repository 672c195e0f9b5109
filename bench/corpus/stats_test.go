package corpus

import "testing"

func TestRedrawRate(t *testing.T) {
	g := New(31)
	const n = 3000
	for i := 0; i < n; i++ {
		g.Next()
	}
	rate := float64(g.Redraws()) / n
	t.Logf("redraws: %d for %d events (%.1f%%)", g.Redraws(), n, 100*rate)
	if rate > 0.10 {
		t.Errorf("%.1f%% of events were redrawn; ambiguity this common biases the corpus", 100*rate)
	}
}

func BenchmarkNext(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	bytes := 0
	for i := 0; i < b.N; i++ {
		bytes += len(g.Next().Event)
	}
	b.SetBytes(int64(bytes / max(b.N, 1)))
}

func BenchmarkText(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g.Text()
	}
}

func TestConsistentRejectsAmbiguousLabels(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(n obj)
		want  bool
	}{
		{"clean", func(n obj) {
			n.keep("event", "page_view").pii("city", TypeCity, "Lyon").keepInt("ts", 1740988822196)
		}, true},
		{"postal code inside a kept timestamp", func(n obj) {
			n.pii("zip", TypePostal, "88221").keepInt("ts", 1740988822196)
		}, false},
		{"city inside a time zone", func(n obj) {
			n.pii("city", TypeCity, "Paris").str("timezone", "Europe/Paris")
		}, false},
		{"name inside a key", func(n obj) {
			n.pii("last", TypePerson, "Custom").int("custom_count", 3)
		}, false},
		{"case-folded match", func(n obj) {
			n.pii("city", TypeCity, "Lyon").keep("path", "/fr/lyon-office")
		}, false},
		{"phone digits inside another number", func(n obj) {
			n.pii("phone", TypePhone, "+33 6 12 34 56 78").str("ref", "A-33612345678-Z")
		}, false},
		{"kept path cut by a personal value", func(n obj) {
			n.keepIn("url", "https://x.io/u/jane.doe@example.com/settings", "/u/jane.doe@example.com/settings", span{TypeEmail, "jane.doe@example.com"})
		}, false},
		{"kept number that is personal", func(n obj) {
			n.piiNum("phone", TypePhone, "33612345678")
			n.e.keep = append(n.e.keep, KeepValue{Path: "phone", Value: int64(33612345678)})
		}, false},
		{"value too short to score", func(n obj) {
			n.pii("first", TypePerson, "Tom")
		}, false},
		{"value inside a redaction placeholder", func(n obj) {
			n.pii("first", TypePerson, "Redacted")
		}, false},
		{"personal value inside free text with the rest kept apart", func(n obj) {
			n.text("msg", "call me on 06 12 34 56 78 tomorrow", span{TypePhone, "06 12 34 56 78"}).keep("lang", "fr")
		}, true},
	} {
		e := newEvent()
		c.build(root(e))
		if got := e.consistent(); got != c.want {
			t.Errorf("%s: consistent() = %v, want %v", c.name, got, c.want)
		}
	}
}
