package keynames

import (
	"testing"

	c "github.com/veilstream/veil/classifiers"
)

// Short names for the expected categories.
const (
	idn   = c.Identity
	cont  = c.Contact
	netw  = c.NetworkIdentifier
	prec  = c.PreciseLocation
	crs   = c.CoarseLocation
	dev   = c.Device
	navi  = c.Navigation
	conv  = c.Conversation
	bot   = c.BotContent
	cred  = c.Credentials
	dem   = c.Demographics
	finc  = c.Financial
	gov_  = c.GovernmentID
	link  = c.Pseudonymous
	nonp  = c.NonPersonal
	unkwn = c.Category("") // not classified
)

func TestClassify(t *testing.T) {
	tests := []struct {
		key string
		cat c.Category
		typ c.EntityType // checked when not empty
	}{
		// identity, EN
		{"name", idn, c.Person},
		{"full_name", idn, c.Person},
		{"fullName", idn, c.Person},
		{"FullName", idn, c.Person},
		{"FULL_NAME", idn, c.Person},
		{"full-name", idn, c.Person},
		{"Full Name", idn, c.Person},
		{"first_name", idn, c.Person},
		{"firstName", idn, c.Person},
		{"fname", idn, c.Person},
		{"lname", idn, c.Person},
		{"LastName", idn, c.Person},
		{"surname", idn, c.Person},
		{"given_name", idn, c.Person},
		{"familyName", idn, c.Person},
		{"display_name", idn, c.Person},
		{"customer_name", idn, c.Person},
		{"customerName", idn, c.Person},
		{"billing_name", idn, c.Person},
		{"sender_name", idn, c.Person},
		{"username", idn, ""},
		{"userName", idn, ""},
		{"user_handle", idn, ""},
		{"company_name", idn, ""},
		{"jobTitle", idn, ""},
		{"avatar_url", idn, ""},
		// identity, FR and DE
		{"nom", idn, c.Person},
		{"prénom", idn, c.Person},
		{"prenom", idn, c.Person},
		{"Prénom", idn, c.Person},
		{"nom_de_famille", idn, c.Person},
		{"nom_client", idn, c.Person},
		{"nom_utilisateur", idn, ""},
		{"Vorname", idn, c.Person},
		{"Nachname", idn, c.Person},
		{"Familienname", idn, c.Person},
		{"Kundenname", idn, c.Person},
		{"Benutzername", idn, ""},
		{"Firmenname", idn, ""},
		// Spanish, Italian and Dutch keys
		{"nombre", idn, c.Person},
		{"apellidos", idn, c.Person},
		{"nome_e_cognome", idn, c.Person},
		{"cognome", idn, c.Person},
		{"voornaam", idn, c.Person},
		{"achternaam", idn, c.Person},
		{"correo_electronico", cont, c.EmailAddress},
		{"indirizzoEmail", cont, c.EmailAddress},
		{"teléfono", cont, c.PhoneNumber},
		{"cellulare", cont, c.PhoneNumber},
		{"telefoonnummer", cont, c.PhoneNumber},
		{"direccion", cont, c.StreetAddress},
		{"indirizzo", cont, c.StreetAddress},
		{"huisnummer", cont, c.StreetAddress},
		{"codigo_postal", c.PreciseLocation, c.PostalCode},
		{"cap", c.PreciseLocation, c.PostalCode},
		{"woonplaats", c.PreciseLocation, ""},
		{"ciudad", c.PreciseLocation, ""},
		{"fecha_de_nacimiento", dem, c.DateOfBirth},
		{"data_di_nascita", dem, c.DateOfBirth},
		{"geboortedatum", dem, c.DateOfBirth},
		{"contraseña", cred, c.Secret},
		{"wachtwoord", cred, c.Secret},
		{"codice_fiscale", gov_, ""},
		{"bsn", gov_, ""},
		{"dni", gov_, ""},
		{"idioma", c.Device, ""},
		{"paese", c.CoarseLocation, ""},
		// contact
		{"email", cont, c.EmailAddress},
		{"e-mail", cont, c.EmailAddress},
		{"E-Mail", cont, c.EmailAddress},
		{"email_address", cont, c.EmailAddress},
		{"emailAddress", cont, c.EmailAddress},
		{"EmailAddress", cont, c.EmailAddress},
		{"billing_email", cont, c.EmailAddress},
		{"userEmail", cont, c.EmailAddress},
		{"useremail", cont, c.EmailAddress},
		{"courriel", cont, c.EmailAddress},
		{"adresse_mail", cont, c.EmailAddress},
		{"E-Mail-Adresse", cont, c.EmailAddress},
		{"phone", cont, c.PhoneNumber},
		{"phoneNumber", cont, c.PhoneNumber},
		{"mobile_phone", cont, c.PhoneNumber},
		{"tel", cont, c.PhoneNumber},
		{"msisdn", cont, c.PhoneNumber},
		{"phone2", cont, c.PhoneNumber},
		{"téléphone", cont, c.PhoneNumber},
		{"numero_de_telephone", cont, c.PhoneNumber},
		{"Telefon", cont, c.PhoneNumber},
		{"Telefonnummer", cont, c.PhoneNumber},
		{"Handynummer", cont, c.PhoneNumber},
		{"address", cont, c.StreetAddress},
		{"addr", cont, c.StreetAddress},
		{"address_line_1", cont, c.StreetAddress},
		{"addressLine2", cont, c.StreetAddress},
		{"street", cont, c.StreetAddress},
		{"shipping_address", cont, c.StreetAddress},
		{"adresse", cont, c.StreetAddress},
		{"adresse_livraison", cont, c.StreetAddress},
		{"rue", cont, c.StreetAddress},
		{"Straße", cont, c.StreetAddress},
		{"strasse", cont, c.StreetAddress},
		{"Strase", cont, c.StreetAddress},
		{"STRASSE", cont, c.StreetAddress},
		{"Hausnummer", cont, c.StreetAddress},
		{"Anschrift", cont, c.StreetAddress},
		// network
		{"ip", netw, c.IPAddress},
		{"IP", netw, c.IPAddress},
		{"ip_address", netw, c.IPAddress},
		{"ipAddress", netw, c.IPAddress},
		{"client_ip", netw, c.IPAddress},
		{"clientIP", netw, c.IPAddress},
		{"remote_addr", netw, c.IPAddress},
		{"REMOTE_ADDR", netw, c.IPAddress},
		{"x-forwarded-for", netw, c.IPAddress},
		{"X-Forwarded-For", netw, c.IPAddress},
		{"HTTP_X_FORWARDED_FOR", netw, c.IPAddress},
		{"x-real-ip", netw, c.IPAddress},
		{"ipv6", netw, c.IPAddress},
		{"adresse_ip", netw, c.IPAddress},
		{"mac_address", netw, c.MACAddress},
		{"macAddress", netw, c.MACAddress},
		// precise location
		{"city", prec, ""},
		{"geo_city", prec, ""},
		{"town", prec, ""},
		{"ville", prec, ""},
		{"Stadt", prec, ""},
		{"Ort", prec, ""},
		{"Wohnort", prec, ""},
		{"zip", prec, c.PostalCode},
		{"zipCode", prec, c.PostalCode},
		{"postal_code", prec, c.PostalCode},
		{"postcode", prec, c.PostalCode},
		{"PLZ", prec, c.PostalCode},
		{"Postleitzahl", prec, c.PostalCode},
		{"code_postal", prec, c.PostalCode},
		{"codePostal", prec, c.PostalCode},
		{"lat", prec, c.GeoCoordinate},
		{"latitude", prec, c.GeoCoordinate},
		{"lng", prec, c.GeoCoordinate},
		{"longitude", prec, c.GeoCoordinate},
		{"geo", prec, c.GeoCoordinate},
		{"coordinates", prec, c.GeoCoordinate},
		{"Längengrad", prec, c.GeoCoordinate},
		{"Laengengrad", prec, c.GeoCoordinate},
		{"location_name", prec, ""},
		// coarse location
		{"country", crs, ""},
		{"country_code", crs, ""},
		{"countryCode", crs, ""},
		{"ip_country", crs, ""},
		{"pays", crs, ""},
		{"Land", crs, ""},
		{"region", crs, ""},
		{"state", crs, ""},
		{"province", crs, ""},
		{"Bundesland", crs, ""},
		{"timezone", crs, ""},
		{"time_zone", crs, ""},
		{"continent", crs, ""},
		// device
		{"os", dev, ""},
		{"os_version", dev, ""},
		{"osVersion", dev, ""},
		{"iOSVersion", dev, ""},
		{"platform", dev, ""},
		{"browser", dev, ""},
		{"browser_name", dev, ""},
		{"language", dev, ""},
		{"locale", dev, ""},
		{"langue", dev, ""},
		{"Sprache", dev, ""},
		{"screen", dev, ""},
		{"screen_width", dev, ""},
		{"device_type", dev, ""},
		{"deviceModel", dev, ""},
		{"model", dev, ""},
		{"user_agent", dev, ""},
		{"userAgent", dev, ""},
		{"User-Agent", dev, ""},
		{"navigateur", dev, ""},
		{"Betriebssystem", dev, ""},
		// navigation
		{"page", navi, ""},
		{"path", navi, ""},
		{"url", navi, c.URL},
		{"page_url", navi, c.URL},
		{"referrer", navi, c.URL},
		{"referer", navi, c.URL},
		{"title", navi, ""},
		{"page_title", navi, ""},
		{"pageTitle", navi, ""},
		{"screen_name", navi, ""},
		{"screenName", navi, ""},
		{"event", navi, ""},
		{"event_name", navi, ""},
		{"eventName", navi, ""},
		{"event_type", navi, ""},
		{"action", navi, ""},
		{"count", navi, ""},
		{"clicks", navi, ""},
		{"duration", navi, ""},
		{"duration_ms", navi, ""},
		{"timestamp", navi, ""},
		{"@timestamp", navi, ""},
		{"time", navi, ""},
		{"date", navi, ""},
		{"sent_at", navi, ""},
		{"sentAt", navi, ""},
		{"created_at", navi, ""},
		{"createdAtMs", navi, ""},
		{"sent_at_millis", navi, ""},
		{"session_duration_sec", navi, ""},
		{"timestamp_utc", navi, ""},
		{"receivedAt", navi, ""},
		{"session_length", navi, ""},
		{"connections", navi, ""},
		{"date_creation", navi, ""},
		{"Datum", navi, ""},
		{"horodatage", navi, ""},
		// conversation
		{"message", conv, ""},
		{"text", conv, ""},
		{"content", conv, ""},
		{"body", conv, ""},
		{"transcript", conv, ""},
		{"reply", conv, ""},
		{"response", conv, ""},
		{"utterance", conv, ""},
		{"question", conv, ""},
		{"answer", conv, ""},
		{"comment", conv, ""},
		{"search_query", conv, ""},
		{"message_text", conv, ""},
		{"messageText", conv, ""},
		{"user_message", conv, ""},
		{"commentaire", conv, ""},
		{"Nachricht", conv, ""},
		{"Betreff", conv, ""},
		// bot content
		{"prompt", bot, ""},
		{"system_prompt", bot, ""},
		{"systemPrompt", bot, ""},
		{"knowledge_base", bot, ""},
		{"document", bot, ""},
		{"file_content", bot, ""},
		{"training_utterance", bot, ""},
		{"trainingPhrases", bot, ""},
		{"intent_examples", bot, ""},
		{"website_content", bot, ""},
		// credentials
		{"password", cred, c.Secret},
		{"Password", cred, c.Secret},
		{"passwd", cred, c.Secret},
		{"pwd", cred, c.Secret},
		{"pw", cred, c.Secret},
		{"new_password", cred, c.Secret},
		{"userPassword", cred, c.Secret},
		{"secret", cred, c.Secret},
		{"client_secret", cred, c.Secret},
		{"token", cred, c.Secret},
		{"access_token", cred, c.Secret},
		{"accessToken", cred, c.Secret},
		{"refresh_token", cred, c.Secret},
		{"api_key", cred, c.Secret},
		{"apiKey", cred, c.Secret},
		{"apikey", cred, c.Secret},
		{"x-api-key", cred, c.Secret},
		{"Authorization", cred, c.Secret},
		{"auth", cred, c.Secret},
		{"cookie", cred, c.Secret},
		{"Set-Cookie", cred, c.Secret},
		{"session_token", cred, c.Secret},
		{"private_key", cred, c.Secret},
		{"mot_de_passe", cred, c.Secret},
		{"motDePasse", cred, c.Secret},
		{"mdp", cred, c.Secret},
		{"Passwort", cred, c.Secret},
		{"Kennwort", cred, c.Secret},
		{"otp", cred, c.Secret},
		{"cvv", cred, c.Secret},
		{"pin", cred, c.Secret},
		// demographics
		{"age", dem, ""},
		{"gender", dem, ""},
		{"sex", dem, ""},
		{"sexe", dem, ""},
		{"Geschlecht", dem, ""},
		{"Alter", dem, ""},
		{"âge", dem, ""},
		{"interests", dem, ""},
		{"civilité", dem, ""},
		{"Anrede", dem, ""},
		{"birthdate", dem, c.DateOfBirth},
		{"birth_date", dem, c.DateOfBirth},
		{"birthDate", dem, c.DateOfBirth},
		{"date_of_birth", dem, c.DateOfBirth},
		{"dateOfBirth", dem, c.DateOfBirth},
		{"dob", dem, c.DateOfBirth},
		{"DOB", dem, c.DateOfBirth},
		{"date_de_naissance", dem, c.DateOfBirth},
		{"dateNaissance", dem, c.DateOfBirth},
		{"Geburtsdatum", dem, c.DateOfBirth},
		{"Geburtstag", dem, c.DateOfBirth},
		// financial
		{"card_number", finc, c.CreditCard},
		{"cardNumber", finc, c.CreditCard},
		{"cc", finc, c.CreditCard},
		{"cc_number", finc, c.CreditCard},
		{"ccNumber", finc, c.CreditCard},
		{"credit_card", finc, c.CreditCard},
		{"Kreditkartennummer", finc, c.CreditCard},
		{"numero_de_carte", finc, c.CreditCard},
		{"iban", finc, c.IBANCode},
		{"IBAN", finc, c.IBANCode},
		{"account_number", finc, ""},
		{"Kontonummer", finc, ""},
		{"bic", nonp, ""},
		{"BIC", nonp, ""},
		// government ids
		{"ssn", gov_, c.USSSN},
		{"SSN", gov_, c.USSSN},
		{"social_security_number", gov_, c.USSSN},
		{"sin", gov_, c.CASIN},
		{"nino", gov_, c.UKNINO},
		{"ni_number", gov_, c.UKNINO},
		{"niNumber", gov_, c.UKNINO},
		{"national_id", gov_, ""},
		{"passport", gov_, ""},
		{"passport_number", gov_, ""},
		{"tax_id", gov_, ""},
		{"steuer_id", gov_, ""},
		{"Steuer-ID", gov_, ""},
		{"Steuernummer", gov_, ""},
		{"numero_secu", gov_, ""},
		{"numéro_de_sécurité_sociale", gov_, ""},
		{"nir", gov_, ""},
		{"Personalausweisnummer", gov_, ""},
		// linking identifiers
		{"user_id", link, ""},
		{"userId", link, ""},
		{"UserID", link, ""},
		{"userID", link, ""},
		{"uid", link, ""},
		{"anonymous_id", link, ""},
		{"anonymousId", link, ""},
		{"visitor_id", link, ""},
		{"session_id", link, ""},
		{"sessionId", link, ""},
		{"device_id", link, ""},
		{"deviceId", link, ""},
		{"advertising_id", link, ""},
		{"idfa", link, ""},
		{"gaid", link, ""},
		{"client_id", link, ""},
		{"distinct_id", link, ""},
		{"$distinct_id", link, ""},
		{"customer_id", link, ""},
		{"customerId", link, ""},
		{"conversation_id", link, ""},
		{"id", link, ""},
		{"id_client", link, ""},
		{"Kundennummer", link, ""},
		{"benutzer_id", link, ""},
		{"gclid", link, ""},
		// non-personal identifiers and scalars
		{"message_id", nonp, ""},
		{"messageId", nonp, ""},
		{"event_id", nonp, ""},
		{"request_id", nonp, ""},
		{"requestId", nonp, ""},
		{"X-Request-ID", nonp, ""},
		{"trace_id", nonp, ""},
		{"bot_id", nonp, ""},
		{"botId", nonp, ""},
		{"workspace_id", nonp, ""},
		{"tenant_id", nonp, ""},
		{"org_id", nonp, ""},
		{"orgId", nonp, ""},
		{"product_id", nonp, ""},
		{"productId", nonp, ""},
		{"order_id", nonp, ""},
		{"numero_commande", nonp, ""},
		{"type", nonp, ""},
		{"version", nonp, ""},
		{"app_version", nonp, ""},
		{"appVersion", nonp, ""},
		{"plan", nonp, ""},
		{"tier", nonp, ""},
		{"status", nonp, ""},
		{"method", nonp, ""},
		{"http_status", nonp, ""},
		{"httpStatus", nonp, ""},
		{"HTTPStatus", nonp, ""},
		{"status_code", nonp, ""},
		{"size", nonp, ""},
		{"bytes", nonp, ""},
		{"currency", nonp, ""},
		{"amount", nonp, ""},
		{"utm_source", nonp, ""},
		{"utm_medium", nonp, ""},
		{"utm_campaign", nonp, ""},
		{"utmCampaign", nonp, ""},
		{"app_name", nonp, ""},
		{"appName", nonp, ""},
		{"bot_name", nonp, ""},
		{"product_name", nonp, ""},
		{"productName", nonp, ""},
		{"Produktname", nonp, ""},
		{"nom_produit", nonp, ""},
		{"nom_du_produit", nonp, ""},
		// flattened paths, French word order, compounds, prefixes
		{"user.name", idn, c.Person},
		{"traits.firstName", idn, c.Person},
		{"event.name", navi, ""},
		{"properties/name", navi, ""},
		{"context.ip", netw, c.IPAddress},
		{"context.device.id", link, ""},
		{"location.city", prec, ""},
		{"app.name", nonp, ""},
		{"v1.2", unkwn, ""},
		{"created_on", navi, ""},
		{"password_confirmation", cred, c.Secret},
		{"email_verified", nonp, ""},
		{"Gerätename", idn, ""},
		{"geraetename", idn, ""},
		{"type_appareil", dev, ""},
		{"typeAppareil", dev, ""},
		{"cardHolderName", idn, c.Person},
		{"billingPostalCode", prec, c.PostalCode},
		{"customer_email_address", cont, c.EmailAddress},
		{"emergency_contact_phone", cont, c.PhoneNumber},
		{"ajs_anonymous_id", link, ""},
		{"user_agent_string", dev, ""},
		{"last_login_at", navi, ""},
		// unknown keys
		{"foo", unkwn, ""},
		{"is_enabled", unkwn, ""},
		{"", unkwn, ""},
		{"___", unkwn, ""},
		{"12345", unkwn, ""},
		{"amount_usd", unkwn, ""},
		{"user_id_ms", unkwn, ""}, // a unit after a non-time key does not make it a time
	}
	for _, tt := range tests {
		got, ok := ClassifyString(tt.key)
		if ok != (tt.cat != unkwn) || got.Category != tt.cat || (tt.typ != "" && got.Type != tt.typ) {
			t.Errorf("Classify(%q) = %v, %v; want %s/%s", tt.key, got, ok, tt.cat, tt.typ)
		}
		gotB, okB := Classify([]byte(tt.key))
		if gotB != got || okB != ok {
			t.Errorf("Classify([]byte %q) = %v, %v differs from ClassifyString %v, %v", tt.key, gotB, okB, got, ok)
		}
	}
	if len(tests) < 150 {
		t.Errorf("only %d keys in the table test", len(tests))
	}
}

