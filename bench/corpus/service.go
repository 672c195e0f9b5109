package corpus

import (
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"
)

// Service events: Conversation Data, bot content, API usage, accounts and
// website-visitor forms.

// spansOf turns rendered entities into event labels; URL spans are dropped
// (a URL is navigation, not personal) and duplicates are merged later.
func spansOf(ents []Entity) []span {
	out := make([]span, 0, len(ents))
	for _, e := range ents {
		if e.Type != TypeURL {
			out = append(out, span{e.Type, e.Value})
		}
	}
	return out
}

var channels = []string{"web", "web", "web", "whatsapp", "messenger", "slack", "sms", "instagram"}

var intents = []string{"billing_refund", "update_contact", "login_problem", "shipping_address", "opening_hours", "smalltalk", "pricing", "integration_help"}

func buildMessage(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	inbound := r.IntN(10) < 6
	x := &textCtx{r: r, me: p, other: g.sameCountry(p), now: t}
	msg := x.message(!inbound, 3)
	n := root(e)
	if inbound {
		n.keep("event", "message.received")
	} else {
		n.keep("event", "message.sent")
	}
	n.str("id", "msg_"+randString(r, base62, 20))
	n.keep("timestamp", g.stamp(t, p))
	n.keep("bot_id", g.bot())
	n.str("workspace_id", g.workspace())
	n.pii("conversation_id", TypeLinkingID, "conv_"+randString(r, base62, 20))
	ch := pick(r, channels)
	n.keep("channel", ch)
	if inbound {
		n.keep("direction", "inbound")
	} else {
		n.keep("direction", "outbound")
	}
	s := n.child("sender")
	if inbound {
		s.keep("type", "end_user")
		switch ch {
		case "whatsapp":
			s.pii("id", TypePhone, p.mobile.digits)
			s.pii("profile_name", TypePerson, pick(r, []string{p.first, p.name()}))
		case "sms":
			s.pii("phone", TypePhone, "+"+p.mobile.digits)
		case "messenger", "instagram":
			s.pii("psid", TypeLinkingID, nzDigits(r, 16))
		case "slack":
			s.pii("id", TypeLinkingID, "U0"+randString(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 9))
			s.pii("name", TypePerson, p.name())
		default:
			s.pii("id", TypeLinkingID, p.anonID)
		}
	} else {
		s.keep("type", "bot")
		s.str("name", pick(r, []string{"Ava", "Max Bot", "Assistant", "Helpdesk"}))
	}
	if inbound && ch == "web" {
		// The web widget reports where it was opened.
		u := g.pageURL(p)
		c := n.child("context")
		keepPageURL(c, "page_url", u)
		ip, sp, _ := g.clientIP(p)
		c.text("ip", ip, sp...)
		c.str("user_agent", p.dev.ua)
		lt, lk := localeText(r, p)
		c.keepIn("locale", lt, lk)
		c.keep("widget_version", pick(r, []string{"2.8.1", "2.9.0", "3.0.2"}))
	}
	m := n.child("message")
	m.text("text", msg.text, spansOf(msg.ents)...)
	m.keep("language", p.lang)
	m.keepInt("length", int64(utf8.RuneCountInString(msg.text)))
	if inbound && r.IntN(10) == 0 {
		at := m.list("attachments").child()
		name := "IMG_" + nzDigits(r, 4) + ".jpg"
		at.keep("type", "image").str("name", name)
		at.str("url", "https://cdn.acmebot.io/u/"+uuid4(r)+"/"+name)
		at.keepInt("size_bytes", int64(20000+r.IntN(4000000)))
	}
	cv := n.child("conversation")
	cv.keep("started_at", rfc3339(t.Add(-time.Duration(5+r.IntN(1800))*time.Second)))
	cv.keepInt("message_count", int64(1+r.IntN(40)))
	cv.keep("status", pick(r, []string{"open", "open", "waiting_on_user", "handed_off"}))
	if !inbound && r.IntN(2) == 0 {
		// Answers grounded in the knowledge base cite their sources.
		src := n.child("generation")
		src.keep("model", pick(r, []string{"gpt-4o-mini", "claude-3-5-haiku", "mistral-small"}))
		l := src.list("sources")
		for i := 0; i < 1+r.IntN(3); i++ {
			c := l.child()
			c.str("document_id", "doc_"+randString(r, base62, 12))
			c.str("title", pick(r, []string{"Returns policy", "FAQ", "Customer service handbook", "Pricing 2025", "Warranty"}))
			c.keepFloat("score", float64(40+r.IntN(60))/100)
		}
	}
	mt := n.child("metrics")
	mt.keepInt("turn", int64(1+r.IntN(30)))
	if !inbound {
		mt.keepInt("response_time_ms", int64(200+r.IntN(6000)))
		mt.keepInt("tokens_in", int64(50+r.IntN(3000)))
		mt.keepInt("tokens_out", int64(10+r.IntN(600)))
	}
	if inbound {
		nlu := n.child("nlu")
		nlu.keep("intent", pick(r, intents))
		nlu.keepFloat("confidence", float64(50+r.IntN(50))/100)
		var found []Entity
		for _, en := range msg.ents {
			switch en.Type {
			case TypeEmail, TypePhone, TypeDOB, TypePerson:
				found = append(found, en)
			}
		}
		if len(found) > 0 {
			l := nlu.list("entities")
			for _, en := range found {
				c := l.child()
				c.str("type", strings.ToLower(en.Type))
				c.pii("value", en.Type, en.Value)
			}
		}
	}
}

