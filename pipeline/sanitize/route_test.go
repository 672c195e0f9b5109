package sanitize

import (
	"testing"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/jsonwalk"
)

func TestShapeOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want valueShape
	}{
		{"0bd10f14-ab95-4e7c-a581-39327e0f1c2a", shapeUUID},
		{"0BD10F14-AB95-4E7C-A581-39327E0F1C2A", shapeUUID},
		{"0bd10f14-ab95-4e7c-a581-39327e0f1c2", shapeOther},
		{"0bd10f14-ab95-4e7c-a581_39327e0f1c2a", shapeOther},
		{"gbd10f14-ab95-4e7c-a581-39327e0f1c2a", shapeOther},
		{"2025-03-03T08:00:03.453Z", shapeTimestamp},
		{"2025-03-03T08:00:03Z", shapeTimestamp},
		{"2025-03-03t08:00:03.123456789+01:00", shapeTimestamp},
		{"2025-03-03T08:00:03.1234567890Z", shapeOther},
		{"2025-03-03T08:00:03", shapeOther},
		{"2025-03-03 08:00:03Z", shapeOther},
		{"2025-03-03T08:00:03.Z", shapeOther},
		{"2025-03-03T08:00:03+0100", shapeOther},
		{"michael.herrmann@gmail.com", shapeEmail},
		{"sara.debruijn+2025@gmail.com", shapeEmail},
		{"a@b.co", shapeEmail},
		{"a@b.c", shapeOther},
		{"jane@example.invalidtld", shapeOther},
		{"jane doe@example.com", shapeOther},
		{"jane@@example.com", shapeOther},
		{"@example.com", shapeOther},
		{"jane@exa_mple.com", shapeOther},
		{"gisela@señor-viajes.com", shapeOther}, // not ASCII: scanned
		{"mailto:jane@example.com", shapeOther},
		{"pricing", shapeOther},
	} {
		if got := shapeOf([]byte(tc.in)); got != tc.want {
			t.Errorf("shapeOf(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestShapeRoutingMatchesScan checks, on every string value of generated
// events of all families, that routing by shape decides what the content
// scan decides: a UUID holds no finding and looks like an identifier, a
// timestamp holds no finding and does not, and an email address is one
// finding of type EMAIL_ADDRESS spanning exactly the value (so that the
// scrub action, which the routing feeds that finding, writes the same).
func TestShapeRoutingMatchesScan(t *testing.T) {
	n := 600
	if testing.Short() {
		n = 150
	}
	sc := scanner(t)
	g := corpus.New(77)
	var rw jsonwalk.Rewriter
	var fs []classifiers.Finding
	seen := map[valueShape]int{}
	for i := 0; i < n; i++ {
		r := g.Next()
		err := rw.Walk(r.Event, func(p *jsonwalk.Path, v *jsonwalk.Value) (jsonwalk.Decision, []byte) {
			if v.Kind != jsonwalk.String {
				return jsonwalk.Keep, nil
			}
			sh := shapeOf(v.Str)
			if sh == shapeOther {
				return jsonwalk.Keep, nil
			}
			seen[sh]++
			var err error
			if fs, err = sc.Scan(string(v.Str), fs[:0]); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			switch sh {
			case shapeUUID, shapeTimestamp:
				if len(fs) > 0 {
					t.Errorf("%s: %q (shape %d) has findings %v", p, v.Str, sh, fs)
				}
				if looksLikeIdentifier(v.Str) != (sh == shapeUUID) {
					t.Errorf("%s: %q (shape %d): looksLikeIdentifier disagrees", p, v.Str, sh)
				}
			case shapeEmail:
				if len(fs) != 1 || fs[0].Start != 0 || fs[0].End != len(v.Str) || fs[0].Type != classifiers.EmailAddress {
					t.Errorf("%s: %q routed as an email, scan found %v", p, v.Str, fs)
				}
			}
			return jsonwalk.Keep, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, sh := range []valueShape{shapeUUID, shapeTimestamp, shapeEmail} {
		if seen[sh] < 20 {
			t.Errorf("only %d values of shape %d in %d events: the test would prove little", seen[sh], sh, n)
		}
	}
	t.Logf("values routed by shape: %v", seen)
}

func FuzzShapeOf(f *testing.F) {
	for _, s := range []string{"0bd10f14-ab95-4e7c-a581-39327e0f1c2a", "2025-03-03T08:00:03.453Z", "a@b.co", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = shapeOf([]byte(s)) // no panic, on any input
	})
}
