package jsonwalk

import (
	"fmt"
	"testing"
)

// topByWalk is what TopLevelStrings must agree with: the string members
// Walk shows at depth one.
func topByWalk(src []byte) ([]string, error) {
	var out []string
	var rw Rewriter
	err := rw.Walk(src, func(p *Path, v *Value) (Decision, []byte) {
		if p.Len() == 1 && v.Kind == String {
			out = append(out, fmt.Sprintf("%s=%s", p.Last().Key, v.Str))
		}
		return Keep, nil
	})
	return out, err
}

func checkTopLevel(t *testing.T, src []byte) {
	t.Helper()
	var got []string
	ok := TopLevelStrings(src, func(k, v []byte) { got = append(got, fmt.Sprintf("%s=%s", k, v)) })
	want, err := topByWalk(src)
	if err != nil || !ok {
		return // invalid JSON, or a fallback: the caller walks
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("TopLevelStrings(%q) = %q, Walk shows %q", src, got, want)
	}
}

func TestTopLevelStrings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string
	}{
		{`{"type":"track","n":1,"a":{"type":"x","s":"}\"{"},"b":[1,"]",{"c":"d"}],"event":"Signed Up"}`, true, `[type=track event=Signed Up]`},
		{` { } `, true, `[]`},
		{`{"k":"v"}`, true, `[k=v]`},
		{`{"k":true,"l":null,"m":-1.5e3,"z":"y"}`, true, `[z=y]`},
		{`{"t\u0079pe":"x"}`, false, ``},     // escaped key: fall back
		{`{"type":"tr\u0061ck"}`, false, ``}, // escaped value: fall back
		{`{"a":"x\\"}`, false, ``},
		{`[1,2]`, false, ``},
		{`{"a":{"b":1}`, false, ``}, // unclosed
		{`{"a" "b"}`, false, ``},
		{`{"a":"b",}`, false, ``},
	} {
		var got []string
		ok := TopLevelStrings([]byte(tc.in), func(k, v []byte) { got = append(got, string(k)+"="+string(v)) })
		if ok != tc.ok || (ok && fmt.Sprint(got) != tc.want) {
			t.Errorf("TopLevelStrings(%s) = %v %v, want %v %s", tc.in, got, ok, tc.ok, tc.want)
		}
		checkTopLevel(t, []byte(tc.in))
	}
}

func FuzzTopLevelStrings(f *testing.F) {
	for _, s := range []string{
		`{"type":"track","a":{"b":["}",{"c":"\""}]},"event":"x"}`, `{}`, `{"a":"\\\""}`, `{"a":[[[]]],"b":"c"}`,
		`{"a":1e5,"b":"c","d":false}`, `{"a":"é\u00e9","b":"ü"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkTopLevel(t, src)
	})
}