// Knowledge-base paragraphs, by language.
var kbParagraphs = map[string][]string{
	"en": {
		"Opening hours: Monday to Friday, 9:00 to 18:00. Closed on public holidays.",
		"For billing questions, contact {other} ({oemail}, {ophone}).",
		"Refunds are processed within 14 days of the return being received. Orders over {price} ship free.",
		"Head office: {address}.",
		"Escalation: if a customer mentions a chargeback, hand over to {other} on {ophone}.",
		"Supported integrations: Slack, Microsoft Teams, Zendesk and WhatsApp Business.",
		"Our support portal is at {url}.",
		"Warranty claims need the order number and a photo of the defect. Replacement parts ship within 3 working days.",
		"Descaling: run the descaling programme every 200 cups or when the orange light blinks. Use only the supplied descaler; vinegar damages the seals.",
		"Shipping: orders placed before 2 pm leave the warehouse the same day. Delivery takes 2 to 4 working days; express delivery is available at checkout.",
		"If the machine shows error E03, the water tank is not seated correctly. Remove the tank, check the valve for limescale and put it back firmly.",
	},
	"fr": {
		"Horaires d'ouverture\u00a0: du lundi au vendredi, de 9\u00a0h à 18\u00a0h.",
		"Pour toute question de facturation, contactez {other} ({oemail}, {ophone}).",
		"Les remboursements sont traités sous 14 jours. Livraison offerte dès {price}.",
		"Siège social\u00a0: {address}.",
		"Notre portail d'assistance\u00a0: {url}",
		"La garantie couvre les pièces et la main-d'œuvre pendant deux ans.",
		"Détartrage : lancez le programme tous les 200 cafés ou lorsque le voyant orange clignote. N'utilisez pas de vinaigre, il abîme les joints.",
		"Livraison : les commandes passées avant 14 h partent le jour même. Comptez 2 à 4 jours ouvrés.",
	},
	"de": {
		"Öffnungszeiten: Montag bis Freitag, 9 bis 18 Uhr.",
		"Bei Fragen zur Rechnung wenden Sie sich an {other} ({oemail}, {ophone}).",
		"Erstattungen werden innerhalb von 14 Tagen bearbeitet. Versandkostenfrei ab {price}.",
		"Firmensitz: {address}.",
		"Unser Supportportal: {url}",
		"Garantiefälle bitte mit Bestellnummer und Foto des Mangels melden.",
		"Entkalken: Das Entkalkungsprogramm alle 200 Tassen starten oder wenn die orange Lampe blinkt. Kein Essig verwenden, er beschädigt die Dichtungen.",
		"Versand: Bestellungen bis 14 Uhr verlassen das Lager am selben Tag. Die Lieferung dauert 2 bis 4 Werktage.",
	},
}

var promptTemplates = []string{
	"You are Ava, the assistant of {employer}. Answer briefly and politely. Never promise refunds over {price}. If the user is angry, escalate to {other} ({oemail}).",
	"Tu es l'assistant de {employer}. Réponds en français. Pour les litiges, transfère à {other} au {ophone}.",
	"Du bist der Kundenservice-Bot von {employer}. Antworte auf Deutsch und verweise bei Reklamationen an {other} ({oemail}).",
	"You answer questions about our coffee machines only. Do not discuss competitors. Today's promo code is SPRING25.",
}

