package corpus

import (
	"strings"
	"time"
)

// End-user analytics (the chatbot widget's own page views and sessions),
// Segment / RudderStack spec events and website-visitor profiles.

func buildPageView(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	d := &p.dev
	n := root(e)
	n.keep("event_type", "page_view")
	n.str("event_id", eventID(r))
	n.keep("received_at", g.stamp(t, p))
	n.keepInt("ts", t.UnixMilli())
	n.pii("session_id", TypeLinkingID, p.session)
	n.pii("visitor_id", TypeLinkingID, p.anonID)
	if r.IntN(10) < 4 {
		putUserID(r, n, "user_id", p)
	}
	n.keep("bot_id", g.bot())
	n.str("workspace_id", g.workspace())

	u := g.pageURL(p)
	pg := n.child("page")
	keepPageURL(pg, "url", u)
	pg.keep("path", u.path)
	pg.str("title", u.title)
	if ref, sp := g.referrer(p); ref != "" {
		pg.text("referrer", ref, sp...)
	}

	dv := n.child("device")
	dv.keep("os", d.osName)
	dv.keep("os_version", d.osVersion)
	dv.keep("type", d.kind)
	lt, lk := localeText(r, p)
	dv.keepIn("language", lt, lk)
	dv.keep("screen", d.screen())
	dv.keep("browser", d.browser)
	dv.keep("browser_version", d.browserVer)
	dv.str("user_agent", d.ua)

	nw := n.child("network")
	ip, sp, xff := g.clientIP(p)
	if xff {
		nw.text("x_forwarded_for", ip, sp...)
	} else {
		nw.text("ip", ip, sp...)
	}
	nw.keepInt("connections", int64(1+r.IntN(6)))
	nw.keep("protocol", pick(r, []string{"h2", "h3", "http/1.1"}))

	geo := n.child("geo")
	geo.keep("country", p.c.code)
	geo.keep("region", p.city.regionLabel())
	geo.pii("city", TypeCity, p.city.name)
	putPostal(r, geo, "postal_code", p)
	if r.IntN(5) == 0 {
		putCoords(r, geo, "latitude", "longitude", p)
	}

	m := n.child("metrics")
	m.keepInt("time_on_page_ms", int64(800+r.IntN(240000)))
	m.keepFloat("scroll_depth", float64(5+r.IntN(16))/20)
	m.keepInt("page_load_ms", int64(120+r.IntN(4000)))
}

func buildSession(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	d := &p.dev
	n := root(e)
	n.keep("type", "session_end")
	dur := time.Duration(5+r.IntN(3600)) * time.Second
	s := n.child("session")
	s.pii("id", TypeLinkingID, p.session)
	s.keep("started_at", rfc3339(t.Add(-dur)))
	s.keep("ended_at", rfc3339(t))
	s.keepInt("duration_s", int64(dur/time.Second))
	count := 1 + r.IntN(6)
	pv := s.list("pages_viewed")
	for i := 0; i < count; i++ {
		u := g.pageURL(p)
		if r.IntN(2) == 0 {
			pv.keepIn(u.path+u.query, u.path, u.spans...)
		} else {
			pv.keepIn(u.url, u.path, u.spans...)
		}
	}
	s.keepInt("page_count", int64(count))
	s.keepInt("connections", int64(1+r.IntN(4)))
	s.bool("bounced", count == 1)

	u := n.child("user")
	u.pii("anonymous_id", TypeLinkingID, p.anonID)
	switch r.IntN(4) {
	case 0:
		u.pii("user_id", TypeEmail, p.email)
	case 1, 2:
		putUserID(r, u, "user_id", p)
	default:
		u.null("user_id")
	}
	ip, sp, _ := g.clientIP(p)
	u.text("ip", ip, sp...)
	u.keep("country", p.c.code)
	u.keep("state", p.city.regionCode)
	u.pii("city", TypeCity, p.city.name)
	putPostal(r, u, "zip", p)

	c := n.child("client")
	c.keep("os", d.osName)
	c.keep("os_version", d.osVersion)
	lt, lk := localeText(r, p)
	c.keepIn("locale", lt, lk)
	if d.platform != "web" {
		v, _ := appVersion(r)
		c.keep("app_version", v)
		c.pii("device_id", TypeLinkingID, d.id)
	} else {
		c.keep("browser", d.browser+" "+d.browserVer)
	}
	c.str("user_agent", d.ua)
	n.keepInt("sent_at", t.Add(time.Duration(r.IntN(900))*time.Millisecond).UnixMilli())
}

