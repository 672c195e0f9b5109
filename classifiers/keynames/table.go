package keynames

import (
	"strings"

	c "github.com/veilstream/veil/classifiers"
)

// The classes used by the table.
var (
	person      = Class{c.Identity, c.Person, ShapeFreeText}
	identity    = Class{c.Identity, "", ShapeScalar}
	identityTxt = Class{c.Identity, "", ShapeFreeText}
	email       = Class{c.Contact, c.EmailAddress, ShapeScalar}
	phone       = Class{c.Contact, c.PhoneNumber, ShapeScalar}
	street      = Class{c.Contact, c.StreetAddress, ShapeFreeText}
	ip          = Class{c.NetworkIdentifier, c.IPAddress, ShapeScalar}
	mac         = Class{c.NetworkIdentifier, c.MACAddress, ShapeScalar}
	network     = Class{c.NetworkIdentifier, "", ShapeScalar}
	place       = Class{c.PreciseLocation, "", ShapeScalar}
	postal      = Class{c.PreciseLocation, c.PostalCode, ShapeScalar}
	coords      = Class{c.PreciseLocation, c.GeoCoordinate, ShapeScalar}
	coarse      = Class{c.CoarseLocation, "", ShapeScalar}
	device      = Class{c.Device, "", ShapeScalar}
	userAgent   = Class{c.Device, "", ShapeUserAgent}
	navURL      = Class{c.Navigation, c.URL, ShapeURL}
	nav         = Class{c.Navigation, "", ShapeScalar}
	navTime     = Class{c.Navigation, "", ShapeTimestamp}
	convo       = Class{c.Conversation, "", ShapeFreeText}
	botContent  = Class{c.BotContent, "", ShapeFreeText}
	secret      = Class{c.Credentials, c.Secret, ShapeScalar}
	demo        = Class{c.Demographics, "", ShapeScalar}
	dob         = Class{c.Demographics, c.DateOfBirth, ShapeTimestamp}
	card        = Class{c.Financial, c.CreditCard, ShapeIdentifier}
	iban        = Class{c.Financial, c.IBANCode, ShapeIdentifier}
	crypto      = Class{c.Financial, c.Crypto, ShapeIdentifier}
	finID       = Class{c.Financial, "", ShapeIdentifier}
	fin         = Class{c.Financial, "", ShapeScalar}
	ssn         = Class{c.GovernmentID, c.USSSN, ShapeIdentifier}
	sin         = Class{c.GovernmentID, c.CASIN, ShapeIdentifier}
	nino        = Class{c.GovernmentID, c.UKNINO, ShapeIdentifier}
	govID       = Class{c.GovernmentID, "", ShapeIdentifier}
	gov         = Class{c.GovernmentID, "", ShapeScalar}
	linking     = Class{c.Pseudonymous, "", ShapeIdentifier}
	npID        = Class{c.NonPersonal, "", ShapeIdentifier}
	np          = Class{c.NonPersonal, "", ShapeScalar}
)

// entry lists keys (space separated, any casing or separator style; they
// are normalized like the keys looked up) that share a class.
type entry struct {
	keys  string
	class Class
}