func intentOf(t string) string {
	switch {
	case strings.Contains(t, "{card}") || strings.Contains(t, "{iban}") || strings.Contains(t, "{price}"):
		return "billing_refund"
	case strings.Contains(t, "{address}"):
		return "shipping_address"
	case strings.Contains(t, "{password}") || strings.Contains(t, "{ip}") || strings.Contains(t, "{apikey}") || strings.Contains(t, "{jwt}") || strings.Contains(t, "{urlpii}"):
		return "login_problem"
	case strings.Contains(t, "{email}") || strings.Contains(t, "{phone}"):
		return "update_contact"
	}
	return "general"
}

func buildContent(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	x := &textCtx{r: r, me: p, other: g.sameCountry(p), now: t}
	n := root(e)
	kind := pick(r, []string{"knowledge_base.document_uploaded", "knowledge_base.document_uploaded", "bot.prompt_updated", "training.utterances_added", "bot.website_added"})
	n.keep("event", kind)
	n.keep("timestamp", rfc3339(t))
	n.keep("bot_id", g.bot())
	n.str("workspace_id", g.workspace())
	a := n.child("actor")
	a.pii("user_id", TypeLinkingID, p.userID)
	a.pii("email", TypeEmail, p.email)
	switch kind {
	case "knowledge_base.document_uploaded":
		lang := p.lang
		if _, ok := kbParagraphs[lang]; !ok {
			lang = "en"
		}
		var w writer
		w.lit("# " + p.company + " – " + pick(r, []string{"Customer service handbook", "FAQ", "Internal notes", "Returns policy"}) + "\n\n")
		paras := kbParagraphs[lang]
		k := 5 + r.IntN(6)
		for i := 0; i < k; i++ {
			if i > 0 {
				w.lit("\n\n")
			}
			x.render(&w, paras[r.IntN(len(paras))])
		}
		text := w.b.String()
		d := n.child("document")
		d.str("name", pick(r, []string{"handbook", "faq", "returns", "notes"})+"-"+pad(2024+r.IntN(2), 4)+pick(r, []string{".pdf", ".docx", ".md", ".txt"}))
		d.keep("mime_type", pick(r, []string{"application/pdf", "text/markdown", "text/plain"}))
		d.keepInt("size_bytes", int64(len(text)*(1+r.IntN(40))))
		d.keepInt("pages", int64(1+r.IntN(30)))
		d.keep("language", lang)
		d.text("text", text, spansOf(w.ents)...)
	case "bot.prompt_updated":
		var w writer
		x.render(&w, pick(r, promptTemplates))
		pr := n.child("prompt")
		pr.text("system", w.b.String(), spansOf(w.ents)...)
		pr.keep("model", pick(r, []string{"gpt-4o-mini", "claude-3-5-haiku", "mistral-small"}))
		pr.keepFloat("temperature", float64(r.IntN(11))/10)
		pr.keepInt("version", int64(1+r.IntN(40)))
	case "training.utterances_added":
		l := n.list("utterances")
		ts := templatesFor(userTemplates, p.lang, p.c.code, false)
		k := 4 + r.IntN(7)
		for i := 0; i < k; i++ {
			tp := pick(r, ts)
			var w writer
			x.render(&w, tp.text)
			c := l.child()
			c.text("text", w.b.String(), spansOf(w.ents)...)
			c.keep("intent", intentOf(tp.text))
		}
		n.keepInt("count", int64(k))
	case "bot.website_added":
		ws := n.child("website")
		ws.keep("url", pick(r, sites))
		ws.keepInt("crawl_depth", int64(1+r.IntN(5)))
		ws.keepInt("pages_found", int64(1+r.IntN(900)))
		inc := ws.list("include_paths")
		inc.keep("/docs").keep("/help")
		ws.keep("sitemap", "/sitemap.xml")
	}
}

var apiRoutes = []struct {
	method, path string
	status       int
}{
	{"POST", "/v1/bots/{bot}/messages", 201}, {"GET", "/v1/conversations", 200}, {"GET", "/v1/bots/{bot}/analytics", 200},
	{"POST", "/v1/knowledge-bases/kb_{id}/documents", 202}, {"DELETE", "/v1/conversations/conv_{id}", 204},
	{"GET", "/v1/users/me", 200}, {"POST", "/v1/bots/{bot}/messages", 429}, {"GET", "/v1/conversations", 401},
	{"PATCH", "/v1/bots/{bot}", 200}, {"POST", "/v1/webhooks/test", 500},
}

