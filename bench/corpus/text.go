package corpus

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TEST DATA. The sentence templates below were written for this generator:
// what end-users write to a support or shop chatbot, and what the bot answers,
// in six languages. Placeholders in braces are filled with generated values;
// see render for the list.

// tmpl is a sentence template. cc restricts it to speakers from one country
// ("" for any); negative templates hold no personal value.
type tmpl struct {
	cc   string
	text string
}

var userTemplates = map[string][]tmpl{
	"en": {
		{"", "Hi, my name is {me} and I can't log into my account anymore."},
		{"", "You can reach me at {email} or call {phone} after 5pm."},
		{"", "My card {card} was charged twice for order {order}, can you refund it?"},
		{"", "Please send the invoice to {me}, {address}."},
		{"", "I was born on {dob}, why does the form say I'm under 18?"},
		{"US", "My SSN is {ssn}, do you need anything else for the background check?"},
		{"US", "For the W-9 I used SSN {ssn}. Is that right?"},
		{"", "Here is my IBAN for the payout: {iban}"},
		{"", "The login keeps failing from {ip}, is my IP blocked?"},
		{"", "Our API key {apikey} stopped working after the {version} update."},
		{"", "What are your opening hours on {date}?"},
		{"", "How do I connect the bot to Slack? The guide at {url} is out of date."},
		{"", "Can I switch from Starter to Pro without losing my {n} conversations?"},
		{"", "Thanks {first}! That fixed it 🙏"},
		{"CA", "My SIN is {sin}, I'm filling in the tax form."},
		{"GB", "My National Insurance number is {nino}."},
		{"GB", "NI number: {nino}, employer {employer}."},
		{"", "The device MAC is {mac} and it won't pair with the hub."},
		{"", "The reset link {urlpii} says it expired."},
		{"", "my password is {password} - I know I shouldn't share it but I'm locked out"},
		{"", "Send the refund in bitcoin to {btc} please."},
		{"", "I'm at {geo}, where is the nearest store?"},
		{"", "Contact our office manager {other} ({oemail}, {ophone}) for building access."},
		{"", "Order {order} was placed on {date} at {time} for {price}."},
		{"", "Hello, this is {me}. DOB {dob}, policy number {policy}."},
		{"", "I entered {card} but it says the card number is invalid"},
		{"", "Can you update my phone to {phone} and my email to {email}?"},
		{"", "Calling the API with Authorization: Bearer {jwt} returns 401."},
		{"", "please call me back on {phone}, ask for {first}"},
		{"", "Version {version} crashes when I upload a PDF larger than {n} MB."},
		{"", "We are {n} people at {employer}, is there a team discount?"},
		{"", "I moved! New address: {address}. Phone stays {phone}."},
		{"", "Can I pay by bank transfer? My IBAN is {iban} and the account holder is {me}."},
		{"", "Ticket {ticket}: the widget shows a blank screen on Safari {version}."},
		{"", "The bot answered in 2 seconds yesterday but now it takes {n} seconds."},
		{"", "Hey it's {first} from {employer}, my number changed to {phone}"},
		{"", "My colleague {other} will take over, their email is {oemail}."},
		{"", "Is there a way to export all {n} transcripts as CSV?"},
		{"", "I was charged {price} on {date}, but I cancelled the plan."},
	},
	"fr": {
		{"", "Bonjour, je m'appelle {me} et je n'arrive plus à me connecter."},
		{"", "Vous pouvez me joindre au {phone} ou par mail à {email}."},
		{"", "Ma carte {card} a été débitée deux fois pour la commande {order}."},
		{"", "Voici mon RIB\u00a0: {iban}"},
		{"", "Je suis né(e) le {dob}."},
		{"", "Merci de livrer au {address}."},
		{"", "Mon adresse IP est {ip}, pourquoi suis-je bloqué\u00a0?"},
		{"", "Quels sont vos horaires le {date}\u00a0?"},
		{"", "Comment connecter le bot à mon site WordPress\u00a0? La doc {url} ne marche pas."},
		{"", "C'est {first}, je vous rappelle au {phone} demain matin."},
		{"", "Mon mot de passe est {password}, je sais que ce n'est pas prudent."},
		{"", "Envoyez la facture à {me}, {email}."},
		{"", "Le lien {urlpii} ne fonctionne plus."},
		{"", "Date de naissance\u00a0: {dob}. Numéro client {order}."},
		{"", "La commande {order} du {date} coûte {price}."},
		{"", "Pouvez-vous changer mon numéro en {phone}\u00a0?"},
		{"", "Je suis au {geo}, où est le magasin le plus proche\u00a0?"},
		{"", "Clé API\u00a0: {apikey} — elle renvoie une erreur 403."},
		{"", "Mon collègue {other} ({oemail}) reprend le dossier."},
		{"", "Nouvelle adresse\u00a0: {address}, tél. {phone}"},
		{"", "Merci beaucoup, bonne journée 😊"},
		{"", "Est-ce que je peux passer de l'offre Starter à Pro sans perdre mes {n} conversations\u00a0?"},
		{"CA", "Mon NAS est {sin}, c'est pour la déclaration d'impôts."},
		{"", "J'ai été prélevé de {price} le {date} alors que j'ai résilié."},
		{"", "Envoyez le remboursement en bitcoin sur {btc}, merci."},
	},
	"de": {
		{"", "Hallo, mein Name ist {me} und ich komme nicht mehr in mein Konto."},
		{"", "Sie erreichen mich unter {phone} oder per E-Mail an {email}."},
		{"", "Meine Kreditkarte {card} wurde doppelt belastet (Bestellung {order})."},
		{"", "Bitte überweisen Sie die Erstattung auf mein Konto {iban}."},
		{"", "Ich bin am {dob} geboren."},
		{"", "Lieferadresse: {address}"},
		{"", "Meine IP-Adresse ist {ip}."},
		{"", "Wie verbinde ich den Bot mit Microsoft Teams?"},
		{"", "Die Rechnung {order} vom {date} über {price} ist falsch."},
		{"", "Viele Grüße, {first}"},
		{"", "Mein Passwort lautet {password}, bitte zurücksetzen."},
		{"", "Rückruf bitte an {me}, Tel. {phone}."},
		{"", "Geburtsdatum: {dob}, Kundennummer {order}."},
		{"", "Der Link {urlpii} ist abgelaufen."},
		{"", "Unser Token {apikey} funktioniert seit Version {version} nicht mehr."},
		{"", "Ich stehe bei {geo}, wo ist die nächste Filiale?"},
		{"", "Meine Kollegin {other} ({oemail}, {ophone}) übernimmt ab Montag."},
		{"", "Die Anleitung unter {url} ist veraltet."},
		{"", "Können wir {n} Nutzer zum Team hinzufügen?"},
		{"", "Danke, das hat geholfen! 👍"},
		{"", "Neue Anschrift: {address}. Handy: {phone}"},
		{"", "Die MAC-Adresse vom Gerät ist {mac}."},
		{"", "Mir wurden am {date} {price} abgebucht, obwohl ich gekündigt habe."},
	},
	"es": {
		{"", "Hola, me llamo {me} y no puedo entrar en mi cuenta."},
		{"", "Podéis llamarme al {phone} o escribirme a {email}."},
		{"", "Me han cobrado dos veces en la tarjeta {card} (pedido {order})."},
		{"", "Mi IBAN para el reembolso es {iban}."},
		{"", "Nací el {dob}."},
		{"", "La dirección de envío es {address}."},
		{"", "¿Cuál es el horario del {date}?"},
		{"", "Gracias {first}, ya funciona."},
		{"", "Mi contraseña es {password}, necesito restablecerla."},
		{"", "El pedido {order} del {date} cuesta {price}."},
		{"", "¿Puedo añadir {n} usuarios más a mi equipo?"},
		{"", "Soy {me}, mi móvil es {phone}, llamadme por la tarde."},
		{"", "Mi compañera {other} ({oemail}) se encarga a partir de ahora."},
		{"", "El bot tarda {n} segundos en responder desde la versión {version}."},
		{"", "Me cobrasteis {price} el {date} y ya había cancelado."},
		{"", "Mi IP es {ip}, ¿por qué estoy bloqueado?"},
	},
	"it": {
		{"", "Ciao, mi chiamo {me} e non riesco ad accedere al mio account."},
		{"", "Potete chiamarmi al {phone} o scrivermi a {email}."},
		{"", "La mia carta {card} è stata addebitata due volte per l'ordine {order}."},
		{"", "Il mio IBAN è {iban}."},
		{"", "Sono nato il {dob}."},
		{"", "Spedite a {address}, grazie."},
		{"", "Qual è l'orario di apertura il {date}?"},
		{"", "Grazie {first}, ora funziona!"},
		{"", "L'ordine {order} del {date} costa {price}."},
		{"", "La mia password è {password}, potete resettarla?"},
		{"", "Il link {urlpii} è scaduto."},
		{"", "Sono {me}, il mio cellulare è {phone}."},
		{"", "La mia collega {other} ({oemail}, {ophone}) se ne occupa da lunedì."},
		{"", "Come collego il bot a WhatsApp? La guida {url} non funziona."},
		{"", "Mi avete addebitato {price} il {date} ma avevo disdetto."},
		{"", "Data di nascita: {dob}, codice cliente {order}."},
	},
	"nl": {
		{"", "Hallo, mijn naam is {me} en ik kan niet meer inloggen."},
		{"", "Je kunt me bereiken op {phone} of via {email}."},
		{"", "Mijn creditcard {card} is twee keer belast voor bestelling {order}."},
		{"", "Mijn IBAN is {iban}."},
		{"", "Ik ben geboren op {dob}."},
		{"", "Het afleveradres is {address}."},
		{"", "Wat zijn de openingstijden op {date}?"},
		{"", "Bedankt {first}, het werkt weer."},
		{"", "Bestelling {order} van {date} kost {price}."},
		{"", "Mijn wachtwoord is {password}, kunnen jullie het resetten?"},
		{"", "Mijn IP-adres is {ip}, waarom word ik geblokkeerd?"},
		{"", "Met {me}, mijn nummer is {phone}."},
		{"", "Mijn collega {other} ({oemail}) neemt het over."},
		{"", "Hoe koppel ik de bot aan Teams? De handleiding op {url} klopt niet."},
		{"", "Er is {price} afgeschreven op {date}, maar ik had opgezegd."},
		{"", "Geboortedatum: {dob}, klantnummer {order}."},
	},
}

