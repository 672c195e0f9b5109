package validate

import "testing"

func TestPostalUS(t *testing.T) {
	check(t, "PostalUS", PostalUS, []struct {
		in   string
		want bool
		why  string
	}{
		{"90210", true, "ZIP"},
		{"00501", true, "lowest ZIP in use"},
		{"90210-1234", true, "ZIP+4"},
		{"00000", false, "never assigned"},
		{"9021", false, "four digits"},
		{"902101", false, "six digits"},
		{"90210-123", false, "short add-on"},
		{"90210 1234", false, "space instead of dash"},
		{"9021O", false, "letter O"},
	})
}

func TestPostalCA(t *testing.T) {
	check(t, "PostalCA", PostalCA, []struct {
		in   string
		want bool
		why  string
	}{
		{"K1A 0B1", true, "Ottawa"},
		{"M5V 3L9", true, "Toronto"},
		{"H0H 0H0", true, "Santa's code is well formed"},
		{"k1a0b1", true, "lower case, no space"},
		{"K1A-0B1", true, "dash"},
		{"W1A 0B1", false, "first letter W"},
		{"Z1A 0B1", false, "first letter Z"},
		{"D1A 0B1", false, "letter D"},
		{"K1A 0O1", false, "letter O"},
		{"K1U 0B1", false, "letter U"},
		{"K1A 0B", false, "too short"},
		{"K1A  0B1", false, "double space"},
		{"11A 0B1", false, "digit first"},
	})
}

func TestPostalUK(t *testing.T) {
	check(t, "PostalUK", PostalUK, []struct {
		in   string
		want bool
		why  string
	}{
		{"SW1A 1AA", true, "AANA"},
		{"SW1A1AA", true, "no space"},
		{"sw1a 1aa", true, "lower case"},
		{"EC1A 1BB", true, "AANA"},
		{"W1A 0AX", true, "ANA"},
		{"E1W 1AA", true, "ANA with W"},
		{"M1 1AE", true, "AN"},
		{"B33 8TH", true, "ANN"},
		{"CR2 6XH", true, "AAN"},
		{"DN55 1PT", true, "AANN"},
		{"GIR 0AA", true, "Girobank"},
		{"STHL 1ZZ", true, "St Helena"},
		{"JE2 3XP", true, "Jersey"},
		{"BF1 4FB", true, "BFPO"},
		{"GIR 0AB", false, "GIR only with 0AA"},
		{"QA1 1AA", false, "no area QA"},
		{"XX1 1AA", false, "no area XX"},
		{"A1 1AA", false, "A is not a one-letter area"},
		{"SW1A 1AI", false, "inward letter I"},
		{"SW1A 1CA", false, "inward letter C"},
		{"W1I 0AX", false, "I not allowed as ANA letter"},
		{"EC1Z 1BB", false, "Z not allowed as AANA letter"},
		{"SW1 1A", false, "short inward"},
		{"SW1A  1AA", false, "double space"},
		{"SW 1A1AA", false, "space in the wrong place"},
		{"W1A1 1AA", false, "district too long"},
		{"SWA1 1AA", false, "three-letter area"},
		{"SW123 1AA", false, "three-digit district"},
		{"1AA", false, "inward only"},
	})
}

func TestPostalNumericAndNL(t *testing.T) {
	cases := []struct {
		name string
		f    Func
		in   string
		want bool
	}{
		{"de", PostalDE, "10115", true},
		{"de", PostalDE, "01067", true},
		{"de", PostalDE, "99998", true},
		{"de", PostalDE, "01000", false},
		{"de", PostalDE, "99999", false},
		{"de", PostalDE, "1011", false},
		{"fr", PostalFR, "75008", true},
		{"fr", PostalFR, "20000", true},
		{"fr", PostalFR, "97400", true},
		{"fr", PostalFR, "98000", true},
		{"fr", PostalFR, "96000", false},
		{"fr", PostalFR, "99000", false},
		{"fr", PostalFR, "00100", false},
		{"ch", PostalCH, "8001", true},
		{"ch", PostalCH, "1000", true},
		{"ch", PostalCH, "0999", false},
		{"ch", PostalCH, "9700", false},
		{"at", PostalAT, "1010", true},
		{"at", PostalAT, "9992", true},
		{"at", PostalAT, "1009", false},
		{"at", PostalAT, "9993", false},
		{"be", PostalBE, "1000", true},
		{"be", PostalBE, "9992", true},
		{"be", PostalBE, "0999", false},
		{"be", PostalBE, "9993", false},
		{"dk", PostalDK, "0800", true},
		{"dk", PostalDK, "2100", true},
		{"dk", PostalDK, "9990", true},
		{"dk", PostalDK, "0799", false},
		{"dk", PostalDK, "9991", false},
		{"dk", PostalDK, "210", false},
		{"nl", PostalNL, "1234 AB", true},
		{"nl", PostalNL, "1234AB", true},
		{"nl", PostalNL, "1012 js", true},
		{"nl", PostalNL, "0123 AB", false},
		{"nl", PostalNL, "1234 SA", false},
		{"nl", PostalNL, "1234 SD", false},
		{"nl", PostalNL, "1234 SS", false},
		{"nl", PostalNL, "1234 SB", true},
		{"nl", PostalNL, "1234  AB", false},
		{"nl", PostalNL, "12345 AB", false},
		{"nl", PostalNL, "1234 A1", false},
	}
	for _, c := range cases {
		if got := c.f(c.in); got != c.want {
			t.Errorf("Postal %s(%q) = %v, want %v", c.name, c.in, got, c.want)
		}
	}
}

func TestPostal(t *testing.T) {
	check(t, "Postal", Postal, []struct {
		in   string
		want bool
		why  string
	}{
		{"90210-1234", true, "US"},
		{"K1A 0B1", true, "CA"},
		{"SW1A 1AA", true, "UK"},
		{"10115", true, "DE, FR and US formats"},
		{"1234 AB", true, "NL"},
		{"8001", true, "CH, AT, BE, DK formats"},
		{"0100", false, "below every 4-digit range"},
		{"00000", false, "no 5-digit format"},
		{"hello", false, "text"},
		{"", false, "empty"},
	})
}
