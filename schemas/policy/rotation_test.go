package policy

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
)

func TestShortestRotation(t *testing.T) {
	for _, tc := range []struct {
		name string
		pp   PurposePolicy
		want Rotation
		ok   bool
	}{
		{"no hash", PurposePolicy{Default: Action{Kind: Drop}, Categories: map[classifiers.Category]Action{classifiers.Contact: {Kind: Redact}}}, "", false},
		{"category", PurposePolicy{Categories: map[classifiers.Category]Action{classifiers.Contact: {Kind: Hash, Rotation: RotateWeek}}}, RotateWeek, true},
		{"entity shorter", PurposePolicy{
			Categories: map[classifiers.Category]Action{classifiers.Contact: {Kind: Hash, Rotation: RotateMonth}},
			Entities:   map[classifiers.EntityType]Action{classifiers.IPAddress: {Kind: Hash, Rotation: RotateDay}},
		}, RotateDay, true},
		{"rotation on another kind ignored", PurposePolicy{Categories: map[classifiers.Category]Action{classifiers.Contact: {Kind: Drop, Rotation: RotateDay}}}, "", false},
	} {
		got, ok := tc.pp.ShortestRotation()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: ShortestRotation() = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	// The default policy's security purpose hashes IPs with daily keys.
	pp, _ := Default().Purpose(Security)
	if got, ok := pp.ShortestRotation(); !ok || got != RotateDay {
		t.Errorf("default security purpose: %q, %v; want day", got, ok)
	}
}
