// Package builtin is veil's built-in rule pack: YAML rule files embedded in
// the binary that find every entity type of the taxonomy a pattern can find
// (PERSON comes from the names detector of package names instead).
//
// The files live in rules/, one per entity family (email, phone, network,
// financial, government_id, postal, address, url, secret, date_of_birth,
// geo). Rules parses them with the validators of package validate and
// returns them in a stable order (files in lexical order, rules in file
// order); FS exposes the files themselves, for tools that list or copy
// them. See README.md beside this file for the rule format and how a data
// team adds, overrides or disables rules.
package builtin
