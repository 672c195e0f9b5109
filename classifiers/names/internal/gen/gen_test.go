package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerate rebuilds the French, German, Spanish, Italian and Dutch
// lists from the rows kept in testdata and compares them with the shipped
// files, so the lists and the documented derivation cannot drift apart.
func TestRegenerate(t *testing.T) {
	cases := []struct {
		name   string
		format string
		inputs []string
		min    int
		single bool
		want   string
	}{
		{"insee", "counts", []string{"insee_nat2021_f_min1000.csv", "insee_nat2021_m_min1000.csv"}, 1000, false, "given_fr_insee.txt"},
		{"koeln", "counts", []string{"koeln_2010_2020_f_min25.csv", "koeln_2010_2020_m_min25.csv"}, 25, false, "given_de_koeln.txt"},
		{"leipzig", "words", []string{"leipzig_2021_min3.txt"}, 0, false, "given_de_leipzig.txt"},
		{"ine-nombres", "counts", []string{"ine_nombres_2021_h_min1500.csv", "ine_nombres_2021_m_min1500.csv"}, 1500, true, "given_es_ine.txt"},
		{"ine-apellidos", "counts", []string{"ine_apellidos_2021_min4500.csv"}, 4500, true, "surnames_es_ine.txt"},
		{"istat", "counts", []string{"istat_nati1999_m.csv", "istat_nati1999_f.csv"}, 0, true, "given_it_istat.txt"},
		{"meertens-nvb", "counts", []string{"meertens_nvb_top100_2002_2014_even.csv"}, 0, true, "given_nl_meertens.txt"},
		{"meertens-nfb", "counts", []string{"nfb_2007_min3650.csv"}, 3650, true, "surnames_nl_meertens.txt"},
		{"bfs-ch", "counts", []string{"bfs_ch_2020_f_min300.csv", "bfs_ch_2020_m_min300.csv"}, 300, false, "given_ch_bfs.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var in []string
			for _, f := range tc.inputs {
				in = append(in, filepath.Join("testdata", f))
			}
			out := filepath.Join(t.TempDir(), "out.txt")
			o := options{format: tc.format, inputs: in, out: out, min: tc.min, to: 9999, single: tc.single}
			if err := run(o); err != nil {
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
	ine := write("ine.csv", "\"Frecuencias de apellidos\",,,,\n,,\"Apellido 1º\",\"Apellido 2º\",\"Ambos apellidos\"\n"+
		"Orden,Apellido,Total,Total,Total\n1,GARCIA,1455085,1474331,77030\n191,\"DE LA FUENTE\",26268,25451,316\n"+
		"549,\"SAN JOSE\",9757,9505,26\n867,FUENTE,6125,6548,107\n")
	ineNames := write("ine-nombres.csv", "Orden,Nombre,Frecuencia,\"Edad Media (*)\"\n1,ANTONIO,640854,\"57,1\"\n8,\"JOSE ANTONIO\",303446,\"51,9\"\n")
	istat := write("istat.csv", "year,name,gender,count,percent\n1999,\"ANDREA\",m,10336,3.9\n1999,\"NICOLO'\",m,2366,0.9\n"+
		"1999,\"DATO MANCANTE\",m,142,0.05\n1999,\"ANDREA\",f,203,0.08\n2000,\"SOFIA\",f,9000,3.5\n")
	nfb := write("nfb.csv", "natural name,meertens db name,href,count in 2007,lemma\n"+
		"de Jong,\"Jong, de\",http://x/?a=1&b=2,83782,\"Jong, de\"\nJansen,Jansen,http://x/,73533,Jansen\n"+
		"van 't Veld,\"Veld, van 't\",http://x/,431,\"Veld, van 't\"\nJanßen,Janßen,http://x/,< 5,Jansen\n")

	cases := []struct {
		format string
		in     string
		top    int
		min    int
		from   int
		to     int
		single bool
		want   string
		err    bool
	}{
		{"ssa-yob", ssa, 0, 0, 1900, 9999, false, "jacob\nemily\nava\n", false},
		{"ssa-yob", ssa, 1, 0, 1900, 9999, false, "jacob\n", false},
		{"insee-nat", nat, 0, 1000, 0, 9999, false, "jean-pierre\nélodie\n", false},
		{"city-de", city, 0, 3, 0, 9999, false, "jürgen\nuwe\n", false},
		{"census2010", census, 0, 0, 0, 9999, false, "smith\njohnson\n", false},
		{"ranked", ranked, 0, 0, 0, 9999, false, "smith\njohnson\n", false},
		// INE: the first count column; "de la Fuente" counts for "fuente"
		// (26268+6125 puts it above nothing else here), "San José" is dropped.
		{"ine", ine, 0, 0, 0, 9999, true, "garcia\nfuente\n", false},
		{"ine", ine, 0, 0, 0, 9999, false, "garcia\nde la fuente\nsan jose\nfuente\n", false},
		{"ine", ineNames, 0, 0, 0, 9999, true, "antonio\n", false},
		// ISTAT: one year, both sexes summed, the placeholder for a
		// missing name dropped with the other two-word names.
		{"istat", istat, 0, 0, 1999, 1999, true, "andrea\nnicolo\n", false},
		{"istat", istat, 0, 0, 1999, 2000, true, "andrea\nsofia\nnicolo\n", false},
		// Familienamenbank: "de Jong" -> "jong", "van 't Veld" dropped,
		// "< 5" rows skipped.
		{"nfb", nfb, 0, 0, 0, 9999, true, "jong\njansen\n", false},
		{"city-de", bad, 0, 0, 0, 9999, false, "", true},
		{"istat", ineNames, 0, 0, 0, 9999, false, "", true},
		{"nope", ranked, 0, 0, 0, 9999, false, "", true},
	}
	for _, tc := range cases {
		out := filepath.Join(dir, "out.txt")
		o := options{format: tc.format, inputs: []string{tc.in}, out: out, top: tc.top, min: tc.min, from: tc.from, to: tc.to, single: tc.single}
		err := run(o)
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

func TestSingleWord(t *testing.T) {
	cases := []struct{ in, want string }{
		{"garcia", "garcia"},
		{"de la fuente", "fuente"},
		{"van der meer", "meer"},
		{"van den berg", "berg"},
		{"den hartog", "hartog"},
		{"da silva", "silva"},
		{"jose antonio", ""},
		{"san martin", ""},
		{"van 't hof", ""},
		{"de los santos", ""},
		{"de", ""},
		{"van der", ""},
		{"", ""},
	}
	for _, tc := range cases {
		if got := SingleWord(tc.in); got != tc.want {
			t.Errorf("SingleWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzSingleWord checks that SingleWord never returns more than one word or
// a particle, whatever Normalize lets through.
func FuzzSingleWord(f *testing.F) {
	for _, s := range []string{"DE LA FUENTE", "van 't Veld", "JOSE ANTONIO", "Müller", " de ", "d'Angelo"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := SingleWord(Normalize(s))
		if strings.ContainsAny(w, " \t\n") || isParticle(w) {
			t.Fatalf("SingleWord(Normalize(%q)) = %q", s, w)
		}
	})
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
