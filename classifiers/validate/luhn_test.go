package validate

import "testing"

func TestLuhn(t *testing.T) {
	check(t, "Luhn", Luhn, []struct {
		in   string
		want bool
		why  string
	}{
		{"79927398713", true, "textbook example"},
		{"4111 1111 1111 1111", true, "spaces"},
		{"4111-1111-1111-1111", true, "dashes"},
		{"00", true, "two zeros sum to 0"},
		{"79927398710", false, "wrong check digit"},
		{"0", false, "one digit"},
		{"", false, "empty"},
		{" 79927398713", false, "leading separator"},
		{"79927398713-", false, "trailing separator"},
		{"7992.7398.713", false, "dots are not Luhn separators"},
		{"7992739871a", false, "letter"},
	})
}

func TestCreditCard(t *testing.T) {
	check(t, "CreditCard", CreditCard, []struct {
		in   string
		want bool
		why  string
	}{
		{"4111111111111111", true, "Visa test number"},
		{"4012888888881881", true, "Visa test number"},
		{"4222222222222", true, "Visa 13 digits"},
		{"4111 1111 1111 1111", true, "Visa grouped by spaces"},
		{"4111-1111-1111-1111", true, "Visa grouped by dashes"},
		{"5500 0000 0000 0004", true, "Mastercard test number"},
		{"5555555555554444", true, "Mastercard test number"},
		{"2221000000000009", true, "Mastercard 2-series low end"},
		{"2223003122003222", true, "Mastercard 2-series"},
		{"378282246310005", true, "Amex test number"},
		{"3714 496353 98431", true, "Amex 4-6-5 grouping"},
		{"6011111111111117", true, "Discover test number"},
		{"6011000990139424", true, "Discover test number"},
		{"30569309025904", true, "Diners 14 digits"},
		{"38520000023237", true, "Diners 38"},
		{"36227206271667", true, "Diners 36"},
		{"3530111333300000", true, "JCB test number"},
		{"3566002020360505", true, "JCB test number"},
		{"6200000000000005", true, "UnionPay test number"},
		{"6205500000000000004", true, "UnionPay 19 digits"},
		{"6759649826438453", true, "Maestro"},
		{"5018000000000009", true, "Maestro 50"},
		{"2200000000000004", true, "Mir"},
		{"122000000000003", true, "UATP 15 digits"},
		{"1220000000000003", false, "UATP is 15 digits only"},
		{"4111111111111112", false, "Luhn fails"},
		{"1234567812345670", false, "Luhn passes but IIN 1 is no known network"},
		{"0000000000000000", false, "one repeated digit"},
		{"5500000000000004000", false, "Mastercard is 16 digits only"},
		{"37828224631000", false, "Amex too short"},
		{"411111111111", false, "12 digits"},
		{"41111111111111111111", false, "20 digits"},
		{"4111 1111 1111 1111 ", false, "trailing space"},
		{"4111_1111_1111_1111", false, "underscore separator"},
		{"9792000000000001", false, "Troy prefix, Luhn fails"},
		{"", false, "empty"},
	})
}

func TestCASIN(t *testing.T) {
	check(t, "CASIN", CASIN, []struct {
		in   string
		want bool
		why  string
	}{
		{"130 692 544", true, "spaces"},
		{"130-692-544", true, "dashes"},
		{"130692544", true, "no separator"},
		{"193-456-787", true, "valid"},
		{"913 456 786", true, "temporary resident (9) is valid"},
		{"130 692 545", false, "Luhn fails"},
		{"046 454 286", false, "Service Canada's published example starts with 0, never issued"},
		{"800 000 002", false, "8 is for business numbers"},
		{"130-692 544", false, "mixed separators"},
		{"130 6925 44", false, "wrong grouping"},
		{"13069254", false, "8 digits"},
		{"1306925440", false, "10 digits"},
	})
}

func TestLuhnAgreesWithCardAndSIN(t *testing.T) {
	// CreditCard and CASIN imply Luhn over the same text.
	for _, s := range []string{"4111111111111111", "378282246310005", "130 692 544", "913-456-786"} {
		if (CreditCard(s) || CASIN(s)) && !Luhn(s) {
			t.Errorf("%q passes CreditCard or CASIN but not Luhn", s)
		}
	}
}
