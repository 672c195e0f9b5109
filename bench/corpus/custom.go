package corpus

import (
	"strconv"
	"strings"
	"time"
)

// Events whose shape no schema knows: customers' own events with French,
// German, camelCase and snake_case keys, numbers that are phone or card
// numbers, nested arrays of objects, key/value attribute lists, maps keyed by
// email, identity checks, devices and payouts.

func buildUnknownShape(g *Generator, e *event) {
	shapes := []func(*Generator, *event){
		customFrench, customGerman, customCRMLead, customOrderShipped, customAttributes,
		customTeamDigest, customKYC, customDevice, customPayout, customNotes,
		customEmployee, customPaymentFailed,
	}
	pick(g.r, shapes)(g, e)
	// Events posted to a generic HTTP source get the collector's envelope.
	if g.r.IntN(2) == 0 {
		r, p := g.r, g.person()
		m := root(e).child("_meta")
		m.str("source_id", "src_"+randString(r, base62, 12))
		m.keep("received_at", rfc3339(g.now.Add(time.Duration(20+r.IntN(900))*time.Millisecond)))
		m.keep("schema", "unregistered")
		m.str("sdk", pick(r, []string{"custom-http/1.0", "webhook", "segment-http-api", "n8n"}))
		ip, sp, _ := g.clientIP(p)
		m.text("request_ip", ip, sp...)
		m.keepInt("payload_bytes", int64(200+r.IntN(3000)))
	}
}

// personFrom draws someone from the population who lives in cc, or a new
// person there.
func (g *Generator) personFrom(cc string) *person {
	for i := 0; i < 20; i++ {
		if p := g.person(); p.c.code == cc {
			return p
		}
	}
	for i := range countries {
		if countries[i].code == cc {
			return newPerson(g.r, &countries[i])
		}
	}
	return g.person()
}

func customFrench(g *Generator, e *event) {
	r, t := g.r, g.tick()
	p := g.personFrom("FR")
	x := &textCtx{r: r, me: p, other: g.sameCountry(p), now: t}
	n := root(e)
	n.keep("événement", pick(r, []string{"demande_de_rappel", "inscription_newsletter", "réclamation"}))
	n.keep("horodatage", g.stamp(t, p))
	d := n.child("données")
	d.pii("nom", TypePerson, p.last)
	d.pii("prénom", TypePerson, p.first)
	d.pii("courriel", TypeEmail, p.email)
	d.pii("téléphone", TypePhone, p.mobile.text)
	line, _ := formatAddress("FR", p.city, p.street, p.postal)
	d.text("adresse", line, span{TypeStreet, p.street}, span{TypePostal, p.postal}, span{TypeCity, p.city.name})
	d.pii("date_de_naissance", TypeDOB, fieldDate(r, p.dob, "FR"))
	if r.IntN(2) == 0 {
		msg := x.message(false, 2)
		d.text("message", msg.text, spansOf(msg.ents)...)
	}
	n.keep("source", "site_web")
	n.keep("pays", "FR")
	n.keepInt("durée_formulaire_s", int64(10+r.IntN(400)))
}

func customGerman(g *Generator, e *event) {
	r, t := g.r, g.tick()
	p := g.personFrom("DE")
	n := root(e)
	n.keep("Ereignis", pick(r, []string{"Vertragsabschluss", "Adressänderung", "Tarifwechsel"}))
	n.keep("Zeitstempel", g.stamp(t, p))
	k := n.child("Kunde")
	if p.female {
		k.str("Anrede", "Frau")
	} else {
		k.str("Anrede", "Herr")
	}
	k.pii("Vorname", TypePerson, p.first)
	k.pii("Nachname", TypePerson, p.last)
	k.pii("Geburtsdatum", TypeDOB, fieldDate(r, p.dob, "DE"))
	k.pii("Straße", TypeStreet, p.street)
	putPostal(r, k, "PLZ", p)
	k.pii("Ort", TypeCity, p.city.name)
	k.pii("Telefon", TypePhone, pick(r, []phone{p.mobile, p.home}).text)
	k.pii("E-Mail", TypeEmail, p.email)
	_, iban := newIBAN(r, "DE")
	k.pii("IBAN", TypeIBAN, iban)
	n.keep("Tarif", pick(r, []string{"Basis", "Premium", "Ökostrom Plus"}))
	n.keep("Land", "DE")
	n.keepFloat("Monatsbeitrag", float64(1900+r.IntN(8000))/100)
}