// exactTable classifies a key by itself (after normalization).
var exactTable = []entry{
	// identity: names of a person
	{`name full_name name_full display_name real_name legal_name person person_name contact_name customer_name
	  first_name fname given_name forename first_names middle_name middle_initial
	  last_name lname surname family_name maiden_name birth_name nickname nick_name
	  card_holder cardholder card_holder_name account_holder account_holder_name
	  nom nom_complet nom_de_famille nom_famille nom_d_usage nom_usage nom_de_naissance nom_de_jeune_fille
	  prénom prénoms nom_prénom prénom_nom patronyme
	  vorname vornamen nachname familienname geburtsname rufname spitzname künstlername
	  vollständiger_name voller_name kundenname anzeigename
	  nombre nombre_completo apellido apellidos primer_apellido segundo_apellido nombre_y_apellidos nombre_del_titular
	  nome nome_completo cognome nome_e_cognome nominativo intestatario
	  naam volledige_naam voornaam voornamen achternaam familienaam tussenvoegsel roepnaam meisjesnaam geboortenaam`, person},
	// identity: handles and visitor-form facts that are not a PERSON value
	{`username user_name login user_login login_name handle user_handle screen_handle alias pseudo pseudonym
	  identifiant nom_utilisateur nom_d_utilisateur benutzername benutzerkennung nutzername
	  company company_name employer organisation_name firma firmenname arbeitgeber entreprise société
	  job job_title jobtitle occupation profession beruf métier fonction position_title
	  linkedin twitter instagram facebook tiktok github skype social_profile
	  nombre_de_usuario nombre_usuario empresa empleador cargo puesto profesión
	  nome_utente azienda datore_di_lavoro professione mansione qualifica
	  gebruikersnaam bedrijf bedrijfsnaam werkgever functie beroep`, identity},
	{`avatar avatar_url photo photo_url profile_picture profile_image profile_photo picture signature`, identityTxt},

	// contact
	{`email e_mail email_address mail mail_address courriel adresse_email adresse_mail adresse_électronique
	  mél e_mail_adresse emailadresse mailadresse user_email reply_to email_id
	  correo correo_electrónico dirección_de_correo posta_elettronica indirizzo_email indirizzo_e_mail
	  e_mailadres e_mail_adres`, email},
	{`phone phone_number tel tel_number telephone telephone_number mobile mobile_number mobile_phone
	  cell cellphone cell_phone fax fax_number msisdn whatsapp e164 home_phone work_phone
	  téléphone numéro_de_téléphone numéro_téléphone num_tel no_tel portable téléphone_portable
	  telefon telefonnummer handy handynummer mobilnummer mobiltelefon faxnummer rufnummer festnetz
	  teléfono número_de_teléfono número_teléfono móvil celular teléfono_móvil
	  cellulare numero_di_telefono numero_telefono recapito_telefonico telefono_cellulare
	  telefoonnummer telefoon mobiel mobiel_nummer mobiele_nummer mobiele_telefoon gsm gsm_nummer`, phone},
	{`address addr address_line address_line1 address_line2 street street_address street_name street_number
	  house_number building apartment apt suite po_box mailing_address home_address billing_address
	  shipping_address postal_address residential_address delivery_address
	  adress adresse adresse_postale rue voie numéro_de_rue numéro_rue complément_adresse lieu_dit boîte_postale
	  adresse_de_livraison adresse_de_facturation
	  straße hausnummer hausnr anschrift wohnadresse adresszeile postfach lieferadresse rechnungsadresse
	  dirección domicilio calle dirección_postal dirección_de_envío dirección_de_facturación número_de_casa
	  indirizzo civico numero_civico indirizzo_di_spedizione indirizzo_di_fatturazione indirizzo_di_residenza
	  adres straat straatnaam huisnummer postadres woonadres bezorgadres factuuradres afleveradres`, street},

	// network identifiers
	{`ip ip_address ipv4 ipv6 ip_addr client_ip remote_ip remote_addr remote_address source_ip src_ip user_ip
	  x_forwarded_for forwarded_for forwarded x_real_ip real_ip true_client_ip cf_connecting_ip x_client_ip
	  adresse_ip ip_adresse`, ip},
	{`mac mac_address mac_addr adresse_mac`, mac},
	{`ssid bssid imsi imei iccid`, network},
	// A device's host name often carries its owner's name (janes-macbook-pro,
	// DESKTOP-JSMITH); a website's host name comes under page or web_info.
	{`hostname host_name computer_name computername machine_name machinename pc_name workstation
	  device_hostname client_hostname`, network},

	// precise location
	{`city town village locality municipality suburb neighborhood neighbourhood district
	  ville commune quartier lieu localité lieu_de_résidence
	  stadt ort wohnort gemeinde ortsteil stadtteil ortschaft
	  ciudad localidad municipio barrio población
	  città comune località frazione
	  stad plaats woonplaats plaatsnaam wijk dorp`, place},
	{`zip zipcode zip_code postal_code postcode post_code code_postal plz postleitzahl npa
	  código_postal codice_postale cap`, postal},
	{`lat latitude lng lon longitude latlng lat_lng lat_long lat_lon geo geolocation geo_location
	  coordinates coords gps geohash altitude location_coordinates
	  breitengrad längengrad koordinaten géolocalisation coordonnées_gps`, coords},
	{`location place venue standort emplacement`, place},

	// coarse location
	{`country country_code country_name nation pays code_pays land staat
	  region state province county territory subdivision continent metro dma area_code
	  région département departement bundesland kanton canton
	  timezone time_zone tz utc_offset zeitzone fuseau_horaire
	  país código_país provincia comunidad_autónoma zona_horaria
	  paese nazione regione
	  provincie regio tijdzone`, coarse},

	// device
	{`os os_name os_version operating_system platform browser browser_name browser_version
	  language lang locale langue sprache accept_language
	  screen screen_width screen_height screen_resolution screen_density resolution viewport
	  width height density dpi orientation color_depth
	  device device_type device_model device_family model manufacturer carrier
	  network_type connection_type wifi cellular bluetooth
	  cpu architecture arch memory engine
	  do_not_track dnt ad_tracking_enabled
	  betriebssystem gerät gerätetyp bildschirm système système_d_exploitation navigateur appareil écran
	  idioma sistema_operativo navegador dispositivo pantalla
	  lingua schermo
	  taal besturingssysteem apparaat scherm`, device},
	{`user_agent useragent ua http_user_agent navigator_user_agent agent_utilisateur user_agent_string ua_string`, userAgent},

	// navigation
	{`page page_url page_path path url uri href link referrer referer referring_url referring_domain
	  referrer_url landing_page current_url initial_referrer initial_referring_domain search
	  query_string querystring domain host origin url_path page_location page_referrer`, navURL},
	{`page_name page_title title screen_name screen_class view route section tab
	  event event_name event_type action category label
	  count counts clicks views page_views pageviews visits connections sessions session_count
	  seite seitentitel titel ereignis aktion titre événement`, nav},
	{`timestamp time date datetime at ts time_stamp sent_at received_at created_at updated_at
	  original_timestamp event_time first_seen last_seen on start end start_time end_time start_date end_date
	  last_login last_login_date login_at
	  duration duration_ms session_length session_duration elapsed latency
	  hour minute day week month year weekday
	  horodatage heure durée zeitstempel datum uhrzeit zeit dauer
	  fecha hora duración marca_de_tiempo durata tijd tijdstip duur`, navTime},

	// conversation: free text typed by end users
	{`message msg messages text body content transcript reply response utterance question answer
	  chat chat_message comment comments feedback review note notes remark remarks description
	  subject query search_query search_term search_terms keyword keywords q input user_input user_message free_text freetext
	  caption bio about about_me status_message
	  file_name filename attachment_name
	  commentaire remarque réponse texte contenu corps objet avis demande
	  nachricht inhalt antwort frage kommentar bemerkung anmerkung betreff anliegen beschreibung
	  dateiname
	  mensaje texto contenido comentario comentarios respuesta pregunta asunto descripción
	  messaggio testo contenuto commento commenti risposta domanda oggetto descrizione
	  bericht tekst inhoud opmerking opmerkingen antwoord vraag onderwerp omschrijving beschrijving notitie`, convo},

	// bot content: what the bot builder wrote or uploaded
	{`prompt system_prompt user_prompt instructions system_message knowledge_base knowledgebase kb
	  document documents file_content training_utterance training_utterances training_phrase
	  training_phrases training_data examples intent_examples sample_utterances website_content
	  page_content html markdown completion generated_text bot_response bot_message greeting
	  welcome_message fallback_message persona
	  base_de_connaissances consigne wissensdatenbank systemanweisung`, botContent},

	// credentials
	{`password passwd pwd pw passphrase password_hash hashed_password new_password old_password
	  secret client_secret secret_key api_secret app_secret token access_token refresh_token id_token
	  auth_token bearer jwt session_token csrf_token xsrf_token api_key apikey api_token
	  private_key secret_access_key authorization proxy_authorization auth cookie cookies set_cookie
	  otp one_time_password totp mfa_code verification_code security_code cvv cvc cvv2 pin pin_code puk
	  security_answer secret_answer write_key
	  mot_de_passe motdepasse mdp code_secret jeton code_pin
	  passwort kennwort geheimnis zugangscode geheimzahl
	  contraseña parola_d_ordine wachtwoord pincode`, secret},

	// demographics
	{`age age_range age_group gender sex salutation civility title_of_courtesy
	  âge sexe genre civilité alter geschlecht anrede
	  interests interest hobbies centres_d_intérêt intérêts interessen
	  nationality nationalité staatsangehörigkeit nationalität marital_status familienstand
	  situation_familiale ethnicity race religion income einkommen revenu education
	  place_of_birth birthplace birth_place lieu_de_naissance geburtsort
	  edad sexo género nacionalidad estado_civil lugar_de_nacimiento intereses
	  età sesso genere nazionalità stato_civile luogo_di_nascita interessi
	  leeftijd geslacht nationaliteit burgerlijke_staat geboorteplaats interesses`, demo},
	{`birthdate birth_date date_of_birth dob birthday bday birth_year year_of_birth
	  date_naissance date_de_naissance naissance année_de_naissance
	  geburtsdatum geburtstag geb_datum geburtsjahr
	  fecha_de_nacimiento fecha_nacimiento nacimiento cumpleaños año_de_nacimiento
	  data_di_nascita data_nascita compleanno anno_di_nascita
	  geboortedatum geboortejaar verjaardag`, dob},

	// financial
	{`card_number credit_card credit_card_number cc cc_number card_no pan
	  numéro_de_carte numéro_carte carte_bancaire kartennummer kreditkarte kreditkartennummer
	  número_de_tarjeta tarjeta_de_crédito numero_carta numero_della_carta carta_di_credito
	  kaartnummer creditcard creditcardnummer`, card},
	{`iban`, iban},
	{`account_number bank_account bank_account_number routing_number rib
	  numéro_de_compte kontonummer bankverbindung
	  número_de_cuenta cuenta_bancaria numero_di_conto conto_corrente rekeningnummer bankrekening bankrekeningnummer`, finID},
	{`wallet wallet_address btc_address eth_address crypto_address`, crypto},
	{`expiry exp_date expiration_date card_expiry exp_month exp_year last4 last_four card_last4
	  salary salaire gehalt balance credit_score`, fin},
	{`bic swift swift_code bankleitzahl blz bank_code bank_name sort_code`, np},

	// government ids
	{`ssn social_security social_security_number`, ssn},
	{`sin social_insurance_number`, sin},
	{`nino ni_number national_insurance national_insurance_number`, nino},
	{`national_id id_number identity_number passport passport_number passport_no id_card identity_card
	  tax_id tin tax_number vat vat_number vat_id drivers_license driver_license driving_licence
	  license_number voter_id nhs_number medicare_number health_insurance_number
	  numéro_secu numéro_sécurité_sociale numéro_de_sécurité_sociale nir carte_d_identité cni
	  numéro_fiscal nif permis_de_conduire
	  steuer_id steuerid steuernummer steuer_identifikationsnummer identifikationsnummer
	  ausweis ausweisnummer personalausweis personalausweisnummer reisepass reisepassnummer
	  führerschein sozialversicherungsnummer krankenversicherungsnummer ust_id ahv ahv_nummer avs
	  dni nie pasaporte número_de_pasaporte número_de_seguridad_social seguridad_social
	  codice_fiscale partita_iva carta_d_identità passaporto numero_passaporto
	  bsn burgerservicenummer paspoort paspoortnummer rijbewijs identiteitskaart`, govID},

	// identifiers that link one person's events
	{`id uuid guid user_id uid user_uuid anonymous_id anon_id visitor_id session_id sid device_id
	  advertising_id ad_id idfa idfv gaid aaid adid android_id client_id distinct_id person_id
	  profile_id member_id contact_id lead_id customer_id customer_number account_id external_id
	  external_user_id conversation_id chat_id thread_id install_id installation_id app_instance_id
	  push_token device_token fcm_token apns_token registration_id fingerprint cookie_id
	  user_pseudo_id amplitude_id ga fbp fbc gclid fbclid msclkid dclid
	  id_utilisateur identifiant_utilisateur numéro_client kundennummer kunden_id benutzer_id nutzer_id
	  serial serial_number serialnumber serial_no hardware_id hwid udid numéro_de_série seriennummer
	  id_usuario id_cliente número_de_cliente id_utente codice_cliente klantnummer klant_id gebruikers_id`, linking},

	// random identifiers that are not personal, and ids of the platform's
	// business customers
	{`message_id msg_id event_id request_id trace_id span_id correlation_id transaction_id order_id
	  product_id sku item_id invoice_id ticket_id bot_id workspace_id tenant_id org_id organization_id
	  organisation_id project_id team_id app_id application_id group_id company_id integration_id
	  channel_id intent_id node_id flow_id step_id experiment_id variant_id campaign_id
	  idempotency_key message_ts`, npID},

	// non-personal values analytics keeps
	{`type kind version app_version sdk_version library_version lib_version build build_number
	  plan tier status method http_method http_status status_code response_code
	  size bytes length amount price quantity qty total revenue currency currency_code tax discount
	  utm_source utm_medium utm_campaign utm_term utm_content utm_id source medium campaign
	  environment env mode level severity priority role channel intent intent_name confidence
	  score sentiment library lib sdk integration app app_name bot bot_name
	  typ statut état montant prix devise`, np},
}