func buildAPIRequest(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	rt := pick(r, apiRoutes)
	path := strings.ReplaceAll(rt.path, "{bot}", g.bot())
	path = strings.ReplaceAll(path, "{id}", randString(r, base62, 12))
	n := root(e)
	n.keep("event", "api.request")
	n.keep("timestamp", rfc3339(t))
	n.str("request_id", "req_"+randString(r, base62, 24))
	rq := n.child("request")
	rq.keep("method", rt.method)
	if r.IntN(8) == 0 {
		key := newAPIKey(r)
		rq.keepIn("url", path+"?api_key="+key, path, span{TypeSecret, key})
	} else {
		rq.keep("url", path)
	}
	h := rq.child("headers")
	switch r.IntN(3) {
	case 0:
		tok := newJWT(r, p.userID, p.email, t)
		h.text("authorization", "Bearer "+tok, span{TypeSecret, tok})
	case 1:
		tok := base64.StdEncoding.EncodeToString([]byte(p.email + ":" + newPassword(r)))
		h.text("authorization", "Basic "+tok, span{TypeSecret, tok})
	default:
		key := newAPIKey(r)
		h.pii("x-api-key", TypeSecret, key)
	}
	ip, sp, _ := g.clientIP(p)
	h.text("x-forwarded-for", ip, sp...)
	h.str("user-agent", pick(r, []string{"acmebot-python/2.3.1 python-requests/2.31.0", "acmebot-node/5.0.2 node/20.11.1", "curl/8.5.0", "Zapier"}))
	h.keep("content-type", "application/json")
	rs := n.child("response")
	rs.keepInt("status", int64(rt.status))
	rs.keepInt("bytes", int64(2+r.IntN(40000)))
	n.keepInt("duration_ms", int64(3+r.IntN(2500)))
	n.str("api_key_id", "key_"+randString(r, base62, 10))
	n.str("workspace_id", g.workspace())
	n.keep("plan", p.plan)
	n.keep("region", pick(r, []string{"eu-west-1", "us-east-1", "eu-central-1"}))
}

func buildUsageRollup(g *Generator, e *event) {
	r, t := g.r, g.tick()
	n := root(e)
	n.keep("event", "usage.daily")
	n.keep("date", t.AddDate(0, 0, -1).Format("2006-01-02"))
	n.str("workspace_id", g.workspace())
	n.keep("bot_id", g.bot())
	n.keep("plan", pick(r, plans))
	c := n.child("counts")
	conv := 1 + r.IntN(5000)
	c.keepInt("conversations", int64(conv))
	c.keepInt("messages_in", int64(conv*(1+r.IntN(6))))
	c.keepInt("messages_out", int64(conv*(1+r.IntN(7))))
	c.keepInt("unique_visitors", int64(1+r.IntN(conv)))
	c.keepInt("handoffs", int64(r.IntN(1+conv/10)))
	d := n.child("durations")
	d.keepInt("median_conversation_s", int64(20+r.IntN(600)))
	d.keepInt("p95_response_ms", int64(400+r.IntN(9000)))
	ch := n.child("channels")
	ch.keepInt("web", int64(r.IntN(conv+1)))
	ch.keepInt("whatsapp", int64(r.IntN(conv/2+1)))
	ch.keepInt("messenger", int64(r.IntN(conv/4+1)))
	n.keep("generated_at", rfc3339(t))
}

func buildSignup(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	n.keep("event", "user.signed_up")
	n.keep("occurred_at", rfc3339(t))
	u := n.child("user")
	putUserID(r, u, "id", p)
	if r.IntN(2) == 0 {
		u.pii("full_name", TypePerson, p.name())
	} else {
		u.pii("first_name", TypePerson, p.first).pii("last_name", TypePerson, p.last)
	}
	u.pii("email", TypeEmail, p.email)
	pw := newPassword(r)
	u.pii("password", TypeSecret, pw)
	if r.IntN(3) == 0 {
		u.pii("password_confirmation", TypeSecret, pw)
	}
	u.keep("locale", p.locale)
	if tz := timezone(p); tz != "" {
		u.str("timezone", tz)
	}
	w := n.child("workspace")
	w.str("id", g.workspace()).str("name", p.company).keep("plan", p.plan)
	s := n.child("signup")
	s.keep("method", pick(r, []string{"email", "google", "microsoft"}))
	ip, sp, _ := g.clientIP(p)
	s.text("ip", ip, sp...)
	s.str("user_agent", p.dev.ua)
	s.keep("utm_source", pick(r, utmSources))
	s.bool("marketing_opt_in", r.IntN(2) == 0)
	if r.IntN(2) == 0 {
		n.pii("api_key", TypeSecret, newAPIKey(r))
	}
}

