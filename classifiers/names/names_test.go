package names

import (
	"strings"
	"testing"

	"github.com/veilstream/veil/classifiers"
)

// spans returns the text of each finding, for compact expectations.
func spans(text string, fs []classifiers.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, text[f.Start:f.End])
	}
	return out
}

func TestDetect(t *testing.T) {
	d := New()
	cases := []struct {
		lang string
		text string
		want []string // expected name spans, in order
		rule string   // rule of the first finding, when set
	}{
		// English positives.
		{"en", "I met Bill Gates yesterday.", []string{"Bill Gates"}, RuleDictionary},
		{"en", "Bill Gates founded Microsoft.", []string{"Bill Gates"}, RuleDictionary},
		{"en", "My name is John Smith.", []string{"John Smith"}, RuleContext},
		{"en", "my name is john smith and I need help", []string{"john smith"}, RuleContext},
		{"en", "Hi, my name is Sarah and I have a question", []string{"Sarah"}, RuleContext},
		{"en", "I'm Jennifer, the office manager.", []string{"Jennifer"}, RuleContext},
		{"en", "Call me Ishmael.", []string{"Ishmael"}, RuleContext},
		{"en", "This is Mark speaking.", []string{"Mark"}, RuleContext},
		{"en", "Dear Mrs. Thompson, thank you.", []string{"Thompson"}, RuleTitle},
		{"en", "Dear Mr. O'Brien,", []string{"O'Brien"}, RuleTitle},
		{"en", "Please ask Dr. Patel about it.", []string{"Patel"}, RuleTitle},
		{"en", "Prof Kowalczyk will teach.", []string{"Kowalczyk"}, RuleTitle},
		{"en", "Mr. van der Berg called.", []string{"van der Berg"}, RuleTitle},
		{"en", "Hi Sarah, can you help?", []string{"Sarah"}, RuleContext},
		{"en", "Hello Xochitl, welcome back", []string{"Xochitl"}, RuleContext},
		{"en", "I talked to Sarah yesterday.", []string{"Sarah"}, RuleGiven},
		{"en", "John F. Kennedy was president.", []string{"John F. Kennedy"}, RuleDictionary},
		{"en", "Our agent Michael Johnson will call you.", []string{"Michael Johnson"}, RuleDictionary},
		{"en", "Send it to Emily Nguyen and Robert Garcia.", []string{"Emily Nguyen", "Robert Garcia"}, RuleDictionary},
		{"en", "I think Jessica Alvarez's order is late.", []string{"Jessica Alvarez"}, RuleDictionary},
		{"en", "Best,\nJohn Smith", []string{"John Smith"}, RuleSignature},
		{"en", "Regards, Jane", []string{"Jane"}, RuleSignature},
		{"en", "Thanks!\n— Anna", []string{"Anna"}, RuleSignature},
		{"en", "Thanks for the help.\n\nCheers,\nDavid", []string{"David"}, RuleSignature},
		{"en", "Paris Hilton arrived.", []string{"Paris Hilton"}, RuleDictionary},
		{"en", "Ludwig van Beethoven wrote it.", []string{"Ludwig van Beethoven"}, RuleDictionary},
		// English negatives.
		{"en", "May I help you?", nil, ""},
		{"en", "Will you come tomorrow?", nil, ""},
		{"en", "Paris is nice in spring.", nil, ""},
		{"en", "I bought it at the Apple Store.", nil, ""},
		{"en", "The Grace Period ends in May.", nil, ""},
		{"en", "We love Monday mornings in London.", nil, ""},
		{"en", "HELLO JOHN SMITH PLEASE CALL", nil, ""},
		{"en", "May Day parade starts at noon.", nil, ""},
		{"en", "I am French.", nil, ""},
		{"en", "Hello World, this is a test.", nil, ""},
		{"en", "Dear Customer, your order shipped.", nil, ""},
		{"en", "Open Google Chrome and click Settings.", nil, ""},
		{"en", "Summer Sale: 20% off until August.", nil, ""},
		{"en", "Sarah's car is red.", nil, ""}, // sentence-initial, no second signal
		{"en", "Hi Team, the build failed.", nil, ""},
		{"en", "Error 404: Page Not Found", nil, ""},
		{"en", "New York and Los Angeles are big.", nil, ""},
		// French positives.
		{"fr", "Je m'appelle Élodie Martin.", []string{"Élodie Martin"}, RuleContext},
		{"fr", "Je m’appelle Gaëlle, merci.", []string{"Gaëlle"}, RuleContext},
		{"fr", "Bonjour Mathilde, votre commande est prête.", []string{"Mathilde"}, RuleContext},
		{"fr", "Mon nom est Dupont.", []string{"Dupont"}, RuleContext},
		{"fr", "Jean-Pierre Lefèvre a appelé.", []string{"Jean-Pierre Lefèvre"}, RuleDictionary},
		{"fr", "Merci de contacter Mme Lefebvre demain.", []string{"Lefebvre"}, RuleTitle},
		{"fr", "M. Dubois est absent.", []string{"Dubois"}, RuleTitle},
		{"fr", "Mlle Garnier arrive.", []string{"Garnier"}, RuleTitle},
		{"fr", "Cordialement,\nMarie Dupont", []string{"Marie Dupont"}, RuleSignature},
		{"fr", "J'ai parlé avec Clémence hier.", []string{"Clémence"}, RuleGiven},
		{"fr", "Je suis Aurélien, le responsable.", []string{"Aurélien"}, RuleContext},
		// French negatives.
		{"fr", "Le Mans est une ville.", nil, ""},
		{"fr", "Paris est magnifique en mai.", nil, ""},
		{"fr", "Nous sommes lundi, rendez-vous à Lyon.", nil, ""},
		{"fr", "Bonjour, je voudrais un renseignement.", nil, ""},
		// German positives.
		{"de", "Bonjour Frau Schneider, wie geht's?", []string{"Schneider"}, RuleTitle},
		{"de", "Frau Schneider ist im Urlaub.", []string{"Schneider"}, RuleTitle},
		{"de", "Hallo, hier ist Frau Schneider von der Buchhaltung.", []string{"Schneider"}, RuleTitle},
		{"de", "Viele Grüße, Noah Ich bin am 27. Juni 2000 geboren.", []string{"Noah"}, RuleGiven},
		{"en", "Please call me back, ask for Megan You can reach me at home.", []string{"Megan"}, RuleContext},
		{"en", "Ask for Jessica The device keeps failing.", []string{"Jessica"}, RuleContext},
		{"it", "Ciao, mi chiamo Paola De Luca e non riesco ad accedere.", []string{"Paola De Luca"}, RuleContext},
		{"en", "The office moved to Bristol BS1 1LZ last year.", nil, ""},
		{"en", "@Marco can you check this?", []string{"Marco"}, RuleContext},
		{"de", "Bis bald,\nKlaus", []string{"Klaus"}, RuleSignature},
		{"fr", "Merci pour tout, à bientôt,\nCamille", []string{"Camille"}, RuleSignature},
		{"en", "thanks @sophie for the fix", []string{"sophie"}, RuleContext},
		{"en", "ping @here and @channel, or write to team@marco.io", nil, ""},
		{"es", "Vivimos cerca de San Sebastián desde 2019.", nil, ""},
		{"en", "Victoria Beckham Collection launches in Paris.", nil, ""},
		{"en", "We moved the team to Ford Motor and Johnson Controls last week.", nil, ""},
		{"fr", "C'est Océane, je vous rappelle demain.", []string{"Océane"}, RuleGiven},
		{"de", "Das sagte Ursula von der Leyen gestern.", []string{"Ursula von der Leyen"}, RuleDictionary},
		{"nl", "Ik sprak Pieter van den Berg gisteren.", []string{"Pieter van den Berg"}, RuleDictionary},
		{"de", "Sehr geehrter Herr Dr. Weber,", []string{"Weber"}, RuleTitle},
		{"de", "Sehr geehrte Frau Müller-Lüdenscheidt,", []string{"Müller-Lüdenscheidt"}, RuleTitle},
		{"de", "Ich heiße Jürgen Müller.", []string{"Jürgen Müller"}, RuleContext},
		{"de", "Mein Name ist Anna Schmidt.", []string{"Anna Schmidt"}, RuleContext},
		{"de", "Hallo Lukas, danke für die Hilfe!", []string{"Lukas"}, RuleContext},
		{"de", "Mit freundlichen Grüßen\nHans Müller", []string{"Hans Müller"}, RuleSignature},
		{"de", "Viele Grüße,\nSabine", []string{"Sabine"}, RuleSignature},
		{"de", "Ich habe mit Wolfgang Becker gesprochen.", []string{"Wolfgang Becker"}, RuleDictionary},
		{"de", "Bitte überweisen Sie an Kontoinhaber Özlem Hoffmann.", []string{"Özlem Hoffmann"}, RuleContext},
		// Spanish, Italian and Dutch phrases that introduce a name.
		{"es", "Hola, me llamo Begoña Iglesias Torres y no puedo entrar.", []string{"Begoña Iglesias Torres"}, RuleContext},
		{"es", "Gracias Inmaculada, ya funciona.", []string{"Inmaculada"}, RuleContext},
		{"es", "Estimada Sra. Núñez:", []string{"Núñez"}, RuleTitle},
		{"it", "Ciao, mi chiamo Ginevra Coppola e non riesco ad accedere.", []string{"Ginevra Coppola"}, RuleContext},
		{"it", "Grazie Tommaso, ora funziona.", []string{"Tommaso"}, RuleContext},
		{"it", "Il conto è intestato a Davide Gallo.", []string{"Davide Gallo"}, RuleContext},
		{"nl", "Hallo, mijn naam is Saskia de Haan en ik kan niet inloggen.", []string{"Saskia de Haan"}, RuleContext},
		{"nl", "Bedankt Jeroen, het werkt weer.", []string{"Jeroen"}, RuleContext},
		{"nl", "Ik heet Bram.", []string{"Bram"}, RuleContext},
		{"nl", "Schrijf over naar NL91 ABNA 0417 1643 00 t.n.v. Mirjam de Wit.", []string{"Mirjam de Wit"}, RuleTitle},
		{"nl", "Zie p.v. Mirjam de Wit.", []string{"Mirjam de Wit"}, RuleDictionary}, // found by the lists, not as t.n.v.
		{"de", "Rückruf bitte an Jörg Schulze, Tel. 0171 1234567.", []string{"Jörg Schulze"}, RuleContext},
		{"es", "Un saludo,\nLucía Romero", []string{"Lucía Romero"}, RuleSignature},
		{"it", "Cordiali saluti,\nMarco Bianchi", []string{"Marco Bianchi"}, RuleSignature},
		{"nl", "Met vriendelijke groet,\nJan de Vries", []string{"Jan de Vries"}, RuleSignature},
		// Those phrases without a name after them.
		{"es", "Gracias, ya funciona.", nil, ""},
		{"it", "Grazie mille per l'aiuto.", nil, ""},
		{"nl", "Bedankt voor de hulp.", nil, ""},
		{"en", "Please call me back, ask for Emily.", []string{"Emily"}, RuleContext},
		{"nl", "Met Emma Smith, mijn nummer is 06 1234 5678.", []string{"Emma Smith"}, RuleContext},
		// A title glued to a domain, elided articles, a place after its
		// postal code and a closing formula are not names.
		{"fr", "Écrivez à jean.dupont@orange.fr. Envoyez la facture.", nil, ""},
		{"de", "Schreiben Sie an info@beispiel.fr. Ich warte.", nil, ""},
		{"fr", "Merci beaucoup 😊 J'ai été prélevé deux fois.", nil, ""},
		{"fr", "L'équipe vous répond.", nil, ""},
		{"it", "L'indirizzo è corretto.", nil, ""},
		{"es", "La dirección de envío es Calle Mayor 5, 46004 Valencia.", nil, ""},
		{"nl", "Mijn adres is Julianasingel 188, 3563 YD Utrecht.", nil, ""},
		{"de", "Liebe Grüße aus Berlin", nil, ""},
		{"en", "Dear Mr. J. Smith,", []string{"J. Smith"}, RuleTitle},
		{"nl", "Met vriendelijke groet, Mevr. E. de Boer", []string{"E. de Boer"}, RuleTitle},
		{"it", "Gentile Sig.ra Rossi, grazie.", []string{"Rossi"}, RuleTitle},
		{"it", "Gentile dott.ssa Bianchi, le scrivo.", []string{"Bianchi"}, RuleTitle},
		{"en", "See section A. Smith was not there.", nil, ""},
		{"en", "hi im sarah and i need help", []string{"sarah"}, RuleContext},
		{"en", "Our CTO Mark Zuckerberg approved it.", []string{"Mark Zuckerberg"}, RuleContext},
		{"de", "Unser Geschäftsführer Jan Berg ist im Urlaub.", []string{"Jan Berg"}, ""},
		{"de", "Wir treffen uns im Juni im Büro.", nil, ""},
		{"de", "im Mai war ich in Berlin", nil, ""},
		{"de", "Hallo Zusammen, kurze Info.", nil, ""},
		{"es", "Hola Equipo, buenos días.", nil, ""},
		{"it", "Ciao Ragazzi, a domani.", nil, ""},
		{"nl", "Hoi Allemaal, fijne dag.", nil, ""},
		{"en", "Dear Valued Customer,", nil, ""},
		{"en", "Victoria Station is closed today.", nil, ""},
		{"en", "We are 40 people at Clínica Aurora, is there a discount?", nil, ""},
		{"fr", "Livraison au 55 rue du Faubourg Saint-Honoré, Paris.", nil, ""},
		{"nl", "Het adres is Prinsengracht 160, 2520 DR Den Haag.", nil, ""},
		{"es", "Pago con ES8097625905642321482725 El pedido llegó tarde.", nil, ""},
		{"de", "Treffpunkt ist Maria Hilf Krankenhaus.", nil, ""},
		{"en", "Meet me at Arthur Hall's office.", []string{"Arthur Hall"}, RuleDictionary},
		{"en", "Dear Mr. O'Brien,", []string{"O'Brien"}, RuleTitle},
		// German negatives.
		{"de", "Am Montag fahren wir nach München.", nil, ""},
		{"de", "Der Termin ist im März.", nil, ""},
		{"de", "Die Straße ist gesperrt.", nil, ""},
	}
	for _, tc := range cases {
		got := d.Detect(tc.text, nil)
		gs := spans(tc.text, got)
		if strings.Join(gs, "|") != strings.Join(tc.want, "|") {
			t.Errorf("[%s] %q: got %q, want %q", tc.lang, tc.text, gs, tc.want)
			continue
		}
		for _, f := range got {
			if f.Type != classifiers.Person {
				t.Errorf("[%s] %q: type %q", tc.lang, tc.text, f.Type)
			}
			if f.Score < DefaultMinScore || f.Score > 0.85 {
				t.Errorf("[%s] %q: score %v out of range", tc.lang, tc.text, f.Score)
			}
		}
		if tc.rule != "" && len(got) > 0 && got[0].Rule != tc.rule {
			t.Errorf("[%s] %q: rule %q, want %q", tc.lang, tc.text, got[0].Rule, tc.rule)
		}
	}
}

