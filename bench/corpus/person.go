package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// person is one member of the generator's population: the end-user, visitor
// or account holder behind a stream of events. Events of one person share its
// identifiers, so a corpus has the linkage that pseudonymisation must break.
type person struct {
	c           *country
	city        *city
	lang        string
	locale      string // BCP 47, e.g. "fr-FR"
	first       string
	last        string
	female      bool
	email       string
	mobile      phone
	home        phone
	street      string
	postal      string
	dob         time.Time
	userID      string
	anonID      string
	session     string
	dev         device
	ip          string // the address the person's events come from (v4 or v6)
	plan        string
	title       string
	company     string
	interestIdx []int
}

func (p *person) name() string { return p.first + " " + p.last }

// device is the hardware and software a person's events come from.
type device struct {
	kind         string // mobile, tablet, desktop
	platform     string // ios, android, web
	osName       string
	osVersion    string
	browser      string
	browserVer   string
	ua           string
	manufacturer string
	model        string
	screenW      int
	screenH      int
	density      float64
	id           string // IDFV / Android id; empty on the web
	adID         string // IDFA / GAID; all zeros when the user limited ad tracking
}

var plans = []string{"free", "free", "starter", "pro", "pro", "business", "enterprise"}

func newPerson(r *rand.Rand, c *country) *person {
	ci := &c.cities[r.IntN(len(c.cities))]
	p := &person{c: c, city: ci, lang: c.lang}
	if c.code == "CA" && (ci.name == "Montréal" && r.IntN(10) < 7 || r.IntN(10) == 0) {
		p.lang = "fr"
	}
	p.locale = p.lang + "-" + c.code
	ns := names[p.lang]
	p.female = r.IntN(2) == 0
	if p.female {
		p.first = pick(r, ns.female)
	} else {
		p.first = pick(r, ns.male)
	}
	p.last = pick(r, ns.surname)
	if p.lang == "es" && r.IntN(2) == 0 {
		p.last += " " + pick(r, ns.surname) // two surnames
	}
	p.dob = time.Date(1945+r.IntN(63), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	p.email = newEmail(r, p.first, p.last, p.lang, p.dob.Year())
	p.mobile = newPhone(r, c.code, ci, true)
	p.home = newPhone(r, c.code, ci, false)
	p.street = streetLine(r, c.code)
	p.postal = ci.postal(r)
	p.userID = newUserID(r)
	p.anonID = uuid4(r)
	p.session = newSessionID(r)
	p.dev = newDevice(r)
	if r.IntN(10) < 7 {
		p.ip = publicIPv4(r)
	} else {
		p.ip = publicIPv6(r)
	}
	p.plan = pick(r, plans)
	p.title = pick(r, jobTitles)
	p.company = pick(r, employers)
	n := 1 + r.IntN(3)
	for i := 0; i < n; i++ {
		p.interestIdx = append(p.interestIdx, r.IntN(len(interests)))
	}
	return p
}

// newUserID draws an application user id in one of the shapes products use.
func newUserID(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return "usr_" + randString(r, base62, 14)
	case 1:
		return nzDigits(r, 7)
	case 2:
		return "auth0|" + randString(r, hexDigits, 24)
	case 3:
		return "google-oauth2|1" + digits(r, 20)
	}
	return uuid4(r)
}