// govTemplates mention a national identifier; message draws from them now
// and then so that government ids are not vanishingly rare.
var govTemplates = map[string][]tmpl{
	"en": {
		{"US", "My SSN is {ssn}, do you need it for the payroll setup?"},
		{"US", "SSN: {ssn} / DOB: {dob}"},
		{"US", "The tax form rejected social security number {ssn}, what did I do wrong?"},
		{"US", "I'm {me}, SSN {ssn}, calling about my benefits enrollment."},
		{"GB", "My NI number is {nino} if you need it for the pension."},
		{"GB", "National Insurance: {nino}. Date of birth {dob}."},
		{"GB", "HMRC says my NINO {nino} doesn't match, can you check?"},
		{"CA", "SIN {sin}, for the T4 slip please."},
		{"CA", "My social insurance number is {sin} and my birthday is {dob}."},
		{"", "Card number {card}, expiry 08/27. Please charge it for the renewal."},
		{"", "Please pay the invoice into {iban}, reference {order}."},
	},
	"fr": {
		{"CA", "Mon numéro d'assurance sociale est le {sin}."},
		{"CA", "NAS : {sin}, pour le relevé 1."},
		{"", "Voici mon IBAN pour le prélèvement : {iban}"},
		{"", "Numéro de carte : {card}, expiration 09/26."},
	},
	"de": {
		{"", "Bitte buchen Sie von {iban} ab, Kontoinhaber {me}."},
		{"", "Kartennummer {card}, gültig bis 11/27."},
	},
	"es": {{"", "Mi número de tarjeta es {card}."}, {"", "Cuenta para la domiciliación: {iban}"}},
	"it": {{"", "Il numero della carta è {card}."}, {"", "Addebitate su {iban}, intestato a {me}."}},
	"nl": {{"", "Mijn kaartnummer is {card}."}, {"", "Schrijf af van {iban} t.n.v. {me}."}},
}