// segmentTail writes the fields every Segment call ends with: ids and times.
func (g *Generator) segmentTail(n obj, p *person, t time.Time, loggedIn bool) {
	r := g.r
	n.pii("anonymousId", TypeLinkingID, p.anonID)
	if loggedIn {
		switch r.IntN(5) {
		case 0:
			n.pii("userId", TypeEmail, p.email)
		default:
			n.pii("userId", TypeLinkingID, p.userID)
		}
	} else {
		n.null("userId")
	}
	if p.dev.platform == "web" {
		n.str("messageId", "ajs-next-"+randString(r, hexDigits, 32))
	} else {
		n.str("messageId", uuid4(r))
	}
	orig := t.Add(-time.Duration(r.IntN(2000)) * time.Millisecond)
	n.keep("originalTimestamp", rfc3339(orig))
	n.keep("timestamp", rfc3339(t))
	n.keep("sentAt", rfc3339(t.Add(time.Duration(10+r.IntN(300))*time.Millisecond)))
	n.str("receivedAt", rfc3339(t.Add(time.Duration(300+r.IntN(900))*time.Millisecond)))
	n.child("integrations")
	n.str("writeKey", randString(r, base62, 32))
}

// segmentContext writes a Segment context object for p's device: library,
// locale, IP and user agent everywhere; page and campaign on the web; app,
// device, OS, network, screen and location on mobile; traits sometimes.
func (g *Generator) segmentContext(n obj, p *person, u *siteURL) {
	r := g.r
	d := &p.dev
	c := n.child("context")
	ip, sp, _ := g.clientIP(p)
	if strings.Contains(ip, ",") || strings.Contains(ip, "]:") {
		ip, sp = p.ip, []span{{TypeIP, p.ip}}
	}
	c.text("ip", ip, sp...)
	lt, lk := localeText(r, p)
	if strings.Contains(lt, ";") {
		lt, lk = p.locale, p.locale
	}
	c.keepIn("locale", lt, lk)
	lib := c.child("library")
	switch d.platform {
	case "ios":
		lib.keep("name", "analytics-ios").keep("version", "4.1.8")
	case "android":
		lib.keep("name", "analytics-android").keep("version", "4.11.3")
	default:
		if r.IntN(3) == 0 {
			lib.keep("name", "RudderLabs JavaScript SDK").keep("version", "3.7.2")
		} else {
			lib.keep("name", "analytics.js").keep("version", "next-1.70.0")
		}
	}
	if tz := timezone(p); tz != "" {
		c.str("timezone", tz)
	}
	c.str("userAgent", d.ua)
	if d.platform == "web" {
		if u != nil {
			pg := c.child("page")
			pg.keep("path", u.path)
			if ref, rs := g.referrer(p); ref != "" {
				pg.text("referrer", ref, rs...)
			} else {
				pg.str("referrer", "")
			}
			pg.text("search", u.query, u.spans...)
			pg.str("title", u.title)
			keepPageURL(pg, "url", *u)
			if u.utm[0] != "" {
				cp := c.child("campaign")
				cp.keep("source", u.utm[0]).keep("medium", u.utm[1]).keep("name", u.utm[2])
			}
		}
		sc := c.child("screen")
		sc.keepInt("width", int64(d.screenW)).keepInt("height", int64(d.screenH)).float("density", d.density)
	} else {
		v, build := appVersion(r)
		app := c.child("app")
		app.str("name", "Acme Bot").keep("version", v).str("build", build).str("namespace", "io.acmebot.app")
		dv := c.child("device")
		dv.pii("id", TypeLinkingID, d.id)
		if strings.HasPrefix(d.adID, "0000") {
			dv.str("advertisingId", d.adID).bool("adTrackingEnabled", false)
		} else {
			dv.pii("advertisingId", TypeLinkingID, d.adID).bool("adTrackingEnabled", true)
		}
		dv.str("manufacturer", d.manufacturer).str("model", d.model)
		if d.platform == "ios" && r.IntN(3) == 0 {
			// People name their phones after themselves.
			dv.text("name", p.first+"’s iPhone", span{TypePerson, p.first})
		}
		dv.keep("type", d.platform)
		os := c.child("os")
		os.keep("name", d.osName).keep("version", d.osVersion)
		nw := c.child("network")
		wifi := r.IntN(2) == 0
		nw.bool("wifi", wifi).bool("cellular", !wifi).bool("bluetooth", false)
		if !wifi {
			nw.str("carrier", pick(r, []string{"Orange", "Vodafone", "T-Mobile", "Verizon", "EE", "Movistar", "KPN", "TIM"}))
		}
		sc := c.child("screen")
		sc.keepInt("width", int64(d.screenW)).keepInt("height", int64(d.screenH)).float("density", d.density)
		if r.IntN(5) < 2 {
			loc := c.child("location")
			loc.pii("city", TypeCity, p.city.name)
			loc.keep("country", p.c.name)
			putCoords(r, loc, "latitude", "longitude", p)
			loc.keep("region", p.city.regionLabel())
			loc.float("speed", 0)
		}
	}
	if r.IntN(10) < 3 {
		tr := c.child("traits")
		tr.pii("email", TypeEmail, p.email)
		tr.pii("name", TypePerson, p.name())
		if r.IntN(3) == 0 {
			tr.pii("phone", TypePhone, p.mobile.text)
		}
	}
}

