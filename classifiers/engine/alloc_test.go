package engine

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/rules"
)

// TestScanAllocations checks the allocation profile the package
// documentation states: once the per-scan scratch has grown, a scan
// allocates nothing of its own, with or without findings (validators and
// detectors may allocate on their own account; the rules here have none).
func TestScanAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	var rs []rules.Rule
	for _, r := range loadTestRules(t) {
		if len(r.Validators) == 0 {
			rs = append(rs, r)
		}
	}
	for _, screen := range []bool{false, true} {
		e, err := Compile(rs, WithRE2Screen(screen))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name     string
			text     string
			findings bool
		}{
			{"analytics value", "2024-05-01T10:30:00.123Z", false},
			{"short id", "usr_8f3a9c2d", false},
			{"conversation, nothing personal", "Hi, the app keeps crashing when I open the settings page on 2 devices. Thanks!", false},
			{"conversation with findings", "Hi, my name is Zoë, ssn 123-45-6789, call +447911123456, mac 00:1A:2b:3C:4d:5E; see https://example.com/a?b=c", true},
			{"whole-value rule", "password: hunter2 and token = abcdefghijklmnop1234", true},
		} {
			dst := make([]classifiers.Finding, 0, 16)
			got, err := e.Scan(tc.text, dst)
			if err != nil {
				t.Fatal(err)
			}
			if (len(got) > 0) != tc.findings {
				t.Fatalf("%s: findings %v, want any=%v", tc.name, got, tc.findings)
			}
			allocs := testing.AllocsPerRun(200, func() {
				if _, err := e.Scan(tc.text, dst[:0]); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("screen=%v %s: %.1f allocations per scan, want 0", screen, tc.name, allocs)
			}
		}
	}
}