// strongPrefixes classify keys of several words by their first word when
// nothing else matched (password_confirmation, email_primary).
var strongPrefixes = map[string]Class{
	"password": secret, "passwd": secret, "passwort": secret, "kennwort": secret, "secret": secret,
	"email": email, "phone": phone, "telefon": phone, "telephone": phone, "address": street,
	"adresse": street, "iban": iban, "ssn": ssn,
}

// strongSuffixes are recognized at the end of one-word keys (useremail,
// customerphone) after every other rule failed.
var strongSuffixes = []suffixRule{
	{"email", email}, {"phone", phone}, {"telefon", phone}, {"password", secret},
	{"passwd", secret}, {"passwort", secret}, {"kennwort", secret}, {"token", secret},
	{"secret", secret}, {"apikey", secret}, {"firstname", person}, {"lastname", person},
	{"fullname", person}, {"surname", person}, {"vorname", person}, {"nachname", person},
	{"username", identity}, {"birthdate", dob}, {"birthday", dob}, {"address", street},
	{"userid", linking}, {"sessionid", linking}, {"deviceid", linking},
}

// groupDef gives the rules for the keys of an object named by one of its
// parents, and the class of its unknown keys (the zero Class for none).
type groupDef struct {
	parents string
	rules   []entry
	deflt   Class
}

