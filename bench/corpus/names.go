package corpus

// TEST DATA. The name lists below were written by hand for this generator:
// common given names and surnames per language, chosen so that every entry is
// at least four letters long (shorter names collide with ordinary words such as
// "custom" or "redacted" when a scorer looks for them as substrings). They are
// not drawn from any dataset and describe no real person.

// nameSet holds the given names and surnames of one language.
type nameSet struct {
	female  []string
	male    []string
	surname []string
}

var names = map[string]nameSet{
	"en": {
		female: []string{
			"Olivia", "Emma", "Amelia", "Sophia", "Isabella", "Charlotte", "Emily", "Grace",
			"Chloe", "Hannah", "Jessica", "Sarah", "Megan", "Lauren", "Rachel", "Ashley",
			"Jennifer", "Madison", "Abigail", "Evelyn", "Harper", "Aaliyah", "Priya", "Aisha",
			"Fatima", "Ananya", "Siobhan", "Niamh", "Keisha", "Margaret",
		},
		male: []string{
			"Liam", "Noah", "Jack", "Owen", "Ryan", "Adam", "Ethan", "Mason", "Logan", "James",
			"Oliver", "William", "Henry", "Lucas", "Daniel", "Matthew", "David", "Joseph",
			"Samuel", "George", "Harry", "Oscar", "Jacob", "Andrew", "Connor", "Dylan",
			"Nathan", "Aaron", "Kevin", "Brian", "Mohammed", "Hiroshi", "Kwame", "Chinedu",
			"Santiago", "Mateo",
		},
		surname: []string{
			"Smith", "Johnson", "Williams", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
			"Martinez", "Hernandez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore",
			"Jackson", "Thompson", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Wright",
			"Torres", "Nguyen", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
			"Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Murphy", "O'Brien",
			"Patel", "Okafor", "Kowalski", "MacDonald", "Fitzgerald", "Hughes-Morgan",
			"Nakamura", "Okonkwo", "Sullivan", "Gallagher",
		},
	},
	"fr": {
		female: []string{
			"Camille", "Manon", "Chloé", "Inès", "Sarah", "Jade", "Louise", "Emma", "Juliette",
			"Alice", "Anaïs", "Margaux", "Élodie", "Hélène", "Sophie", "Nathalie", "Isabelle",
			"Céline", "Aurélie", "Mathilde", "Clémence", "Océane", "Amélie", "Maëlle", "Noémie",
			"Brigitte", "Sylvie", "Marie-Claire", "Yasmine", "Salomé",
		},
		male: []string{
			"Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël", "Théo", "Nathan",
			"Mathis", "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Pierre", "François",
			"Sébastien", "Jérôme", "Olivier", "Benoît", "Guillaume", "Alexandre", "Mehdi",
			"Karim", "Yanis", "Jean-Baptiste", "Jean-Pierre", "Loïc", "Gaël",
		},
		surname: []string{
			"Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy",
			"Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Bertrand", "Roux", "Vincent",
			"Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
			"Bonnet", "Legrand", "Garnier", "Faure", "Rousseau", "Guérin", "Muller", "Roussel",
			"Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Fontaine",
			"Chevalier", "Robin", "Da Silva", "Benali", "Le Gall", "Lemaître", "Besnard",
		},
	},
	"de": {
		female: []string{
			"Anna", "Lena", "Leonie", "Marie", "Sophie", "Laura", "Hannah", "Emilia", "Johanna",
			"Katharina", "Julia", "Sabine", "Petra", "Ursula", "Monika", "Stefanie", "Franziska",
			"Charlotte", "Greta", "Jana", "Lisa", "Nina", "Birgit", "Heike", "Anja", "Jördis",
			"Käthe", "Özlem", "Gisela", "Susanne",
		},
		male: []string{
			"Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Elias", "Noah",
			"Luca", "Stefan", "Michael", "Andreas", "Thomas", "Klaus", "Jürgen", "Wolfgang",
			"Dieter", "Matthias", "Florian", "Tobias", "Sebastian", "Markus", "Björn", "Jörg",
			"Mehmet", "Ahmet", "Torsten", "Rüdiger", "Helmut",
		},
		surname: []string{
			"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
			"Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
			"Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
			"Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
			"Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
			"Huber", "Kaiser", "Fuchs", "Peters", "Scholz", "Möller", "Weiß", "Hahn", "Vogel",
			"Yılmaz", "Öztürk", "von Bergen",
		},
	},
	"nl": {
		female: []string{
			"Emma", "Julia", "Sophie", "Tess", "Sara", "Anna", "Fleur", "Lotte", "Sanne", "Femke",
			"Anouk", "Iris", "Noor", "Lieke", "Maud", "Roos", "Marloes", "Ingrid", "Saskia",
			"Esther", "Mirjam", "Wilhelmina",
		},
		male: []string{
			"Daan", "Lucas", "Milan", "Levi", "Finn", "Bram", "Thijs", "Jesse", "Ruben", "Lars",
			"Sven", "Jeroen", "Pieter", "Willem", "Joost", "Sander", "Maarten", "Koen", "Niels",
			"Wouter", "Hendrik", "Gijs", "Stijn",
		},
		surname: []string{
			"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
			"Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Peters", "Hendriks",
			"van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
			"van der Meer", "van der Linden", "Jacobs", "de Haan", "Vermeulen",
			"van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "Schouten",
			"Willems", "van Vliet", "Hoekstra", "Verhoeven", "Koster", "Prins",
		},
	},
	"es": {
		female: []string{
			"Lucía", "Sofía", "Martina", "María", "Paula", "Julia", "Daniela", "Valeria", "Alba",
			"Emma", "Carmen", "Isabel", "Pilar", "Dolores", "Rocío", "Begoña", "Nerea",
			"Ainhoa", "Inmaculada", "Esperanza", "María José",
		},
		male: []string{
			"Hugo", "Mateo", "Martín", "Lucas", "Daniel", "Alejandro", "Pablo", "Manuel",
			"Álvaro", "Adrián", "David", "Javier", "Sergio", "Jorge", "Carlos", "Antonio",
			"José Luis", "Juan Carlos", "Iñaki", "Jesús",
		},
		surname: []string{
			"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
			"Pérez", "Gómez", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
			"Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez",
			"Vázquez", "Ramos", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez",
			"Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez",
			"Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano",
			"Guerrero", "Prieto", "Méndez", "Calvo", "Gallego", "Vidal", "Márquez", "Herrera",
			"Peña",
		},
	},
	"it": {
		female: []string{
			"Sofia", "Giulia", "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Beatrice",
			"Anna", "Vittoria", "Francesca", "Chiara", "Federica", "Alessandra", "Valentina",
			"Martina", "Elisa", "Roberta", "Paola", "Graziella",
		},
		male: []string{
			"Leonardo", "Francesco", "Alessandro", "Lorenzo", "Mattia", "Andrea", "Gabriele",
			"Riccardo", "Tommaso", "Edoardo", "Giuseppe", "Giovanni", "Antonio", "Marco",
			"Luca", "Matteo", "Davide", "Stefano", "Niccolò", "Salvatore",
		},
		surname: []string{
			"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
			"Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
			"Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
			"Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
			"Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
			"D'Angelo", "Marchetti", "Parisi",
		},
	},
}