func TestScores(t *testing.T) {
	d := New(WithMinScore(0))
	cases := []struct {
		text  string
		score float64
	}{
		{"I met John Smith today.", 0.85}, // both parts listed
		{"Ask Mr. Zzyzx about it.", 0.85}, // title + capitalized
		{"My name is Sarah.", 0.8},        // context + listed
		{"I met Bill Gates today.", 0.8},  // one part is a common word
		{"Bill Gates said so.", 0.75},     // … at a sentence start
		{"I met Mark Long today.", 0.65},  // both parts common words
		{"I talked to Sarah today.", 0.6}, // lone listed given name
		{"I met Sarah Qwertyuiop.", 0.7},  // listed given + unknown capitalized
	}
	for _, tc := range cases {
		got := d.Detect(tc.text, nil)
		if len(got) != 1 {
			t.Errorf("%q: %d findings", tc.text, len(got))
			continue
		}
		if got[0].Score != tc.score {
			t.Errorf("%q: score %v, want %v", tc.text, got[0].Score, tc.score)
		}
	}
}

func TestOptions(t *testing.T) {
	text := "Please forward it to Zorblat Quux and ask Kestrel."
	if got := New().Detect(text, nil); len(got) != 0 {
		t.Fatalf("unexpected findings %v", spans(text, got))
	}
	d := New(WithGivenNames("Zorblat", "Kestrel"), WithSurnames("QUUX"))
	got := spans(text, d.Detect(text, nil))
	if strings.Join(got, "|") != "Zorblat Quux|Kestrel" {
		t.Errorf("with extra names: %q", got)
	}
	d = New(WithStopwords("Sarah"))
	if got := d.Detect("I talked to Sarah today.", nil); len(got) != 0 {
		t.Errorf("stopword still reported: %v", got)
	}
	d = New(WithMinScore(0.7))
	if got := d.Detect("I talked to Sarah today.", nil); len(got) != 0 {
		t.Errorf("min score not applied: %v", got)
	}
}