var groupTable = []groupDef{
	{ // people: a person's name and linking ids
		parents: `traits user users customer customers client clients contact contacts profile profiles
		  person people persons author sender recipient recipients receiver owner member members
		  visitor visitors lead leads employee employees patient student participant participants
		  attendee guest buyer seller payer payee assignee reporter requester speaker caller callee
		  agent operator creator holder beneficiary from to bcc identify
		  user_properties user_attributes person_properties set set_once
		  utilisateur utilisateurs personne auteur expéditeur destinataire bénéficiaire interlocuteur
		  kunde kunden benutzer nutzer absender empfänger teilnehmer mitglied mitarbeiter
		  usuario usuarios cliente clientes contacto persona remitente destinatario titular
		  utente utenti mittente contatto
		  gebruiker gebruikers klant klanten persoon afzender ontvanger contactpersoon`,
		rules: []entry{
			{`name full full_name display display_name`, person},
			{`id uuid guid key number`, linking},
			{`title`, identity},
			{`type kind role status plan tier`, np},
		},
	},
	{ // things the analytics navigate: events, pages, UI elements
		parents: `event events page pages view views action actions step steps button buttons element
		  elements form forms link links tab tabs route routes section sections click menu modal dialog
		  properties props params parameters event_properties page_properties custom_properties
		  événement seite ereignis`,
		rules: []entry{
			{`name title label type kind category action`, nav},
			{`id uuid guid key`, npID},
			{`search hostname host_name`, navURL},
		},
	},
	{ // the website a page view happened on (GA4 device.web_info)
		parents: `web_info web_information website site`,
		rules: []entry{
			{`hostname host_name host domain`, navURL},
		},
	},
	{ // a screen: its name is navigation, its size is device
		parents: `screen screens écran bildschirm`,
		rules: []entry{
			{`name title class`, nav},
			{`width height density dpi resolution orientation size scale`, device},
			{`id uuid key`, npID},
		},
	},
	{ // objects of the business, not of the person
		parents: `app apps application applications product products item items library lib sdk plan plans
		  feature features category categories integration integrations bot bots workspace workspaces
		  tenant tenants org orgs organization organizations organisation team teams project projects
		  group groups channel channels store stores shop merchant brand vendor provider partner
		  package module plugin template templates coupon promotion promo tag tags topic queue
		  service job task model dataset destination environment env list segment cohort
		  subscription order orders cart invoice invoices transaction experiment variant skill
		  intent intents flow flows node nodes block blocks release cluster host server instance
		  produit commande fichier_modèle produkt bestellung`,
		rules: []entry{
			{`name title label description`, np},
			{`id uuid guid key code number sku`, npID},
			{`type kind category version status`, np},
		},
	},
	{ // marketing campaigns
		parents: `campaign campaigns utm utm_params ad ads adgroup ad_group creative`,
		rules: []entry{
			{`name source medium term content keyword`, np},
			{`id uuid key`, npID},
		},
	},
	{ // NLU entities and slots: their values come from the user's words
		parents: `entity entities slot slots`,
		rules: []entry{
			{`name type kind entity`, np},
			{`value text raw raw_value original literal`, convo},
		},
	},
	{ // files: names may say anything about their owner
		parents: `file files attachment attachments upload uploads image images media photo photos
		  document documents doc fichier pièce_jointe datei anhang`,
		rules: []entry{
			{`name title caption`, convo},
			{`content text body`, botContent},
			{`id uuid key`, npID},
			{`type mime_type mimetype content_type extension size bytes`, np},
		},
	},
	{ // operating systems, browsers and platforms
		parents: `os operating_system browser platform engine runtime navigateur betriebssystem`,
		rules: []entry{
			{`name family version major minor patch build`, device},
		},
		deflt: device,
	},
	{ // devices: their names often carry the owner's name
		parents: `device devices hardware appareil gerät handset`,
		rules: []entry{
			{`name`, identityTxt},
			{`id uuid guid udid key token push_token`, linking},
			{`type kind model manufacturer brand family category`, device},
		},
		deflt: device,
	},
	{ // the visitor's company (visitor forms)
		parents: `company companies employer firma entreprise société arbeitgeber`,
		rules: []entry{
			{`name`, identity},
			{`id uuid key`, npID},
			{`size employees industry`, np},
		},
	},
	{ // places
		parents: `location locations geo geolocation geo_location coordinates coords position place places
		  venue city town ville stadt ort lieu gps point`,
		rules: []entry{
			{`name title label`, place},
			{`lat latitude lng lon long longitude x y alt altitude`, coords},
			// How precise a fix is, in metres, says nothing of where it is.
			{`accuracy accuracy_m horizontal_accuracy vertical_accuracy precision radius_m`, np},
			{`id uuid key`, npID},
		},
		deflt: place,
	},
	{ // regions
		parents: `country countries pays land region regions state province bundesland kanton continent
		  subdivision timezone`,
		rules: []entry{
			{`name code id iso iso_code alpha2 alpha3`, coarse},
		},
		deflt: coarse,
	},
	{ // postal addresses
		parents: `address addresses addr billing shipping billing_address shipping_address postal_address
		  mailing_address home_address delivery delivery_address adresse anschrift lieferadresse
		  rechnungsadresse adresse_de_livraison adresse_de_facturation domicile`,
		rules: []entry{
			{`name full_name recipient`, person},
			{`line line1 line2 line3 street street1 street2 address address1 address2 number house_number
			  ligne1 ligne2 zeile`, street},
		},
		deflt: street,
	},
	{ // requests, headers and event contexts
		parents: `request req http headers header context ctx connection network remote meta`,
		rules: []entry{
			{`host origin`, navURL},
			{`from`, email},
			{`address addr remote remote_address`, ip},
			{`screen network`, device},
			{`app library`, np},
			{`id uuid`, npID},
		},
	},
	{ // credentials containers
		parents: `auth authentication authorization credentials credential secrets oauth keys tokens jwt
		  security`,
		rules: []entry{
			{`type method provider scheme scope scopes expires expires_in expires_at token_type`, np},
		},
		deflt: secret,
	},
	{ // sessions and conversations: their ids link one person's events
		parents: `session sessions conversation conversations visit visits chat chats thread threads
		  interaction`,
		rules: []entry{
			{`id uuid guid key`, linking},
		},
	},
	{ // messages: their text is the user's
		parents: `message messages msg reply replies response utterance comment comments post posts review
		  reviews feedback note notes ticket tickets nachricht`,
		rules: []entry{
			{`text body content subject title value raw`, convo},
			{`id uuid key`, npID},
			{`type kind status channel direction role intent`, np},
		},
	},
	{ // email addresses as objects
		parents: `email emails mail e_mail courriel`,
		rules: []entry{
			{`address value addr`, email},
			{`verified primary type`, np},
			{`subject body`, convo},
		},
		deflt: email,
	},
	{ // phone numbers as objects
		parents: `phone phones telephone tel mobile telefon handy fax téléphone`,
		rules: []entry{
			{`number value e164 national international raw extension`, phone},
			{`country_code`, coarse},
			{`type verified primary`, np},
		},
		deflt: phone,
	},
	{ // structured names
		parents: `name names full_name personal_name nom`,
		rules: []entry{
			{`first given first_name given_name forename middle last family surname last_name
			  family_name full formatted display prefix suffix honorific`, person},
		},
		deflt: person,
	},
	{ // birth
		parents: `birth birthday dob naissance geburt birthdate date_of_birth geburtsdatum`,
		rules: []entry{
			{`day month year date`, dob},
			{`place city country`, demo},
		},
		deflt: dob,
	},
	{ // payment cards
		parents: `card cards credit_card payment_method payment_card carte kreditkarte cc`,
		rules: []entry{
			{`number pan card_number num`, card},
			{`cvv cvc cvv2 security_code code`, secret},
			{`expiry exp exp_month exp_year expiration expires last4 last_four`, fin},
			{`brand type funding network scheme country`, np},
			{`holder holder_name name cardholder`, person},
			{`fingerprint`, linking},
			{`id`, npID},
		},
		deflt: fin,
	},
	{ // bank accounts
		parents: `bank bank_account bank_details account_details bankverbindung compte_bancaire sepa mandate`,
		rules: []entry{
			{`number account_number`, finID},
			{`bic swift name code sort_code bank_name`, np},
			{`holder holder_name owner account_holder`, person},
		},
		deflt: finID,
	},
	{ // identity documents
		parents: `passport national_id id_card identity_card identity_document license licence
		  driver_license drivers_license permis ausweis personalausweis reisepass carte_d_identité`,
		rules: []entry{
			{`number no id num value`, govID},
			{`expiry expiration expires issued issue_date`, gov},
			{`type`, np},
		},
		deflt: gov,
	},
}

