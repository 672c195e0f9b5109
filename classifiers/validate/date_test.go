package validate

import (
	"strconv"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	next := strconv.Itoa(time.Now().Year() + 1)
	this := strconv.Itoa(time.Now().Year())
	check(t, "Date", Date, []struct {
		in   string
		want bool
		why  string
	}{
		{"1985-03-12", true, "ISO"},
		{"1985/03/12", true, "year first with slashes"},
		{"12/03/1985", true, "D/M/Y or M/D/Y"},
		{"25/12/1985", true, "only D/M/Y exists"},
		{"12/25/1985", true, "only M/D/Y exists"},
		{"3/7/1985", true, "one-digit day and month"},
		{"12-03-1985", true, "dashes"},
		{"12.03.1985", true, "German"},
		{"29.02.2000", true, "leap day in a 400 year"},
		{"1900-01-01", true, "earliest"},
		{this + "-01-01", true, "current year"},
		{"12 March 1985", true, "English, day first"},
		{"March 12, 1985", true, "English, month first"},
		{"Mar. 12th 1985", true, "abbreviation and ordinal"},
		{"12th March 1985", true, "ordinal"},
		{"12-Mar-1985", true, "dashed abbreviation"},
		{"12 DECEMBER 1985", true, "upper case"},
		{"12. März 1985", true, "German month"},
		{"12. Maerz 1985", true, "German month without umlaut"},
		{"3. Jänner 1985", true, "Austrian January"},
		{"1er mars 1985", true, "French ordinal"},
		{"12 décembre 1985", true, "French month with accent"},
		{"12 DÉCEMBRE 1985", true, "French month, upper case accent"},
		{"12 fevrier 1985", true, "French month without accent"},
		{"1985-02-30", false, "30 February"},
		{"29.02.1900", false, "1900 is not a leap year"},
		{"31/31/1985", false, "no month 31"},
		{"31.04.1985", false, "30 days in April"},
		{"12.25.1985", false, "dots mean D.M.Y"},
		{"1899-12-31", false, "before 1900"},
		{next + "-01-01", false, "next year"},
		{"1985-3-12", false, "year-first needs two-digit month and day"},
		{"12-03/1985", false, "mixed separators"},
		{"19850312", false, "undelimited"},
		{"12/03/85", false, "two-digit year"},
		{"12 Marchh 1985", false, "misspelt month"},
		{"32 March 1985", false, "no 32nd"},
		{"March 1985", false, "no day"},
		{"0 March 1985", false, "day 0"},
		{"12 March 1985 10:00", false, "trailing time"},
		{"", false, "empty"},
	})
}

func TestDateShortYear(t *testing.T) {
	yy := time.Now().Year() % 100
	this := strconv.Itoa(100 + yy)[1:]
	next := strconv.Itoa(100 + (yy+1)%100)[1:]
	check(t, "DateShortYear", DateShortYear, []struct {
		in   string
		want bool
		why  string
	}{
		{"03/07/85", true, "D/M/YY"},
		{"12/25/85", true, "only M/D/YY exists"},
		{"3/7/85", true, "one-digit day and month"},
		{"12.05.78", true, "German"},
		{"7-4-76", true, "dashes"},
		{"29/02/00", true, "2000 was a leap year"},
		{"01/01/" + this, true, "this year"},
		{"12/25/" + next, true, "next year's digits read as a year a century ago"},
		{"31/02/85", false, "no such day"},
		{"12.25.85", false, "dots are day first"},
		{"03/07-85", false, "mixed separators"},
		{"03/07/1985", false, "four-digit year: Date's form"},
		{"03/07/5", false, "one-digit year"},
		{"003/07/85", false, "three-digit day"},
		{"03//85", false, "empty field"},
		{"03/07/85/1", false, "four fields"},
		{"1985-03-12", false, "ISO"},
	})
}
