package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Pieces several event families share: page URLs, referrers, client IPs,
// locales, postal codes as fields carry them.

// builders maps each kind to the function that fills an event of that kind.
var builders = map[string]func(*Generator, *event){
	KindPageView:     buildPageView,
	KindSession:      buildSession,
	KindSegmentPage:  buildSegmentPage,
	KindTrack:        buildTrack,
	KindIdentify:     buildIdentify,
	KindScreen:       buildScreen,
	KindVisitor:      buildVisitor,
	KindMessage:      buildMessage,
	KindContent:      buildContent,
	KindAPIRequest:   buildAPIRequest,
	KindUsageRollup:  buildUsageRollup,
	KindSignup:       buildSignup,
	KindLogin:        buildLogin,
	KindForm:         buildForm,
	KindUnknownShape: buildUnknownShape,
}

func root(e *event) obj { return obj{e: e, o: e.root} }

// page is a site page: its path (what analytics keeps) and title.
type page struct{ path, title string }

var sites = []string{"https://www.northwind.com", "https://shop.atelier-lumiere.fr", "https://www.stadtwerke-nordhafen.de",
	"https://app.acmebot.io", "https://polderwerk.nl", "https://www.tecnologiassol.es", "https://help.kiwicloud.co.nz",
	"https://www.ferramenta-alpina.it"}

var pages = []page{
	{"/", "Home"}, {"/pricing", "Pricing"}, {"/features/chatbot-builder", "Chatbot builder"},
	{"/docs/getting-started", "Getting started"}, {"/blog/how-to-train-your-bot", "How to train your bot"},
	{"/signup", "Sign up"}, {"/login", "Log in"}, {"/dashboard", "Dashboard"}, {"/bots/new", "New bot"},
	{"/integrations/slack", "Slack integration"}, {"/checkout", "Checkout"}, {"/account/billing", "Billing"},
	{"/contact", "Contact us"}, {"/de/preise", "Preise"}, {"/fr/tarifs", "Tarifs"},
	{"/help/articles/1042-import-a-knowledge-base", "Import a knowledge base"},
	{"/products/espresso-machine-x2", "Espresso Machine X2"}, {"/cart", "Cart"}, {"/nl/contact", "Contact"},
	{"/es/precios", "Precios"}, {"/it/prezzi", "Prezzi"}, {"/careers", "Careers"}, {"/legal/privacy", "Privacy"},
	{"/account/settings/profile", "Profile settings"}, {"/bots/templates/customer-support", "Customer support template"},
}

var (
	utmSources   = []string{"google", "newsletter", "linkedin", "facebook", "producthunt", "bing", "partner_blog", "twitter"}
	utmMediums   = []string{"cpc", "email", "social", "referral", "organic", "display"}
	utmCampaigns = []string{"spring_sale_2025", "onboarding_d3", "webinar_march", "black_friday", "launch_v3", "winback_q1"}
)

// siteURL is a URL as a page view carries it: the page, a query that may
// hold personal values, and the spans of those.
type siteURL struct {
	url   string
	path  string
	title string
	query string
	utm   [3]string // source, medium, campaign when the query has them
	spans []span
}

// pageURL draws a page of a customer's site and a query string: none, utm
// parameters, or parameters that leak personal data (an email, a name, a
// phone number, a token), as real marketing and reset links do.
func (g *Generator) pageURL(p *person) siteURL {
	r := g.r
	pg := pick(r, pages)
	u := siteURL{path: pg.path, title: pg.title}
	var q []string
	switch n := r.IntN(100); {
	case n < 50:
	case n < 75:
		u.utm = [3]string{pick(r, utmSources), pick(r, utmMediums), pick(r, utmCampaigns)}
		q = append(q, "utm_source="+u.utm[0], "utm_medium="+u.utm[1], "utm_campaign="+u.utm[2])
	case n < 84:
		v := p.email
		if r.IntN(2) == 0 {
			v = encodeQueryValue(p.email)
		}
		q = append(q, "email="+v)
		u.spans = append(u.spans, span{TypeEmail, v})
		if r.IntN(2) == 0 {
			u.utm = [3]string{"newsletter", "email", pick(r, utmCampaigns)}
			q = append(q, "utm_source=newsletter", "utm_medium=email", "utm_campaign="+u.utm[2])
		}
	case n < 88:
		v := encodeQueryValue(p.name())
		if r.IntN(2) == 0 {
			v = strings.ReplaceAll(v, "+", "%20")
		}
		q = append(q, "name="+v, "ref=invite")
		u.spans = append(u.spans, span{TypePerson, v})
	case n < 92:
		v := encodeQueryValue(p.mobile.text)
		q = append(q, "phone="+v)
		u.spans = append(u.spans, span{TypePhone, v})
	case n < 96:
		tok := randString(r, hexDigits, 32)
		if r.IntN(2) == 0 {
			tok = newJWT(r, p.userID, p.email, g.now)
		}
		q = append(q, "token="+tok)
		u.spans = append(u.spans, span{TypeSecret, tok})
	default:
		q = append(q, "gclid=Cj0KCQiA"+randString(r, base62+"_-", 40), "q="+pick(r, []string{"pricing+enterprise", "chatbot+gdpr", "whatsapp+bot"}))
	}
	u.query = ""
	if len(q) > 0 {
		u.query = "?" + strings.Join(q, "&")
	}
	u.url = pick(r, sites) + pg.path + u.query
	return u
}

