// Package names finds people's names (entity type PERSON) in free text
// without a statistical model.
//
// The detector combines three kinds of evidence:
//
//   - name lists derived from official name-frequency statistics (US Social
//     Security Administration given names, US Census surnames, INSEE
//     "Fichier des prénoms", German city first-name statistics), embedded
//     from data/ and described in data/README.md;
//   - the shape of the text: capitalized tokens (Unicode-aware: Élodie,
//     Müller, O'Brien, Jean-Pierre), surname particles (van der, von, de, du,
//     le), middle initials, sentence boundaries, ALL-CAPS words (never names);
//   - context: titles (Mr, Mrs, Dr, Prof, M., Mme, Herr, Frau, Sra., Sig.ra,
//     Dhr., …), phrases that introduce a name in English, French, German,
//     Spanish, Italian and Dutch ("my name is", "call me", "je m'appelle",
//     "ich heiße", "me llamo", "mi chiamo", "mijn naam is", "Dear",
//     "Estimada", "Beste", "Hi", "Bonjour", "Hallo", "Grazie", "Bedankt",
//     account-holder words such as "Kontoinhaber" and "t.n.v.", …) and
//     signature lines ("Best,\nJohn Smith", "Cordialement,\nMarie Dupont",
//     "— Anna"). A phrase lets an unlisted capitalized name through; the
//     lists cover English, French, German, Spanish, Italian and Dutch
//     names (data/README.md says which statistics office published each).
//     Words that head the name of a place or business (Station, Hospital,
//     GmbH; "Clínica Aurora"), a place after its postal code ("46004
//     Valencia") and elided articles (J'ai) are not names.
//
// Every finding carries a score and the id of the rule that produced it:
//
//	person.title       title followed by a capitalized name            0.85
//	person.dictionary  given name + surname, both in the lists         0.65–0.85
//	person.context     introducing phrase + name                       0.6–0.85
//	person.signature   closing formula or dash + name at line end      0.65–0.8
//	person.given       lone listed given name inside a sentence        0.6
//
// Words that are both names and common words ("May", "Will", "Grace",
// "Bill") are not reported on their own, a capitalized word at the start of
// a sentence needs a second signal, and a stoplist keeps days, months,
// countries, big cities, brands and chat words out (data/stoplist.txt).
//
// A Detector is built once with New, is safe for concurrent use, and its
// Detect method does not allocate when the destination slice has room.
package names
