package validate

import "testing"

func TestUSSSN(t *testing.T) {
	check(t, "USSSN", USSSN, []struct {
		in   string
		want bool
		why  string
	}{
		{"536-90-4399", true, "dashes"},
		{"536 90 4399", true, "spaces"},
		{"536.90.4399", true, "dots"},
		{"536904399", true, "no separator"},
		{"772-12-3456", true, "area 7xx issued since randomization"},
		{"001-01-0001", true, "lowest parts"},
		{"665-12-3456", true, "area next to 666"},
		{"899-99-9998", true, "highest area"},
		{"000-12-3456", false, "area 000"},
		{"666-12-3456", false, "area 666"},
		{"900-12-3456", false, "area 9xx"},
		{"987-65-4321", false, "advertising range 987-65-432x is 9xx"},
		{"536-00-4399", false, "group 00"},
		{"536-90-0000", false, "serial 0000"},
		{"078-05-1120", false, "Woolworth wallet card"},
		{"219-09-9999", false, "advertising number"},
		{"123-45-6789", false, "sequence"},
		{"123456789", false, "sequence, unseparated"},
		{"111-11-1111", false, "repeated digit"},
		{"555 55 5555", false, "repeated digit"},
		{"078-05 1120", false, "mixed separators"},
		{"536-90 4399", false, "mixed separators"},
		{"536-904399", false, "one separator missing"},
		{"53-690-4399", false, "wrong grouping"},
		{"536-90-43991", false, "ten digits"},
		{"536_90_4399", false, "underscores"},
		{"", false, "empty"},
	})
}

func TestUKNINO(t *testing.T) {
	check(t, "UKNINO", UKNINO, []struct {
		in   string
		want bool
		why  string
	}{
		{"AB 12 34 56 C", true, "spaced pairs"},
		{"AB123456C", true, "unspaced"},
		{"AB 123456 C", true, "spaced blocks"},
		{"ab123456c", true, "lower case"},
		{"JG103759A", true, "valid prefix"},
		{"CE 12 34 56 D", true, "suffix D"},
		{"QQ 12 34 56 C", false, "HMRC's example prefix QQ is never issued"},
		{"DA123456A", false, "first letter D"},
		{"FA123456A", false, "first letter F"},
		{"AO123456A", false, "second letter O"},
		{"AV123456A", false, "second letter V"},
		{"BG123456A", false, "prefix BG"},
		{"GB123456A", false, "prefix GB"},
		{"NK123456A", false, "prefix NK"},
		{"TN123456A", false, "prefix TN (temporary numbers)"},
		{"ZZ123456A", false, "prefix ZZ"},
		{"AB123456E", false, "suffix E"},
		{"AB123456", false, "no suffix"},
		{"AB12345C", false, "five digits"},
		{"AB1234567C", false, "seven digits"},
		{"A1123456C", false, "digit in prefix"},
		{" AB123456C", false, "leading space"},
		{"AB  123456C", false, "double space"},
		{"AB-12-34-56-C", false, "dashes"},
	})
}
