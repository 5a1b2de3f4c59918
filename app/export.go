package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dossier/export"
	"dossier/notes"
	"dossier/store"
)

// File → Export: the project as a Markdown vault, or chosen notes as one
// Markdown file.

// exportMenu is File → Export and its formats.
func (u *UI) exportMenu() *fyne.MenuItem {
	it := fyne.NewMenuItem("Export", nil)
	it.ChildMenu = fyne.NewMenu("",
		fyne.NewMenuItem("Markdown vault…", u.exportVaultDialog),
		fyne.NewMenuItem("Notes to one Markdown file…", u.exportNotesDialog))
	return it
}

// exportVaultDialog asks for the vault's folder name and where to put it.
func (u *UI) exportVaultDialog() {
	if u.proj == nil {
		return
	}
	parent := filepath.Dir(u.proj.Dir)
	if h, err := os.UserHomeDir(); err == nil {
		parent = h
	}
	place := newPlaceField(u.win, parent, "name the folder", nonEmptyDir("a folder with this name exists there and is not empty"))
	place.name.SetText(u.proj.Name + " vault")
	help := &widget.Label{Wrapping: fyne.TextWrapWord, Text: "One Markdown file per note and per source, the timeline, " +
		"an index, and the sources as CSL-JSON and BibTeX. Open the folder as an Obsidian vault, or in any editor."}
	items := []*widget.FormItem{
		widget.NewFormItem("", help),
		widget.NewFormItem("Folder", place.name),
		widget.NewFormItem("In", place.row),
	}
	d := dialog.NewForm("Export Markdown vault", "Export", "Cancel", items, func(ok bool) {
		if ok {
			u.exportVault(place.Path())
		}
	}, u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// exportVault writes the vault to dir.
func (u *UI) exportVault(dir string) {
	db := u.proj.DB()
	var sum *export.Summary
	u.withProgress("Exporting", "Writing "+tildeHome(dir)+"…", func(ctx context.Context, pr notes.Progress) error {
		var err error
		sum, err = export.Vault(ctx, db, dir, export.Options{Progress: pr})
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, context.Canceled):
			u.status.SetText("Export cancelled; nothing was written.")
		case err != nil:
			u.showError(err)
		default:
			u.status.SetText("Exported to " + tildeHome(sum.Dir))
			dialog.ShowInformation("Export finished", fmt.Sprintf("Exported %s, %s, %s and %s to %s.\n\nStart at index.md, or open the folder as an Obsidian vault.",
				plural(sum.Notes, "note", "notes"), plural(sum.Sources, "source", "sources"),
				plural(sum.Quotes, "quote", "quotes"), plural(sum.Events, "event", "events"), tildeHome(sum.Dir)), u.win)
		}
	})
}

// exportNotesDialog lets the user tick notes, then asks where to save
// them as one Markdown file.
func (u *UI) exportNotesDialog() {
	if u.proj == nil {
		return
	}
	db := u.proj.DB()
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		var titles []string
		ids := map[string]string{}
		err := db.Dump(context.Background(), store.DumpFuncs{Note: func(n *notes.Note, deleted string) error {
			if deleted == "" {
				label := n.Title
				for ids[label] != "" {
					label += " "
				}
				titles = append(titles, label)
				ids[label] = n.ID
			}
			return nil
		}})
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			if len(titles) == 0 {
				dialog.ShowInformation("Export notes", "This project has no notes yet.", u.win)
				return
			}
			u.pickNotes(titles, ids)
		})
	}()
}

func (u *UI) pickNotes(titles []string, ids map[string]string) {
	checks := widget.NewCheckGroup(titles, nil)
	scroll := container.NewVScroll(checks)
	scroll.SetMinSize(fyne.NewSize(420, min(checks.MinSize().Height, 320)))
	d := dialog.NewCustomConfirm("Export notes to one Markdown file", "Choose file…", "Cancel", scroll, func(ok bool) {
		if !ok || len(checks.Selected) == 0 {
			return
		}
		var picked []string
		for _, t := range titles { // in list order, not tick order
			for _, s := range checks.Selected {
				if s == t {
					picked = append(picked, ids[t])
				}
			}
		}
		u.saveNotes(picked)
	}, u.win)
	d.Show()
}

func (u *UI) saveNotes(ids []string) {
	db := u.proj.DB()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return
		}
		u.bg.Add(1)
		go func() {
			defer u.bg.Done()
			err := export.Notes(context.Background(), db, ids, w)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			u.do(func() {
				if err != nil {
					u.showError(err)
					return
				}
				u.status.SetText("Notes exported to " + tildeHome(w.URI().Path()))
			})
		}()
	}, u.win)
	d.SetFileName("notes.md")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".md"}))
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}
