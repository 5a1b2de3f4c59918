package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dossier/bundle"
	"dossier/notes"
	"dossier/project"
)

// File → Share bundle…, File → Open bundle…: the project as one .dossier
// file, and such a file opened as a new project or merged into this one.
// The work runs off the UI goroutine behind a progress dialog with Cancel.

// withProgress runs work on its own goroutine behind a dialog with a
// progress bar and a Cancel button, then calls done on the UI goroutine.
// Cancel (or Escape) cancels work's context.
func (u *UI) withProgress(title, what string, work func(ctx context.Context, progress notes.Progress) error, done func(error)) {
	ctx, cancel := context.WithCancel(context.Background())
	status := &widget.Label{Text: what, Truncation: fyne.TextTruncateEllipsis}
	bar := widget.NewProgressBar()
	content := container.NewVBox(status, bar)
	dlg := dialog.NewCustom(title, "Cancel", content, u.win)
	dlg.SetOnClosed(cancel) // harmless once the work has ended
	dlg.Resize(fyne.NewSize(460, content.MinSize().Height+120))
	dlg.Show()

	var mu sync.Mutex
	var last time.Time
	progress := func(n, total int) {
		mu.Lock()
		now := time.Now()
		if now.Sub(last) < progressInterval && n < total {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		u.do(func() {
			if total > 0 {
				bar.SetValue(float64(n) / float64(total))
			}
		})
	}
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		err := work(ctx, progress)
		u.do(func() {
			cancel()
			dlg.Hide()
			done(err)
		})
	}()
}

// shareBundleDialog asks where to save the bundle, then writes it.
func (u *UI) shareBundleDialog() {
	if u.proj == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close() // Create replaces the empty file the dialog made
		if !strings.HasSuffix(path, bundle.Ext) {
			_ = os.Remove(path)
			path += bundle.Ext
		}
		u.shareBundle(path)
	}, u.win)
	d.SetFileName(u.proj.Name + bundle.Ext)
	d.SetFilter(storage.NewExtensionFileFilter([]string{bundle.Ext}))
	d.SetLocation(listable(filepath.Dir(u.proj.Dir)))
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// shareBundle writes the open project to path.
func (u *UI) shareBundle(path string) {
	p := u.proj
	var m *bundle.Manifest
	u.withProgress("Sharing bundle", "Writing "+filepath.Base(path)+"…", func(ctx context.Context, pr notes.Progress) error {
		var err error
		m, err = bundle.Create(ctx, p.DB(), path, bundle.CreateOptions{AppVersion: Version, Progress: pr})
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, context.Canceled):
			u.status.SetText("Sharing cancelled; no bundle was written.")
		case err != nil:
			u.showError(err)
		default:
			msg := fmt.Sprintf("%s holds %s. Send it to a colleague: File → Open bundle… opens it as a project or merges it into theirs.",
				tildeHome(path), countsText(m.Counts))
			u.status.SetText("Bundle written: " + tildeHome(path))
			dialog.ShowInformation("Bundle written", msg, u.win)
		}
	})
}

// openBundleDialog asks for a bundle, then whether to merge it into the
// open project or open it as a new one.
func (u *UI) openBundleDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		u.chooseBundleAction(path)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{bundle.Ext}))
	if u.proj != nil {
		d.SetLocation(listable(filepath.Dir(u.proj.Dir)))
	}
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