var botTemplates = map[string][]tmpl{
	"en": {
		{"", "Thanks {first}! I've updated your email to {email}."},
		{"", "Sure, I've scheduled a callback to {phone}."},
		{"", "I'm sorry to hear that. I've opened ticket {ticket} for you."},
		{"", "You can find the guide here: {url}"},
		{"", "Our opening hours on {date} are 9:00 to 17:00."},
		{"", "I can help with billing, bots and integrations. What do you need?"},
		{"", "Got it, {first}. Your order {order} ships on {date}."},
	},
	"fr": {
		{"", "Merci {first}\u00a0! J'ai bien mis à jour votre adresse e-mail\u00a0: {email}."},
		{"", "Je transmets votre demande, ticket {ticket}."},
		{"", "Voici le guide\u00a0: {url}"},
		{"", "Bien sûr, un conseiller vous rappellera au {phone}."},
		{"", "Je peux vous aider pour la facturation et les intégrations."},
	},
	"de": {
		{"", "Danke {first}! Ich habe Ihre E-Mail-Adresse auf {email} geändert."},
		{"", "Ich habe das Ticket {ticket} für Sie erstellt."},
		{"", "Hier ist die Anleitung: {url}"},
		{"", "Gern, wir rufen Sie unter {phone} zurück."},
	},
	"es": {
		{"", "Gracias {first}, he actualizado tu correo a {email}."},
		{"", "He abierto el ticket {ticket}."},
	},
	"it": {
		{"", "Grazie {first}, ho aggiornato la tua email in {email}."},
		{"", "Ho aperto il ticket {ticket}."},
	},
	"nl": {
		{"", "Bedankt {first}, ik heb je e-mailadres gewijzigd in {email}."},
		{"", "Ik heb ticket {ticket} voor je aangemaakt."},
	},
}

