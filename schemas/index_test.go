package schemas

import "testing"

// TestFieldIndex checks that every field of the built-in registry has its
// own index below Registry.Fields, so per-field slices cannot collide.
func TestFieldIndex(t *testing.T) {
	r, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]string{}
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		f := n.field
		if f.Index < 0 || f.Index >= r.Fields() {
			t.Fatalf("%s: index %d outside [0, %d)", f.Path, f.Index, r.Fields())
		}
		if prev, ok := seen[f.Index]; ok && prev != f.Path {
			t.Fatalf("index %d used by %q and %q", f.Index, prev, f.Path)
		}
		seen[f.Index] = f.Path
		for k, c := range n.props {
			if got, ok := n.child([]byte(k)); !ok || got != c {
				t.Fatalf("%s: child(%q) = %v, %v; want the declared property", f.Path, k, got, ok)
			}
			walk(c)
		}
		walk(n.additional)
		walk(n.items)
	}
	for _, s := range r.Schemas() {
		walk(s.root)
	}
	if len(seen) < 50 {
		t.Fatalf("only %d fields seen", len(seen))
	}
}
