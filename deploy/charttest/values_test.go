package charttest

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestValuesDocumented checks that every key of values.yaml has a comment:
// on its own line above the key, or at the end of the key's line. The
// contents of lists (examples such as the default outputs or DNS peers) are
// documented by the comment of the list's key.
func TestValuesDocumented(t *testing.T) {
	data, err := os.ReadFile(chartDir + "/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		t.Fatalf("values.yaml is not a mapping")
	}
	var keys int
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+k.Value, ".")
			keys++
			if strings.TrimSpace(k.HeadComment) == "" && strings.TrimSpace(k.LineComment) == "" &&
				strings.TrimSpace(v.LineComment) == "" {
				t.Errorf("values.yaml: %s (line %d) has no comment", p, k.Line)
			}
			if v.Kind == yaml.MappingNode {
				walk(v, p)
			}
		}
	}
	walk(doc.Content[0], "")
	if keys < 50 {
		t.Errorf("only %d keys walked; the walk is broken", keys)
	}
}
