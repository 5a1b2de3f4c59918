// Package assets holds the resources Dossier's window is built from, embedded
// in the binary so that it runs from any folder: the application icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon: a page with a magnifier, 512×512 PNG. The
// same file is named in FyneApp.toml so that `fyne package` uses it too.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
