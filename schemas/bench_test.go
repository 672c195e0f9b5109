package schemas_test

import (
	"testing"

	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/schemas"
)

func TestHotPathDoesNotAllocate(t *testing.T) {
	r := registry(t)
	s := schema(t, "segment.identify")
	key, val := []byte("type"), []byte("identify")
	deep := []byte("context.userAgentData.brands[12].version")
	str := value(`"x"`)
	ex := s.Examples()[0]
	v := r.NewValidator()
	var (
		chk schemas.Checker
		rw  jsonwalk.Rewriter
	)
	visit := func(p *jsonwalk.Path, val *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		_, _, _ = chk.Visit(p, val)
		_, _ = s.FieldAt(p)
		return jsonwalk.Keep, nil
	}
	for name, fn := range map[string]func(){
		"Select":            func() { r.Select(key, val) },
		"Discriminators":    func() { _ = r.Discriminators() },
		"Field":             func() { s.Field(deep) },
		"CheckValue":        func() { _ = s.CheckValue(deep, str) },
		"AdditionalAllowed": func() { s.AdditionalAllowed(deep) },
		"Validate":          func() { _, _ = v.Validate(ex) },
		"Checker": func() {
			chk.Reset(s)
			_ = rw.Walk(ex, visit)
			_ = chk.Finish()
		},
	} {
		fn() // warm reusable buffers
		if n := testing.AllocsPerRun(50, fn); n != 0 {
			t.Errorf("%s: %v allocations per call", name, n)
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	r := registry(b)
	key, val := []byte("event"), []byte("message.received")
	b.ReportAllocs()
	for b.Loop() {
		r.Select(key, val)
	}
}

func BenchmarkField(b *testing.B) {
	s := schema(b, "segment.track")
	paths := [][]byte{[]byte("type"), []byte("context.traits.email"), []byte("properties.products[3].price"), []byte("properties.unknown")}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			s.Field(p)
		}
	}
}

// BenchmarkWalk is the baseline for BenchmarkChecker: the same walk without
// schema work.
func BenchmarkWalk(b *testing.B) {
	ex := schema(b, "segment.identify").Examples()[0]
	var rw jsonwalk.Rewriter
	fn := func(*jsonwalk.Path, *jsonwalk.Value) (jsonwalk.Decision, []byte) { return jsonwalk.Keep, nil }
	b.SetBytes(int64(len(ex)))
	b.ReportAllocs()
	for b.Loop() {
		_ = rw.Walk(ex, fn)
	}
}

// BenchmarkChecker classifies and checks every member of an identify call
// from inside a walk, as the sanitizer would.
func BenchmarkChecker(b *testing.B) {
	s := schema(b, "segment.identify")
	ex := s.Examples()[0]
	var (
		rw  jsonwalk.Rewriter
		chk schemas.Checker
	)
	fn := func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
		_, _, _ = chk.Visit(p, v)
		return jsonwalk.Keep, nil
	}
	b.SetBytes(int64(len(ex)))
	b.ReportAllocs()
	for b.Loop() {
		chk.Reset(s)
		_ = rw.Walk(ex, fn)
		_ = chk.Finish()
	}
}

// BenchmarkValidate selects and validates whole events (two passes).
func BenchmarkValidate(b *testing.B) {
	r := registry(b)
	var events [][]byte
	n := 0
	for _, s := range r.Schemas() {
		for _, ex := range s.Examples() {
			events = append(events, ex)
			n += len(ex)
		}
	}
	v := r.NewValidator()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, ev := range events {
			if _, err := v.Validate(ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}