func TestShapes(t *testing.T) {
	tests := []struct {
		key   string
		shape Shape
	}{
		{"user_agent", ShapeUserAgent},
		{"userAgent", ShapeUserAgent},
		{"message", ShapeFreeText},
		{"full_name", ShapeFreeText},
		{"message_id", ShapeIdentifier},
		{"request_id", ShapeIdentifier},
		{"user_id", ShapeIdentifier},
		{"url", ShapeURL},
		{"referrer", ShapeURL},
		{"created_at", ShapeTimestamp},
		{"createdAtMs", ShapeTimestamp},
		{"birthdate", ShapeTimestamp},
		{"country", ShapeScalar},
		{"plan", ShapeScalar},
	}
	for _, tt := range tests {
		got, ok := ClassifyString(tt.key)
		if !ok || got.Shape != tt.shape {
			t.Errorf("Classify(%q).Shape = %v (%v), want %v", tt.key, got.Shape, ok, tt.shape)
		}
	}
	if got, _ := ClassifyString("user_agent"); got.Type != "" || got.Category != c.Device {
		t.Errorf("user_agent = %v, want device with no type", got)
	}
}

func TestClassifyPath(t *testing.T) {
	tests := []struct {
		parent, key string
		cat         c.Category
		typ         c.EntityType
	}{
		{"traits", "name", idn, c.Person},
		{"context.traits", "name", idn, c.Person},
		{"user", "name", idn, c.Person},
		{"customer", "nom", idn, c.Person},
		{"Kunde", "Name", idn, c.Person},
		{"user_properties", "name", idn, c.Person},
		{"$set", "name", idn, c.Person},
		{"author", "name", idn, c.Person},
		{"billing", "name", idn, c.Person},
		{"name", "first", idn, c.Person},
		{"name", "last", idn, c.Person},
		{"event", "name", navi, ""},
		{"page", "name", navi, ""},
		{"properties", "name", navi, ""},
		// Reserved "$" properties mean the same under any parent.
		{"properties", "$name", idn, c.Person},
		{"properties", "$email", cont, c.EmailAddress},
		{"properties", "$city", prec, ""},
		{"properties", "$current_url", navi, c.URL},
		{"event_properties", "name", navi, ""},
		{"page", "title", navi, ""},
		{"page", "search", navi, c.URL},
		// A host name is the device's, unless it is the website's.
		{"", "hostname", netw, ""},
		{"context.device", "hostname", netw, ""},
		{"", "computer_name", netw, ""},
		{"page", "hostname", navi, c.URL},
		{"device.web_info", "hostname", navi, c.URL},
		{"device.location", "latitude", prec, c.GeoCoordinate},
		{"device.location", "accuracy_m", nonp, ""},
		{"screen", "name", navi, ""},
		{"context.screen", "width", dev, ""},
		{"app", "name", nonp, ""},
		{"context.app", "name", nonp, ""},
		{"app", "version", nonp, ""},
		{"library", "name", nonp, ""},
		{"product", "name", nonp, ""},
		{"products[0]", "name", nonp, ""},
		{"products.3", "name", nonp, ""},
		{"produit", "nom", nonp, ""},
		{"Produkt", "Bezeichnung", nonp, ""},
		{"bot", "name", nonp, ""},
		{"workspace", "name", nonp, ""},
		{"campaign", "name", nonp, ""},
		{"campaign", "content", nonp, ""},
		{"context.campaign", "source", nonp, ""},
		{"location", "city", prec, ""},
		{"location", "name", prec, ""},
		{"location", "latitude", prec, c.GeoCoordinate},
		{"geo", "zip", prec, c.PostalCode},
		{"geo", "lat", prec, c.GeoCoordinate},
		{"location", "country", crs, ""},
		{"country", "name", crs, ""},
		{"country", "code", crs, ""},
		{"context", "ip", netw, c.IPAddress},
		{"request", "remote", netw, c.IPAddress},
		{"headers", "x-forwarded-for", netw, c.IPAddress},
		{"headers", "cookie", cred, c.Secret},
		{"headers", "Authorization", cred, c.Secret},
		{"headers", "User-Agent", dev, ""},
		{"headers", "host", navi, ""},
		{"context", "screen", dev, ""},
		{"context", "locale", dev, ""},
		{"context", "timezone", crs, ""},
		{"device", "id", link, ""},
		{"context.device", "advertisingId", link, ""},
		{"device", "name", idn, ""},
		{"device", "model", dev, ""},
		{"device", "type", dev, ""},
		{"device", "token", link, ""},
		{"os", "name", dev, ""},
		{"os", "version", dev, ""},
		{"browser", "name", dev, ""},
		{"company", "name", idn, ""},
		{"company", "id", nonp, ""},
		{"address", "line1", cont, c.StreetAddress},
		{"address", "street", cont, c.StreetAddress},
		{"address", "city", prec, ""},
		{"address", "postal_code", prec, c.PostalCode},
		{"shipping_address", "name", idn, c.Person},
		{"shippingAddress", "line_x", cont, c.StreetAddress},
		{"address", "country", crs, ""},
		{"email", "address", cont, c.EmailAddress},
		{"emails[0]", "value", cont, c.EmailAddress},
		{"phone", "number", cont, c.PhoneNumber},
		{"message", "id", nonp, ""},
		{"message", "text", conv, ""},
		{"messages.12", "content", conv, ""},
		{"session", "id", link, ""},
		{"conversation", "id", link, ""},
		{"card", "number", finc, c.CreditCard},
		{"card", "cvc", cred, c.Secret},
		{"card", "brand", nonp, ""},
		{"payment_method", "type", nonp, ""},
		{"bank_account", "bic", nonp, ""},
		{"bank_account", "number", finc, ""},
		{"passport", "number", gov_, ""},
		{"birth", "year", dem, c.DateOfBirth},
		{"auth", "token_type", nonp, ""},
		{"credentials", "whatever", cred, c.Secret},
		{"file", "name", conv, ""},
		{"attachment", "size", nonp, ""},
		{"entity", "value", conv, ""},
		{"slots", "type", nonp, ""},
		{"traits", "email", cont, c.EmailAddress},
		{"traits", "plan", nonp, ""},
		{"properties", "email", cont, c.EmailAddress},
		{"event", "user_id", link, ""},
		{"", "name", idn, c.Person},
		{"...", "name", idn, c.Person},
		{"[0]", "email", cont, c.EmailAddress},
		{"unknown_parent", "name", idn, c.Person},
		{"unknown_parent", "foo", unkwn, ""},
		{"traits", "favorite_color", unkwn, ""},
	}
	for _, tt := range tests {
		got, ok := ClassifyPathString(tt.parent, tt.key)
		if ok != (tt.cat != unkwn) || got.Category != tt.cat || (tt.typ != "" && got.Type != tt.typ) {
			t.Errorf("ClassifyPath(%q, %q) = %v, %v; want %s/%s", tt.parent, tt.key, got, ok, tt.cat, tt.typ)
		}
		gotB, okB := ClassifyPath([]byte(tt.parent), []byte(tt.key))
		if gotB != got || okB != ok {
			t.Errorf("ClassifyPath([]byte %q, %q) = %v, %v differs from the string form", tt.parent, tt.key, gotB, okB)
		}
	}
}

