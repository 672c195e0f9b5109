// Package keynames classifies a value by the name of the field that holds
// it, so that `{"full_name": "…"}` or `{"Vorname": "…"}` is recognized as
// personal data even when no schema tags the field.
//
// Keys are normalized before lookup: case is ignored, camelCase and
// PascalCase are split (HTTPStatus = http status, userIDs = user ids), any
// character other than a letter or a digit separates words (`_ - . space $
// @`), accents are folded (prénom = prenom), umlauts and ß are reduced
// (Straße = strasse, Längengrad = langengrad) and trailing digits are
// ignored (address_line2). The table also registers the transliterated and
// reduced spellings of its German words (Laengengrad, Strase).
// The table covers English, French and German names and their usual
// abbreviations (dob, tel, addr, fname, lname, msisdn, ssn, sin, nino, iban,
// cc_number, cvv, pwd, passwd, pw, plz, mdp, …), and the common Spanish,
// Italian and Dutch ones (nombre, apellidos, cognome, voornaam, correo,
// cellulare, indirizzo, woonplaats, cap, fecha_de_nacimiento, wachtwoord,
// codice_fiscale, bsn, dni, …).
//
// Lookup order for a key:
//
//  0. a flattened path ("context.traits.name", "user/email") is read as its
//     last segment under the rest of the path;
//  1. rules for the enclosing object (ClassifyPath): `traits.name` is a
//     person's name, `event.name`, `page.name`, `app.name` are not;
//     `location.name` is a place; `context.screen` is the device's screen;
//     `device.id` links a device; `headers.cookie` is a credential;
//  2. the whole key (`email_address`, `x-forwarded-for`);
//  3. the whole key without trailing digits (`phone2`, `address_line_2`);
//  4. the key's trailing words, longest first (`billing_email` → email);
//     the words before them may name an object with rules of its own, so
//     that `event_name`, `page_title`, `product_id`, `company_name` follow
//     the rules of `event`, `page`, `product` and `company`;
//  5. French word order, generic word first: `nom_produit`,
//     `numéro_commande`, `id_client`, `type_appareil`;
//  6. a telling first word: `password_confirmation`, `email_primary`;
//  7. one-word compounds ending in a generic word (`produktname`,
//     `eventid`, `kundennummer`, with German linking letters), then a few
//     telling endings (`useremail`, `adminpassword`);
//  8. the enclosing object's own class for keys unknown to the table
//     (`credentials.whatever` is a secret, `address.line_x` a street).
//
// Keys the table does not know return false: the caller decides (fail-closed
// policies treat them as unknown). Keys longer than 128 normalized bytes or
// 24 words are not classified.
//
// Decisions worth knowing (the table in table.go is the reference):
//
//   - usernames, handles, nicknames and display names are identity;
//     company, employer and job title are identity without a PERSON type
//     (visitor-form data);
//   - org, tenant, workspace, bot, project, team, group, company and app
//     ids belong to the platform's business customers: non_personal
//     identifiers. customer_id and account_id are linking identifiers: in
//     event payloads they usually name the business's end customer (a shop's
//     buyer, a Stripe customer), and the fail-closed reading is the safe one;
//   - user, anonymous, visitor, session, device, conversation, advertising
//     and client (cookie) ids, click ids (gclid, fbclid) and push tokens
//     link one person's events: linking_identifier;
//   - message, event, request, trace, order and product ids are random and
//     not personal: non_personal with Shape Identifier, so a sanitizer may
//     keep them;
//   - a bare `name` or `id` without context, or under an unknown object, is
//     treated as a person's name and a linking identifier (fail-closed), so
//     `font_name` is a PERSON too;
//   - file and attachment names are conversation (users name files after
//     themselves); NLU entity and slot values are conversation;
//   - BIC/SWIFT codes identify a bank, not a person: non_personal;
//     IBANs, card and bank account numbers are financial;
//   - street names and address lines are contact (STREET_ADDRESS); city,
//     postal code and coordinates are precise_location; country, region,
//     state and time zone are coarse_location;
//   - the user agent is device data with Shape UserAgent, for the
//     generalizer; OS, browser, language, locale and screen are device;
//   - search queries, messages, comments and transcripts are conversation
//     (free text typed by end users); prompts, knowledge bases, documents
//     and training utterances are bot_content;
//   - page, path, URL, referrer, title, event, action, counts, durations and
//     timestamps are navigation; birth dates are demographics with Type
//     DATE_OF_BIRTH.
//
// Classify and ClassifyPath do not allocate.
package keynames