// languages lists the keys of names in a fixed order (map iteration order is
// random and the generator must be deterministic).
var languages = []string{"en", "fr", "de", "nl", "es", "it"}

// employers are fictional organisation names. They are not personal data and
// are never labelled.
var employers = []string{
	"Northwind Traders", "Globex Logistics", "Initech", "Umbrella Freight", "Blue Harbor Labs",
	"Papeterie du Centre", "Atelier Lumière", "Stadtwerke Nordhafen", "Brauhaus Ostend",
	"Hooli Analytics", "Vandelay Industries", "Soylent Foods", "Polderwerk BV", "Tecnologías Sol",
	"Ferramenta Alpina", "Cyberdyne Health", "Oceanic Air", "Pied Piper", "Kiwi Cloud Ltd",
	"Fabrique Numérique", "Gleis Sieben GmbH", "Bakkerij het Anker", "Clínica Aurora",
}

// jobTitles are job titles in the six languages. Not labelled.
var jobTitles = []string{
	"Head of Marketing", "Customer Success Manager", "CTO", "Software Engineer", "Office Manager",
	"Responsable marketing", "Directrice commerciale", "Chargé de clientèle",
	"Geschäftsführerin", "Vertriebsleiter", "Projektmanagerin", "Teamleider klantenservice",
	"Jefa de ventas", "Responsabile acquisti", "Data Analyst", "Product Manager", "Founder",
}

// interests are website-visitor interest tags. Not labelled.
var interests = []string{
	"travel", "cooking", "fitness", "personal finance", "gaming", "photography", "gardening",
	"machine learning", "football", "fashion", "parenting", "home improvement", "music",
	"startups", "cycling", "wine", "outdoor", "e-commerce",
}
