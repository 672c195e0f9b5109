package builtin

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/veilstream/veil/classifiers/rules"
	"github.com/veilstream/veil/classifiers/validate"
)

//go:embed rules/*.yaml
var files embed.FS

// SourceDir is the directory, relative to the repository root, that rule
// sources of the built-in pack name, so that `veil rules test` points at a
// file a contributor can open.
const SourceDir = "classifiers/builtin/rules"

// FS returns the built-in rule files, rooted at the rules directory: the
// files are at the top level ("email.yaml", "phone.yaml", …).
func FS() fs.FS {
	sub, err := fs.Sub(files, "rules")
	if err != nil {
		// fs.Sub fails only on an invalid directory name; "rules" is valid.
		return files
	}
	return sub
}

// Rules parses the built-in rule files and returns their rules: files in
// lexical order, rules in the order each file lists them. Every validator a
// rule names must be registered in package validate. Each call parses
// afresh, so the caller owns the returned slice. Sources name files under
// SourceDir.
func Rules() ([]rules.Rule, error) {
	rs, err := rules.LoadDir(FS(), ".", rules.WithValidators(knownValidator))
	if err != nil {
		var re *rules.Error
		if errors.As(err, &re) && re.Source.File != "" {
			re.Source.File = SourceDir + "/" + re.Source.File
		}
		return nil, fmt.Errorf("built-in rule pack: %w", err)
	}
	for i := range rs {
		rs[i].Source.File = SourceDir + "/" + rs[i].Source.File
	}
	return rs, nil
}

// knownValidator reports whether name is registered in package validate.
func knownValidator(name string) bool {
	_, ok := validate.Lookup(name)
	return ok
}
