package keynames

import (
	"testing"
	"unicode/utf8"
)

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "name", "fullName", "X-Forwarded-For", "Straße", "prénom", "context.traits.name",
		"products[0]", "nom_du_produit", "Produktname", "a.b.c.", ".", "/", "ÀÉÎÕÜ", "userIDs", "\xff\xfe", "1.2.3",
		"very_long_" + string(make([]byte, 300))} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, parent, key string) {
		c1, ok1 := ClassifyPathString(parent, key)
		c2, ok2 := ClassifyPath([]byte(parent), []byte(key))
		if c1 != c2 || ok1 != ok2 {
			t.Fatalf("string and []byte forms differ for (%q, %q): %v %v / %v %v", parent, key, c1, ok1, c2, ok2)
		}
		if ok1 && !c1.Category.Valid() {
			t.Fatalf("(%q, %q) classified with invalid category %q", parent, key, c1.Category)
		}
		if ok1 != (c1.Category != "") {
			t.Fatalf("(%q, %q): ok=%v with class %v", parent, key, ok1, c1)
		}
		if c1.Type != "" && !c1.Type.Valid() {
			t.Fatalf("(%q, %q): invalid type %q", parent, key, c1.Type)
		}
		var k normKey
		normalize(&k, key)
		if !k.full {
			if k.sn > k.n || k.snt > k.nt || k.n > maxKey {
				t.Fatalf("normalize(%q): bad lengths %+v", key, k)
			}
			for i := 0; i < k.nt; i++ {
				if int(k.tok[i]) >= k.n || (i > 0 && k.tok[i] <= k.tok[i-1]) {
					t.Fatalf("normalize(%q): bad word offsets %v", key, k.tok[:k.nt])
				}
			}
			if utf8.ValidString(key) && !utf8.Valid(k.buf[:k.n]) {
				t.Fatalf("normalize(%q) = %q is not UTF-8", key, k.buf[:k.n])
			}
		}
	})
}
