package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// TEST DATA. Countries, cities, regions, postal-code ranges, area codes and
// street names below are public facts about places (approximate city-centre
// coordinates, real postal-code prefixes, real telephone area codes) written
// by hand for this generator. Street names are common names that exist in many
// towns; no address below designates a particular household.

// country describes one country the generator places people in.
type country struct {
	code   string // ISO 3166-1 alpha-2
	name   string // English name, as Segment's location.country carries it
	tz     string // IANA time zone most people there use
	lang   string // key of names
	cities []city
	weight int
}

// city is a place people live in, with what postal codes, area codes and
// coordinates belong to it.
type city struct {
	name       string
	region     string // region or state name
	regionCode string // ISO 3166-2 subdivision code without the country part
	lat, lon   float64
	postal     func(r *rand.Rand) string
	areas      []string // landline area codes (national prefix included where the country uses one)
	tz         string   // overrides country.tz
}

// regionLabel returns the region as events carry it: its name, unless the
// city's name is part of it (Berlin, Comunidad de Madrid), in which case a
// kept region would repeat the labelled city, so the code stands in for it.
func (c *city) regionLabel() string {
	if strings.Contains(fold(c.region), fold(c.name)) {
		return c.regionCode
	}
	return c.region
}

func zipRange(lo, hi int) func(r *rand.Rand) string {
	return func(r *rand.Rand) string { return pad(lo+r.IntN(hi-lo+1), 5) }
}

func zipList(codes ...string) func(r *rand.Rand) string {
	return func(r *rand.Rand) string { return codes[r.IntN(len(codes))] }
}

// ukPostcode builds a postcode from one of the outward codes and a random
// inward code (digit + two letters from the set the Royal Mail uses).
func ukPostcode(outward ...string) func(r *rand.Rand) string {
	const inward = "ABDEFGHJLNPQRSTUWXYZ"
	return func(r *rand.Rand) string {
		return outward[r.IntN(len(outward))] + " " + strconv.Itoa(r.IntN(10)) +
			string(inward[r.IntN(len(inward))]) + string(inward[r.IntN(len(inward))])
	}
}

// caPostcode builds a Canadian postal code from one of the forward sortation
// areas and a random local delivery unit (letters D F I O Q U are not used).
func caPostcode(fsa ...string) func(r *rand.Rand) string {
	const letters = "ABCEGHJKLMNPRSTVWXYZ"
	return func(r *rand.Rand) string {
		return fsa[r.IntN(len(fsa))] + " " + strconv.Itoa(r.IntN(10)) +
			string(letters[r.IntN(len(letters))]) + strconv.Itoa(r.IntN(10))
	}
}

// nlPostcode builds a Dutch postcode: four digits in the city's range and two
// letters (SA, SD and SS are not issued).
func nlPostcode(lo, hi int) func(r *rand.Rand) string {
	return func(r *rand.Rand) string {
		for {
			a, b := byte('A'+r.IntN(26)), byte('A'+r.IntN(26))
			if a == 'S' && (b == 'A' || b == 'D' || b == 'S') {
				continue
			}
			return strconv.Itoa(lo+r.IntN(hi-lo+1)) + " " + string([]byte{a, b})
		}
	}
}