// frontGeneric maps a generic word that French puts before its qualifier
// (nom_produit, numéro_commande, id_client) to the English word the rules
// use.
var frontGeneric = map[string]string{
	"nom": "name", "noms": "name", "libelle": "label", "titre": "title", "id": "id",
	"identifiant": "id", "numero": "number", "num": "number", "no": "number", "date": "date",
	"code": "code", "type": "type", "adresse": "address", "name": "name",
}

// linkWords are skipped between a front generic word and its qualifier.
var linkWords = map[string]bool{"de": true, "du": true, "des": true, "d": true, "la": true, "le": true, "l": true}

// synonyms of rule words: a rule given for the English word also applies
// to these spellings (produit.nom, Produkt.Nummer).
var synonyms = map[string][]string{
	"name":   {"nom", "libelle", "bezeichnung"},
	"number": {"numero", "num", "nummer", "nr", "no"},
	"id":     {"identifiant"},
	"title":  {"titre", "titel"},
	"type":   {"typ"},
	"date":   {"datum"},
	"label":  {"libelle", "bezeichnung"},
	"text":   {"texte"},
}

// germanVariants gives the spellings of a table word that contains ä, ö, ü
// or ß: the folded one (strasse) comes from normalization, these add the
// transliterated (strasse, laengengrad) and reduced (strase) ones.
func germanVariants(w string) []string {
	if !strings.ContainsAny(w, "äöüÄÖÜß") {
		return nil
	}
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue")
	out := []string{r.Replace(w)}
	if strings.Contains(w, "ß") {
		out = append(out, strings.ReplaceAll(w, "ß", "s"), strings.ReplaceAll(r.Replace(w), "ß", "s"))
	}
	return out
}