func customCRMLead(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("eventName", "leadCreated")
	n.keepInt("createdAtMs", t.UnixMilli())
	li := n.child("leadInfo")
	li.pii("fullName", TypePerson, p.name())
	li.pii("emailAddr", TypeEmail, p.email)
	// Phone numbers kept as numbers lose their "+" and leading zero.
	li.piiNum("mobileNo", TypePhone, p.mobile.digits)
	if r.IntN(4) == 0 {
		c := newCard(r)
		li.piiNum("ccNumber", TypeCard, c.digits)
		li.keep("ccBrand", c.brand)
	}
	b := li.child("billing")
	b.pii("line1", TypeStreet, p.street)
	b.pii("cityName", TypeCity, p.city.name)
	putPostal(r, b, "zip", p)
	b.keep("countryCode", p.c.code)
	tags := n.list("tags")
	tags.keep(pick(r, []string{"webinar", "trade-show", "inbound"})).keep(pick(r, []string{"hot", "warm", "cold"}))
	n.keepInt("leadScore", int64(r.IntN(100)))
	n.pii("ownerId", TypeLinkingID, "005"+randString(r, base62, 15)) // the sales rep who owns the lead
}

func customOrderShipped(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event_name", "order_shipped")
	n.keep("shipped_at", rfc3339(t))
	o := n.child("order")
	o.str("id", "ORD-"+randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8))
	items := o.list("items")
	total := 0
	for i := 0; i < 1+r.IntN(4); i++ {
		pd := pick(r, products)
		q := 1 + r.IntN(3)
		c := 500 + r.IntN(30000)
		total += c * q
		it := items.child()
		it.str("sku", "SKU-"+nzDigits(r, 5)).str("name", pd[1]).keepInt("qty", int64(q)).keepFloat("unit_price", float64(c)/100)
		if r.IntN(5) == 0 {
			// A gift: someone else's name and address inside the item.
			o2 := g.sameCountry(p)
			gr := it.child("gift_recipient")
			gr.pii("name", TypePerson, o2.name())
			gr.pii("address", TypeStreet, o2.street)
		}
	}
	o.keepFloat("total", float64(total)/100)
	o.keep("currency", currency(p.c.code))
	sh := o.child("shipping")
	rc := sh.child("recipient")
	rc.pii("name", TypePerson, p.name())
	rc.pii("phone", TypePhone, p.mobile.text)
	ad := sh.child("address")
	ad.pii("line1", TypeStreet, p.street)
	if r.IntN(3) == 0 {
		ad.str("line2", pick(r, []string{"Apt 4B", "2nd floor", "Bâtiment C", "Hinterhaus"}))
	}
	ad.pii("city", TypeCity, p.city.name)
	putPostal(r, ad, "zip", p)
	ad.keep("country", p.c.code)
	sh.keep("carrier", pick(r, []string{"UPS", "DHL", "Colissimo", "PostNL", "Royal Mail", "USPS"}))
	sh.str("tracking_number", "1Z"+randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 16))
	pay := o.child("payment")
	pay.keep("method", pick(r, []string{"card", "sepa_debit", "paypal"}))
	pay.str("card_last4", digits(r, 4))
	if r.IntN(3) == 0 {
		_, iban := newIBAN(r, p.c.code)
		pay.pii("iban", TypeIBAN, iban)
	}
}

func customAttributes(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("type", "profile_sync")
	n.keep("synced_at", rfc3339(t))
	n.pii("profile_id", TypeLinkingID, p.anonID)
	l := n.list("attributes")
	l.child().str("key", "email").pii("value", TypeEmail, p.email)
	l.child().str("key", "phone_number").pii("value", TypePhone, p.mobile.text)
	l.child().str("key", "plan").keep("value", p.plan)
	l.child().str("key", "signup_country").keep("value", p.c.code)
	if r.IntN(2) == 0 {
		l.child().str("key", "birth_date").pii("value", TypeDOB, fieldDate(r, p.dob, p.c.code))
	}
	l.child().str("key", "last_order_total").keepFloat("value", float64(500+r.IntN(40000))/100)
	l.child().str("key", "newsletter").bool("value", r.IntN(2) == 0)
	n.keep("source", pick(r, []string{"shopify", "hubspot", "braze"}))
}

