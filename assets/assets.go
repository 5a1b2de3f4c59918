// Package assets holds the resources Dossier's window is built from, embedded
// in the binary so that it runs from any folder: the application icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

//go:embed icon-128.png
var windowIconPNG []byte

// Icon is the application icon: a page with a magnifier, 512×512 PNG. The
// same file is named in FyneApp.toml so that `fyne package` uses it too.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// WindowIcon is Icon at 128×128 for the window's title bar and task bar.
// Fyne decodes and converts the window icon on the main thread before the
// window is mapped: the 512-pixel icon showed up as 40–60 ms of startup in
// profiles on a busy machine, and this one has a sixteenth of the pixels.
var WindowIcon = fyne.NewStaticResource("icon-128.png", windowIconPNG)
