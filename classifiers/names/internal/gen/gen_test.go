package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerate rebuilds the French and German lists from the rows kept in
// testdata and compares them with the shipped files, so the lists and the
// documented derivation cannot drift apart.
func TestRegenerate(t *testing.T) {
	cases := []struct {
		name   string
		format string
		inputs []string
		min    int
		want   string
	}{
		{"insee", "counts", []string{"insee_nat2021_f_min1000.csv", "insee_nat2021_m_min1000.csv"}, 1000, "given_fr_insee.txt"},
		{"koeln", "counts", []string{"koeln_2010_2020_f_min25.csv", "koeln_2010_2020_m_min25.csv"}, 25, "given_de_koeln.txt"},
		{"leipzig", "words", []string{"leipzig_2021_min3.txt"}, 0, "given_de_leipzig.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var in []string
			for _, f := range tc.inputs {
				in = append(in, filepath.Join("testdata", f))
			}
			out := filepath.Join(t.TempDir(), "out.txt")
			if err := run(tc.format, in, out, 0, tc.min, 0, 9999); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("..", "..", "data", tc.want))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("regenerated %s differs from the shipped file (%d vs %d bytes)", tc.want, len(got), len(want))
			}
		})
	}
}

func TestFormats(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ssa := filepath.Join(dir, "ssa")
	if err := os.Mkdir(ssa, 0o755); err != nil {
		t.Fatal(err)
	}
	write("ssa/yob1999.txt", "Emily,F,100\nJacob,M,90\nEmily,M,5\n")
	write("ssa/yob2000.txt", "Jacob,M,30\nAva,F,1\n")
	write("ssa/yob1800.txt", "Old,M,1000\n")
	nat := write("nat.csv", "sexe;preusuel;annais;nombre\n2;ÉLODIE;1980;600\n2;ÉLODIE;1981;500\n1;_PRENOMS_RARES;1980;9999\n1;JEAN-PIERRE;1960;2000\n")
	city := write("city.csv", "anzahl;vorname;geschlecht;position\n5;Jürgen;m;2\n2;Jürgen;m;1\n3;Uwe;m;2\n")
	census := write("census.csv", "name,rank,count,prop100k\nSMITH,1,2442977,828.19\nALL OTHER NAMES,0,29312001,9936.97\nJOHNSON,2,1932812,655.24\n")
	ranked := write("ranked.txt", "SMITH          1.006  1.006      1\nJOHNSON        0.810  1.816      2\n")
	bad := write("bad.csv", "x;Name;m\n")

	cases := []struct {
		format string
		in     string
		top    int
		min    int
		from   int
		want   string
		err    bool
	}{
		{"ssa-yob", ssa, 0, 0, 1900, "jacob\nemily\nava\n", false},
		{"ssa-yob", ssa, 1, 0, 1900, "jacob\n", false},
		{"insee-nat", nat, 0, 1000, 0, "jean-pierre\nélodie\n", false},
		{"city-de", city, 0, 3, 0, "jürgen\nuwe\n", false},
		{"census2010", census, 0, 0, 0, "smith\njohnson\n", false},
		{"ranked", ranked, 0, 0, 0, "smith\njohnson\n", false},
		{"city-de", bad, 0, 0, 0, "", true},
		{"nope", ranked, 0, 0, 0, "", true},
	}
	for _, tc := range cases {
		out := filepath.Join(dir, "out.txt")
		err := run(tc.format, []string{tc.in}, out, tc.top, tc.min, tc.from, 9999)
		if tc.err {
			if err == nil {
				t.Errorf("%s: want error", tc.format)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		got, _ := os.ReadFile(out)
		if string(got) != tc.want {
			t.Errorf("%s: got %q, want %q", tc.format, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ÉLODIE": "élodie", " Jean-Pierre ": "jean-pierre", "O'Brien": "o'brien",
		"_PRENOMS_RARES": "", "R2D2": "", "": "", "A.B": "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if strings.Contains(Normalize("Zoë"), "Z") {
		t.Error("not lowercased")
	}
}
