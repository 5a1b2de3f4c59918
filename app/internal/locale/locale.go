// Package locale keeps Fyne quiet under the C.UTF-8 locale, the default of
// many containers and minimal Linux installs.
//
// Fyne's lang package reads the locale when it initialises, turns
// LANG=C.UTF-8 into the language tag "C" and logs "Fyne error: Error
// parsing user locale C" on every start, including every CLI command of a
// binary that merely links the GUI. The locale library it uses honours
// GNU's LANGUAGE variable first, so setting LANGUAGE=en (which only picks
// the language of messages, English either way under C) before Fyne
// initialises silences it.
//
// This package must initialise before fyne.io/fyne/v2/lang. Go initialises
// packages in import-path order among those whose imports are ready, and
// this one imports only os and strings, so "dossier/…" runs before
// "fyne.io/…" whenever it is linked in. Import it for its side effect.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		// Plain "C" and "POSIX" are handled (as English) without complaint;
		// only the dotted forms reach the parser.
		base, _, dotted := strings.Cut(v, ".")
		if dotted && (base == "C" || base == "POSIX") && os.Getenv("LANGUAGE") == "" {
			_ = os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