var (
	screens     = []string{"Home", "Chat", "Conversations", "Bot Editor", "Settings", "Analytics", "Billing", "Inbox"}
	trackEvents = []string{"Order Completed", "Bot Created", "Plan Upgraded", "Message Sent", "Checkout Started",
		"Signed Up", "Knowledge Base Imported", "Integration Connected", "Product Viewed"}
	products = [][2]string{{"espresso-machine-x2", "Espresso Machine X2"}, {"milk-frother", "Milk Frother"},
		{"descaler-3pack", "Descaler (3 pack)"}, {"grinder-pro", "Burr Grinder Pro"}, {"tamper-58", "Tamper 58 mm"}}
	currencies = map[string]string{"US": "USD", "GB": "GBP", "CA": "CAD"}
)

func currency(cc string) string {
	if c, ok := currencies[cc]; ok {
		return c
	}
	return "EUR"
}

func buildSegmentPage(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	if p.dev.platform != "web" {
		p = g.webPerson()
	}
	u := g.pageURL(p)
	n := root(e)
	n.keep("type", "page")
	n.keep("name", u.title)
	pr := n.child("properties")
	pr.keep("path", u.path)
	if ref, sp := g.referrer(p); ref != "" {
		pr.text("referrer", ref, sp...)
	}
	pr.text("search", u.query, u.spans...)
	pr.str("title", u.title)
	keepPageURL(pr, "url", u)
	g.segmentContext(n, p, &u)
	g.segmentTail(n, p, t, r.IntN(2) == 0)
}

// webPerson draws people until one browses on the web.
func (g *Generator) webPerson() *person {
	for {
		if p := g.person(); p.dev.platform == "web" {
			return p
		}
	}
}