func buildLogin(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	n := root(e)
	kind := pick(r, []string{"user.logged_in", "user.logged_in", "user.login_failed", "user.password_reset_requested"})
	n.keep("event", kind)
	n.keep("occurred_at", g.stamp(t, p))
	putUserID(r, n, "user_id", p)
	n.pii("email", TypeEmail, p.email)
	status := int64(200)
	switch kind {
	case "user.logged_in":
		if r.IntN(3) == 0 {
			n.pii("password_hash", TypeSecret, newPasswordHash(r))
		}
		mf := n.child("mfa")
		mf.keep("method", pick(r, []string{"totp", "sms", "webauthn", "none"})).bool("verified", true)
		tok := newJWT(r, p.userID, p.email, t)
		n.pii("session_token", TypeSecret, tok)
	case "user.login_failed":
		status = 401
		if r.IntN(2) == 0 {
			// A badly configured auth service logs what was typed.
			n.pii("attempted_password", TypeSecret, newPassword(r))
		}
		n.keep("reason", "invalid_credentials")
		n.keepInt("failed_attempts", int64(1+r.IntN(5)))
	default:
		status = 202
		tok := randString(r, hexDigits, 40)
		n.text("reset_url", "https://app.acmebot.io/reset-password?token="+tok, span{TypeSecret, tok})
	}
	ip, sp, _ := g.clientIP(p)
	n.text("ip", ip, sp...)
	geo := n.child("geo")
	geo.keep("country", p.c.code)
	geo.pii("city", TypeCity, p.city.name)
	n.keepInt("http_status", status)
	n.str("user_agent", p.dev.ua)
	n.keep("os", p.dev.osName)
}

var formIDs = []string{"contact-sales", "demo-request", "newsletter", "support", "callback"}

func buildForm(g *Generator, e *event) {
	r, p, t := g.r, g.person(), g.tick()
	x := &textCtx{r: r, me: p, other: g.sameCountry(p), now: t}
	u := g.pageURL(p)
	n := root(e)
	n.keep("event", "form_submitted")
	n.keep("form_id", pick(r, formIDs))
	keepPageURL(n, "page_url", u)
	n.keep("submitted_at", g.stamp(t, p))
	msg := x.message(false, 2)
	if r.IntN(3) == 0 {
		// HubSpot-style list of name/value pairs.
		l := n.list("fields")
		l.child().str("name", "firstname").pii("value", TypePerson, p.first)
		l.child().str("name", "lastname").pii("value", TypePerson, p.last)
		l.child().str("name", "email").pii("value", TypeEmail, p.email)
		if r.IntN(3) != 0 {
			l.child().str("name", "phone").pii("value", TypePhone, p.mobile.text)
		}
		l.child().str("name", "company").str("value", p.company)
		l.child().str("name", "jobtitle").str("value", p.title)
		l.child().str("name", "message").text("value", msg.text, spansOf(msg.ents)...)
	} else {
		f := n.child("fields")
		f.pii(pick(r, []string{"name", "full_name", "Name"}), TypePerson, p.name())
		f.pii("email", TypeEmail, p.email)
		if r.IntN(3) != 0 {
			f.pii("phone", TypePhone, pick(r, []phone{p.mobile, p.home}).text)
		}
		f.str("company", p.company)
		f.str("job_title", p.title)
		f.text("message", msg.text, spansOf(msg.ents)...)
		f.keep("country", p.c.code)
		f.bool("consent_marketing", r.IntN(2) == 0)
	}
	v := n.child("visitor")
	v.pii("id", TypeLinkingID, p.anonID)
	ip, sp, _ := g.clientIP(p)
	v.text("ip", ip, sp...)
	v.str("user_agent", p.dev.ua)
	if u.utm[0] != "" {
		um := n.child("utm")
		um.keep("source", u.utm[0]).keep("medium", u.utm[1]).keep("campaign", u.utm[2])
	}
	n.keepInt("time_to_submit_ms", int64(millis(time.Duration(3+r.IntN(600))*time.Second)))
}