func TestDetectAppends(t *testing.T) {
	d := New()
	dst := []classifiers.Finding{{Type: classifiers.EmailAddress, Start: 0, End: 1}}
	dst = d.Detect("Hi Sarah, meet John Smith.", dst)
	if len(dst) != 3 || dst[0].Type != classifiers.EmailAddress {
		t.Fatalf("got %+v", dst)
	}
}

func TestOffsetsUTF8(t *testing.T) {
	d := New()
	text := "Ça va ? Je m'appelle Éloïse Lefèvre 😀 et toi, Zoë ?"
	got := d.Detect(text, nil)
	if len(got) == 0 {
		t.Fatal("no finding")
	}
	if s := text[got[0].Start:got[0].End]; s != "Éloïse Lefèvre" {
		t.Errorf("span %q", s)
	}
}

func TestConcurrentUse(t *testing.T) {
	d := New()
	done := make(chan []string, 8)
	for i := 0; i < 8; i++ {
		go func() {
			text := "Dear Mrs. Thompson, Bill Gates and Jürgen Müller say hi."
			done <- spans(text, d.Detect(text, nil))
		}()
	}
	want := "Thompson|Bill Gates|Jürgen Müller"
	for i := 0; i < 8; i++ {
		if got := strings.Join(<-done, "|"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	d := New()
	dst := make([]classifiers.Finding, 0, 64)
	allocs := testing.AllocsPerRun(50, func() {
		dst = d.Detect(conversation, dst[:0])
	})
	if allocs != 0 {
		t.Errorf("Detect allocates %.1f times per run", allocs)
	}
	if len(dst) < 5 {
		t.Errorf("only %d findings in the sample conversation: %q", len(dst), spans(conversation, dst))
	}
}