// TestNameNotPersonUnderThings checks the required negatives: a name under
// an event, a page or an app is not identity.
func TestNameNotPersonUnderThings(t *testing.T) {
	for _, parent := range []string{"event", "page", "app", "screen", "properties", "product", "library", "campaign", "bot", "plan", "integration", "experiment"} {
		for _, key := range []string{"name", "Name", "NAME", "title"} {
			got, ok := ClassifyPathString(parent, key)
			if !ok || got.Category == c.Identity {
				t.Errorf("ClassifyPath(%q, %q) = %v, %v; want a non-identity class", parent, key, got, ok)
			}
		}
		got, ok := ClassifyPathString("", parent+"_name")
		if !ok || got.Category == c.Identity {
			t.Errorf("Classify(%q) = %v, %v; want a non-identity class", parent+"_name", got, ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		words    int
	}{
		{"fullName", "fullname", 2},
		{"FullName", "fullname", 2},
		{"full_name", "fullname", 2},
		{"FULL-NAME", "fullname", 2},
		{"HTTPStatus", "httpstatus", 2},
		{"userIDs", "userids", 2},
		{"address_line2", "addressline2", 3},
		{"Prénom", "prenom", 1},
		{"Straße", "strasse", 1},
		{"Längengrad", "langengrad", 1},
		{"cœur", "coeur", 1},
		{"ÉCRAN", "ecran", 1},
		{"$distinct_id", "distinctid", 2},
		{"x.y z/w", "xyzw", 4},
		{"Имя", "имя", 1},
	}
	for _, tt := range tests {
		var k normKey
		normalize(&k, tt.in)
		if got := string(k.buf[:k.n]); got != tt.want || k.nt != tt.words {
			t.Errorf("normalize(%q) = %q in %d words, want %q in %d", tt.in, got, k.nt, tt.want, tt.words)
		}
	}
	var k normKey
	normalize(&k, "address_line2")
	if string(k.buf[:k.sn]) != "addressline" || k.snt != 2 {
		t.Errorf("trailing digits not stripped: %q, %d words", k.buf[:k.sn], k.snt)
	}
}

func TestLongKey(t *testing.T) {
	long := make([]byte, 0, 600)
	for len(long) < 590 {
		long = append(long, "very_long_prefix_"...)
	}
	long = append(long, "email"...)
	if got, ok := Classify(long); ok {
		t.Errorf("Classify(600-byte key) = %v, want not classified", got)
	}
	if got, ok := ClassifyPath(long, []byte("email")); !ok || got.Category != c.Contact {
		t.Errorf("ClassifyPath(long parent, email) = %v, %v", got, ok)
	}
}

func TestClassString(t *testing.T) {
	got, _ := ClassifyString("user_agent")
	if s := got.String(); s != "device//user_agent" {
		t.Errorf("String() = %q", s)
	}
	if Shape(200).String() != "unknown" {
		t.Error("out-of-range shape")
	}
	if p, _ := ClassifyString("email"); !p.Personal() {
		t.Error("email not personal")
	}
	if p, _ := ClassifyString("message_id"); p.Personal() {
		t.Error("message_id personal")
	}
	if (Class{}).Personal() {
		t.Error("zero class personal")
	}
}

func TestNoAllocs(t *testing.T) {
	keys := [][]byte{[]byte("fullName"), []byte("X-Forwarded-For"), []byte("Straße"), []byte("nom_du_produit"), []byte("foo"), []byte("Produktname")}
	parent := []byte("context.traits")
	allocs := testing.AllocsPerRun(200, func() {
		for _, k := range keys {
			Classify(k)
			ClassifyPath(parent, k)
		}
		ClassifyString("prénom")
		ClassifyPathString("products[0]", "name")
	})
	if allocs != 0 {
		t.Errorf("Classify allocates: %v allocs per run", allocs)
	}
}