var countries = []country{
	{code: "US", name: "United States", tz: "America/New_York", lang: "en", weight: 30, cities: []city{
		{name: "San Francisco", region: "California", regionCode: "CA", lat: 37.7749, lon: -122.4194, postal: zipRange(94102, 94134), areas: []string{"415", "628"}, tz: "America/Los_Angeles"},
		{name: "Los Angeles", region: "California", regionCode: "CA", lat: 34.0522, lon: -118.2437, postal: zipRange(90001, 90089), areas: []string{"213", "310", "323"}, tz: "America/Los_Angeles"},
		{name: "New York", region: "New York", regionCode: "NY", lat: 40.7128, lon: -74.0060, postal: zipRange(10001, 10282), areas: []string{"212", "646", "917", "718"}},
		{name: "Chicago", region: "Illinois", regionCode: "IL", lat: 41.8781, lon: -87.6298, postal: zipRange(60601, 60661), areas: []string{"312", "773", "872"}, tz: "America/Chicago"},
		{name: "Austin", region: "Texas", regionCode: "TX", lat: 30.2672, lon: -97.7431, postal: zipRange(78701, 78759), areas: []string{"512", "737"}, tz: "America/Chicago"},
		{name: "Seattle", region: "Washington", regionCode: "WA", lat: 47.6062, lon: -122.3321, postal: zipRange(98101, 98199), areas: []string{"206"}, tz: "America/Los_Angeles"},
		{name: "Boston", region: "Massachusetts", regionCode: "MA", lat: 42.3601, lon: -71.0589, postal: zipRange(2108, 2137), areas: []string{"617", "857"}},
		{name: "Denver", region: "Colorado", regionCode: "CO", lat: 39.7392, lon: -104.9903, postal: zipRange(80202, 80239), areas: []string{"303", "720"}, tz: "America/Denver"},
		{name: "Miami", region: "Florida", regionCode: "FL", lat: 25.7617, lon: -80.1918, postal: zipRange(33125, 33199), areas: []string{"305", "786"}},
		{name: "Atlanta", region: "Georgia", regionCode: "GA", lat: 33.7490, lon: -84.3880, postal: zipRange(30303, 30363), areas: []string{"404", "678", "470"}},
		{name: "Portland", region: "Oregon", regionCode: "OR", lat: 45.5152, lon: -122.6784, postal: zipRange(97201, 97239), areas: []string{"503", "971"}, tz: "America/Los_Angeles"},
		{name: "Phoenix", region: "Arizona", regionCode: "AZ", lat: 33.4484, lon: -112.0740, postal: zipRange(85003, 85054), areas: []string{"602", "480", "623"}, tz: "America/Phoenix"},
	}},
	{code: "GB", name: "United Kingdom", tz: "Europe/London", lang: "en", weight: 12, cities: []city{
		{name: "London", region: "England", regionCode: "ENG", lat: 51.5074, lon: -0.1278, postal: ukPostcode("SW1A", "SW11", "SE1", "E1", "E14", "N1", "NW3", "W2", "WC2H", "EC1V"), areas: []string{"020"}},
		{name: "Manchester", region: "England", regionCode: "ENG", lat: 53.4808, lon: -2.2426, postal: ukPostcode("M1", "M4", "M14", "M20"), areas: []string{"0161"}},
		{name: "Birmingham", region: "England", regionCode: "ENG", lat: 52.4862, lon: -1.8904, postal: ukPostcode("B1", "B15", "B29", "B13"), areas: []string{"0121"}},
		{name: "Edinburgh", region: "Scotland", regionCode: "SCT", lat: 55.9533, lon: -3.1883, postal: ukPostcode("EH1", "EH3", "EH6", "EH10"), areas: []string{"0131"}},
		{name: "Glasgow", region: "Scotland", regionCode: "SCT", lat: 55.8642, lon: -4.2518, postal: ukPostcode("G1", "G3", "G12", "G41"), areas: []string{"0141"}},
		{name: "Bristol", region: "England", regionCode: "ENG", lat: 51.4545, lon: -2.5879, postal: ukPostcode("BS1", "BS6", "BS8"), areas: []string{"0117"}},
		{name: "Leeds", region: "England", regionCode: "ENG", lat: 53.8008, lon: -1.5491, postal: ukPostcode("LS1", "LS6", "LS17"), areas: []string{"0113"}},
		{name: "Cardiff", region: "Wales", regionCode: "WLS", lat: 51.4816, lon: -3.1791, postal: ukPostcode("CF10", "CF11", "CF24"), areas: []string{"029"}},
	}},
	{code: "CA", name: "Canada", tz: "America/Toronto", lang: "en", weight: 8, cities: []city{
		{name: "Toronto", region: "Ontario", regionCode: "ON", lat: 43.6532, lon: -79.3832, postal: caPostcode("M5V", "M4C", "M6G", "M5A"), areas: []string{"416", "647"}},
		{name: "Montréal", region: "Québec", regionCode: "QC", lat: 45.5019, lon: -73.5674, postal: caPostcode("H2X", "H3B", "H2J", "H4A"), areas: []string{"514", "438"}},
		{name: "Vancouver", region: "British Columbia", regionCode: "BC", lat: 49.2827, lon: -123.1207, postal: caPostcode("V6B", "V5K", "V6K"), areas: []string{"604", "778"}, tz: "America/Vancouver"},
		{name: "Calgary", region: "Alberta", regionCode: "AB", lat: 51.0447, lon: -114.0719, postal: caPostcode("T2P", "T3A", "T2E"), areas: []string{"403", "587"}, tz: "America/Edmonton"},
		{name: "Ottawa", region: "Ontario", regionCode: "ON", lat: 45.4215, lon: -75.6972, postal: caPostcode("K1P", "K2P", "K1N"), areas: []string{"613", "343"}},
	}},
	{code: "FR", name: "France", tz: "Europe/Paris", lang: "fr", weight: 15, cities: []city{
		{name: "Paris", region: "Île-de-France", regionCode: "IDF", lat: 48.8566, lon: 2.3522, postal: zipRange(75001, 75020), areas: []string{"01"}},
		{name: "Lyon", region: "Auvergne-Rhône-Alpes", regionCode: "ARA", lat: 45.7640, lon: 4.8357, postal: zipRange(69001, 69009), areas: []string{"04"}},
		{name: "Marseille", region: "Provence-Alpes-Côte d'Azur", regionCode: "PAC", lat: 43.2965, lon: 5.3698, postal: zipRange(13001, 13016), areas: []string{"04"}},
		{name: "Toulouse", region: "Occitanie", regionCode: "OCC", lat: 43.6047, lon: 1.4442, postal: zipList("31000", "31100", "31200", "31300", "31400", "31500"), areas: []string{"05"}},
		{name: "Bordeaux", region: "Nouvelle-Aquitaine", regionCode: "NAQ", lat: 44.8378, lon: -0.5792, postal: zipList("33000", "33100", "33200", "33300", "33800"), areas: []string{"05"}},
		{name: "Lille", region: "Hauts-de-France", regionCode: "HDF", lat: 50.6292, lon: 3.0573, postal: zipList("59000", "59160", "59260", "59777", "59800"), areas: []string{"03"}},
		{name: "Nantes", region: "Pays de la Loire", regionCode: "PDL", lat: 47.2184, lon: -1.5536, postal: zipList("44000", "44100", "44200", "44300"), areas: []string{"02"}},
		{name: "Strasbourg", region: "Grand Est", regionCode: "GES", lat: 48.5734, lon: 7.7521, postal: zipList("67000", "67100", "67200"), areas: []string{"03"}},
	}},
	{code: "DE", name: "Germany", tz: "Europe/Berlin", lang: "de", weight: 15, cities: []city{
		{name: "Berlin", region: "Berlin", regionCode: "BE", lat: 52.5200, lon: 13.4050, postal: zipRange(10115, 14199), areas: []string{"030"}},
		{name: "München", region: "Bayern", regionCode: "BY", lat: 48.1351, lon: 11.5820, postal: zipRange(80331, 81929), areas: []string{"089"}},
		{name: "Hamburg", region: "Hamburg", regionCode: "HH", lat: 53.5511, lon: 9.9937, postal: zipRange(20095, 22769), areas: []string{"040"}},
		{name: "Köln", region: "Nordrhein-Westfalen", regionCode: "NW", lat: 50.9375, lon: 6.9603, postal: zipRange(50667, 51149), areas: []string{"0221"}},
		{name: "Frankfurt am Main", region: "Hessen", regionCode: "HE", lat: 50.1109, lon: 8.6821, postal: zipRange(60306, 60599), areas: []string{"069"}},
		{name: "Stuttgart", region: "Baden-Württemberg", regionCode: "BW", lat: 48.7758, lon: 9.1829, postal: zipRange(70173, 70629), areas: []string{"0711"}},
		{name: "Düsseldorf", region: "Nordrhein-Westfalen", regionCode: "NW", lat: 51.2277, lon: 6.7735, postal: zipRange(40210, 40629), areas: []string{"0211"}},
		{name: "Leipzig", region: "Sachsen", regionCode: "SN", lat: 51.3397, lon: 12.3731, postal: zipRange(4103, 4357), areas: []string{"0341"}},
	}},
	{code: "NL", name: "Netherlands", tz: "Europe/Amsterdam", lang: "nl", weight: 7, cities: []city{
		{name: "Amsterdam", region: "Noord-Holland", regionCode: "NH", lat: 52.3676, lon: 4.9041, postal: nlPostcode(1011, 1109), areas: []string{"020"}},
		{name: "Rotterdam", region: "Zuid-Holland", regionCode: "ZH", lat: 51.9244, lon: 4.4777, postal: nlPostcode(3011, 3089), areas: []string{"010"}},
		{name: "Utrecht", region: "Utrecht", regionCode: "UT", lat: 52.0907, lon: 5.1214, postal: nlPostcode(3511, 3585), areas: []string{"030"}},
		{name: "Den Haag", region: "Zuid-Holland", regionCode: "ZH", lat: 52.0705, lon: 4.3007, postal: nlPostcode(2511, 2597), areas: []string{"070"}},
		{name: "Eindhoven", region: "Noord-Brabant", regionCode: "NB", lat: 51.4416, lon: 5.4697, postal: nlPostcode(5611, 5658), areas: []string{"040"}},
	}},
	{code: "ES", name: "Spain", tz: "Europe/Madrid", lang: "es", weight: 7, cities: []city{
		{name: "Madrid", region: "Comunidad de Madrid", regionCode: "MD", lat: 40.4168, lon: -3.7038, postal: zipRange(28001, 28055), areas: []string{"91"}},
		{name: "Barcelona", region: "Cataluña", regionCode: "CT", lat: 41.3874, lon: 2.1686, postal: zipRange(8001, 8042), areas: []string{"93"}},
		{name: "Valencia", region: "Comunitat Valenciana", regionCode: "VC", lat: 39.4699, lon: -0.3763, postal: zipRange(46001, 46026), areas: []string{"96"}},
		{name: "Sevilla", region: "Andalucía", regionCode: "AN", lat: 37.3891, lon: -5.9845, postal: zipRange(41001, 41020), areas: []string{"95"}},
		{name: "Bilbao", region: "País Vasco", regionCode: "PV", lat: 43.2630, lon: -2.9350, postal: zipRange(48001, 48015), areas: []string{"94"}},
	}},
	{code: "IT", name: "Italy", tz: "Europe/Rome", lang: "it", weight: 6, cities: []city{
		{name: "Roma", region: "Lazio", regionCode: "62", lat: 41.9028, lon: 12.4964, postal: zipRange(118, 199), areas: []string{"06"}},
		{name: "Milano", region: "Lombardia", regionCode: "25", lat: 45.4642, lon: 9.1900, postal: zipRange(20121, 20162), areas: []string{"02"}},
		{name: "Torino", region: "Piemonte", regionCode: "21", lat: 45.0703, lon: 7.6869, postal: zipRange(10121, 10156), areas: []string{"011"}},
		{name: "Napoli", region: "Campania", regionCode: "72", lat: 40.8518, lon: 14.2681, postal: zipRange(80121, 80147), areas: []string{"081"}},
		{name: "Bologna", region: "Emilia-Romagna", regionCode: "45", lat: 44.4949, lon: 11.3426, postal: zipRange(40121, 40141), areas: []string{"051"}},
		{name: "Firenze", region: "Toscana", regionCode: "52", lat: 43.7696, lon: 11.2558, postal: zipRange(50121, 50145), areas: []string{"055"}},
	}},
}

