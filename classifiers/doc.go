// Package classifiers holds the vocabulary every part of veil shares: the
// entity types of the taxonomy (the names findings, schema tags, metric
// labels and conformance files use), the coarser data categories that the
// policy acts on, and the Finding a detector reports.
//
// The detection machinery lives in sub-packages: rules (the rule model and
// its YAML loader), validate (checksums and numbering plans), names (PERSON
// dictionaries), keynames (field-name classifiers), engine (the compiled
// matcher) and builtin (the embedded rule pack).
package classifiers