func (u *UI) chooseBundleAction(path string) {
	if u.proj == nil {
		u.newProjectFromBundleDialog(path)
		return
	}
	msg := &widget.Label{Wrapping: fyne.TextWrapWord, Text: fmt.Sprintf(
		"Merge %s into %s, or open it as a new project?\n\nA merge adds what is new and keeps both versions of anything changed on both sides; nothing of this project is overwritten.",
		filepath.Base(path), u.proj.Name)}
	var d *dialog.CustomDialog
	merge := widget.NewButton("Merge into this project", func() { d.Hide(); u.mergeBundle(path) })
	merge.Importance = widget.HighImportance
	open := widget.NewButton("Open as new project…", func() { d.Hide(); u.newProjectFromBundleDialog(path) })
	d = dialog.NewCustomWithoutButtons("Open bundle", container.NewVBox(msg,
		container.NewHBox(widget.NewButton("Cancel", func() { d.Hide() }), layout.NewSpacer(), open, merge)), u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// mergeBundle merges the bundle at path into the open project and shows
// what happened, conflicts first.
func (u *UI) mergeBundle(path string) {
	p := u.proj
	var rep *bundle.Report
	u.withProgress("Merging bundle", "Checking and merging "+filepath.Base(path)+"…", func(ctx context.Context, pr notes.Progress) error {
		var err error
		rep, err = bundle.Merge(ctx, p, path, bundle.LoadOptions{Progress: pr})
		return err
	}, func(err error) {
		if rep != nil && u.proj == p {
			u.reloadLibrary()
			u.queryChanged(u.query)
		}
		switch {
		case errors.Is(err, context.Canceled):
			u.status.SetText("Merge cancelled; the project is unchanged.")
		case err != nil && rep == nil:
			u.showError(err)
		default:
			u.showMergeReport(rep, err)
		}
	})
}

func (u *UI) showMergeReport(rep *bundle.Report, err error) {
	text := fmt.Sprintf("Merged %q.\nAdded: %s.\nUpdated: %s.\nUnchanged: %s.", rep.From.Name,
		countsText(rep.Added), countsText(rep.Updated), countsText(rep.Unchanged))
	if err != nil {
		text += "\n\n" + err.Error()
	}
	objs := []fyne.CanvasObject{&widget.Label{Text: text, Wrapping: fyne.TextWrapWord}}
	if len(rep.Conflicts) > 0 {
		rows := container.NewVBox()
		for _, c := range rep.Conflicts {
			rows.Add(container.NewVBox(
				&widget.Label{Text: fmt.Sprintf("%s: %s", c.Kind, c.Title), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
				&widget.Label{Text: c.Detail, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}))
		}
		scroll := container.NewVScroll(rows)
		scroll.SetMinSize(fyne.NewSize(500, min(rows.MinSize().Height, 300)))
		objs = append(objs, widget.NewSeparator(),
			&widget.Label{Text: plural(len(rep.Conflicts), "conflict", "conflicts") + " — changed on both sides; this project's version was kept",
				TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}, scroll)
	}
	title := "Bundle merged"
	if len(rep.Conflicts) > 0 {
		title = "Bundle merged with conflicts"
	}
	u.status.SetText(strings.ReplaceAll(text, "\n", " "))
	d := dialog.NewCustom(title, "OK", container.NewVBox(objs...), u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// newProjectFromBundleDialog asks for the new project's name and folder,
// opens the bundle there, then switches to it.
func (u *UI) newProjectFromBundleDialog(path string) {
	parent := filepath.Dir(project.DefaultDir())
	if u.proj != nil {
		parent = filepath.Dir(u.proj.Dir)
	}
	place := newPlaceField(u.win, parent, "name the project", nonEmptyDir("a folder with this name exists there"))
	place.name.SetText(strings.TrimSuffix(filepath.Base(path), bundle.Ext))
	items := []*widget.FormItem{
		widget.NewFormItem("Name", place.name),
		widget.NewFormItem("In folder", place.row),
	}
	d := dialog.NewForm("Open bundle as a new project", "Open", "Cancel", items, func(ok bool) {
		if ok {
			u.openBundleAsProject(path, place.Path())
		}
	}, u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// openBundleAsProject creates the project dir from the bundle and switches
// to it.
func (u *UI) openBundleAsProject(path, dir string) {
	u.withProgress("Opening bundle", "Checking and opening "+filepath.Base(path)+"…", func(ctx context.Context, pr notes.Progress) error {
		_, err := bundle.OpenNew(ctx, path, dir, bundle.LoadOptions{Progress: pr})
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, context.Canceled):
			u.status.SetText("Opening cancelled; no project was created.")
		case err != nil:
			u.showError(err)
		default:
			u.openProject(dir, project.Options{})
		}
	})
}

// countsText reads "5 sources, 2 notes" or "nothing".
func countsText(n bundle.Counts) string {
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{{n.Documents, "source", "sources"}, {n.Notes, "note", "notes"}, {n.Quotes, "quote", "quotes"},
		{n.Relations, "relation", "relations"}, {n.Events, "event", "events"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.one, c.many))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}