// streetNames holds the pieces street lines are built from, per country.
var streetNames = map[string][]string{
	"US": {"Main", "Oak", "Maple", "Cedar", "Elm", "Washington", "Lincoln", "Pine", "Lake", "Sunset",
		"Market", "Mission", "Valencia", "Jefferson", "Madison", "Franklin", "Highland", "Chestnut", "Walnut", "Spruce"},
	"GB": {"Victoria", "Church", "Station", "Queen's", "Albert", "Manor", "Kingsway", "Mill", "Grove",
		"Newport", "Hawthorn", "Elmwood", "Beechwood", "Clarence", "Windsor"},
	"CA": {"Yonge", "Bloor", "Queen", "Dundas", "Granville", "Robson", "Bank", "Elgin", "Spadina", "Bathurst"},
	"FR": {"de la République", "Victor Hugo", "Jean Jaurès", "de la Paix", "Gambetta", "Pasteur",
		"des Lilas", "du Faubourg Saint-Antoine", "Voltaire", "de la Gare", "Nationale", "des Écoles",
		"du Général Leclerc", "Émile Zola", "de Verdun"},
	"DE": {"Haupt", "Bahnhof", "Schiller", "Goethe", "Garten", "Linden", "Berg", "Kirch", "Wald",
		"Schul", "Dorf", "Ring", "Friedrich-Ebert-", "Mozart", "Birken"},
	"NL": {"Kerk", "Dorps", "Molen", "Prinsen", "Keizers", "Stations", "Wilhelmina", "Juliana",
		"Beatrix", "Schoolstraat", "Oranje", "Linden"},
	"ES": {"Mayor", "de Alcalá", "Gran Vía", "del Sol", "de la Constitución", "Real", "Nueva",
		"de San Juan", "de Cervantes", "del Carmen"},
	"IT": {"Garibaldi", "Giuseppe Verdi", "Dante Alighieri", "Mazzini", "Cavour", "XX Settembre",
		"Vittorio Emanuele II", "della Repubblica", "San Francesco", "dei Mille"},
}

