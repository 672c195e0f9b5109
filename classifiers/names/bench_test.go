package names

import (
	"testing"

	"github.com/veilstream/veil/classifiers"
)

// conversation is about 1 KB of chatbot conversation text in three
// languages, with names, titles, brands, places and common words.
const conversation = `User: Hi, my name is Sarah Connor and I ordered a MacBook from your store last Monday.
Bot: Hello Sarah! I'm Max, your virtual assistant. May I have your order number?
User: Sure, it's 48213. My husband John placed it for me, maybe under his name, John Connor.
Bot: Thanks. I see an order for J. Connor shipped to Los Angeles on March 3rd via UPS.
User: Will it arrive before Friday? We are flying to Paris on Saturday.
Bot: It should. If not, Mrs. Connor, please contact our agent Michael Johnson at the Apple Store.
User: Merci ! Au fait, ma collègue Élodie Martin voudrait commander aussi.
Bot: Bonjour Élodie ! Je m'appelle Léa, comment puis-je vous aider ?
User: Mein Kollege Herr Dr. Weber aus München hat das gleiche Problem.
Bot: Sehr geehrter Herr Weber, wir kümmern uns darum.
User: Great. Best regards,
Sarah Connor`

func BenchmarkDetect(b *testing.B) {
	d := New()
	dst := make([]classifiers.Finding, 0, 64)
	b.SetBytes(int64(len(conversation)))
	b.ReportAllocs()
	for b.Loop() {
		dst = d.Detect(conversation, dst[:0])
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = New()
	}
}
