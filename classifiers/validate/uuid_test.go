package validate

import "testing"

func TestUUID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"0bd10f14-ab95-4e7c-a581-39327e0f1c2a", true},
		{"0BD10F14-AB95-4E7C-A581-39327E0F1C2A", true},
		{"{0bd10f14-ab95-4e7c-a581-39327e0f1c2a}", false}, // braces: isUUID's, not UUID's
		{"0bd10f14-ab95-4e7c-a581-39327e0f1c2", false},
		{"0bd10f14_ab95-4e7c-a581-39327e0f1c2a", false},
		{"gbd10f14-ab95-4e7c-a581-39327e0f1c2a", false},
	} {
		if got := UUID(tc.in); got != tc.want {
			t.Errorf("UUID(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !isUUID("{0bd10f14-ab95-4e7c-a581-39327e0f1c2a}") {
		t.Error("isUUID refuses the braced form")
	}
}
