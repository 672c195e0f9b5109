package aggregate

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestRecordsMatchSchema checks the golden records against the documented
// schema's keys: every required key present, no key the schema does not
// name, and the $id the records claim.
func TestRecordsMatchSchema(t *testing.T) {
	raw, err := os.ReadFile("../../schemas/records/aggregate.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		ID         string                     `json:"$id"`
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if schema.ID != SchemaID {
		t.Fatalf("schema $id %q, records say %q", schema.ID, SchemaID)
	}
	f, err := os.Open("testdata/golden_records.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		for _, k := range schema.Required {
			if _, ok := rec[k]; !ok {
				t.Errorf("record %d lacks required %q", n, k)
			}
		}
		for k := range rec {
			if _, ok := schema.Properties[k]; !ok {
				t.Errorf("record %d has %q, which the schema does not document", n, k)
			}
		}
		if !slices.Contains(schema.Required, "privacy") {
			t.Error("schema does not require privacy")
		}
	}
	if n == 0 {
		t.Fatal("no golden records")
	}
}