func newSessionID(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return "sess_" + randString(r, hexDigits, 24)
	case 1:
		return strings.ToUpper(randString(r, "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26)) // ULID-shaped
	}
	return uuid4(r)
}

var (
	chromeVersions  = []string{"122.0.6261.112", "123.0.6312.86", "124.0.6367.91", "131.0.6778.86", "133.0.6943.98", "134.0.6998.89"}
	firefoxVersions = []string{"124.0", "128.0", "133.0", "136.0"}
	edgeVersions    = []string{"124.0.2478.67", "131.0.2903.70", "134.0.3124.66"}
	iosVersions     = []string{"16.7.10", "17.4.1", "17.5", "17.6.1", "18.1.1", "18.3.2", "18.4"}
	iphoneModels    = []string{"iPhone14,5", "iPhone15,2", "iPhone15,4", "iPhone16,1", "iPhone16,2", "iPhone17,3"}
	androidModels   = [][2]string{{"samsung", "SM-S918B"}, {"samsung", "SM-A546B"}, {"Google", "Pixel 8"}, {"Google", "Pixel 7a"}, {"Xiaomi", "2201117TG"}, {"OnePlus", "CPH2449"}, {"motorola", "moto g54 5G"}}
)

func newDevice(r *rand.Rand) device {
	var d device
	switch n := r.IntN(100); {
	case n < 28:
		v := pick(r, iosVersions)
		uv := strings.ReplaceAll(v, ".", "_")
		sv := v
		if i := strings.LastIndexByte(v, '.'); strings.Count(v, ".") == 2 {
			sv = v[:i]
		}
		d = device{kind: "mobile", platform: "ios", osName: "iOS", osVersion: v, browser: "Mobile Safari", browserVer: sv,
			manufacturer: "Apple", model: pick(r, iphoneModels), density: 3}
		d.ua = "Mozilla/5.0 (iPhone; CPU iPhone OS " + uv + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + sv + " Mobile/15E148 Safari/604.1"
		d.screenW, d.screenH = pickSize(r, [][2]int{{390, 844}, {393, 852}, {430, 932}, {375, 667}})
		d.id = strings.ToUpper(uuid4(r))
		d.adID = strings.ToUpper(uuid4(r))
	case n < 30:
		v := pick(r, iosVersions)
		d = device{kind: "tablet", platform: "ios", osName: "iPadOS", osVersion: v, browser: "Mobile Safari", browserVer: v,
			manufacturer: "Apple", model: pick(r, []string{"iPad13,18", "iPad14,3"}), density: 2}
		d.ua = "Mozilla/5.0 (iPad; CPU OS " + strings.ReplaceAll(v, ".", "_") + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
		d.screenW, d.screenH = 820, 1180
		d.id = strings.ToUpper(uuid4(r))
		d.adID = strings.ToUpper(uuid4(r))
	case n < 55:
		v := pick(r, []string{"12", "13", "14", "15"})
		m := pick(r, androidModels)
		cv := pick(r, chromeVersions)
		d = device{kind: "mobile", platform: "android", osName: "Android", osVersion: v, browser: "Chrome", browserVer: cv,
			manufacturer: m[0], model: m[1], density: pick(r, []float64{2.625, 3, 2.75})}
		d.ua = "Mozilla/5.0 (Linux; Android " + v + "; " + m[1] + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + cv + " Mobile Safari/537.36"
		d.screenW, d.screenH = pickSize(r, [][2]int{{412, 915}, {360, 800}, {384, 854}, {393, 873}})
		d.id = randString(r, hexDigits, 16)
		d.adID = uuid4(r)
	case n < 76:
		d = device{kind: "desktop", platform: "web", osName: "Mac OS", osVersion: "10.15.7", manufacturer: "Apple", model: "Macintosh", density: 2}
		switch r.IntN(3) {
		case 0:
			d.browser, d.browserVer = "Safari", pick(r, []string{"17.4", "17.6", "18.1", "18.3"})
			d.ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + d.browserVer + " Safari/605.1.15"
		case 1:
			d.browser, d.browserVer = "Firefox", pick(r, firefoxVersions)
			d.ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:" + d.browserVer + ") Gecko/20100101 Firefox/" + d.browserVer
		default:
			d.browser, d.browserVer = "Chrome", pick(r, chromeVersions)
			d.ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + majorOnly(d.browserVer) + " Safari/537.36"
		}
		d.screenW, d.screenH = pickSize(r, [][2]int{{1440, 900}, {1512, 982}, {1728, 1117}, {1920, 1080}})
	case n < 97:
		d = device{kind: "desktop", platform: "web", osName: "Windows", osVersion: pick(r, []string{"10", "11"}), density: 1}
		switch r.IntN(3) {
		case 0:
			d.browser, d.browserVer = "Edge", pick(r, edgeVersions)
			d.ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + majorOnly(d.browserVer) + " Safari/537.36 Edg/" + d.browserVer
		case 1:
			d.browser, d.browserVer = "Firefox", pick(r, firefoxVersions)
			d.ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:" + d.browserVer + ") Gecko/20100101 Firefox/" + d.browserVer
		default:
			d.browser, d.browserVer = "Chrome", pick(r, chromeVersions)
			d.ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + majorOnly(d.browserVer) + " Safari/537.36"
		}
		d.screenW, d.screenH = pickSize(r, [][2]int{{1920, 1080}, {1366, 768}, {1536, 864}, {2560, 1440}})
	default:
		d = device{kind: "desktop", platform: "web", osName: "Linux", osVersion: "x86_64", browser: "Firefox", browserVer: pick(r, firefoxVersions), density: 1}
		d.ua = "Mozilla/5.0 (X11; Linux x86_64; rv:" + d.browserVer + ") Gecko/20100101 Firefox/" + d.browserVer
		d.screenW, d.screenH = 1920, 1080
	}
	if d.adID != "" && r.IntN(4) == 0 {
		d.adID = "00000000-0000-0000-0000-000000000000" // limited ad tracking: not personal, never labelled
	}
	return d
}

func majorOnly(v string) string {
	if i := strings.IndexByte(v, '.'); i > 0 {
		return v[:i] + ".0.0.0"
	}
	return v
}

func pickSize(r *rand.Rand, s [][2]int) (int, int) {
	x := s[r.IntN(len(s))]
	return x[0], x[1]
}

// screen returns "WxH".
func (d *device) screen() string { return strconv.Itoa(d.screenW) + "x" + strconv.Itoa(d.screenH) }