// streetLine returns a street address line as people in that country write it.
func streetLine(r *rand.Rand, cc string) string {
	n := streetNames[cc]
	name := n[r.IntN(len(n))]
	num := 1 + r.IntN(240)
	switch cc {
	case "US", "CA":
		suf := []string{"St", "Street", "Ave", "Avenue", "Blvd", "Rd", "Road", "Dr", "Lane", "Way", "Ct"}
		s := strconv.Itoa(10+r.IntN(9890)) + " " + name + " " + suf[r.IntN(len(suf))]
		switch r.IntN(6) {
		case 0:
			s += " Apt " + strconv.Itoa(1+r.IntN(30)) + string(rune('A'+r.IntN(6)))
		case 1:
			s += ", Suite " + strconv.Itoa(100+r.IntN(900))
		}
		return s
	case "GB":
		suf := []string{"Road", "Street", "Lane", "Avenue", "Close", "Crescent", "Gardens", "Drive", "Way"}
		s := strconv.Itoa(num) + " " + name + " " + suf[r.IntN(len(suf))]
		if r.IntN(5) == 0 {
			s = "Flat " + strconv.Itoa(1+r.IntN(20)) + ", " + s
		}
		return s
	case "FR":
		kind := []string{"rue", "avenue", "boulevard", "place", "allée", "impasse", "chemin"}
		s := strconv.Itoa(num)
		switch r.IntN(8) {
		case 0:
			s += " bis"
		case 1:
			s += " ter"
		}
		return s + " " + kind[r.IntN(len(kind))] + " " + name
	case "DE":
		suf := []string{"straße", "str.", "weg", "allee", "platz", "gasse"}
		s := name + suf[r.IntN(len(suf))] + " " + strconv.Itoa(num)
		if r.IntN(6) == 0 {
			s += string(rune('a' + r.IntN(3)))
		}
		return s
	case "NL":
		if strings.HasSuffix(name, "straat") {
			return name + " " + strconv.Itoa(num)
		}
		suf := []string{"straat", "laan", "weg", "gracht", "plein", "singel"}
		s := name + suf[r.IntN(len(suf))] + " " + strconv.Itoa(num)
		if r.IntN(6) == 0 {
			s += "-" + []string{"I", "II", "III", "hs"}[r.IntN(4)]
		}
		return s
	case "ES":
		kind := []string{"Calle", "Avenida", "Plaza", "Paseo", "C/"}
		s := kind[r.IntN(len(kind))] + " " + name + ", " + strconv.Itoa(num)
		if r.IntN(3) == 0 {
			s += ", " + strconv.Itoa(1+r.IntN(8)) + "º " + string(rune('A'+r.IntN(4)))
		}
		return s
	case "IT":
		kind := []string{"Via", "Corso", "Piazza", "Viale", "Vicolo"}
		return kind[r.IntN(len(kind))] + " " + name + ", " + strconv.Itoa(num)
	}
	return strconv.Itoa(num) + " " + name
}