func customTeamDigest(g *Generator, e *event) {
	r, t := g.r, g.tick()
	n := root(e)
	n.keep("event", "team_digest")
	n.keep("period", t.Format("2006")+"-W"+pad(1+t.YearDay()/7, 2))
	n.str("workspace_id", g.workspace())
	m := n.child("conversations_by_member")
	k := 2 + r.IntN(4)
	total := 0
	seen := map[string]bool{}
	for i := 0; i < k; i++ {
		p := g.person()
		if seen[p.email] {
			continue
		}
		seen[p.email] = true
		c := r.IntN(200)
		total += c
		m.piiKey(TypeEmail, p.email, number(strconv.Itoa(c)))
	}
	n.keepInt("total", int64(total))
}

func customKYC(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "kyc.verified")
	n.keep("checked_at", rfc3339(t))
	a := n.child("applicant")
	a.pii("name", TypePerson, p.name())
	a.pii("dob", TypeDOB, p.dob.Format("2006-01-02"))
	switch p.c.code {
	case "US":
		_, s := newSSN(r)
		a.pii("ssn", TypeSSN, s)
	case "CA":
		_, s := newSIN(r)
		a.pii("sin", TypeSIN, s)
	case "GB":
		_, s := newNINO(r)
		a.pii("nino", TypeNINO, s)
	default:
		_, iban := newIBAN(r, p.c.code)
		a.pii("bank_account", TypeIBAN, iban)
	}
	a.keep("nationality", p.c.code)
	doc := a.child("document")
	doc.keep("type", pick(r, []string{"passport", "id_card", "driving_licence"}))
	doc.keep("issuing_country", p.c.code)
	ip, sp, _ := g.clientIP(p)
	n.text("ip", ip, sp...)
	n.keep("result", pick(r, []string{"approved", "approved", "review"}))
	n.keepFloat("score", float64(60+r.IntN(40))/100)
}

func customDevice(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "device.heartbeat")
	n.keepInt("ts", t.Unix())
	d := n.child("device")
	d.pii("mac", TypeMAC, newMAC(r))
	d.pii("serial", TypeLinkingID, "SN-"+randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10))
	d.keep("firmware", pick(r, []string{"2.4.1", "2.5.0", "3.0.0-rc1"}))
	d.keep("model", pick(r, []string{"HubMini", "Hub Pro", "Sensor S2"}))
	if r.IntN(2) == 0 {
		d.pii("ipv6_link_local", TypeIP, linkLocalIPv6(r))
	}
	d.text("wan_ip", p.ip, span{TypeIP, p.ip})
	loc := d.child("location")
	putCoords(r, loc, "lat", "lon", p)
	loc.keepInt("accuracy_m", int64(5+r.IntN(60)))
	n.pii("owner_id", TypeLinkingID, p.userID)
	n.keepInt("battery_pct", int64(r.IntN(101)))
	n.keepInt("rssi_dbm", int64(-30-r.IntN(60)))
	n.keepInt("uptime_s", int64(r.IntN(3000000)))
}

func customPayout(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "payout.requested")
	n.keep("requested_at", rfc3339(t))
	n.pii("requested_by", TypeEmail, p.email)
	if r.IntN(2) == 0 {
		n.pii("wallet", TypeCrypto, newWallet(r))
		n.keepFloat("amount_btc", float64(1+r.IntN(50000))/100000)
	} else {
		_, iban := newIBAN(r, p.c.code)
		b := n.child("bank")
		b.pii("holder", TypePerson, p.name())
		b.pii("iban", TypeIBAN, iban)
		b.str("bic", pick(r, []string{"DEUTDEFF", "BNPAFRPP", "INGBNL2A", "BARCGB22", "CAIXESBB", "UNCRITMM"}))
		n.keepFloat("amount", float64(1000+r.IntN(500000))/100)
		n.keep("currency", currency(p.c.code))
	}
	n.keep("program", "affiliate")
	if r.IntN(10) == 0 {
		// Someone pasted a deploy key into the payout notes.
		n.pii("notes", TypeSecret, newPrivateKey(r))
	}
}