func buildTrack(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	name := pick(r, trackEvents)
	n := root(e)
	n.keep("type", "track")
	n.keep("event", name)
	pr := n.child("properties")
	cur := currency(p.c.code)
	switch name {
	case "Order Completed", "Checkout Started":
		pr.str("order_id", "ORD-"+randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8))
		items := pr.list("products")
		total := 0.0
		for i := 0; i < 1+r.IntN(3); i++ {
			pd := pick(r, products)
			price := float64(500+r.IntN(50000)) / 100
			q := 1 + r.IntN(3)
			total += price * float64(q)
			it := items.child()
			it.str("product_id", pd[0]).str("sku", "SKU-"+nzDigits(r, 5)).str("name", pd[1])
			it.keepFloat("price", price).keepInt("quantity", int64(q)).str("category", "Coffee")
		}
		pr.keepFloat("revenue", float64(int64(total*100+0.5))/100)
		pr.keep("currency", cur)
		if r.IntN(3) == 0 {
			pr.str("coupon", pick(r, []string{"SPRING25", "WELCOME10", "BF2025"}))
		}
		if r.IntN(4) == 0 {
			// Shops often send the buyer's email along with the order.
			pr.pii("email", TypeEmail, p.email)
		}
	case "Bot Created":
		pr.keep("bot_id", g.bot()).keep("template", pick(r, []string{"customer-support", "lead-gen", "faq", "blank"})).keep("channel", pick(r, []string{"web", "whatsapp", "messenger"}))
	case "Plan Upgraded":
		pr.keep("from_plan", "starter").keep("to_plan", pick(r, []string{"pro", "business"})).keepFloat("mrr", float64(pick(r, []int{29, 49, 99, 299})))
		pr.keep("currency", cur)
	case "Message Sent":
		pr.keep("bot_id", g.bot())
		pr.pii("conversation_id", TypeLinkingID, "conv_"+randString(r, base62, 20))
		pr.keepInt("length", int64(5+r.IntN(400)))
	case "Signed Up":
		pr.keep("method", pick(r, []string{"email", "google", "microsoft"})).keep("plan", p.plan)
		pr.pii("email", TypeEmail, p.email)
	case "Knowledge Base Imported":
		pr.keepInt("documents", int64(1+r.IntN(40))).keepInt("size_bytes", int64(10000+r.IntN(9000000)))
	case "Integration Connected":
		pr.keep("integration", pick(r, []string{"slack", "zendesk", "hubspot", "shopify", "teams"}))
	case "Product Viewed":
		pd := pick(r, products)
		pr.str("product_id", pd[0]).str("name", pd[1]).keepFloat("price", float64(500+r.IntN(50000))/100).keep("currency", cur)
	}
	var u *siteURL
	if p.dev.platform == "web" {
		x := g.pageURL(p)
		u = &x
	}
	g.segmentContext(n, p, u)
	g.segmentTail(n, p, t, r.IntN(3) != 0)
}

func buildIdentify(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("type", "identify")
	tr := n.child("traits")
	tr.pii("email", TypeEmail, p.email)
	switch r.IntN(3) {
	case 0:
		tr.pii("name", TypePerson, p.name())
	case 1:
		tr.pii("firstName", TypePerson, p.first).pii("lastName", TypePerson, p.last)
	default:
		tr.pii("name", TypePerson, p.name()).pii("firstName", TypePerson, p.first).pii("lastName", TypePerson, p.last)
	}
	if r.IntN(3) != 0 {
		tr.pii("phone", TypePhone, pick(r, []phone{p.mobile, p.home}).text)
	}
	if r.IntN(2) == 0 {
		a := tr.child("address")
		a.pii("street", TypeStreet, p.street)
		a.pii("city", TypeCity, p.city.name)
		putPostal(r, a, "postalCode", p)
		a.keep("state", p.city.regionLabel())
		a.keep("country", p.c.code)
	}
	if r.IntN(2) == 0 {
		tr.int("age", int64(t.Year()-p.dob.Year()))
		tr.pii("birthday", TypeDOB, pick(r, []string{p.dob.Format("2006-01-02"), p.dob.Format("2006-01-02") + "T00:00:00.000Z"}))
	}
	tr.str("gender", pick(r, []string{"female", "male", "non-binary", "unspecified"}))
	if r.IntN(2) == 0 {
		co := tr.child("company")
		co.str("name", p.company).str("industry", pick(r, []string{"Retail", "Software", "Utilities", "Hospitality", "Logistics"}))
		co.keepInt("employee_count", int64(pick(r, []int{5, 12, 40, 180, 900, 4200})))
		co.keep("plan", p.plan)
		tr.str("title", p.title)
	}
	tr.keep("plan", p.plan)
	tr.keep("createdAt", rfc3339(t.AddDate(0, -r.IntN(30), -r.IntN(28))))
	if r.IntN(4) == 0 {
		// A Gravatar URL carries a hash of the email: it links the person
		// across every site that shows their avatar.
		h := randString(r, hexDigits, 32)
		tr.text("avatar", "https://www.gravatar.com/avatar/"+h, span{TypeLinkingID, h})
	}
	var u *siteURL
	if p.dev.platform == "web" {
		x := g.pageURL(p)
		u = &x
	}
	g.segmentContext(n, p, u)
	g.segmentTail(n, p, t, true)
}