// formatAddress joins street, postal code and city the way the country writes
// a one-line address; it returns the line and the byte offsets of the three
// parts inside it.
func formatAddress(cc string, c *city, street, postal string) (line string, spans [3][2]int) {
	var b strings.Builder
	put := func(i int, s string) {
		spans[i][0] = b.Len()
		b.WriteString(s)
		spans[i][1] = b.Len()
	}
	put(0, street)
	switch cc {
	case "US":
		b.WriteString(", ")
		put(2, c.name)
		b.WriteString(", " + c.regionCode + " ")
		put(1, postal)
	case "CA":
		b.WriteString(", ")
		put(2, c.name)
		b.WriteString(" (" + c.regionCode + ") ")
		put(1, postal)
	case "GB":
		b.WriteString(", ")
		put(2, c.name)
		b.WriteString(" ")
		put(1, postal)
	default:
		b.WriteString(", ")
		put(1, postal)
		b.WriteString(" ")
		put(2, c.name)
	}
	return b.String(), spans
}

// coordinate returns a decimal with the given number of places whose last
// digit is not zero, so that the text written here and the shortest
// round-trip form a JSON reader prints are the same string.
func coordinate(r *rand.Rand, center, spread float64, places int) string {
	for {
		v := center + (r.Float64()*2-1)*spread
		s := strconv.FormatFloat(v, 'f', places, 64)
		if s[len(s)-1] == '0' {
			continue
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			continue
		}
		if t := strconv.FormatFloat(f, 'f', -1, 64); t == s {
			return s
		}
	}
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
