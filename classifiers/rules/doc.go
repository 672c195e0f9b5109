// Package rules is the model of a content classifier rule and its YAML
// loader.
//
// A rule is what a data team writes to teach veil a new kind of personal
// data: an id, the entity type it finds, a pattern in regexp2 syntax, the
// validators a match must pass, context words that raise (or, when required,
// gate) its score, and examples that must and must not match. Rule files
// hold a list under the top-level key "rules":
//
//	rules:
//	  - id: acme.customer_number
//	    type: PERSON
//	    pattern: '\bACME-\d{8}\b'
//	    score: 0.6
//	    context:
//	      words: [customer, client]
//	      window: 40
//	      boost: 0.3
//	    examples:
//	      match: ["customer ACME-12345678 called"]
//	      no_match: ["ACME-1234"]
//
// A file with any error is refused whole, with the file, line and reason;
// a directory of user rules is merged over the built-in pack by id, where a
// rule with the same id replaces the built-in one and `disabled: true`
// removes it.
package rules
