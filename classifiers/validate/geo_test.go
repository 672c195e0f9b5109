package validate

import "testing"

func TestGeoCoordinate(t *testing.T) {
	check(t, "GeoCoordinate", GeoCoordinate, []struct {
		in   string
		want bool
		why  string
	}{
		{"48.8584, 2.2945", true, "comma and space"},
		{"-33.8568,151.2153", true, "signs, no space"},
		{"40.689247 -74.044502", true, "space only"},
		{"+48.858; +2.294", true, "plus signs, semicolon"},
		{"48.8584° N, 2.2945° E", true, "degree signs and hemisphere suffixes"},
		{"48.8584N 2.2945E", true, "attached suffixes"},
		{"N 48.8584, E 2.2945", true, "hemisphere prefixes"},
		{"33.8568 S 151.2153 E", true, "southern hemisphere"},
		{"2.2945 E, 48.8584 N", true, "longitude first with letters"},
		{"90.000, 180.000", true, "range limits"},
		{"-90.000, -180.000", true, "negative limits"},
		{"48.85, 2.29", false, "two decimals locate a town"},
		{"48.8584, 2", false, "integer longitude"},
		{"91.000, 2.294", false, "latitude over 90"},
		{"48.858, 181.000", false, "longitude over 180"},
		{"2.2945 N, 48.8584 N", false, "two latitudes"},
		{"-48.858 S, 2.294 E", false, "sign and letter"},
		{"48.8584 N, 2.2945", false, "letter on one side only"},
		{"0.000, 0.000", false, "null island placeholder"},
		{"48.8584,, 2.2945", false, "double comma"},
		{"48.8584 2.2945 1.0000", false, "three numbers"},
		{"48.85842.2945", false, "no separator"},
		{"1.2.3.4", false, "dotted quad"},
		{"48,8584, 2,2945", false, "decimal commas"},
		{"", false, "empty"},
	})
}
