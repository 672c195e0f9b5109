package validate

import (
	"strings"
	"testing"
)

func TestIBAN(t *testing.T) {
	check(t, "IBAN", IBAN, []struct {
		in   string
		want bool
		why  string
	}{
		{"GB82 WEST 1234 5698 7654 32", true, "registry example, grouped"},
		{"GB82WEST12345698765432", true, "registry example, ungrouped"},
		{"gb82 west 1234 5698 7654 32", true, "lower case"},
		{"GB82-WEST-1234-5698-7654-32", true, "dashes"},
		{"DE89 3704 0044 0532 0130 00", true, "Germany"},
		{"NL91 ABNA 0417 1643 00", true, "Netherlands"},
		{"FR14 2004 1010 0505 0001 3M02 606", true, "France, letter in BBAN"},
		{"BE68 5390 0754 7034", true, "Belgium, 16"},
		{"NO93 8601 1117 947", true, "Norway, shortest (15)"},
		{"MT84 MALT 0110 0001 2345 MTLC AST0 01S", true, "Malta, 31"},
		{"CH93 0076 2011 6238 5295 7", true, "Switzerland"},
		{"ES91 2100 0418 4502 0005 1332", true, "Spain"},
		{"AT61 1904 3002 3457 3201", true, "Austria"},
		{"SC18 SSCB 1101 0000 0000 0000 1497 USD", true, "Seychelles, currency letters"},
		{"RU0204452560040702810412345678901", true, "Russia, longest (33)"},
		{"LC55HEMM000100010012001200023015", true, "Saint Lucia, 32"},
		{"BI4210000100010000332045181", true, "Burundi"},
		{"EG380019000500000000263180002", true, "Egypt"},
		{"YE15CBYE0001018861234567891234", true, "Yemen"},
		{"OM810180000001299123456", true, "Oman"},
		{"SO211000001001000100141", true, "Somalia"},
		{"HN54PISA00000000000000123124", true, "Honduras"},
		{"NI79BAMC00000000000003123123", true, "Nicaragua"},
		{"LY83002048000020100120361", true, "Libya"},
		{"MN580050099123456789", true, "Mongolia"},
		{"DJ2110002010010409943020008", true, "Djibouti"},
		{"FK88SC123456789012", true, "Falkland Islands"},
		{"SD8811123456789012", true, "Sudan"},
		{"IQ98NBIQ850123456789012", true, "Iraq"},
		{"BY13NBRB3600900000002Z00AB00", true, "Belarus"},
		{"GB98WEST00000000000047", true, "check digits 98"},
		{"GB02WEST00000000000029", true, "check digits 02"},
		{"GB01WEST00000000000047", false, "check digits 01 pass mod 97 but are never computed"},
		{"GB82 WEST 1234 5698 7654 33", false, "checksum"},
		{"GB82 WEST 1234 5698 7654 3", false, "too short for GB"},
		{"GB82 WEST 1234 5698 7654 321", false, "too long for GB"},
		{"DE89 3704 0044 0532 0130 00 ", false, "trailing space"},
		{"GB82  WEST 1234 5698 7654 32", false, "double space"},
		{"XX82WEST12345698765432", false, "unknown country"},
		{"US64SVBKUS6S3300958879", false, "the US has no IBAN"},
		{"GBX2WEST12345698765432", false, "letter in check digits"},
		{"GB82WEST1234569876543_", false, "bad character"},
		{"", false, "empty"},
	})
}

func TestIBANLength(t *testing.T) {
	for _, c := range []struct {
		cc   string
		want int
	}{{"GB", 22}, {"NO", 15}, {"RU", 33}, {"US", 0}, {"gb", 0}, {"G", 0}} {
		if got := IBANLength(c.cc); got != c.want {
			t.Errorf("IBANLength(%q) = %d, want %d", c.cc, got, c.want)
		}
	}
	for k, n := range ibanLengths {
		if n < 15 || n > maxIBAN {
			t.Errorf("length %d for %c%c out of range", n, k>>8, k&0xff)
		}
	}
}

func TestIBANCaseInsensitive(t *testing.T) {
	for _, s := range []string{"DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606"} {
		if IBAN(s) != IBAN(strings.ToLower(s)) {
			t.Errorf("IBAN(%q) differs by case", s)
		}
	}
}
