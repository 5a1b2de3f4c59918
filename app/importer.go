package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/project"
)

// importer runs Project.Import in the background behind a progress dialog
// with a Cancel button, then shows what was imported, skipped and failed.
type importer struct {
	win     fyne.Window
	do      func(func())
	project func() *project.Project
	// onDone runs on the UI goroutine after every import, cancelled or
	// not, so the library and results show what was committed.
	onDone func(*project.ImportReport, error)

	cancel context.CancelFunc // of the running import, or nil
	done   chan struct{}      // closed when the running import has returned
	bg     *sync.WaitGroup    // counts the import goroutine, for UI.Close
}

// progressInterval throttles progress updates: a folder of small files
// reports thousands per second, and each would cost a repaint.
const progressInterval = 50 * time.Millisecond

// Import imports paths (files and folders). Only one import runs at a time;
// asking for another meanwhile says so.
func (im *importer) Import(paths []string) {
	p := im.project()
	if p == nil || len(paths) == 0 {
		return
	}
	if im.cancel != nil {
		dialog.ShowInformation("Import running", "Wait for the current import to finish, or cancel it.", im.win)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	im.cancel = cancel
	done := make(chan struct{})
	im.done = done

	what := filepath.Base(paths[0])
	if len(paths) > 1 {
		what = plural(len(paths), "item", "items")
	}
	status := &widget.Label{Text: "Looking for files in " + what + "…", Truncation: fyne.TextTruncateEllipsis}
	bar := widget.NewProgressBar()
	file := newTextLine(false, colorNameMuted, theme.SizeNameCaptionText)
	content := container.NewVBox(status, bar, file)
	dlg := dialog.NewCustom("Importing", "Cancel", content, im.win)
	dlg.SetOnClosed(cancel) // Cancel, Escape, or our Hide when done: all harmless after the end
	dlg.Resize(fyne.NewSize(460, content.MinSize().Height+120))
	dlg.Show()

	var mu sync.Mutex
	var last time.Time
	progress := func(pr project.ImportProgress) {
		mu.Lock()
		now := time.Now()
		if now.Sub(last) < progressInterval && pr.Done < pr.Total {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		im.do(func() {
			if pr.Total > 0 {
				bar.SetValue(float64(pr.Done) / float64(pr.Total))
			}
			status.SetText(fmt.Sprintf("Imported %d of %d files", pr.Done, pr.Total))
			file.SetText(pr.Path)
			if pr.Compacting {
				status.SetText("Compacting the search index…")
			}
		})
	}
	if im.bg != nil {
		im.bg.Add(1)
	}
	go func() {
		rep, err := p.Import(ctx, paths, progress)
		close(done)
		if im.bg != nil {
			im.bg.Done()
		}
		im.do(func() {
			im.cancel = nil
			cancel()
			dlg.Hide()
			im.showReport(rep, err)
			if im.onDone != nil {
				im.onDone(rep, err)
			}
		})
	}()
}

// Cancel stops a running import; documents already committed stay.
func (im *importer) Cancel() {
	if im.cancel != nil {
		im.cancel()
	}
}

// Running reports whether an import is in progress.
func (im *importer) Running() bool { return im.cancel != nil }

// Done returns a channel closed when the running import has returned, or
// nil when none runs: a project must not be closed under an import.
func (im *importer) Done() <-chan struct{} {
	if im.cancel == nil {
		return nil
	}
	return im.done
}

// showReport summarises an import: counts, and every failure with its
// reason, since those are what the user has to act on.
func (im *importer) showReport(rep *project.ImportReport, err error) {
	if rep == nil {
		rep = &project.ImportReport{}
	}
	cancelled := errors.Is(err, context.Canceled)
	if err != nil && !cancelled && len(rep.Imported)+len(rep.Skipped)+len(rep.Failed) == 0 {
		dialog.ShowError(fmt.Errorf("import failed: %w", err), im.win)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %s", plural(len(rep.Imported), "file", "files"))
	if n := len(rep.Skipped); n > 0 {
		fmt.Fprintf(&b, "; %d already in the project", n)
	}
	if n := len(rep.Failed); n > 0 {
		fmt.Fprintf(&b, "; %d could not be imported", n)
	}
	b.WriteString(".")
	if cancelled {
		b.WriteString(" The import was cancelled: the files imported before that stay in the project.")
	} else if err != nil {
		fmt.Fprintf(&b, " The import stopped early: %v.", err)
	}
	summary := &widget.Label{Text: b.String(), Wrapping: fyne.TextWrapWord}
	objs := []fyne.CanvasObject{summary}
	if len(rep.Failed) > 0 {
		rows := container.NewVBox()
		for _, f := range rep.Failed {
			name := &widget.Label{Text: filepath.Base(f.Path), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
			why := &widget.Label{Text: f.Reason, Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
			path := newTextLine(false, colorNameMuted, theme.SizeNameCaptionText)
			path.SetText(f.Path)
			rows.Add(container.NewVBox(name, why, path))
		}
		scroll := container.NewVScroll(rows)
		scroll.SetMinSize(fyne.NewSize(480, min(rows.MinSize().Height, 300)))
		objs = append(objs, widget.NewSeparator(), &widget.Label{Text: "Not imported", TextStyle: fyne.TextStyle{Bold: true}}, scroll)
	}
	title := "Import finished"
	if cancelled {
		title = "Import cancelled"
	}
	d := dialog.NewCustom(title, "OK", container.NewVBox(objs...), im.win)
	d.Resize(fyne.NewSize(540, 0))
	d.Show()
}

// ChooseFile asks for one file to import (Fyne's file dialog picks one;
// drop several onto the window, or import their folder, for more).
func (im *importer) ChooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, im.win)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		im.Import([]string{path})
	}, im.win)
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// ChooseFolder asks for a folder to import recursively.
func (im *importer) ChooseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, im.win)
			return
		}
		if u == nil {
			return
		}
		im.Import([]string{u.Path()})
	}, im.win)
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// Dropped imports files dropped onto the window.
func (im *importer) Dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	im.Import(paths)
}

// listable converts a folder path for a dialog's starting location, or nil.
func listable(dir string) fyne.ListableURI {
	if dir == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return l
}
