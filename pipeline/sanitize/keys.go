package sanitize

import (
	"strings"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/classifiers/keynames"
	"github.com/veilstream/veil/schemas/policy"
)

// KeyNames is the KeyClassifier backed by package keynames: English, French
// and German field names, with the enclosing object as context. Shapes the
// policy acts on as field kinds become them: user agents, timestamps.
func KeyNames(parent, key []byte) (KeyClass, bool) {
	if parent == nil && string(key) == "name" {
		// A top-level "name" is the page or screen name of Segment-style
		// events as often as a person's: let the content decide.
		return KeyClass{}, false
	}
	c, ok := keynames.ClassifyPath(parent, key)
	if !ok {
		return KeyClass{}, false
	}
	kc := KeyClass{Category: c.Category, Type: c.Type}
	if c.Category == classifiers.Demographics && kc.Type == "" && isAgeKey(key) {
		kc.Type = policy.Age
	}
	switch c.Shape {
	case keynames.ShapeIdentifier:
		kc.Identifier = c.Category == classifiers.NonPersonal
	case keynames.ShapeUserAgent:
		kc.Type = policy.UserAgent
	case keynames.ShapeTimestamp:
		if kc.Type == "" {
			kc.Type = policy.Timestamp
		}
		kc.Opaque = c.Category == classifiers.Navigation
	}
	return kc, true
}

// textCategory reports whether members of a container of category c that
// no key names belong to c: the text of a message, a prompt, a secret.
func textCategory(c classifiers.Category) bool {
	return c == classifiers.Conversation || c == classifiers.BotContent || c == classifiers.Credentials
}

// isAgeKey reports whether a demographics key names an age: a word "age"
// (age, age_range, ageGroup, user_age), "âge" or German "alter".
func isAgeKey(key []byte) bool {
	k := strings.ToLower(string(key))
	for _, w := range strings.FieldsFunc(k, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' }) {
		if w == "age" || w == "âge" || w == "alter" || strings.HasPrefix(w, "age") && (w == "agerange" || w == "agegroup" || w == "ageband" || w == "agebracket") {
			return true
		}
	}
	return false
}
