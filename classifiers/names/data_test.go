package names

import "testing"

// TestShippedLists checks that every list is present, non-trivial, and
// carries well-known names from its source.
func TestShippedLists(t *testing.T) {
	d := base()
	min := map[string]int{
		"given_en_us_ssa.txt":           5000,
		"surnames_en_us_census1990.txt": 15000,
		"given_fr_insee.txt":            3000,
		"given_de_koeln.txt":            600,
		"given_de_leipzig.txt":          600,
		"given_es_ine.txt":              1300,
		"surnames_es_ine.txt":           1000,
		"given_it_istat.txt":            600,
		"given_nl_meertens.txt":         300,
		"surnames_nl_meertens.txt":      350,
		"given_ch_bfs.txt":              2500,
		"stoplist.txt":                  500,
		"ambiguous.txt":                 300,
	}
	for file, n := range min {
		if got := d.sizes[file]; got < n {
			t.Errorf("%s: %d names, want at least %d", file, got, n)
		}
	}
	known := []struct {
		name string
		flag uint8
	}{
		{"james", flagGiven}, {"jennifer", flagGiven}, {"liam", flagGiven}, // SSA
		{"smith", flagSurname}, {"garcia", flagSurname}, {"nguyen", flagSurname}, {"schmidt", flagSurname}, // Census
		{"élodie", flagGiven}, {"hélène", flagGiven}, {"jean-pierre", flagGiven}, {"maëlys", flagGiven}, // INSEE
		{"jürgen", flagGiven}, {"maximilian", flagGiven}, {"uwe", flagGiven}, // Köln, Leipzig
		{"helene", flagGiven}, {"mueller", flagSurname}, {"muller", flagSurname}, // folded forms
		{"josefa", flagGiven}, {"iñigo", flagGiven}, {"inigo", flagGiven}, {"montserrat", flagGiven}, // INE nombres
		{"heike", flagGiven}, {"dieter", flagGiven}, {"jörg", flagGiven}, {"joerg", flagGiven}, {"françoise", flagGiven}, // BFS
		{"fernandez", flagSurname}, {"muñoz", flagSurname}, {"munoz", flagSurname}, {"fuente", flagSurname}, // INE apellidos ("de la Fuente")
		{"giuseppe", flagGiven}, {"francesca", flagGiven}, {"gianluca", flagGiven}, {"nicolo", flagGiven}, // ISTAT
		{"joost", flagGiven}, {"femke", flagGiven}, {"daan", flagGiven}, {"thijs", flagGiven}, {"sanne", flagGiven}, {"wouter", flagGiven}, // Meertens NVB
		{"jansen", flagSurname}, {"vries", flagSurname}, {"dijkstra", flagSurname}, {"bakker", flagSurname}, {"visser", flagSurname},
		{"graaf", flagSurname}, {"leeuwen", flagSurname}, {"smits", flagSurname}, {"mulder", flagSurname}, // Meertens NFB, particles stripped
		{"monday", flagStop}, {"paris", flagStop}, {"google", flagStop},
		{"domingo", flagStop}, {"julio", flagStop}, {"valencia", flagStop}, {"sevilla", flagStop}, {"córdoba", flagStop}, {"cordoba", flagStop},
		{"napoli", flagStop}, {"venezia", flagStop}, {"genova", flagStop}, {"utrecht", flagStop}, {"maandag", flagStop}, {"natale", flagStop},
		{"may", flagAmbiguous}, {"grace", flagAmbiguous},
		{"rosa", flagAmbiguous}, {"cruz", flagAmbiguous}, {"blanco", flagAmbiguous}, {"mayor", flagAmbiguous}, {"leon", flagAmbiguous},
		{"marino", flagAmbiguous}, {"bianco", flagAmbiguous}, {"roos", flagAmbiguous}, {"floor", flagAmbiguous},
	}
	for _, k := range known {
		if d.m[k.name]&k.flag == 0 {
			t.Errorf("%q lacks flag %b (has %b)", k.name, k.flag, d.m[k.name])
		}
	}
	// Surnames are shipped without their particles: the detector reads
	// "de", "van der", "de la" as particles and looks up the word after them.
	for _, multi := range []string{"de vries", "van der meer", "de la fuente", "jose antonio", "dato mancante"} {
		if d.m[multi] != 0 {
			t.Errorf("%q is listed; multi-word entries are never looked up", multi)
		}
	}
	for _, notName := range []string{"the", "and", "password", "123"} {
		if d.m[notName]&(flagGiven|flagSurname) != 0 {
			t.Errorf("%q is listed as a name", notName)
		}
	}
}

func TestFold(t *testing.T) {
	var buf [64]byte
	cases := []struct {
		in    string
		spell bool
		want  string
	}{
		{"müller", false, "muller"}, {"müller", true, "mueller"}, {"straße", false, "strasse"},
		{"o'brien", false, "obrien"}, {"élodie", false, "elodie"}, {"plain", false, ""},
	}
	for _, tc := range cases {
		n := foldInto(buf[:], []byte(tc.in), tc.spell)
		if got := string(buf[:n]); got != tc.want {
			t.Errorf("fold(%q, %v) = %q, want %q", tc.in, tc.spell, got, tc.want)
		}
	}
	if n := foldInto(buf[:2], []byte("élodie"), false); n != 0 {
		t.Errorf("overflow not reported: %d", n)
	}
}
