package engine

import (
	"fmt"
	"strings"
)

// A realistic benchmark corpus: the string values of analytics, usage and
// conversation events. By count most values are short analytics fields;
// by bytes, conversation turns dominate. Some turns carry personal data
// the way users write it, in English, French and German.

var (
	chatOpen = []string{
		"Hi", "Hello", "Hey there", "Good morning", "Bonjour", "Hallo", "Thanks", "Hi again",
		"Quick question", "Sorry to bother you", "Guten Tag", "Merci",
	}
	chatBody = []string{
		"I ordered a blue jacket last week and it still hasn't arrived",
		"can you tell me when my package will be delivered",
		"the app keeps crashing when I open the settings page",
		"I would like to change the delivery address for my order",
		"my card was charged twice for the same subscription",
		"how do I reset my password, the link in the email expired",
		"is it possible to upgrade to the pro plan in the middle of the month",
		"the tracking page says the parcel is at the depot since Monday",
		"I can't log in on my phone but it works on the laptop",
		"please cancel my order, I found it cheaper elsewhere",
		"what are your opening hours during the holidays",
		"the invoice shows the wrong company name",
		"je voudrais savoir où en est ma commande",
		"le colis n'est toujours pas arrivé, pouvez-vous vérifier",
		"ich habe meine Bestellung noch nicht erhalten",
		"können Sie mir bitte die Rechnung noch einmal schicken",
		"the chatbot answered in the wrong language",
		"I need to update the billing details before Friday",
		"the discount code did not work at checkout",
		"we are moving offices and need to pause the service for two weeks",
	}
	chatClose = []string{
		"Thanks a lot.", "Thank you!", "Cheers", "Best regards", "Merci d'avance.",
		"Vielen Dank.", "Let me know.", "Any update?", "", "", "",
	}
	chatPII = []func(g *gen) string{
		func(g *gen) string {
			return "my email is " + g.pick("jane.doe", "m.muller", "paul.martin") + "@" + g.pick("example.com", "mail.de", "orange.fr")
		},
		func(g *gen) string {
			return "you can call me on " + g.pick("(415) 555-2671", "+44 7911 123456", "06 12 34 56 78", "+4915112345678")
		},
		func(g *gen) string { return "the order number is " + g.digits(8) },
		func(g *gen) string { return "my name is " + g.pick("Anna Schmidt", "Pierre Dubois", "John Miller") },
		func(g *gen) string { return "I live at " + g.pick("221 Baker Street", "12 High St", "Hauptstraße 5") },
		func(g *gen) string {
			return "the card ending " + g.digits(4) + " was charged " + g.pick("$19.99", "€49", "£12.50")
		},
		func(g *gen) string { return "card number " + luhnComplete("4111"+g.digits(11)) },
		func(g *gen) string { return "my IBAN is DE89 3704 0044 0532 0130 00" },
		func(g *gen) string {
			return "it happened on " + g.pick("2024-03-12", "12/03/2024", "March 12") + " around " + g.pick("10:30", "3pm")
		},
		func(g *gen) string { return "zip code " + g.digits(5) },
		func(g *gen) string { return "my date of birth is " + g.pick("1984-07-12", "12/07/1984") },
		func(g *gen) string { return "see https://shop.example.com/orders/" + g.digits(6) + "?ref=mail" },
		func(g *gen) string { return "my IP is " + g.pick("192.168.1.20", "10.0.0.7", "2001:db8::1") },
	}
	analyticsValues = []func(g *gen) string{
		func(g *gen) string {
			return g.pick("page_view", "click", "session_start", "purchase", "signup", "message_sent")
		},
		func(g *gen) string {
			return fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d.%03dZ", 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000))
		},
		func(g *gen) string { return g.pick("iOS", "Android", "Windows", "macOS", "Linux") },
		func(g *gen) string { return g.pick("en-US", "fr-FR", "de-DE", "en-GB", "es-ES") },
		func(g *gen) string { return g.pick("US", "FR", "DE", "GB", "CA") },
		func(g *gen) string {
			return g.pick("/pricing", "/checkout/step-2", "/help/articles/reset-password", "/app/dashboard", "/blog/2024/launch")
		},
		func(g *gen) string { return g.pick("usr_", "anon_", "sess_", "dev_") + g.from("0123456789abcdef", 16) },
		func(g *gen) string {
			return g.from("0123456789abcdef", 8) + "-" + g.from("0123456789abcdef", 4) + "-4" + g.from("0123456789abcdef", 3) + "-a" + g.from("0123456789abcdef", 3) + "-" + g.from("0123456789abcdef", 12)
		},
		func(g *gen) string { return fmt.Sprint(g.r.IntN(100000)) },
		func(g *gen) string { return fmt.Sprintf("%d.%d.%d", 1+g.r.IntN(5), g.r.IntN(30), g.r.IntN(10)) },
		func(g *gen) string {
			return "Mozilla/5.0 (" + g.pick("Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 14_4", "iPhone; CPU iPhone OS 17_4 like Mac OS X") + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
		},
		func(g *gen) string { return g.pick("free", "pro", "enterprise", "trial") },
		func(g *gen) string { return g.pick("true", "false", "null", "1", "0") },
		func(g *gen) string { return g.pick("Paris", "Berlin", "Austin", "Lyon", "Toronto") },
	}
)

// realisticValue returns one value of the benchmark corpus.
func (g *gen) realisticValue() string {
	if g.r.IntN(10) < 7 {
		return analyticsValues[g.r.IntN(len(analyticsValues))](g)
	}
	var b strings.Builder
	b.WriteString(g.pick(chatOpen...))
	b.WriteString(g.pick(", ", "! ", ". ", " - "))
	for i, n := 0, 1+g.r.IntN(4); i < n; i++ {
		if i > 0 {
			b.WriteString(g.pick(". ", ", and ", "; ", "? ", ". Also, "))
		}
		if g.r.IntN(100) < g.entityPct {
			b.WriteString(chatPII[g.r.IntN(len(chatPII))](g))
		} else {
			b.WriteString(g.pick(chatBody...))
		}
	}
	b.WriteString(g.pick(". ", "? ", "! "))
	b.WriteString(g.pick(chatClose...))
	return b.String()
}
