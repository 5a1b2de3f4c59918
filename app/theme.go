package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme modes the user can pick in View → Theme; the preference stores the
// string.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// Colours Dossier adds to Fyne's palette. Widgets ask for them by name so a
// theme switch repaints them like every built-in colour.
const (
	colorNameHit        fyne.ThemeColorName = "dossierHit"
	colorNameHitCurrent fyne.ThemeColorName = "dossierHitCurrent"
	colorNameMuted      fyne.ThemeColorName = "dossierMuted"
	colorNameSidebar    fyne.ThemeColorName = "dossierSidebar"
	colorNameBadge      fyne.ThemeColorName = "dossierBadge"
)

// dossierTheme is Fyne's default theme with Dossier's accent colour, the
// highlight colours of the reader, and an optional fixed variant: Fyne
// always passes the system's variant, so "always dark" is done by ignoring
// it.
type dossierTheme struct {
	mode string // themeSystem, themeLight or themeDark
}

var _ fyne.Theme = (*dossierTheme)(nil)

func newTheme(mode string) *dossierTheme {
	switch mode {
	case themeLight, themeDark:
	default:
		mode = themeSystem
	}
	return &dossierTheme{mode: mode}
}

func (t *dossierTheme) variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.mode {
	case themeLight:
		return theme.VariantLight
	case themeDark:
		return theme.VariantDark
	}
	return v
}

func (t *dossierTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variant(v)
	dark := v == theme.VariantDark
	pick := func(light, darkC color.Color) color.Color {
		if dark {
			return darkC
		}
		return light
	}
	switch n {
	case theme.ColorNamePrimary:
		return pick(color.NRGBA{0x3b, 0x5b, 0xdb, 0xff}, color.NRGBA{0x74, 0x8f, 0xfc, 0xff})
	case theme.ColorNameHyperlink:
		return pick(color.NRGBA{0x36, 0x4f, 0xc7, 0xff}, color.NRGBA{0x91, 0xa7, 0xff, 0xff})
	case theme.ColorNameFocus:
		return pick(color.NRGBA{0x3b, 0x5b, 0xdb, 0x55}, color.NRGBA{0x74, 0x8f, 0xfc, 0x55})
	case theme.ColorNameSelection:
		return pick(color.NRGBA{0x3b, 0x5b, 0xdb, 0x40}, color.NRGBA{0x74, 0x8f, 0xfc, 0x50})
	case theme.ColorNameForeground:
		// Fyne's light foreground is a mid grey; long reading wants more
		// contrast.
		if !dark {
			return color.NRGBA{0x1f, 0x23, 0x28, 0xff}
		}
	case colorNameHit:
		return pick(color.NRGBA{0xff, 0xe0, 0x66, 0xc0}, color.NRGBA{0xc9, 0x9a, 0x06, 0x90})
	case colorNameHitCurrent:
		return pick(color.NRGBA{0xff, 0x92, 0x2b, 0xe0}, color.NRGBA{0xf7, 0x67, 0x07, 0xd0})
	case colorNameMuted:
		return pick(color.NRGBA{0x5c, 0x62, 0x70, 0xff}, color.NRGBA{0xa0, 0xa6, 0xb4, 0xff})
	case colorNameSidebar:
		return pick(color.NRGBA{0xf1, 0xf3, 0xf7, 0xff}, color.NRGBA{0x1c, 0x1d, 0x22, 0xff})
	case colorNameBadge:
		return pick(color.NRGBA{0xe3, 0xe8, 0xfc, 0xff}, color.NRGBA{0x2b, 0x33, 0x5c, 0xff})
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *dossierTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (t *dossierTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return theme.DefaultTheme().Icon(n)
}

func (t *dossierTheme) Size(n fyne.ThemeSizeName) float32 {
	return theme.DefaultTheme().Size(n)
}
