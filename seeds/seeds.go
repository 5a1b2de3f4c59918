// Package seeds embeds Dossier's default corpus: five news texts about the
// Russian airbase in Kant, Kyrgyzstan. A new project imports them so a first
// run has something to search.
package seeds

import "embed"

// FS holds the seed texts at its root.
//
//go:embed *.txt
var FS embed.FS
