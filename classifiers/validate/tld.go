package validate

import (
	_ "embed"
	"strings"
	"sync"
)

// icannTLDList is data/icann_tlds.txt: the top-level domains of the ICANN
// section of the Public Suffix List, one a line, lower case; lines that
// start with # are comments. TestTLDListMatchesPublicSuffix regenerates
// it (-update) from golang.org/x/net/publicsuffix and holds it to that
// package.
//
//go:embed data/icann_tlds.txt
var icannTLDList string

// icannTLDs is the set of icannTLDList, built at first use.
var icannTLDs = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, strings.Count(icannTLDList, "\n"))
	for line := range strings.Lines(icannTLDList) {
		line = strings.TrimSpace(line)
		if line != "" && line[0] != '#' {
			m[line] = struct{}{}
		}
	}
	return m
})