// isNegative reports whether the template holds no personal value.
func (t tmpl) isNegative() bool {
	for _, p := range []string{"{me}", "{first}", "{other}", "{email}", "{oemail}", "{phone}", "{ophone}",
		"{card}", "{iban}", "{ssn}", "{sin}", "{nino}", "{address}", "{dob}", "{ip}", "{mac}",
		"{urlpii}", "{password}", "{apikey}", "{jwt}", "{btc}", "{geo}"} {
		if strings.Contains(t.text, p) {
			return false
		}
	}
	return true
}

// rendered is text with its entities (UTF-8 byte offsets). Entities include
// TypeCity spans and URL spans; callers keep what their format needs.
type rendered struct {
	text string
	ents []Entity
}

// writer builds a rendered text.
type writer struct {
	b    strings.Builder
	ents []Entity
}

func (w *writer) lit(s string) { w.b.WriteString(s) }

func (w *writer) ent(typ, v string) {
	start := w.b.Len()
	w.b.WriteString(v)
	w.ents = append(w.ents, Entity{Type: typ, Start: start, End: w.b.Len(), Value: v})
}

// sub records an entity for part of text already written at offset base.
func (w *writer) sub(typ string, base int, full, part string) {
	if i := strings.Index(full, part); i >= 0 {
		w.ents = append(w.ents, Entity{Type: typ, Start: base + i, End: base + i + len(part), Value: part})
	}
}

