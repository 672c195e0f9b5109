package keynames

import "testing"

func TestTableConsistent(t *testing.T) {
	tb, conflicts := buildTablesChecked()
	for _, c := range conflicts {
		t.Error(c)
	}
	if len(tb.exact) < 800 || len(tb.groups) < 200 {
		t.Errorf("table too small: %d exact keys, %d parents", len(tb.exact), len(tb.groups))
	}
	t.Logf("%d exact keys, %d parents, %d rules, %d groups", len(tb.exact), len(tb.groups), len(tb.rules), len(tb.deflt))
}