// builder collects the maps and records conflicting definitions.
type builder struct {
	t         *tables
	conflicts []string
}

func (b *builder) norm(w string) (string, bool) {
	var k normKey
	normalize(&k, w)
	if k.full || k.n == 0 {
		b.conflicts = append(b.conflicts, "unusable key "+w)
		return "", false
	}
	return string(k.buf[:k.n]), true
}

func (b *builder) put(m map[string]Class, key string, cl Class, what string) {
	if old, ok := m[key]; ok && old != cl {
		b.conflicts = append(b.conflicts, what+" "+key+": "+old.String()+" vs "+cl.String())
		return
	}
	m[key] = cl
}

func spellings(w string) []string {
	return append([]string{w}, germanVariants(w)...)
}

func buildTables() *tables {
	t, _ := buildTablesChecked()
	return t
}

// buildTablesChecked builds the tables and returns the table's internal
// conflicts (a key given two classes), which the tests require to be empty.
func buildTablesChecked() (*tables, []string) {
	b := &builder{t: &tables{
		exact:  make(map[string]Class, 1500),
		groups: make(map[string]group, 400),
		rules:  make(map[string]Class, 800),
		strong: strongSuffixes,
	}}
	t := b.t
	for _, e := range exactTable {
		for _, w := range strings.Fields(e.keys) {
			for _, s := range spellings(w) {
				if n, ok := b.norm(s); ok {
					b.put(t.exact, n, e.class, "exact")
				}
			}
		}
	}
	t.deflt = make([]Class, len(groupTable))
	for gi, gd := range groupTable {
		g := group(gi)
		t.deflt[gi] = gd.deflt
		for _, w := range strings.Fields(gd.parents) {
			for _, s := range spellings(w) {
				n, ok := b.norm(s)
				if !ok {
					continue
				}
				if old, dup := t.groups[n]; dup && old != g {
					b.conflicts = append(b.conflicts, "parent "+n+" in two groups")
					continue
				}
				t.groups[n] = g
			}
		}
		for _, e := range gd.rules {
			for _, w := range strings.Fields(e.keys) {
				for _, s := range spellings(w) {
					if n, ok := b.norm(s); ok {
						b.put(t.rules, string(rune(g))+n, e.class, "rule")
					}
				}
			}
		}
		// synonyms, unless the group defines them itself.
		for _, e := range gd.rules {
			for _, w := range strings.Fields(e.keys) {
				for _, syn := range synonyms[w] {
					key := string(rune(g)) + syn
					if _, ok := t.rules[key]; !ok {
						t.rules[key] = e.class
					}
				}
			}
		}
	}
	return t, b.conflicts
}