// textCtx is what placeholders draw from: the speaker, another person from the
// same country, and the time of writing.
type textCtx struct {
	r       *rand.Rand
	me      *person
	other   *person
	now     time.Time
	ssnText string
}

func (x *textCtx) fill(w *writer, name string) {
	r, me := x.r, x.me
	switch name {
	case "me":
		w.ent(TypePerson, me.name())
	case "first":
		w.ent(TypePerson, me.first)
	case "other":
		w.ent(TypePerson, x.other.name())
	case "email":
		w.ent(TypeEmail, me.email)
	case "oemail":
		w.ent(TypeEmail, x.other.email)
	case "phone":
		w.ent(TypePhone, me.mobile.text)
	case "ophone":
		w.ent(TypePhone, pick(r, []phone{x.other.mobile, x.other.home}).text)
	case "card":
		w.ent(TypeCard, newCard(r).text)
	case "iban":
		_, t := newIBAN(r, me.c.code)
		w.ent(TypeIBAN, t)
	case "ssn":
		_, t := newSSN(r)
		w.ent(TypeSSN, t)
	case "sin":
		_, t := newSIN(r)
		w.ent(TypeSIN, t)
	case "nino":
		_, t := newNINO(r)
		w.ent(TypeNINO, t)
	case "address":
		line, sp := formatAddress(me.c.code, me.city, me.street, me.postal)
		base := w.b.Len()
		w.lit(line)
		w.ents = append(w.ents,
			Entity{Type: TypeStreet, Start: base + sp[0][0], End: base + sp[0][1], Value: me.street},
			Entity{Type: TypePostal, Start: base + sp[1][0], End: base + sp[1][1], Value: me.postal},
			Entity{Type: TypeCity, Start: base + sp[2][0], End: base + sp[2][1], Value: me.city.name})
	case "dob":
		w.ent(TypeDOB, proseDate(r, me.dob, me.lang, me.c.code))
	case "ip":
		w.ent(TypeIP, me.ip)
	case "mac":
		w.ent(TypeMAC, newMAC(r))
	case "url":
		w.ent(TypeURL, docURL(r))
	case "urlpii":
		u, q := resetURL(r, me.email)
		base := w.b.Len()
		w.ent(TypeURL, u)
		w.sub(TypeEmail, base, u, me.email)
		if q != "" {
			w.sub(TypeSecret, base, u, q)
		}
	case "password":
		w.ent(TypeSecret, newPassword(r))
	case "apikey":
		w.ent(TypeSecret, newAPIKey(r))
	case "jwt":
		w.ent(TypeSecret, newJWT(r, me.userID, me.email, x.now))
	case "btc":
		w.ent(TypeCrypto, newWallet(r))
	case "geo":
		lat := coordinate(r, me.city.lat, 0.08, 4+r.IntN(3))
		lon := coordinate(r, me.city.lon, 0.08, 4+r.IntN(3))
		w.ent(TypeGeo, lat+pick(r, []string{", ", ",", " "})+lon)
	// Values below are not personal: they are there so that detectors meet
	// numbers, dates and codes that must not be reported.
	case "order":
		w.lit(pick(r, []string{"#" + nzDigits(r, 5), "A-" + nzDigits(r, 5), "ORD-" + randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8), "2025-" + digits(r, 6)}))
	case "ticket":
		w.lit(pick(r, []string{"TCK-" + nzDigits(r, 5), "SUP-" + nzDigits(r, 4), "#" + nzDigits(r, 4)}))
	case "policy":
		w.lit("POL-" + randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + nzDigits(r, 6))
	case "price":
		w.lit(price(r, me.lang, me.c.code))
	case "date":
		d := x.now.AddDate(0, 0, r.IntN(40)-20)
		w.lit(proseDate(r, d, me.lang, me.c.code))
	case "time":
		w.lit(pick(r, []string{pad(8+r.IntN(11), 2) + ":" + pick(r, []string{"00", "15", "30", "45"}), strconv.Itoa(1+r.IntN(11)) + ":" + pick(r, []string{"05", "30", "50"}) + pick(r, []string{"pm", "am", " PM"})}))
	case "version":
		w.lit(pick(r, []string{"3.12.1", "v2.4", "17.4", "4.0.0-beta.2", "2025.03", "1.9"}))
	case "n":
		w.lit(strconv.Itoa(2 + r.IntN(400)))
	case "employer":
		w.lit(me.company)
	default:
		w.lit("{" + name + "}")
	}
}

