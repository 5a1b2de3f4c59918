package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// placeField is the "name, in folder [Choose…]" pair of the dialogs that
// make a new folder: a new project, a project opened from a bundle, an
// exported vault.
type placeField struct {
	parent string
	name   *widget.Entry
	where  *widget.Label
	row    fyne.CanvasObject // the folder label with its Choose… button
}

// newPlaceField starts in parent. noName is the message for an empty
// name; taken returns why a folder cannot be used, or "".
func newPlaceField(win fyne.Window, parent, noName string, taken func(dir string) string) *placeField {
	p := &placeField{parent: parent, name: widget.NewEntry()}
	p.name.Validator = func(s string) error {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			return errors.New(noName)
		case strings.ContainsAny(s, `/\:`):
			return errors.New("a name cannot contain / \\ or :")
		}
		if msg := taken(filepath.Join(p.parent, s)); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
	p.where = &widget.Label{Text: tildeHome(parent), Truncation: fyne.TextTruncateEllipsis}
	choose := widget.NewButton("Choose…", func() {
		d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				p.parent = l.Path()
				p.where.SetText(tildeHome(p.parent))
				p.name.Validate()
			}
		}, win)
		d.SetLocation(listable(p.parent))
		d.Resize(fyne.NewSize(820, 560))
		d.Show()
	})
	p.row = container.NewBorder(nil, nil, nil, choose, p.where)
	return p
}

// Path is the folder the dialog names.
func (p *placeField) Path() string { return filepath.Join(p.parent, strings.TrimSpace(p.name.Text)) }

// nonEmptyDir returns msg when dir holds anything.
func nonEmptyDir(msg string) func(dir string) string {
	return func(dir string) string {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return msg
		}
		return ""
	}
}