func buildScreen(g *Generator, e *event) {
	r, t := g.r, g.tick()
	var p *person
	for {
		if p = g.person(); p.dev.platform != "web" {
			break
		}
	}
	n := root(e)
	n.keep("type", "screen")
	name := pick(r, screens)
	n.keep("name", name)
	pr := n.child("properties")
	pr.keep("from", pick(r, screens))
	pr.keepInt("load_ms", int64(40+r.IntN(2000)))
	if name == "Conversations" || name == "Inbox" {
		pr.keepInt("unread", int64(r.IntN(30)))
	}
	g.segmentContext(n, p, nil)
	g.segmentTail(n, p, t, r.IntN(4) != 0)
}

func buildVisitor(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "visitor_profile_updated")
	n.keep("timestamp", g.stamp(t, p))
	n.pii("visitor_id", TypeLinkingID, p.anonID)
	n.keep("site", pick(r, sites))
	dm := n.child("demographics")
	age := t.Year() - p.dob.Year()
	dm.int("age", int64(age))
	dm.keep("age_range", ageBand(age))
	dm.str("gender", pick(r, []string{"female", "male", "non-binary", "unknown"}))
	in := dm.list("interests")
	seen := map[int]bool{}
	for _, i := range p.interestIdx {
		if !seen[i] {
			seen[i] = true
			in.str(interests[i])
		}
	}
	geo := n.child("geo")
	geo.keep("country", p.c.code)
	geo.keep("region", p.city.regionLabel())
	geo.pii("city", TypeCity, p.city.name)
	putPostal(r, geo, "postal_code", p)
	if r.IntN(3) == 0 {
		ip, sp, _ := g.clientIP(p)
		n.text("last_ip", ip, sp...)
	}
	st := n.child("stats")
	st.keepInt("sessions", int64(1+r.IntN(40)))
	st.keepInt("pageviews", int64(1+r.IntN(300)))
	st.keepInt("avg_session_s", int64(10+r.IntN(900)))
	st.keep("first_seen", rfc3339(t.AddDate(0, 0, -r.IntN(200))))
	st.keep("last_seen", rfc3339(t))
	n.keep("device_category", p.dev.kind)
	n.keep("language", p.lang)
	dv := n.child("device")
	dv.keep("os", p.dev.osName).keep("browser", p.dev.browser).str("user_agent", p.dev.ua)
	u := g.pageURL(p)
	keepPageURL(n, "last_page", u)
	if u.utm[0] != "" {
		n.child("acquisition").keep("source", u.utm[0]).keep("medium", u.utm[1]).keep("campaign", u.utm[2])
	}
}

func ageBand(age int) string {
	switch {
	case age < 18:
		return "under 18"
	case age < 25:
		return "18-24"
	case age < 35:
		return "25-34"
	case age < 45:
		return "35-44"
	case age < 55:
		return "45-54"
	case age < 65:
		return "55-64"
	}
	return "65+"
}