func customNotes(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	x := &textCtx{r: r, me: p, other: g.sameCountry(p), now: t}
	n := root(e)
	n.keep("kind", "agent_note")
	n.keep("created", rfc3339(t))
	n.str("ticket", "TCK-"+nzDigits(r, 5))
	msg := x.message(false, 3)
	prefix := pick(r, []string{"📞 ", "✉️ ", "⚠️ ", "", "→ "})
	n.text("note", prefix+msg.text, spansOf(msg.ents)...)
	tags := n.list("标签")
	tags.keep(pick(r, []string{"vip", "refund", "bug", "follow-up"}))
	n.keep("priority", pick(r, []string{"low", "normal", "high", "urgent"}))
	n.keepInt("reopen_count", int64(r.IntN(4)))
	if r.IntN(3) == 0 {
		w := n.list("watchers")
		w.pii(TypeEmail, p.email)
		w.pii(TypeEmail, x.other.email)
	}
}

func customEmployee(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "employee.onboarded")
	n.keep("recorded_at", rfc3339(t))
	em := n.child("employee")
	em.pii("employee_number", TypeLinkingID, "E"+nzDigits(r, 5))
	em.pii("legal_name", TypePerson, p.name())
	em.pii("personal_email", TypeEmail, p.email)
	em.pii("date_of_birth", TypeDOB, fieldDate(r, p.dob, p.c.code))
	h := em.child("home_address")
	h.pii("street", TypeStreet, p.street)
	h.pii("city", TypeCity, p.city.name)
	putPostal(r, h, "postal_code", p)
	h.keep("country", p.c.code)
	tax := em.child("tax")
	switch p.c.code {
	case "US":
		d, s := newSSN(r)
		if r.IntN(4) == 0 {
			tax.piiNum("ssn", TypeSSN, strings.TrimLeft(d, "0"))
		} else {
			tax.pii("ssn", TypeSSN, s)
		}
	case "CA":
		_, s := newSIN(r)
		tax.pii("sin", TypeSIN, s)
	case "GB":
		_, s := newNINO(r)
		tax.pii("ni_number", TypeNINO, s)
	}
	tax.keep("country", p.c.code)
	_, iban := newIBAN(r, p.c.code)
	em.child("payroll").pii("iban", TypeIBAN, iban).keep("frequency", pick(r, []string{"monthly", "biweekly"}))
	o := g.sameCountry(p)
	ec := em.child("emergency_contact")
	ec.pii("name", TypePerson, o.name())
	ec.pii("phone", TypePhone, o.mobile.text)
	ec.str("relationship", pick(r, []string{"spouse", "parent", "sibling", "friend"}))
	n.keep("department", pick(r, []string{"Support", "Engineering", "Sales", "Finance"}))
	n.keep("start_date", t.AddDate(0, 0, 7+r.IntN(30)).Format("2006-01-02"))
	n.keep("contract", pick(r, []string{"full_time", "part_time", "contractor"}))
}

// customPaymentFailed logs a payment provider's request body as a string of
// JSON: the card number and billing details are inside a string value.
func customPaymentFailed(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	c := newCard(r)
	num := c.digits
	if r.IntN(3) == 0 {
		num = c.text
	}
	n := root(e)
	n.keep("event", "payment.failed")
	n.keep("at", rfc3339(t))
	n.keep("error_code", pick(r, []string{"card_declined", "expired_card", "incorrect_cvc", "processing_error"}))
	n.keepInt("http_status", 402)
	body := `{"amount":` + strconv.Itoa(500+r.IntN(50000)) + `,"currency":"` + strings.ToLower(currency(p.c.code)) +
		`","payment_method_data":{"type":"card","card":{"number":"` + num + `","exp_month":` + strconv.Itoa(1+r.IntN(12)) +
		`,"exp_year":` + strconv.Itoa(2026+r.IntN(5)) + `},"billing_details":{"name":"` + p.name() + `","email":"` + p.email + `"}}}`
	n.text("request_body", body, span{TypeCard, num}, span{TypePerson, p.name()}, span{TypeEmail, p.email})
	n.keepInt("attempt", int64(1+r.IntN(3)))
	n.keep("provider", pick(r, []string{"stripe", "adyen", "mollie"}))
	n.pii("customer_id", TypeLinkingID, "cus_"+randString(r, base62, 14))
}
