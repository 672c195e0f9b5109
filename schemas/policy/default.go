package policy

import (
	_ "embed"
	"fmt"
	"sync"
)

//go:embed default.yaml
var defaultYAML []byte

var (
	defaultOnce   sync.Once
	defaultPolicy *Policy
)

// DefaultName is the name the embedded default policy reports in errors and
// from Source.
const DefaultName = "default.yaml"

// Default returns the embedded default policy, parsed and validated on first
// use. The returned policy is shared: do not modify it. It panics only if the
// embedded file is broken, which the package's tests rule out.
func Default() *Policy {
	defaultOnce.Do(func() {
		p, err := Parse(DefaultName, defaultYAML)
		if err != nil {
			panic(fmt.Sprintf("policy: embedded default policy is invalid: %v", err))
		}
		defaultPolicy = p
	})
	return defaultPolicy
}

// DefaultYAML returns a copy of the embedded default policy file, for users
// who want to start their own policy from it.
func DefaultYAML() []byte {
	return append([]byte(nil), defaultYAML...)
}