// keepPageURL writes a URL field and, unless the page is the root, keeps its path.
func keepPageURL(n obj, k string, u siteURL) {
	if u.path == "/" {
		n.text(k, u.url, u.spans...)
		return
	}
	n.keepIn(k, u.url, u.path, u.spans...)
}

// referrer draws the page a visit came from.
func (g *Generator) referrer(p *person) (string, []span) {
	r := g.r
	switch r.IntN(10) {
	case 0, 1, 2:
		return "https://www.google.com/", nil
	case 3:
		return "https://www.bing.com/", nil
	case 4:
		return "https://t.co/" + randString(r, base62, 10), nil
	case 5:
		return "https://www.linkedin.com/", nil
	case 6:
		return "android-app://com.google.android.gm/", nil
	case 7:
		v := encodeQueryValue(p.email)
		return "https://click.mailer.example.net/track?u=" + v + "&c=" + digits(r, 4), []span{{TypeEmail, v}}
	case 8:
		return "", nil
	}
	return pick(r, sites) + pick(r, pages).path, nil
}

// clientIP returns how a client address is written in a field: the address,
// the address with a port, or an X-Forwarded-For list through proxies.
func (g *Generator) clientIP(p *person) (string, []span, bool) {
	r := g.r
	ip := p.ip
	switch n := r.IntN(100); {
	case n < 60:
		return ip, []span{{TypeIP, ip}}, false
	case n < 75:
		port := strconv.Itoa(1024 + r.IntN(64000))
		if strings.Contains(ip, ":") {
			return "[" + ip + "]:" + port, []span{{TypeIP, ip}}, false
		}
		return ip + ":" + port, []span{{TypeIP, ip}}, false
	}
	hops := []string{ip}
	spans := []span{{TypeIP, ip}}
	for i := 0; i < 1+r.IntN(2); i++ {
		h := privateIPv4(r)
		if r.IntN(3) == 0 {
			h = publicIPv4(r)
		}
		hops = append(hops, h)
		spans = append(spans, span{TypeIP, h})
	}
	return strings.Join(hops, pick(r, []string{", ", ","})), spans, true
}

// localeText writes a person's locale the way one of several systems does.
// It returns the field value and the part analytics keeps.
func localeText(r *rand.Rand, p *person) (string, string) {
	switch r.IntN(6) {
	case 0:
		v := strings.ReplaceAll(p.locale, "-", "_")
		return v, v
	case 1:
		return p.lang, p.lang
	case 2:
		v := p.locale + "," + p.lang + ";q=0.9"
		if p.lang != "en" {
			v += ",en;q=0.8"
		}
		return v, p.locale
	}
	return p.locale, p.locale
}

// postalField returns the postal code as a field holds it (US codes
// sometimes as ZIP+4), and whether it can be written as a JSON number.
func postalField(r *rand.Rand, p *person) (string, bool) {
	v := p.postal
	if p.c.code == "US" && r.IntN(4) == 0 {
		v += "-" + nzDigits(r, 4)
	}
	numeric := len(v) == 5 && v[0] != '0' && digitsOf(v) == v
	return v, numeric
}

// putPostal writes a postal code field, sometimes as a number.
func putPostal(r *rand.Rand, n obj, k string, p *person) {
	v, numeric := postalField(r, p)
	if numeric && r.IntN(5) == 0 {
		n.piiNum(k, TypePostal, v)
		return
	}
	n.pii(k, TypePostal, v)
}

// putUserID writes a user id; numeric ids are sometimes JSON numbers.
func putUserID(r *rand.Rand, n obj, k string, p *person) {
	if digitsOf(p.userID) == p.userID && r.IntN(2) == 0 {
		n.piiNum(k, TypeLinkingID, p.userID)
		return
	}
	n.pii(k, TypeLinkingID, p.userID)
}

// putCoords writes latitude and longitude near the person's city.
func putCoords(r *rand.Rand, n obj, latKey, lonKey string, p *person) {
	places := 4 + r.IntN(3)
	n.piiNum(latKey, TypeGeo, coordinate(r, p.city.lat, 0.08, places))
	n.piiNum(lonKey, TypeGeo, coordinate(r, p.city.lon, 0.08, places))
}

// timezone returns the person's time zone, or "" when its name holds their
// city (Europe/Paris for a Parisian): a kept time zone would then repeat
// the labelled city, so such events leave the field out.
func timezone(p *person) string {
	tz := p.c.tz
	if p.city.tz != "" {
		tz = p.city.tz
	}
	if strings.Contains(fold(strings.ReplaceAll(tz, "_", " ")), fold(p.city.name)) {
		return ""
	}
	return tz
}

func eventID(r *rand.Rand) string {
	return "evt_" + randString(r, "0123456789abcdefghjkmnpqrstvwxyz", 26)
}

func (g *Generator) bot() string       { return pick(g.r, g.bots) }
func (g *Generator) workspace() string { return pick(g.r, g.spaces) }

// appVersion is the mobile app's version, which analytics keeps.
func appVersion(r *rand.Rand) (string, string) {
	v := pick(r, []string{"3.12.1", "3.12.0", "3.11.4", "3.10.2", "4.0.0"})
	return v, strings.ReplaceAll(v, ".", "") + strconv.Itoa(r.IntN(10))
}

func millis(d time.Duration) int64 { return d.Milliseconds() }