// render fills a template.
func (x *textCtx) render(w *writer, t string) {
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			w.lit(t)
			return
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			w.lit(t)
			return
		}
		w.lit(t[:i])
		x.fill(w, t[i+1:i+j])
		t = t[i+j+1:]
	}
}

// templatesFor returns the templates of lang that fit a speaker from cc.
func templatesFor(set map[string][]tmpl, lang, cc string, negative bool) []tmpl {
	var out []tmpl
	for _, t := range set[lang] {
		if (t.cc == "" || t.cc == cc) && (!negative || t.isNegative()) {
			out = append(out, t)
		}
	}
	return out
}

// message writes one to three sentences from the speaker (or from the bot,
// when bot is set) in the speaker's language.
func (x *textCtx) message(bot bool, maxSentences int) rendered {
	var w writer
	set := userTemplates
	if bot {
		set = botTemplates
	}
	ts := templatesFor(set, x.me.lang, x.me.c.code, false)
	gov := templatesFor(govTemplates, x.me.lang, x.me.c.code, false)
	n := 1 + x.r.IntN(maxSentences)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.lit(pick(x.r, []string{" ", " ", "\n", "  "}))
		}
		if !bot && len(gov) > 0 && x.r.IntN(5) == 0 {
			x.render(&w, pick(x.r, gov).text)
			continue
		}
		x.render(&w, pick(x.r, ts).text)
	}
	return rendered{text: w.b.String(), ents: w.ents}
}

var docHosts = []string{"https://docs.acmebot.io", "https://help.kiwicloud.co.nz", "https://www.northwind.com", "https://support.atelier-lumiere.fr"}
var docPaths = []string{"/integrations/slack", "/guides/knowledge-base", "/articles/1042", "/faq", "/api/authentication", "/de/hilfe/teams", "/fr/aide/wordpress"}

func docURL(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return "www.northwind.com" + pick(r, docPaths)
	}
	return pick(r, docHosts) + pick(r, docPaths)
}

// resetURL returns a password-reset link carrying the email in its query
// and, sometimes, a reset token (returned as the second value).
func resetURL(r *rand.Rand, email string) (u, token string) {
	u = "https://app.acmebot.io/reset-password?email=" + email
	if r.IntN(2) == 0 {
		token = randString(r, hexDigits, 32)
		u += "&token=" + token
	}
	return u, token
}

// price writes an amount as people in that country write it.
func price(r *rand.Rand, lang, cc string) string {
	whole := strconv.Itoa(5 + r.IntN(495))
	cents := pick(r, []string{"00", "99", "50", "90", "49"})
	switch cc {
	case "US":
		return "$" + whole + "." + cents
	case "CA":
		if lang == "fr" {
			return whole + "," + cents + "\u00a0$"
		}
		return "CA$" + whole + "." + cents
	case "GB":
		return "£" + whole + "." + cents
	case "FR":
		return whole + "," + cents + "\u00a0€"
	case "IT", "NL":
		return "€ " + whole + "," + cents
	}
	return whole + "," + cents + " €"
}

// encodeQueryValue percent-encodes a value for a URL query (so an email's
// "@" becomes "%40", as browsers and marketing tools write it).
func encodeQueryValue(s string) string { return url.QueryEscape(s) }
